"""Finding free slots: the wall-clock grid (also on DST days and in Tokyo), never inside busy time, inside
office hours, the way between venues kept, deputies named when the Mayor is busy, and why nothing fits."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegations.planning.availability import BusyInterval, office_hours_busy
from delegations.planning.conflicts import ConflictFinder
from delegations.planning.slots import (SlotQuery, candidate_starts, day_window, find_slots, local_instant,
                                        remove_forbidden)
from tests.planning_data import (FIRST_DEPUTY, GARDENS, MAYOR, SECOND_DEPUTY, TOWN_HALL, at, busy, item, schedule,
                                 stay)

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def local(instant: datetime, zone=BERLIN) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def every_start(result_slots, grid=15):
    """All starts the runs stand for."""
    for slot in result_slots:
        start = slot.starts_at
        while start <= slot.latest_start:
            yield start
            start += timedelta(minutes=grid)


# The grid ---------------------------------------------------------------------------------------------

def test_candidates_lie_on_the_local_quarter_hours_within_the_window_and_the_stay():
    visit = stay(arrival="2027-05-03 09:10", departure="2027-05-04 12:00")
    starts = candidate_starts(visit, timedelta(minutes=60), earliest=time(9), latest=time(11, 0))
    assert [local(start) for start in starts] == [
        "2027-05-03 09:15", "2027-05-03 09:30", "2027-05-03 09:45", "2027-05-03 10:00",
        "2027-05-04 09:00", "2027-05-04 09:15", "2027-05-04 09:30", "2027-05-04 09:45", "2027-05-04 10:00"]


def test_the_night_the_clocks_go_forward_in_march_2027():
    visit = stay(arrival="2027-03-27 12:00", departure="2027-03-29 12:00")
    starts = candidate_starts(visit, timedelta(minutes=60), days=[date(2027, 3, 28)], earliest=time(1),
                              latest=time(5))
    shown = [local(start) for start in starts]
    assert shown[:5] == ["2027-03-28 01:00", "2027-03-28 01:15", "2027-03-28 01:30", "2027-03-28 01:45",
                         "2027-03-28 03:00"]  # 02:00-02:59 does not exist that night
    assert not any(" 02:" in text for text in shown)
    assert shown[-1] == "2027-03-28 04:00"  # ends at 05:00
    # An hour from 01:30 winter time ends at 03:30 summer time: one real hour.
    assert local(starts[2] + timedelta(hours=1)) == "2027-03-28 03:30"
    assert day_window(date(2027, 3, 28), None, None, "Europe/Berlin")[1] - \
        day_window(date(2027, 3, 28), None, None, "Europe/Berlin")[0] == timedelta(hours=23)
    assert local_instant(date(2027, 3, 28), time(2, 30), "Europe/Berlin") == at("2027-03-28 03:00")


def test_the_night_the_clocks_go_back_in_october_2027():
    visit = stay(arrival="2027-10-30 12:00", departure="2027-11-01 12:00")
    window = day_window(date(2027, 10, 31), None, None, "Europe/Berlin")
    assert window[1] - window[0] == timedelta(hours=25)
    starts = candidate_starts(visit, timedelta(minutes=30), days=[date(2027, 10, 31)], earliest=time(9),
                              latest=time(10))
    assert [local(start) for start in starts] == ["2027-10-31 09:00", "2027-10-31 09:15", "2027-10-31 09:30"]
    assert starts[0].astimezone(BERLIN).utcoffset() == timedelta(hours=1)  # winter time again


def test_slots_on_a_tour_are_found_in_tokyo_time():
    tour = stay(5, "2027-10-28 10:00", "2027-11-02 15:00", zone="Asia/Tokyo", title="Hiroshima")
    result = find_slots(SlotQuery(5, timedelta(minutes=90), earliest=time(9), latest=time(12)), schedule(tour))
    assert [local(slot.starts_at, TOKYO) for slot in result.slots][:2] == ["2027-10-28 10:00", "2027-10-29 09:00"]
    # The Berlin change on 31 October moves nothing in Tokyo.
    assert {slot.starts_at.astimezone(TOKYO).strftime("%H:%M") for slot in result.slots[1:]} == {"09:00"}


# Rules --------------------------------------------------------------------------------------------

def test_a_slot_is_never_inside_the_principals_busy_time():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    busy_time = {MAYOR: [busy("2027-05-04 09:00", "2027-05-04 10:10"), busy("2027-05-04 11:00", "2027-05-04 16:00")]}
    result = find_slots(SlotQuery(1, timedelta(minutes=45), principal_id=MAYOR), schedule(visit, [], busy_time))
    assert [(local(slot.starts_at), local(slot.latest_start)) for slot in result.slots] == [
        ("2027-05-04 08:00", "2027-05-04 08:15"), ("2027-05-04 10:15", "2027-05-04 10:15"),
        ("2027-05-04 16:00", "2027-05-04 17:15")]


def test_slots_lie_inside_office_hours():
    visit = stay(arrival="2027-05-03 06:00", departure="2027-05-09 23:00")  # Monday to Sunday
    hours = [(weekday, time(8), time(19)) for weekday in range(5)]
    blocked = office_hours_busy(hours, visit.arrival_at - timedelta(days=1), visit.departure_at + timedelta(days=1),
                                "Europe/Berlin")
    result = find_slots(SlotQuery(1, timedelta(minutes=60), principal_id=MAYOR, earliest=time(6), latest=time(23)),
                        schedule(visit, [], {MAYOR: blocked}), limit=50)
    for start in every_start(result.slots):
        shown = start.astimezone(BERLIN)
        assert shown.weekday() < 5 and time(8) <= shown.time() and (shown + timedelta(hours=1)).time() <= time(19)
    assert len(result.slots) == 5  # one run a weekday, none at the weekend


def test_slots_keep_the_way_between_venues_free():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 18:00")
    fixed = [item("2027-05-04 09:00", "2027-05-04 11:00", venue_id=TOWN_HALL),
             item("2027-05-04 13:00", "2027-05-04 18:00", venue_id=TOWN_HALL)]
    result = find_slots(SlotQuery(1, timedelta(minutes=60), venue_id=GARDENS),
                        schedule(visit, fixed, travel={(TOWN_HALL, GARDENS): 20}))
    assert [(local(slot.starts_at), local(slot.latest_start)) for slot in result.slots] == [
        ("2027-05-04 11:30", "2027-05-04 11:30")]  # 11:20 is off the grid, 11:45 would end too late (12:45 + 20)


def test_moving_an_item_ignores_its_own_present_place():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 10:00")
    present = item("2027-05-04 08:00", "2027-05-04 09:00", id=5)
    result = find_slots(SlotQuery(1, timedelta(minutes=60), item_id=5), schedule(visit, [present]))
    assert local(result.slots[0].starts_at) == "2027-05-04 08:00"


def test_when_the_mayor_is_busy_a_deputy_who_is_free_is_named():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 13:00", protocol_level="mayor")
    busy_time = {MAYOR: [busy("2027-05-04 08:00", "2027-05-04 12:00")],
                 FIRST_DEPUTY: [busy("2027-05-04 08:00", "2027-05-04 10:00")], SECOND_DEPUTY: []}
    result = find_slots(SlotQuery(1, timedelta(minutes=60), principal_id=MAYOR), schedule(visit, [], busy_time),
                        deputies=[FIRST_DEPUTY, SECOND_DEPUTY])
    assert [local(slot.starts_at) for slot in result.slots] == ["2027-05-04 12:00"]
    assert [(slot.principal_id, local(slot.starts_at), local(slot.latest_start)) for slot in result.deputy_slots] == [
        (SECOND_DEPUTY, "2027-05-04 08:00", "2027-05-04 09:45"),  # the first deputy is busy until 10:00
        (FIRST_DEPUTY, "2027-05-04 10:00", "2027-05-04 11:45")]


def test_when_nothing_fits_one_sentence_says_why():
    visit = stay(arrival="2027-05-04 08:00", departure="2027-05-04 12:00")
    busy_time = {MAYOR: [busy("2027-05-04 07:00", "2027-05-04 11:30")]}
    result = find_slots(SlotQuery(1, timedelta(minutes=60), principal_id=MAYOR), schedule(visit, [], busy_time))
    assert result.slots == []
    assert str(result.reason) == "Mayor Weber is not free for 60 minutes at any allowed time."
    outside = find_slots(SlotQuery(1, timedelta(minutes=60), earliest=time(14)), schedule(visit))
    assert str(outside.reason) == "No allowed day and time of day leaves 60 minutes within the stay."


# Properties -------------------------------------------------------------------------------------------

BASE = datetime(2027, 3, 27, 6, 0, tzinfo=timezone.utc)  # the weekend of the March change


@st.composite
def slot_worlds(draw):
    visit = stay(arrival="2027-03-27 08:00", departure="2027-03-29 20:00")
    blocks = []
    for _ in range(draw(st.integers(0, 8))):
        start = BASE + timedelta(minutes=15 * draw(st.integers(0, 240)))
        blocks.append(BusyInterval(start, start + timedelta(minutes=15 * draw(st.integers(1, 16))),
                                   draw(st.sampled_from(["calendar", "manual", "outside office hours"]))))
    items = []
    for number in range(draw(st.integers(0, 5))):
        start = BASE + timedelta(minutes=15 * draw(st.integers(0, 240)))
        items.append(item("2000-01-01 00:00", "2000-01-01 01:00", delegation_id=draw(st.sampled_from([1, 2])),
                          venue_id=draw(st.sampled_from([None, TOWN_HALL, GARDENS])),
                          principal_id=draw(st.sampled_from([None, MAYOR])),
                          id=number + 1).at(start))
    query = SlotQuery(1, timedelta(minutes=15 * draw(st.integers(1, 12))), principal_id=draw(st.sampled_from([None, MAYOR])),
                      venue_id=draw(st.sampled_from([None, TOWN_HALL, GARDENS])),
                      earliest=draw(st.sampled_from([None, time(7), time(9, 30)])),
                      latest=draw(st.sampled_from([None, time(17), time(22)])))
    world = schedule([visit, stay(2, arrival="2027-03-27 08:00", departure="2027-03-29 20:00")], items,
                     {MAYOR: blocks}, travel={(TOWN_HALL, GARDENS): draw(st.integers(0, 45))})
    return query, world


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot_worlds())
def test_every_suggested_start_breaks_no_rule_and_every_free_start_is_suggested(case):
    query, world = case
    result = find_slots(query, world, limit=10_000)
    finder = ConflictFinder(world)
    template = query.template()
    suggested = list(every_start(result.slots))
    for start in suggested:
        assert finder.conflicts_of(template.at(start)) == []
    candidates = candidate_starts(world.stays[1], query.duration, earliest=query.earliest, latest=query.latest)
    free = [start for start in candidates if not finder.conflicts_of(template.at(start))]
    assert suggested == free


def test_remove_forbidden_keeps_the_ends_of_open_intervals():
    starts = [BASE + timedelta(minutes=15 * step) for step in range(6)]
    forbidden = [(starts[0], starts[2], "x"), (starts[2], starts[4], "y")]
    assert remove_forbidden(starts, forbidden) == [starts[0], starts[2], starts[4], starts[5]]
