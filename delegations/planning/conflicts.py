"""The hard rules of a programme, each found and explained in one sentence: who is busy, who is twice booked,
what overlaps, what lies outside the stay, where the way is too short.

Plain data in, plain results out: `Schedule` holds everything the rules look at (stays, active items of every
delegation in a window, the principals' busy time, travel minutes), `ConflictFinder` indexes it once and answers
"which conflicts does this item have?" and "which starts would give this item a conflict?". The second question
is what slot search and arrangement ask; both are derived from the same definitions below, so a suggestion can
never break a rule that the conflict list would report.

The rules (an item is active unless it or its delegation is cancelled):
- principal busy: the item's principal has a busy interval (calendar, manual block, tour) overlapping it;
- outside office hours: ... or the item overlaps time outside the principal's office hours;
- principal twice: two overlapping items share a principal (any delegations);
- principal's way: two items of different delegations share a principal and the time between them is shorter
  than the travel time between their venues;
- contact twice: two overlapping items share the responsible contact person (any delegations);
- overlap: two items of one delegation overlap;
- delegation's way: two items of one delegation follow each other with less time between them than the travel
  time between their venues (pairwise: see docs/arrangement.md);
- outside the stay: the item starts before arrival or ends after departure;
- venue twice: two overlapping items of different delegations use the same venue.
Travel time between two different venues is the recorded minutes, else a default buffer; an item without a
venue needs no travel time.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from delegations.planning.availability import (REASON_CALENDAR, REASON_MANUAL, REASON_OUTSIDE_HOURS,
                                               REASON_PROGRAMME, REASON_TOUR, BusyInterval)

DEFAULT_BUFFER_MINUTES = 15

# Rule names: stored in acknowledgements (as part of the key), used for icons and filters.
PRINCIPAL_BUSY = "principal_busy"
OUTSIDE_OFFICE_HOURS = "outside_office_hours"
PRINCIPAL_TWICE = "principal_twice"
PRINCIPAL_TRAVEL = "principal_travel"
CONTACT_TWICE = "contact_twice"
OVERLAP = "overlap"
TRAVEL = "travel"
OUTSIDE_STAY = "outside_stay"
VENUE_TWICE = "venue_twice"

RULES = (PRINCIPAL_BUSY, OUTSIDE_OFFICE_HOURS, PRINCIPAL_TWICE, PRINCIPAL_TRAVEL, CONTACT_TWICE, OVERLAP, TRAVEL,
         OUTSIDE_STAY, VENUE_TWICE)

# Icon (a KERN icon name) and short label per rule: shown beside the sentence, so colour is never the only cue.
RULE_ICONS = {
    PRINCIPAL_BUSY: "calendar-today", OUTSIDE_OFFICE_HOURS: "calendar-today", PRINCIPAL_TWICE: "account-circle",
    PRINCIPAL_TRAVEL: "arrow-forward", CONTACT_TWICE: "account-circle", OVERLAP: "warning", TRAVEL: "arrow-forward",
    OUTSIDE_STAY: "calendar-today", VENUE_TWICE: "home",
}
RULE_LABELS = {
    PRINCIPAL_BUSY: _l("Principal busy"),
    OUTSIDE_OFFICE_HOURS: _l("Outside office hours"),
    PRINCIPAL_TWICE: _l("Principal booked twice"),
    PRINCIPAL_TRAVEL: _l("Principal's way too short"),
    CONTACT_TWICE: _l("Contact person booked twice"),
    OVERLAP: _l("Items overlap"),
    TRAVEL: _l("Way too short"),
    OUTSIDE_STAY: _l("Outside the stay"),
    VENUE_TWICE: _l("Venue booked twice"),
}


# Plain inputs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stay:
    """A delegation as the rules see it: when it is here, in which zone, at which protocol level."""

    delegation_id: int
    title: str
    arrival_at: datetime
    departure_at: datetime
    timezone: str = "Europe/Berlin"
    protocol_level: str = "unit"
    cancelled: bool = False


@dataclass(frozen=True)
class PlannedItem:
    """A programme item (saved, or a candidate with a negative id) as the rules see it."""

    id: int
    delegation_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    venue_id: int | None = None
    principal_id: int | None = None
    responsible_id: int | None = None
    cancelled: bool = False
    # Confirmed or marked fixed: the arrangement never moves it.
    fixed: bool = True
    version: int = 1

    def at(self, start: datetime) -> "PlannedItem":
        """The same item moved to start at `start`, keeping its duration."""
        return replace(self, starts_at=start, ends_at=start + (self.ends_at - self.starts_at))


@dataclass(frozen=True)
class PrincipalInfo:
    id: int
    label: str
    kind: str = "mayor"  # PrincipalKind value
    rank: int = 1


@dataclass
class Schedule:
    """Everything the rules look at, for a window of time.

    `items` holds the items of every delegation overlapping the window (cancelled ones are ignored);
    `busy` each principal's busy intervals from their availability (programme items are taken from `items`
    instead, so that an item never conflicts with itself and the message can name the other item).
    """

    stays: dict[int, Stay]
    items: list[PlannedItem]
    busy: dict[int, list[BusyInterval]] = field(default_factory=dict)
    travel: dict[tuple[int, int], int] = field(default_factory=dict)
    default_buffer_minutes: int = DEFAULT_BUFFER_MINUTES
    principals: dict[int, PrincipalInfo] = field(default_factory=dict)
    venue_names: dict[int, str] = field(default_factory=dict)
    contact_names: dict[int, str] = field(default_factory=dict)

    def travel_minutes(self, first: int | None, second: int | None) -> int:
        """Minutes needed between two venues: none without a venue or at the same venue."""
        if first is None or second is None or first == second:
            return 0
        return self.travel.get((first, second), self.travel.get((second, first), self.default_buffer_minutes))

    def without(self, item_ids: Iterable[int]) -> "Schedule":
        gone = set(item_ids)
        return replace(self, items=[item for item in self.items if item.id not in gone])

    def with_items(self, items: Iterable[PlannedItem]) -> "Schedule":
        """The schedule with `items` added, replacing items of the same id."""
        items = list(items)
        ids = {item.id for item in items}
        return replace(self, items=[item for item in self.items if item.id not in ids] + items)

    def is_active(self, item: PlannedItem) -> bool:
        stay = self.stays.get(item.delegation_id)
        return not item.cancelled and not (stay is not None and stay.cancelled)

    def zone_of(self, item: PlannedItem) -> str:
        stay = self.stays.get(item.delegation_id)
        return stay.timezone if stay else "UTC"


# Results ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    """One broken rule, explained in one sentence.

    `key` names the conflict (rule and the items it concerns) and stays the same while the items exist;
    `fingerprint` summarises the data it was about, so an acknowledgement ends when that data changes.
    """

    rule: str
    key: str
    fingerprint: str
    message: object  # a lazy string: rendered in the language of whoever reads it
    starts_at: datetime
    item_ids: tuple[int, ...]
    delegation_ids: tuple[int, ...]

    @property
    def icon(self) -> str:
        return RULE_ICONS[self.rule]

    @property
    def label(self):
        return RULE_LABELS[self.rule]

    def concerns(self, item_id: int) -> bool:
        return item_id in self.item_ids


def current_locale_name() -> str:
    """The locale of the current request (or the forced one), English outside any app."""
    try:
        from flask_babel import get_locale

        locale = get_locale()
    except RuntimeError:  # an app context without a request: no user to ask
        locale = None
    return str(locale) if locale else "en"


class When:
    """A time span in the local time of a place, formatted when shown ("Tue, 4 May, 10:00–11:30")."""

    def __init__(self, start: datetime, end: datetime | None, zone: str):
        self.start, self.end, self.zone = start, end, zone

    def __str__(self) -> str:
        place = ZoneInfo(self.zone)
        start = self.start.astimezone(place)
        locale = current_locale_name()
        day = format_skeleton("MMMEd", start.date(), locale=locale)
        if self.end is None:
            return f"{day}, {start:%H:%M}"
        end = self.end.astimezone(place)
        if end.date() == start.date() or (end - start <= timedelta(days=1) and end.time().hour == 0 == end.minute):
            return f"{day}, {start:%H:%M}–{end:%H:%M}"
        return f"{day}, {start:%H:%M} – {format_skeleton('MMMEd', end.date(), locale=locale)}, {end:%H:%M}"


class Clock:
    """A local time of day at a place ("10:00"), formatted when shown."""

    def __init__(self, instant: datetime, zone: str):
        self.instant, self.zone = instant, zone

    def __str__(self) -> str:
        return f"{self.instant.astimezone(ZoneInfo(self.zone)):%H:%M}"


def _fingerprint(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def _item_facts(item: PlannedItem) -> tuple:
    return (item.id, item.delegation_id, item.starts_at.isoformat(), item.ends_at.isoformat(), item.venue_id,
            item.principal_id, item.responsible_id)


def _busy_facts(interval: BusyInterval) -> tuple:
    return (interval.starts_at.isoformat(), interval.ends_at.isoformat(), interval.reason, interval.label)


def _pair(first: PlannedItem, second: PlannedItem) -> tuple[PlannedItem, PlannedItem]:
    """The two items in time order (then by id), so a pair always gets the same key and sentence."""
    return tuple(sorted((first, second), key=lambda item: (item.starts_at, item.ends_at, item.id)))  # type: ignore


def _span(seconds: float) -> int:
    return int(seconds // 60)


# The index ---------------------------------------------------------------------------------------

class _Group:
    """Items sharing something (a delegation, a principal, a contact, a venue), sorted by start."""

    def __init__(self, items: list[PlannedItem]):
        self.items = sorted(items, key=lambda item: (item.starts_at, item.ends_at, item.id))
        self.starts = [item.starts_at for item in self.items]
        self.longest = max((item.ends_at - item.starts_at for item in self.items), default=timedelta(0))

    def near(self, start: datetime, end: datetime, margin: timedelta) -> list[PlannedItem]:
        """Items that might lie within `margin` of [start, end)."""
        low = bisect.bisect_left(self.starts, start - self.longest - margin)
        high = bisect.bisect_left(self.starts, end + margin)
        return self.items[low:high]


class _BusyIndex:
    """A principal's busy intervals (programme items excluded), sorted, with long ones kept apart."""

    LONG = timedelta(days=1)

    def __init__(self, intervals: Iterable[BusyInterval]):
        kept = [interval for interval in intervals if interval.reason != REASON_PROGRAMME
                and interval.ends_at > interval.starts_at]
        self.long = [interval for interval in kept if interval.ends_at - interval.starts_at > self.LONG]
        self.short = sorted((interval for interval in kept if interval.ends_at - interval.starts_at <= self.LONG),
                            key=lambda interval: (interval.starts_at, interval.ends_at))
        self.starts = [interval.starts_at for interval in self.short]

    def overlapping(self, start: datetime, end: datetime, margin: timedelta = timedelta(0)) -> list[BusyInterval]:
        low = bisect.bisect_left(self.starts, start - self.LONG - margin)
        high = bisect.bisect_left(self.starts, end + margin)
        found = [interval for interval in self.short[low:high]
                 if interval.starts_at < end + margin and interval.ends_at > start - margin]
        found += [interval for interval in self.long
                  if interval.starts_at < end + margin and interval.ends_at > start - margin]
        return sorted(found, key=lambda interval: (interval.starts_at, interval.ends_at))


