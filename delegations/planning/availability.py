"""When each principal is busy: calendar blocks, manual blocks, tours, other programmes and office hours.

Everything here works on aware UTC instants and half-open intervals [start, end). The pure part
(`BusyInterval`, `Availability`, `office_hours_busy`) knows nothing of the database; `load_availability`
is the one loader that reads what a principal's diary holds for a window, in a fixed number of queries.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

# Reasons a principal is busy; the conflict rules and the week view explain them to the user.
REASON_CALENDAR = "calendar"
REASON_MANUAL = "manual"
REASON_TOUR = "tour"
REASON_PROGRAMME = "programme"
REASON_OUTSIDE_HOURS = "outside office hours"
REASONS = (REASON_CALENDAR, REASON_MANUAL, REASON_TOUR, REASON_PROGRAMME, REASON_OUTSIDE_HOURS)

# Office hours whose end is midnight run to the end of the day.
END_OF_DAY = time(0, 0)


@dataclass(frozen=True)
class BusyInterval:
    """One stretch of time in which a principal cannot take on anything else.

    `label` says what it is when the unit may know (a calendar subject if the owner allows it, a manual
    block's label, a tour's or other programme's title); `source_id` is the id of the busy block,
    delegation or programme item behind it (None for office hours).
    """

    starts_at: datetime
    ends_at: datetime
    reason: str
    label: str = ""
    source_id: int | None = None

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts_at < end and self.ends_at > start


def _sort_key(interval: BusyInterval):
    return (interval.starts_at, interval.ends_at, interval.reason, interval.label)


@dataclass
class Availability:
    """A principal's busy time over a window, with fast questions about it.

    `busy` is sorted by start and holds every interval that overlaps the window asked for (calendar,
    manual and tour intervals keep their true extents, so an explanation can name them; outside-office-hours
    intervals are cut at the window). Treat `busy` as read-only; `with_extra` makes a copy with more.
    """

    principal_id: int
    busy: list[BusyInterval] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index_size = -1
        self._reindex()

    def _reindex(self) -> None:
        self.busy.sort(key=_sort_key)
        self._starts = [interval.starts_at for interval in self.busy]
        # running maximum of ends: everything before position i ends by _max_ends[i]
        self._max_ends: list[datetime] = []
        latest = None
        for interval in self.busy:
            latest = interval.ends_at if latest is None or interval.ends_at > latest else latest
            self._max_ends.append(latest)
        self._index_size = len(self.busy)

    def _ensure_index(self) -> None:
        if self._index_size != len(self.busy):
            self._reindex()

    def is_free(self, start: datetime, end: datetime) -> bool:
        """True if nothing busy overlaps [start, end)."""
        self._ensure_index()
        candidates = bisect.bisect_left(self._starts, end)  # intervals starting before `end`
        return candidates == 0 or self._max_ends[candidates - 1] <= start

    def conflicts_with(self, start: datetime, end: datetime) -> list[BusyInterval]:
        """Every busy interval that overlaps [start, end), in start order."""
        self._ensure_index()
        position = bisect.bisect_left(self._starts, end) - 1
        found = []
        while position >= 0 and self._max_ends[position] > start:
            interval = self.busy[position]
            if interval.ends_at > start:
                found.append(interval)
            position -= 1
        found.reverse()
        return found

    def free_slots(self, start: datetime, end: datetime, minimum: timedelta) -> list[tuple[datetime, datetime]]:
        """The free stretches within [start, end) that last at least `minimum`, earliest first."""
        slots = []
        cursor = start
        for busy_start, busy_end in merge_intervals(
                (interval.starts_at, interval.ends_at) for interval in self.conflicts_with(start, end)):
            if busy_start > cursor and busy_start - cursor >= minimum:
                slots.append((cursor, min(busy_start, end)))
            cursor = max(cursor, busy_end)
            if cursor >= end:
                break
        if cursor < end and end - cursor >= minimum:
            slots.append((cursor, end))
        return [slot for slot in slots if slot[1] > slot[0]]

    def with_extra(self, intervals: Iterable[BusyInterval]) -> "Availability":
        """A copy that is also busy during `intervals` (e.g. items placed by a tentative arrangement)."""
        return Availability(self.principal_id, [*self.busy, *intervals])


def merge_intervals(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching intervals joined into one, sorted."""
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _local_instant(day: date, wall: time, place: ZoneInfo) -> datetime:
    """The first UTC instant at which a clock in `place` shows `wall` on `day`, or a later time of that day.

    A repeated autumn time means its first occurrence; a time skipped by the spring change means the
    moment of the change (office hours from 02:30 open at 03:00 summer time that night).
    """
    local = datetime.combine(day, wall, tzinfo=place)
    first = local.replace(fold=0).astimezone(timezone.utc)
    if first.astimezone(place).replace(tzinfo=None) == local.replace(tzinfo=None):
        return first
    # In the gap: fold=1 gives the instant before the change, fold=0 the one after; find the change.
    low, high = local.replace(fold=1).astimezone(timezone.utc), first
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(place).replace(tzinfo=None) >= local.replace(tzinfo=None):
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def office_hours_busy(hours: Sequence[tuple[int, time, time]], window_start: datetime, window_end: datetime,
                      zone_name: str) -> list[BusyInterval]:
    """The time outside office hours within [window_start, window_end), as busy intervals.

    `hours` holds (weekday, from, to) rows in the local time of `zone_name`, weekday 0 = Monday, several rows
    per weekday allowed; a `to` of 00:00 means midnight at the end of the day. Each local day is built from
    its own wall-clock times, so a day of 23 or 25 hours (DST changes) keeps its office hours at the same
    local times. An empty `hours` means no office hours are recorded: nothing is blocked.
    """
    if not hours or window_end <= window_start:
        return []
    place = ZoneInfo(zone_name)
    by_weekday: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in hours:
        by_weekday.setdefault(int(weekday), []).append((opens, closes))
    first = window_start.astimezone(place).date() - timedelta(days=1)
    last = window_end.astimezone(place).date() + timedelta(days=1)
    open_spans = []
    day = first
    while day <= last:
        for opens, closes in by_weekday.get(day.weekday(), ()):
            start = _local_instant(day, opens, place)
            end = (_local_instant(day + timedelta(days=1), time(0, 0), place) if closes == END_OF_DAY
                   else _local_instant(day, closes, place))
            if end > start:
                open_spans.append((start, end))
        day += timedelta(days=1)
    busy = []
    cursor = window_start
    for start, end in merge_intervals(open_spans):
        if start > cursor:
            busy_end = min(start, window_end)
            if busy_end > cursor:
                busy.append(BusyInterval(cursor, busy_end, REASON_OUTSIDE_HOURS))
        cursor = max(cursor, end)
        if cursor >= window_end:
            break
    if cursor < window_end:
        busy.append(BusyInterval(cursor, window_end, REASON_OUTSIDE_HOURS))
    return busy


def load_availability(principal_ids: Iterable[int], window_start: datetime, window_end: datetime, *,
                      exclude_item_ids: Iterable[int] = (), home_zone: str | None = None) -> dict[int, Availability]:
    """Every principal's busy time overlapping [window_start, window_end), read from the database.

    Busy: imported calendar blocks and manual blocks, outgoing tours the principal travels on (the whole
    trip), programme items of any delegation the principal takes part in (except `exclude_item_ids`: the
    items being planned), and the time outside office hours (in `home_zone`, by default the app's
    HOME_TIMEZONE). Four queries, whatever the number of principals and blocks. Cancelled delegations and
    cancelled items make nobody busy. Every id asked for gets an Availability, even an empty one.
    """
    from sqlalchemy import select

    from delegations.constants import DelegationStatus, Direction, ItemStatus
    from delegations.extensions import db
    from delegations.models import BusyBlock, Delegation, OfficeHours, ProgrammeItem, delegation_principal
    from delegations.models.calendars import BusySource

    ids = sorted({int(principal_id) for principal_id in principal_ids})
    if not ids:
        return {}
    if home_zone is None:
        from flask import current_app

        home_zone = current_app.config.get("HOME_TIMEZONE", "Europe/Berlin")
    excluded = {int(item_id) for item_id in exclude_item_ids}
    found: dict[int, list[BusyInterval]] = {principal_id: [] for principal_id in ids}
    session = db.session

    blocks = session.execute(
        select(BusyBlock.principal_id, BusyBlock.starts_at, BusyBlock.ends_at, BusyBlock.source,
               BusyBlock.subject, BusyBlock.id)
        .where(BusyBlock.principal_id.in_(ids), BusyBlock.starts_at < window_end,
               BusyBlock.ends_at > window_start))
    for principal_id, starts_at, ends_at, source, subject, block_id in blocks:
        reason = REASON_MANUAL if source == BusySource.MANUAL else REASON_CALENDAR
        found[principal_id].append(BusyInterval(starts_at, ends_at, reason, subject or "", block_id))

    tours = session.execute(
        select(delegation_principal.c.principal_id, Delegation.arrival_at, Delegation.departure_at,
               Delegation.title, Delegation.id)
        .join(Delegation, Delegation.id == delegation_principal.c.delegation_id)
        .where(delegation_principal.c.principal_id.in_(ids), Delegation.direction == Direction.OUTGOING,
               Delegation.status != DelegationStatus.CANCELLED, Delegation.arrival_at < window_end,
               Delegation.departure_at > window_start))
    for principal_id, arrival_at, departure_at, title, delegation_id in tours:
        found[principal_id].append(BusyInterval(arrival_at, departure_at, REASON_TOUR, title, delegation_id))

    item_query = (
        select(ProgrammeItem.principal_id, ProgrammeItem.starts_at, ProgrammeItem.ends_at, ProgrammeItem.title,
               ProgrammeItem.id, Delegation.title)
        .join(Delegation, Delegation.id == ProgrammeItem.delegation_id)
        .where(ProgrammeItem.principal_id.in_(ids), ProgrammeItem.status != ItemStatus.CANCELLED,
               Delegation.status != DelegationStatus.CANCELLED, ProgrammeItem.starts_at < window_end,
               ProgrammeItem.ends_at > window_start))
    if excluded:
        item_query = item_query.where(ProgrammeItem.id.not_in(excluded))
    for principal_id, starts_at, ends_at, title, item_id, delegation_title in session.execute(item_query):
        found[principal_id].append(
            BusyInterval(starts_at, ends_at, REASON_PROGRAMME, f"{delegation_title}: {title}", item_id))

    hours: dict[int, list[tuple[int, time, time]]] = {}
    for principal_id, weekday, start_time, end_time in session.execute(
            select(OfficeHours.principal_id, OfficeHours.weekday, OfficeHours.start_time, OfficeHours.end_time)
            .where(OfficeHours.principal_id.in_(ids))):
        hours.setdefault(principal_id, []).append((weekday, start_time, end_time))
    for principal_id, rows in hours.items():
        found[principal_id].extend(office_hours_busy(rows, window_start, window_end, home_zone))

    return {principal_id: Availability(principal_id, intervals) for principal_id, intervals in found.items()}
