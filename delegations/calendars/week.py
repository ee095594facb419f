"""A principal's week laid out day by day: busy time, free time within office hours, visits in town (pure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Sequence

from delegations.planning.availability import REASON_OUTSIDE_HOURS, Availability, merge_intervals
from delegations.zones import day_bounds

# Free stretches shorter than this are not worth offering for a reception.
MINIMUM_FREE = timedelta(minutes=30)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class WeekEntry:
    starts_at: datetime            # cut to the day
    ends_at: datetime
    reason: str
    label: str
    source_id: int | None
    begins_earlier: bool           # the busy time began on an earlier day
    ends_later: bool               # ... and goes on after this day
    link: Any = None               # what the template links to (delegation id), if anything


@dataclass
class WeekDay:
    date: date
    starts_at: datetime
    ends_at: datetime
    open_spans: list[tuple[datetime, datetime]]      # office hours of this day (empty: not available)
    busy: list[WeekEntry]
    free: list[tuple[datetime, datetime]]
    visits: list[Any] = field(default_factory=list)  # delegations whose stay touches the day
    has_office_hours: bool = True


def week_bounds(monday: date, zone_name: str) -> tuple[datetime, datetime]:
    return day_bounds(monday, zone_name)[0], day_bounds(monday + timedelta(days=6), zone_name)[1]


def build_week(availability: Availability, monday: date, zone_name: str, *, visits: Sequence[Any] = (),
               has_office_hours: bool = True, item_delegations: dict[int, int] | None = None) -> list[WeekDay]:
    """Seven days from `monday` in the local time of `zone_name`.

    `visits` are objects with `arrival_at` and `departure_at` (delegations); `item_delegations` maps
    programme item ids to their delegation's id so that entries can link to it.
    """
    item_delegations = item_delegations or {}
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        day_start, day_end = day_bounds(day, zone_name)
        closed = merge_intervals(
            (max(interval.starts_at, day_start), min(interval.ends_at, day_end))
            for interval in availability.conflicts_with(day_start, day_end)
            if interval.reason == REASON_OUTSIDE_HOURS)
        open_spans = _complement(closed, day_start, day_end)
        entries = []
        for interval in availability.conflicts_with(day_start, day_end):
            if interval.reason == REASON_OUTSIDE_HOURS:
                continue
            link = None
            if interval.reason == "programme" and interval.source_id is not None:
                link = item_delegations.get(interval.source_id)
            elif interval.reason == "tour":
                link = interval.source_id
            entries.append(WeekEntry(max(interval.starts_at, day_start), min(interval.ends_at, day_end),
                                     interval.reason, interval.label, interval.source_id,
                                     begins_earlier=interval.starts_at < day_start,
                                     ends_later=interval.ends_at > day_end, link=link))
        free = availability.free_slots(day_start, day_end, MINIMUM_FREE)
        present = [visit for visit in visits if visit.arrival_at < day_end and visit.departure_at > day_start]
        days.append(WeekDay(day, day_start, day_end, open_spans, entries, free, present,
                            has_office_hours=has_office_hours))
    return days


def _complement(closed: list[tuple[datetime, datetime]], start: datetime, end: datetime):
    spans, cursor = [], start
    for closed_start, closed_end in closed:
        if closed_start > cursor:
            spans.append((cursor, closed_start))
        cursor = max(cursor, closed_end)
    if cursor < end:
        spans.append((cursor, end))
    return spans