class ConflictFinder:
    """The schedule indexed once; answers for single items (conflict lists, slot search, arrangement)."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        active = [item for item in schedule.items if schedule.is_active(item)]
        self.active = active
        self.by_id = {item.id: item for item in active}
        self.by_delegation = self._groups(active, lambda item: item.delegation_id)
        self.by_principal = self._groups(active, lambda item: item.principal_id)
        self.by_contact = self._groups(active, lambda item: item.responsible_id)
        self.by_venue = self._groups(active, lambda item: item.venue_id)
        self.busy = {principal_id: _BusyIndex(intervals) for principal_id, intervals in schedule.busy.items()}
        longest_way = max(schedule.travel.values(), default=0)
        self.max_travel = timedelta(minutes=max(longest_way, schedule.default_buffer_minutes))

    @staticmethod
    def _groups(items, key) -> dict[int, _Group]:
        grouped: dict[int, list[PlannedItem]] = {}
        for item in items:
            value = key(item)
            if value is not None:
                grouped.setdefault(value, []).append(item)
        return {value: _Group(members) for value, members in grouped.items()}

    # What applies to a principal at an item's delegation -------------------------------------------

    def principal_busy_for(self, principal_id: int, delegation_id: int, start: datetime, end: datetime,
                           margin: timedelta = timedelta(0)) -> list[BusyInterval]:
        """The principal's busy intervals that count against an item of `delegation_id`.

        A principal travelling on a tour is not busy *for that tour's items*: neither the tour itself nor
        the office hours at home count there.
        """
        index = self.busy.get(principal_id)
        if index is None:
            return []
        found = index.overlapping(start, end, margin)
        if self.travels_with(principal_id, delegation_id):
            return [interval for interval in found
                    if interval.reason not in (REASON_TOUR, REASON_OUTSIDE_HOURS)]
        return found

    def all_busy_for(self, principal_id: int, delegation_id: int) -> list[BusyInterval]:
        """Every busy interval of the principal that counts against an item of `delegation_id`."""
        index = self.busy.get(principal_id)
        if index is None:
            return []
        found = index.long + index.short
        if self.travels_with(principal_id, delegation_id):
            return [interval for interval in found if interval.reason not in (REASON_TOUR, REASON_OUTSIDE_HOURS)]
        return found

    def travels_with(self, principal_id: int, delegation_id: int) -> bool:
        index = self.busy.get(principal_id)
        return index is not None and any(interval.reason == REASON_TOUR and interval.source_id == delegation_id
                                         for interval in index.long + index.short)

    # Conflicts of one item -------------------------------------------------------------------------

    def conflicts_of(self, item: PlannedItem) -> list[Conflict]:
        """Every rule `item` breaks, against everything else in the schedule (items of the same id excluded)."""
        schedule = self.schedule
        if not schedule.is_active(item):
            return []
        found: list[Conflict] = []
        zone = schedule.zone_of(item)
        stay = schedule.stays.get(item.delegation_id)
        if stay is not None and (item.starts_at < stay.arrival_at or item.ends_at > stay.departure_at):
            found.append(self._outside_stay(item, stay))
        if item.principal_id is not None:
            busy = self.principal_busy_for(item.principal_id, item.delegation_id, item.starts_at, item.ends_at)
            office = [interval for interval in busy if interval.reason == REASON_OUTSIDE_HOURS]
            other = [interval for interval in busy if interval.reason != REASON_OUTSIDE_HOURS]
            if other:
                found.append(self._principal_busy(item, other, zone))
            if office:
                found.append(self._outside_hours(item, office, zone))
            group = self.by_principal.get(item.principal_id)
            for other_item in (group.near(item.starts_at, item.ends_at, self.max_travel) if group else ()):
                if other_item.id == item.id:
                    continue
                if other_item.starts_at < item.ends_at and other_item.ends_at > item.starts_at:
                    found.append(self._principal_twice(item, other_item))
                elif other_item.delegation_id != item.delegation_id:
                    if conflict := self._way(item, other_item, principal=True):
                        found.append(conflict)
        if item.responsible_id is not None and (group := self.by_contact.get(item.responsible_id)):
            for other_item in group.near(item.starts_at, item.ends_at, timedelta(0)):
                if other_item.id != item.id and other_item.starts_at < item.ends_at and other_item.ends_at > item.starts_at:
                    found.append(self._contact_twice(item, other_item))
        if group := self.by_delegation.get(item.delegation_id):
            for other_item in group.near(item.starts_at, item.ends_at, self.max_travel):
                if other_item.id == item.id:
                    continue
                if other_item.starts_at < item.ends_at and other_item.ends_at > item.starts_at:
                    found.append(self._overlap(item, other_item))
                elif conflict := self._way(item, other_item, principal=False):
                    found.append(conflict)
        if item.venue_id is not None and (group := self.by_venue.get(item.venue_id)):
            for other_item in group.near(item.starts_at, item.ends_at, timedelta(0)):
                if (other_item.id != item.id and other_item.delegation_id != item.delegation_id
                        and other_item.starts_at < item.ends_at and other_item.ends_at > item.starts_at):
                    found.append(self._venue_twice(item, other_item))
        return found

    def all_conflicts(self, item_ids: Iterable[int] | None = None) -> list[Conflict]:
        """The conflicts of the given items (default: all), each once, in time order."""
        wanted = self.active if item_ids is None else [self.by_id[i] for i in item_ids if i in self.by_id]
        unique: dict[str, Conflict] = {}
        for item in wanted:
            for conflict in self.conflicts_of(item):
                unique.setdefault(conflict.key, conflict)
        return sorted(unique.values(), key=lambda conflict: (conflict.starts_at, RULES.index(conflict.rule),
                                                             conflict.key))

    # Which starts would break a rule ---------------------------------------------------------------

    def forbidden_starts(self, template: PlannedItem, duration: timedelta,
                         ignore_item_ids: Iterable[int] = ()) -> list[tuple[datetime, datetime, str]]:
        """Open intervals (low, high, rule) of start times at which `template` (moved, with `duration`)
        would break a rule against the items and busy time of the schedule. Staying inside the stay is
        not included: callers generate starts inside it.

        An item [a, b) with travel time t forbids every start s with a - duration - t < s < b + t
        (overlap when t = 0, too little time between otherwise); a busy interval forbids a - duration < s < b.
        """
        ignored = set(ignore_item_ids) | {template.id}
        forbidden: list[tuple[datetime, datetime, str]] = []
        schedule = self.schedule

        def block(other: PlannedItem, travel: int, rule: str) -> None:
            way = timedelta(minutes=travel)
            forbidden.append((other.starts_at - duration - way, other.ends_at + way, rule))

        def everything(group: _Group | None) -> list[PlannedItem]:
            return [] if group is None else [item for item in group.items if item.id not in ignored]

        for other in everything(self.by_delegation.get(template.delegation_id)):
            block(other, schedule.travel_minutes(template.venue_id, other.venue_id), OVERLAP)
        if template.principal_id is not None:
            for interval in self.all_busy_for(template.principal_id, template.delegation_id):
                rule = OUTSIDE_OFFICE_HOURS if interval.reason == REASON_OUTSIDE_HOURS else PRINCIPAL_BUSY
                forbidden.append((interval.starts_at - duration, interval.ends_at, rule))
            for other in everything(self.by_principal.get(template.principal_id)):
                if other.delegation_id != template.delegation_id:
                    block(other, schedule.travel_minutes(template.venue_id, other.venue_id), PRINCIPAL_TWICE)
        if template.responsible_id is not None:
            for other in everything(self.by_contact.get(template.responsible_id)):
                block(other, 0, CONTACT_TWICE)
        if template.venue_id is not None:
            for other in everything(self.by_venue.get(template.venue_id)):
                if other.delegation_id != template.delegation_id:
                    block(other, 0, VENUE_TWICE)
        return forbidden

    # Sentences -------------------------------------------------------------------------------------

    def _visit(self, item: PlannedItem) -> str:
        stay = self.schedule.stays.get(item.delegation_id)
        return stay.title if stay else ""

    def _principal(self, principal_id: int) -> str:
        info = self.schedule.principals.get(principal_id)
        return info.label if info else str(_l("the principal"))

    def _when(self, item: PlannedItem) -> When:
        return When(item.starts_at, item.ends_at, self.schedule.zone_of(item))

    def _outside_stay(self, item: PlannedItem, stay: Stay) -> Conflict:
        zone = stay.timezone
        return Conflict(
            OUTSIDE_STAY, f"{OUTSIDE_STAY}:{item.id}",
            _fingerprint(_item_facts(item), stay.arrival_at.isoformat(), stay.departure_at.isoformat()),
            _l("“%(item)s” (%(when)s) lies outside the stay, which runs from %(arrival)s to %(departure)s.",
               item=item.title, when=self._when(item), arrival=When(stay.arrival_at, None, zone),
               departure=When(stay.departure_at, None, zone)),
            item.starts_at, (item.id,), (item.delegation_id,))

    def _principal_busy(self, item: PlannedItem, intervals: list[BusyInterval], zone: str) -> Conflict:
        first = intervals[0]
        reason = busy_reason(first, When(first.starts_at, first.ends_at, zone))
        if len(intervals) > 1:
            message = lazy_ngettext(
                "%(principal)s is not free for “%(item)s” (%(when)s): %(reason)s, and %(num)d more busy time.",
                "%(principal)s is not free for “%(item)s” (%(when)s): %(reason)s, and %(num)d more busy times.",
                len(intervals) - 1, principal=self._principal(item.principal_id), item=item.title,
                when=self._when(item), reason=reason)
        else:
            message = _l("%(principal)s is not free for “%(item)s” (%(when)s): %(reason)s.",
                         principal=self._principal(item.principal_id), item=item.title, when=self._when(item),
                         reason=reason)
        return Conflict(PRINCIPAL_BUSY, f"{PRINCIPAL_BUSY}:{item.id}",
                        _fingerprint(_item_facts(item), [_busy_facts(interval) for interval in intervals]),
                        message, item.starts_at, (item.id,), (item.delegation_id,))

    def _outside_hours(self, item: PlannedItem, intervals: list[BusyInterval], zone: str) -> Conflict:
        return Conflict(
            OUTSIDE_OFFICE_HOURS, f"{OUTSIDE_OFFICE_HOURS}:{item.id}",
            _fingerprint(_item_facts(item), [_busy_facts(interval) for interval in intervals]),
            _l("“%(item)s” (%(when)s) lies outside the office hours of %(principal)s.", item=item.title,
               when=self._when(item), principal=self._principal(item.principal_id)),
            item.starts_at, (item.id,), (item.delegation_id,))

    def _pair_conflict(self, rule: str, first: PlannedItem, second: PlannedItem, message, *extra) -> Conflict:
        low, high = sorted((first.id, second.id))
        return Conflict(rule, f"{rule}:{low}:{high}", _fingerprint(_item_facts(first), _item_facts(second), *extra),
                        message, min(first.starts_at, second.starts_at), (first.id, second.id),
                        tuple(sorted({first.delegation_id, second.delegation_id})))

    def _principal_twice(self, item: PlannedItem, other: PlannedItem) -> Conflict:
        first, second = _pair(item, other)
        return self._pair_conflict(PRINCIPAL_TWICE, first, second, _l(
            "%(principal)s is expected at two places at once: “%(first)s” (%(first_visit)s, %(first_when)s) and "
            "“%(second)s” (%(second_visit)s, %(second_when)s).", principal=self._principal(item.principal_id),
            first=first.title, first_visit=self._visit(first), first_when=self._when(first),
            second=second.title, second_visit=self._visit(second), second_when=self._when(second)))

    def _contact_twice(self, item: PlannedItem, other: PlannedItem) -> Conflict:
        first, second = _pair(item, other)
        name = self.schedule.contact_names.get(item.responsible_id, str(_l("The contact person")))
        return self._pair_conflict(CONTACT_TWICE, first, second, _l(
            "%(contact)s is responsible for two items at once: “%(first)s” (%(first_visit)s, %(first_when)s) and "
            "“%(second)s” (%(second_visit)s, %(second_when)s).", contact=name,
            first=first.title, first_visit=self._visit(first), first_when=self._when(first),
            second=second.title, second_visit=self._visit(second), second_when=self._when(second)))

    def _overlap(self, item: PlannedItem, other: PlannedItem) -> Conflict:
        first, second = _pair(item, other)
        return self._pair_conflict(OVERLAP, first, second, _l(
            "“%(first)s” (%(first_when)s) and “%(second)s” (%(second_when)s) overlap.",
            first=first.title, first_when=self._when(first), second=second.title, second_when=self._when(second)))

    def _venue_twice(self, item: PlannedItem, other: PlannedItem) -> Conflict:
        first, second = _pair(item, other)
        venue = self.schedule.venue_names.get(item.venue_id, str(_l("The venue")))
        return self._pair_conflict(VENUE_TWICE, first, second, _l(
            "%(venue)s is booked twice: “%(first)s” (%(first_visit)s, %(first_when)s) and “%(second)s” "
            "(%(second_visit)s, %(second_when)s).", venue=venue,
            first=first.title, first_visit=self._visit(first), first_when=self._when(first),
            second=second.title, second_visit=self._visit(second), second_when=self._when(second)))

    def _way(self, item: PlannedItem, other: PlannedItem, principal: bool) -> Conflict | None:
        """Too little time between two items that do not overlap, or None."""
        first, second = _pair(item, other)
        needed = self.schedule.travel_minutes(first.venue_id, second.venue_id)
        gap = second.starts_at - first.ends_at
        if needed == 0 or gap >= timedelta(minutes=needed):
            return None
        recorded = (first.venue_id, second.venue_id) in self.schedule.travel or \
            (second.venue_id, first.venue_id) in self.schedule.travel
        names = self.schedule.venue_names
        values = dict(first=first.title, first_venue=names.get(first.venue_id, "?"), second=second.title,
                      second_venue=names.get(second.venue_id, "?"), gap=_span(gap.total_seconds()), needed=needed,
                      end=Clock(first.ends_at, self.schedule.zone_of(first)),
                      start=Clock(second.starts_at, self.schedule.zone_of(second)))
        if principal:
            values["principal"] = self._principal(first.principal_id)
            message = (_l("%(principal)s has only %(gap)s minutes from “%(first)s” at %(first_venue)s (ends "
                          "%(end)s) to “%(second)s” at %(second_venue)s (starts %(start)s), but the way takes "
                          "%(needed)s minutes.", **values) if recorded else
                       _l("%(principal)s has only %(gap)s minutes from “%(first)s” at %(first_venue)s (ends "
                          "%(end)s) to “%(second)s” at %(second_venue)s (starts %(start)s); %(needed)s minutes are "
                          "kept free between different venues.", **values))
            rule = PRINCIPAL_TRAVEL
        else:
            message = (_l("Only %(gap)s minutes from “%(first)s” at %(first_venue)s (ends %(end)s) to "
                          "“%(second)s” at %(second_venue)s (starts %(start)s), but the way takes %(needed)s "
                          "minutes.", **values) if recorded else
                       _l("Only %(gap)s minutes from “%(first)s” at %(first_venue)s (ends %(end)s) to "
                          "“%(second)s” at %(second_venue)s (starts %(start)s); %(needed)s minutes are kept free "
                          "between different venues.", **values))
            rule = TRAVEL
        return self._pair_conflict(rule, first, second, message, needed)


def busy_reason(interval: BusyInterval, when: When):
    """Why a principal is busy, as a clause: the subject only when the diary's owner allows it (label)."""
    label = interval.label
    if interval.reason == REASON_CALENDAR:
        if label:
            return _l("calendar entry “%(subject)s” %(when)s", subject=label, when=when)
        return _l("busy in the calendar %(when)s", when=when)
    if interval.reason == REASON_MANUAL:
        if label:
            return _l("blocked for “%(subject)s” %(when)s", subject=label, when=when)
        return _l("blocked %(when)s", when=when)
    if interval.reason == REASON_TOUR:
        if label:
            return _l("travelling on “%(subject)s” %(when)s", subject=label, when=when)
        return _l("travelling %(when)s", when=when)
    if interval.reason == REASON_OUTSIDE_HOURS:
        return _l("outside office hours %(when)s", when=when)
    return _l("busy %(when)s", when=when)


def find_conflicts(schedule: Schedule, item_ids: Iterable[int] | None = None) -> list[Conflict]:
    """The conflicts of the given items (default: every active item), each once, in time order."""
    return ConflictFinder(schedule).all_conflicts(item_ids)


def local_day(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()
