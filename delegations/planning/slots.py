"""Finding free slots for one item: candidate starts on a grid of the place's wall clock, minus every start that
would break a rule (conflicts.ConflictFinder.forbidden_starts), grouped into runs, earliest first.

The same candidate grid and the same filter serve the arrangement (arrange.py), so "a slot is free" means
the same thing everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from delegations.planning.conflicts import (CONTACT_TWICE, OUTSIDE_OFFICE_HOURS, OVERLAP, PRINCIPAL_BUSY,
                                            PRINCIPAL_TWICE, VENUE_TWICE, ConflictFinder, PlannedItem, Schedule,
                                            Stay)
from delegations.zones import local_days

DEFAULT_GRID_MINUTES = 15
# Programme items are placed within these local hours unless a request asks otherwise.
DEFAULT_DAY_START = time(8, 0)
DEFAULT_DAY_END = time(21, 0)
# The id a candidate item gets while it has none: never the id of a saved item.
CANDIDATE_ID = -1


# The grid ---------------------------------------------------------------------------------------

def local_instant(day: date, wall: time, zone_name: str) -> datetime:
    """The first instant (UTC) at which the clocks of the place show `wall` or later on `day`.

    A wall-clock time skipped by the spring change (02:30 in Berlin on the last Sunday of March) gives the
    moment the clocks jump (03:00 summer time); a time repeated in autumn gives its first occurrence.
    """
    place = ZoneInfo(zone_name)
    local = datetime.combine(day, wall, tzinfo=place).replace(fold=0)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(place).replace(tzinfo=None) != local.replace(tzinfo=None):
        # In a gap: read with the offset before the change it overshoots; walk back to the jump itself.
        while (instant - timedelta(minutes=1)).astimezone(place).replace(tzinfo=None) >= local.replace(tzinfo=None):
            instant -= timedelta(minutes=1)
    return instant


def day_window(day: date, earliest: time | None, latest: time | None, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC span of `day` from `earliest` to `latest` local time (None or 00:00 as latest: midnight)."""
    start = local_instant(day, earliest or time(0, 0), zone_name)
    if latest is None or latest == time(0, 0):
        end = local_instant(day + timedelta(days=1), time(0, 0), zone_name)
    else:
        end = local_instant(day, latest, zone_name)
    return start, end


def _align(instant: datetime, grid_minutes: int, zone_name: str) -> datetime:
    """The first instant at or after `instant` whose local minute is a multiple of the grid."""
    local = instant.astimezone(ZoneInfo(zone_name))
    instant = instant - timedelta(seconds=local.second, microseconds=local.microsecond)
    if local.second or local.microsecond:
        instant += timedelta(minutes=1)
        local = instant.astimezone(ZoneInfo(zone_name))
    minute_of_day = local.hour * 60 + local.minute
    return instant + timedelta(minutes=(-minute_of_day) % grid_minutes)


def candidate_starts(stay: Stay, duration: timedelta, *, days: Iterable[date] | None = None,
                     earliest: time | None = None, latest: time | None = None,
                     grid_minutes: int = DEFAULT_GRID_MINUTES) -> list[datetime]:
    """Every start on the grid (local wall clock of the stay's zone) such that the item lies within the stay,
    on an allowed day, starting no earlier than `earliest` and ending no later than `latest` that day."""
    allowed = None if days is None else set(days)
    step = timedelta(minutes=grid_minutes)
    starts: list[datetime] = []
    for day in local_days(stay.arrival_at, stay.departure_at, stay.timezone):
        if allowed is not None and day not in allowed:
            continue
        low, high = day_window(day, earliest or DEFAULT_DAY_START, latest or DEFAULT_DAY_END, stay.timezone)
        low, high = max(low, stay.arrival_at), min(high, stay.departure_at)
        start = _align(low, grid_minutes, stay.timezone)
        while start + duration <= high:
            starts.append(start)
            start += step
    return starts


def remove_forbidden(starts: Sequence[datetime], forbidden: Iterable[tuple[datetime, datetime, str]]) -> list[datetime]:
    """The starts (sorted) that lie in none of the open intervals (low, high)."""
    merged: list[list[datetime]] = []
    for low, high, _rule in sorted(forbidden, key=lambda entry: (entry[0], entry[1])):
        if high <= low:
            continue
        if merged and low < merged[-1][1]:  # open intervals: touching ones leave the shared point free
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    kept = []
    position = 0
    for start in starts:
        while position < len(merged) and merged[position][1] <= start:
            position += 1
        if position < len(merged) and merged[position][0] < start < merged[position][1]:
            continue
        kept.append(start)
    return kept


# One item's slots -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SlotQuery:
    """What the planner asks for: an item of this length, with this principal and venue, on these days."""

    delegation_id: int
    duration: timedelta
    principal_id: int | None = None
    venue_id: int | None = None
    responsible_id: int | None = None
    days: frozenset[date] | None = None
    earliest: time | None = None
    latest: time | None = None
    item_id: int | None = None  # an item being moved: its present place does not count
    title: str = ""

    def template(self) -> PlannedItem:
        start = datetime(2000, 1, 1, tzinfo=timezone.utc)
        return PlannedItem(self.item_id if self.item_id is not None else CANDIDATE_ID, self.delegation_id,
                           self.title, start, start + self.duration, self.venue_id, self.principal_id,
                           self.responsible_id, fixed=False)


@dataclass(frozen=True)
class Slot:
    """A free run: the item can start at `starts_at` or any grid step up to `latest_start`."""

    starts_at: datetime
    ends_at: datetime
    latest_start: datetime
    principal_id: int | None
    day: date

    @property
    def latest_end(self) -> datetime:
        return self.latest_start + (self.ends_at - self.starts_at)


