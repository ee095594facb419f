"""The day-by-day programme: local days of the place, gaps and overlaps, items outside the stay."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from delegations.planning.rules import departure_problem, end_after_start_problem, outside_stay_problem
from delegations.planning.timeline import Entry, Gap, build_timeline, find_overlaps
from delegations.zones import attach_zone


@dataclass
class Slot:
    id: int
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    cancelled: bool = False


def at(text: str, zone: str = "Europe/Berlin") -> datetime:
    return attach_zone(datetime.fromisoformat(text), zone)


def slot(number: int, start: str, end: str, zone: str = "Europe/Berlin", **values) -> Slot:
    return Slot(number, at(start, zone), at(end, zone), **values)


def test_every_day_of_the_stay_is_shown_even_without_items():
    days = build_timeline([], at("2027-05-03 18:00"), at("2027-05-05 10:00"), "Europe/Berlin")
    assert [day.date.isoformat() for day in days] == ["2027-05-03", "2027-05-04", "2027-05-05"]
    assert all(day.within_stay and day.entries == [] for day in days)


def test_items_fall_on_the_local_day_of_the_place_not_the_utc_day():
    # 08:00 in Tokyo is 23:00 UTC the day before.
    early = slot(1, "2027-10-05 08:00", "2027-10-05 09:00", "Asia/Tokyo")
    days = build_timeline([early], at("2027-10-04 15:00", "Asia/Tokyo"), at("2027-10-07 12:00", "Asia/Tokyo"),
                          "Asia/Tokyo")
    by_date = {day.date.isoformat(): day.items for day in days}
    assert by_date["2027-10-05"] == [early]
    assert by_date["2027-10-04"] == []


def test_gaps_of_fifteen_minutes_or_more_are_named_and_shorter_ones_are_not():
    items = [slot(1, "2027-05-03 10:00", "2027-05-03 11:00"),
             slot(2, "2027-05-03 11:10", "2027-05-03 12:00"),
             slot(3, "2027-05-03 14:00", "2027-05-03 15:00")]
    day = build_timeline(items, at("2027-05-03 09:00"), at("2027-05-03 18:00"), "Europe/Berlin")[0]
    kinds = [type(entry).__name__ for entry in day.entries]
    assert kinds == ["Entry", "Entry", "Gap", "Entry"]
    gap = day.entries[2]
    assert isinstance(gap, Gap) and gap.minutes == 120


def test_overlapping_items_name_each_other():
    first = slot(1, "2027-05-03 10:00", "2027-05-03 11:30", title="A")
    second = slot(2, "2027-05-03 11:00", "2027-05-03 12:00", title="B")
    third = slot(3, "2027-05-03 12:00", "2027-05-03 13:00", title="C")  # touching is not overlapping
    overlaps = find_overlaps([first, second, third])
    assert overlaps == {1: [second], 2: [first]}
    day = build_timeline([first, second, third], at("2027-05-03 09:00"), at("2027-05-03 18:00"), "Europe/Berlin")[0]
    entries = [entry for entry in day.entries if isinstance(entry, Entry)]
    assert [entry.overlaps_with for entry in entries] == [[second], [first], []]


def test_an_item_inside_a_long_item_overlaps_it():
    long = slot(1, "2027-05-03 09:00", "2027-05-03 17:00")
    short = slot(2, "2027-05-03 10:00", "2027-05-03 10:30")
    late = slot(3, "2027-05-03 16:00", "2027-05-03 16:30")
    overlaps = find_overlaps([long, short, late])
    assert set(item.id for item in overlaps[1]) == {2, 3}
    assert overlaps[2] == [long] and overlaps[3] == [long]


def test_cancelled_items_overlap_nothing_and_leave_no_gap_behind():
    meeting = slot(1, "2027-05-03 10:00", "2027-05-03 11:00")
    cancelled = slot(2, "2027-05-03 10:30", "2027-05-03 12:00", cancelled=True)
    lunch = slot(3, "2027-05-03 11:00", "2027-05-03 12:00")
    day = build_timeline([meeting, cancelled, lunch], at("2027-05-03 09:00"), at("2027-05-03 18:00"),
                         "Europe/Berlin", is_active=lambda item: not item.cancelled)[0]
    assert all(not entry.overlaps_with for entry in day.entries if isinstance(entry, Entry))
    assert not any(isinstance(entry, Gap) for entry in day.entries)


def test_an_item_outside_the_stay_is_marked_and_its_day_shown():
    stray = slot(1, "2027-05-06 10:00", "2027-05-06 11:00")
    days = build_timeline([stray], at("2027-05-03 09:00"), at("2027-05-04 18:00"), "Europe/Berlin")
    assert [day.date.isoformat() for day in days] == ["2027-05-03", "2027-05-04", "2027-05-06"]
    assert days[-1].within_stay is False
    assert days[-1].entries[0].outside_stay is True


def test_days_across_the_spring_dst_change_have_their_items():
    before = slot(1, "2027-03-27 10:00", "2027-03-27 11:00")
    after = slot(2, "2027-03-29 10:00", "2027-03-29 11:00")
    night = slot(3, "2027-03-28 01:00", "2027-03-28 03:30")  # 01:00 CET to 03:30 CEST: 1.5 hours
    days = build_timeline([before, after, night], at("2027-03-27 09:00"), at("2027-03-29 18:00"), "Europe/Berlin")
    assert [[item.id for item in day.items] for day in days] == [[1], [3], [2]]
    assert night.ends_at - night.starts_at == timedelta(minutes=90)


def test_rules_name_their_problem():
    start = at("2027-05-03 10:00")
    assert end_after_start_problem(start, start + timedelta(minutes=1)) is None
    assert "after the start" in str(end_after_start_problem(start, start))
    assert "after the arrival" in str(departure_problem(start, start - timedelta(hours=1)))
    assert departure_problem(start, start + timedelta(hours=1)) is None
    arrival, departure = at("2027-05-03 09:00"), at("2027-05-05 18:00")
    assert outside_stay_problem(arrival, departure, arrival, departure) is None
    assert "outside the stay" in str(outside_stay_problem(arrival - timedelta(minutes=30), arrival + timedelta(hours=1),
                                                          arrival, departure))
    assert outside_stay_problem(departure - timedelta(hours=1), departure + timedelta(minutes=1),
                                arrival, departure) is not None
