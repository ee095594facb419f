"""The arrangement engine on plain data: windows, order, fixed and movable items, priorities, reasons for what
does not fit, DST and Tokyo, the budget; and, with hypothesis, that a proposal never breaks a hard rule and that
a programme is always found when one exists (small instances checked against brute force)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegations.planning.arrange import PRIORITY_HIGH, PRIORITY_LOW, Request, arrange, proposed_items
from delegations.planning.availability import BusyInterval
from delegations.planning.conflicts import ConflictFinder, PlannedItem, Schedule
from delegations.planning.slots import candidate_starts
from tests.planning_data import (FIRST_DEPUTY, GARDENS, KATRIN, MAYOR, MUSEUM, SECOND_DEPUTY, TOWN_HALL, at, busy,
                                 item, schedule, stay)

BERLIN = ZoneInfo("Europe/Berlin")


def request(key: str, minutes: int = 60, **values) -> Request:
    return Request(key, values.pop("title", key), timedelta(minutes=minutes), **values)


def local(instant: datetime, zone=BERLIN) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def starts(proposal) -> dict[str, str]:
    return {placement.request.key: local(placement.starts_at) for placement in proposal.placements}


def assert_no_rule_broken(world: Schedule, proposal, requests) -> None:
    """Every placement is free of conflicts against everything else, and keeps its order."""
    moving = {request.item_id for request in requests if request.item_id is not None}
    base = world.without(moving)
    placed = {}
    for number, placement in enumerate(proposal.placements):
        request = placement.request
        placed[request.key] = PlannedItem(request.item_id if request.item_id is not None else -(number + 1),
                                          proposal.delegation_id, request.title, placement.starts_at,
                                          placement.ends_at, request.venue_id, request.principal_id,
                                          request.responsible_id, fixed=False)
    # Unplaced movable items stay where they are.
    staying = [item for item in world.items if item.id in moving and
               not any(p.request.item_id == item.id for p in proposal.placements)]
    finder = ConflictFinder(base.with_items(list(placed.values()) + staying))
    for key, planned in placed.items():
        assert finder.conflicts_of(planned) == [], (key, [str(c.message) for c in finder.conflicts_of(planned)])
    everything = {**{f"item-{item.id}": item for item in base.items}, **placed}
    for request in requests:
        if request.key not in placed:
            continue
        mine = placed[request.key]
        if request.after in everything:
            other = everything[request.after]
            assert mine.starts_at >= other.ends_at + timedelta(minutes=world.travel_minutes(other.venue_id, mine.venue_id))
        if request.before in everything:
            other = everything[request.before]
            assert mine.ends_at + timedelta(minutes=world.travel_minutes(other.venue_id, mine.venue_id)) <= other.starts_at


# Scenarios --------------------------------------------------------------------------------------------

def test_a_lunch_lands_in_its_window_and_the_rest_around_the_fixed_items():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    fixed = [item("2027-05-04 09:00", "2027-05-04 11:00", title="Welcome", venue_id=TOWN_HALL, id=1)]
    requests = [request("lunch", 60, earliest=time(12), latest=time(14), venue_id=MUSEUM),
                request("walk", 90, venue_id=GARDENS)]
    world = schedule(visit, fixed, travel={(TOWN_HALL, GARDENS): 20, (GARDENS, MUSEUM): 25})
    proposal = arrange(world, 1, requests)
    assert proposal.complete
    assert "12:00" <= starts(proposal)["lunch"][11:] and starts(proposal)["lunch"][11:] <= "13:00"
    assert_no_rule_broken(world, proposal, requests)


def test_before_and_after_are_kept_relative_to_fixed_items_and_to_other_requests():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-05 23:00")
    fixed = [item("2027-05-05 10:00", "2027-05-05 11:00", title="Signing", venue_id=TOWN_HALL, id=1)]
    requests = [request("briefing", 30, before="item-1", venue_id=MUSEUM, days=frozenset({date(2027, 5, 5)})),
                request("press", 30, after="item-1", venue_id=TOWN_HALL),
                request("dinner", 120, after="press", earliest=time(18), latest=time(22))]
    world = schedule(visit, fixed, travel={(TOWN_HALL, MUSEUM): 10})
    proposal = arrange(world, 1, requests)
    assert proposal.complete
    placed = starts(proposal)
    assert placed["briefing"] <= "2027-05-05 09:20"  # 30 minutes plus 10 on the way, before 10:00
    assert placed["press"] >= "2027-05-05 11:00"
    assert placed["dinner"] > placed["press"] and placed["dinner"][11:] >= "18:00"
    assert_no_rule_broken(world, proposal, requests)


def test_a_tentative_item_stays_where_it_is_when_there_is_room():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    tentative = item("2027-05-04 15:00", "2027-05-04 16:00", title="Museum", id=3, fixed=False)
    requests = [request("talk", 60),
                Request("item-3", "Museum", timedelta(hours=1), item_id=3, current_start=tentative.starts_at)]
    proposal = arrange(schedule(visit, [tentative]), 1, requests)
    assert starts(proposal)["item-3"] == "2027-05-04 15:00"
    assert not proposal.placement_for("item-3").moved


def test_a_tentative_item_moves_to_make_room_but_a_confirmed_one_never_does():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    tentative = item("2027-05-04 12:00", "2027-05-04 13:00", title="Museum", id=3, fixed=False)
    requests = [request("lunch", 60, earliest=time(12), latest=time(13)),
                Request("item-3", "Museum", timedelta(hours=1), item_id=3, current_start=tentative.starts_at)]
    proposal = arrange(schedule(visit, [tentative]), 1, requests)
    assert proposal.complete
    assert starts(proposal)["lunch"] == "2027-05-04 12:00"
    assert proposal.placement_for("item-3").moved

    confirmed = item("2027-05-04 12:00", "2027-05-04 13:00", title="Museum", id=3, fixed=True)
    proposal = arrange(schedule(visit, [confirmed]), 1, requests[:1])
    assert not proposal.placements
    assert str(proposal.unplaced[0].reason) == ("The delegation's programme (with the way between venues) leaves no "
                                                "60 minutes at the allowed times.")


def test_when_two_requests_compete_the_higher_priority_wins_and_the_other_is_told_why():
    visit = stay(arrival="2027-05-04 12:00", departure="2027-05-04 13:00")
    requests = [request("photo", 60, title="Photo", priority=PRIORITY_LOW),
                request("reception", 60, title="Reception", priority=PRIORITY_HIGH)]
    proposal = arrange(schedule(visit), 1, requests)
    assert list(starts(proposal)) == ["reception"]
    assert str(proposal.unplaced[0].reason) == ("No time is left for it beside the items placed before it; its "
                                                "possible times are taken by “Reception”.")


def test_the_mayor_busy_everywhere_is_the_reason_and_a_free_deputy_is_named():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00", protocol_level="mayor")
    busy_time = {MAYOR: [busy("2027-05-04 07:00", "2027-05-04 19:00", label="Council")],
                 FIRST_DEPUTY: [busy("2027-05-04 07:00", "2027-05-04 12:00")], SECOND_DEPUTY: []}
    proposal = arrange(schedule(visit, [], busy_time), 1, [request("reception", 60, principal_id=MAYOR)],
                       deputies=[FIRST_DEPUTY, SECOND_DEPUTY])
    unplaced = proposal.unplaced[0]
    assert str(unplaced.reason) == "Mayor Weber is not free for 60 minutes at any allowed time."
    # The deputy first in protocol order who is free at all, from the first time they are free.
    assert unplaced.alternative == (FIRST_DEPUTY, at("2027-05-04 12:00"))


def test_a_request_after_one_that_cannot_be_placed_is_placed_and_says_so():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    requests = [request("gala", 60, title="Gala", earliest=time(22), latest=time(23)),
                request("toast", 30, after="gala")]
    proposal = arrange(schedule(visit), 1, requests)
    assert list(starts(proposal)) == ["toast"]
    assert "which could not be placed" in str(proposal.placements[0].notes[0])


def test_arranging_across_the_march_change_keeps_local_times():
    visit = stay(arrival="2027-03-27 08:00", departure="2027-03-29 20:00")
    requests = [request(f"r{number}", 60, earliest=time(10), latest=time(12)) for number in range(6)]
    proposal = arrange(schedule(visit), 1, requests)
    assert proposal.complete
    assert sorted(starts(proposal).values()) == [
        "2027-03-27 10:00", "2027-03-27 11:00", "2027-03-28 10:00", "2027-03-28 11:00",
        "2027-03-29 10:00", "2027-03-29 11:00"]


def test_arranging_a_tour_in_tokyo_uses_tokyo_time():
    tokyo = ZoneInfo("Asia/Tokyo")
    tour = stay(3, "2027-10-30 09:00", "2027-11-01 18:00", zone="Asia/Tokyo")
    proposal = arrange(schedule(tour), 3, [request("peace park", 120, earliest=time(9), latest=time(11),
                                                   days=frozenset({date(2027, 10, 31)}))])
    assert local(proposal.placements[0].starts_at, tokyo) == "2027-10-31 09:00"


def test_a_tiny_budget_stops_the_search_and_says_so():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-06 18:00")
    requests = [request(f"r{number}", 60) for number in range(10)]
    proposal = arrange(schedule(visit), 1, requests, node_limit=5)
    assert proposal.unplaced and proposal.budget_exhausted
    assert "The search reached its limit" in str(proposal.unplaced[-1].reason)


def test_the_proposed_programme_lists_fixed_and_placed_items_in_order():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 12:00")
    fixed = item("2027-05-04 08:00", "2027-05-04 09:00", title="Welcome", id=1)
    world = schedule(visit, [fixed])
    proposal = arrange(world, 1, [request("talk", 60)])
    assert [planned.title for planned in proposed_items(world, proposal)] == ["Welcome", "talk"]


# Properties against brute force ------------------------------------------------------------------------

DAY = date(2027, 5, 4)
GRID = 30


@st.composite
def instances(draw):
    """A one- or two-day stay with fixed items, other visits' items, busy time, a travel matrix (not always a
    metric) and one to four requests (some of them movable items, some ordered)."""
    days = draw(st.integers(1, 2))
    visit = stay(1, "2027-05-04 09:00", f"2027-05-0{3 + days} 13:00")
    other = stay(2, "2027-05-04 09:00", "2027-05-05 13:00")

    def moment():
        return at("2027-05-04 09:00") + timedelta(days=draw(st.integers(0, days - 1)),
                                                   minutes=GRID * draw(st.integers(0, 7)))

    venues = st.sampled_from([None, TOWN_HALL, GARDENS, MUSEUM])
    items = []
    next_id = 1
    for _ in range(draw(st.integers(0, 2))):  # fixed items of the visit
        start = moment()
        items.append(PlannedItem(next_id, 1, f"fixed{next_id}", start, start + timedelta(minutes=GRID * draw(st.integers(1, 2))),
                                 draw(venues), draw(st.sampled_from([None, MAYOR])), fixed=True))
        next_id += 1
    for _ in range(draw(st.integers(0, 3))):  # other visits' items
        start = moment()
        items.append(PlannedItem(next_id, 2, f"other{next_id}", start, start + timedelta(minutes=GRID * draw(st.integers(1, 3))),
                                 draw(venues), draw(st.sampled_from([None, MAYOR])),
                                 draw(st.sampled_from([None, KATRIN])), fixed=True))
        next_id += 1
    blocks = []
    for _ in range(draw(st.integers(0, 3))):
        start = moment()
        blocks.append(BusyInterval(start, start + timedelta(minutes=GRID * draw(st.integers(1, 4))),
                                   draw(st.sampled_from(["calendar", "outside office hours"]))))
    requests = []
    for number in range(draw(st.integers(1, 4))):
        movable = draw(st.booleans())
        duration = timedelta(minutes=GRID * draw(st.integers(1, 3)))
        earliest = draw(st.sampled_from([None, time(9), time(10)]))
        latest = draw(st.sampled_from([None, time(12), time(13)]))
        keys = [request.key for request in requests] + [f"item-{item.id}" for item in items if item.delegation_id == 1]
        relation = draw(st.sampled_from(["", "before", "after"])) if keys else ""
        target = draw(st.sampled_from(keys)) if relation else None
        values = dict(principal_id=draw(st.sampled_from([None, MAYOR])), venue_id=draw(venues),
                      responsible_id=draw(st.sampled_from([None, KATRIN])), earliest=earliest or time(9),
                      latest=latest or time(13), priority=draw(st.integers(1, 3)),
                      after=target if relation == "after" else None, before=target if relation == "before" else None)
        if movable:
            start = moment()
            items.append(PlannedItem(next_id, 1, f"movable{next_id}", start, start + duration, values["venue_id"],
                                     values["principal_id"], values["responsible_id"], fixed=False))
            requests.append(Request(f"item-{next_id}", f"movable{next_id}", duration, item_id=next_id,
                                    current_start=start, **values))
            next_id += 1
        else:
            requests.append(Request(f"request-{number}", f"request{number}", duration, **values))
    travel = {(TOWN_HALL, GARDENS): draw(st.sampled_from([0, 30, 60])),
              (GARDENS, MUSEUM): draw(st.sampled_from([0, 30, 60])),
              (TOWN_HALL, MUSEUM): draw(st.sampled_from([0, 30, 90]))}
    world = schedule([visit, other], items, {MAYOR: blocks}, travel=travel, buffer=draw(st.sampled_from([0, 15, 30])))
    return world, requests


def brute_force_feasible(world: Schedule, requests: list[Request]) -> bool:
    """Try every combination of grid starts (depth first), checking each partial programme with the conflict
    rules themselves and the order constraints: True if all requests fit."""
    moving = {request.item_id for request in requests if request.item_id is not None}
    base = world.without(moving)
    stay_ = world.stays[1]
    fixed = {f"item-{planned.id}": planned for planned in base.items if planned.delegation_id == 1}
    options = [candidate_starts(stay_, request.duration, days=request.days, earliest=request.earliest,
                                latest=request.latest, grid_minutes=GRID) for request in requests]
    keys = {request.key for request in requests}

    def order_ok(placed: dict[str, PlannedItem]) -> bool:
        known = {**fixed, **placed}
        for request in requests:
            mine = placed.get(request.key)
            if mine is None:
                continue
            for relation, target in (("after", request.after), ("before", request.before)):
                if target is None or target not in known:
                    continue
                if target in keys and target not in placed:
                    continue
                other = known[target]
                way = timedelta(minutes=world.travel_minutes(other.venue_id, mine.venue_id))
                if relation == "after" and mine.starts_at < other.ends_at + way:
                    return False
                if relation == "before" and mine.ends_at + way > other.starts_at:
                    return False
        return True

    def place(index: int, placed: dict[str, PlannedItem]) -> bool:
        if index == len(requests):
            return True
        request = requests[index]
        for start in options[index]:
            candidate = PlannedItem(request.item_id if request.item_id is not None else -(index + 1), 1, request.title,
                                    start, start + request.duration, request.venue_id, request.principal_id,
                                    request.responsible_id, fixed=False)
            finder = ConflictFinder(base.with_items(list(placed.values()) + [candidate]))
            if finder.conflicts_of(candidate):
                continue
            placed[request.key] = candidate
            if order_ok(placed) and place(index + 1, placed):
                return True
            del placed[request.key]
        return False

    return place(0, {})


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(instances())
def test_an_arranged_programme_never_breaks_a_hard_rule(case):
    world, requests = case
    proposal = arrange(world, 1, requests, grid_minutes=GRID)
    assert_no_rule_broken(world, proposal, requests)
    assert len(proposal.placements) + len(proposal.unplaced) == len(requests)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(instances())
def test_a_feasible_instance_is_never_declared_infeasible(case):
    world, requests = case
    feasible = brute_force_feasible(world, requests)
    proposal = arrange(world, 1, requests, grid_minutes=GRID)
    if feasible:
        assert proposal.complete, [(u.request.key, str(u.reason)) for u in proposal.unplaced]
    else:
        assert not proposal.complete  # and the search did not invent a programme that does not exist