@dataclass
class SlotResult:
    slots: list[Slot]
    # When the protocol wants the Mayor and the Mayor is busy: runs in which a deputy mayor is free.
    deputy_slots: list[Slot] = field(default_factory=list)
    # Why there is no slot at all (one sentence), else None.
    reason: object = None
    candidates: int = 0


def runs(starts: Sequence[datetime], grid_minutes: int, duration: timedelta, principal_id: int | None,
         zone_name: str) -> list[Slot]:
    """Consecutive grid starts joined into runs, one Slot each."""
    step = timedelta(minutes=grid_minutes)
    found: list[Slot] = []
    place = ZoneInfo(zone_name)
    for start in starts:
        if found and start - found[-1].latest_start == step and \
                start.astimezone(place).date() == found[-1].day:
            previous = found[-1]
            found[-1] = Slot(previous.starts_at, previous.ends_at, start, principal_id, previous.day)
        else:
            found.append(Slot(start, start + duration, start, principal_id, start.astimezone(place).date()))
    return found


def find_slots(query: SlotQuery, schedule: Schedule, *, grid_minutes: int = DEFAULT_GRID_MINUTES,
               deputies: Sequence[int] = (), limit: int = 12) -> SlotResult:
    """The free runs for `query` within the delegation's stay, earliest first, at most `limit`.

    `deputies` (principal ids, in protocol order) are asked when the delegation is to be received by the
    Mayor: for each time the requested principal is not free but a deputy is, that deputy's run is listed.
    Every suggested start is checked once more against every rule (ConflictFinder.conflicts_of).
    """
    stay = schedule.stays[query.delegation_id]
    finder = ConflictFinder(schedule)
    candidates = candidate_starts(stay, query.duration, days=query.days, earliest=query.earliest,
                                  latest=query.latest, grid_minutes=grid_minutes)
    template = query.template()
    forbidden = finder.forbidden_starts(template, query.duration)
    free = [start for start in remove_forbidden(candidates, forbidden)
            if not finder.conflicts_of(template.at(start))]
    result = SlotResult(runs(free, grid_minutes, query.duration, query.principal_id, stay.timezone)[:limit],
                        candidates=len(candidates))
    if query.principal_id is not None and deputies:
        free_set = set(free)
        without_principal = PlannedItem(**{**template.__dict__, "principal_id": None})
        open_starts = [start for start in remove_forbidden(
            candidates, finder.forbidden_starts(without_principal, query.duration)) if start not in free_set]
        taken: set[datetime] = set()
        deputy_slots: list[Slot] = []
        for deputy_id in deputies:
            if deputy_id == query.principal_id:
                continue
            with_deputy = PlannedItem(**{**template.__dict__, "principal_id": deputy_id})
            deputy_free = [start for start in remove_forbidden(
                [start for start in open_starts if start not in taken],
                finder.forbidden_starts(with_deputy, query.duration))
                if not finder.conflicts_of(with_deputy.at(start))]
            taken.update(deputy_free)
            deputy_slots += runs(deputy_free, grid_minutes, query.duration, deputy_id, stay.timezone)
        result.deputy_slots = sorted(deputy_slots, key=lambda slot: (slot.starts_at, slot.principal_id))[:limit]
    if not result.slots:
        result.reason = explain_no_slot(template, query.duration, candidates, finder)
    return result


# Why nothing fits -------------------------------------------------------------------------------

# The order in which causes are tried: the first that leaves nothing is named.
_CAUSES = (OUTSIDE_OFFICE_HOURS, PRINCIPAL_BUSY, PRINCIPAL_TWICE, VENUE_TWICE, CONTACT_TWICE, OVERLAP)


def explain_no_slot(template: PlannedItem, duration: timedelta, candidates: Sequence[datetime],
                    finder: ConflictFinder, extra: Iterable[tuple[datetime, datetime, str]] = ()):
    """One sentence on why no start is left, naming the first cause that removes the last candidate."""
    minutes = int(duration.total_seconds() // 60)
    if not candidates:
        return _l("No allowed day and time of day leaves %(minutes)s minutes within the stay.", minutes=minutes)
    forbidden = finder.forbidden_starts(template, duration) + list(extra)
    schedule = finder.schedule
    remaining = list(candidates)
    for cause in _CAUSES + ("order",):
        remaining = remove_forbidden(remaining, [entry for entry in forbidden if entry[2] == cause])
        if remaining:
            continue
        principal = schedule.principals.get(template.principal_id)
        principal_name = principal.label if principal else ""
        if cause == OUTSIDE_OFFICE_HOURS:
            return _l("The allowed times lie outside the office hours of %(principal)s.", principal=principal_name)
        if cause == PRINCIPAL_BUSY:
            return _l("%(principal)s is not free for %(minutes)s minutes at any allowed time.",
                      principal=principal_name, minutes=minutes)
        if cause == PRINCIPAL_TWICE:
            return _l("Other appointments of %(principal)s (with the way between venues) leave no %(minutes)s "
                      "minutes at the allowed times.", principal=principal_name, minutes=minutes)
        if cause == VENUE_TWICE:
            return _l("%(venue)s is booked by other delegations at every allowed time.",
                      venue=schedule.venue_names.get(template.venue_id, ""))
        if cause == CONTACT_TWICE:
            return _l("%(contact)s is responsible for other items at every allowed time.",
                      contact=schedule.contact_names.get(template.responsible_id, ""))
        if cause == OVERLAP:
            return _l("The delegation's programme (with the way between venues) leaves no %(minutes)s minutes "
                      "at the allowed times.", minutes=minutes)
        return _l("No allowed time keeps the requested order before or after the other item.")
    return _l("No free time found.")

