"""A programme laid out day by day in the local time of the place, with gaps and overlaps named."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Generic, Protocol, Sequence, TypeVar

from delegations.zones import day_bounds, local_days


class Scheduled(Protocol):
    id: int
    starts_at: datetime
    ends_at: datetime


T = TypeVar("T", bound=Scheduled)

# A gap shorter than this is not worth mentioning (walking from one room to the next).
NOTEWORTHY_GAP = timedelta(minutes=15)


@dataclass
class Entry(Generic[T]):
    item: T
    overlaps_with: list[T] = field(default_factory=list)
    outside_stay: bool = False


@dataclass
class Gap:
    starts_at: datetime
    ends_at: datetime

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass
class Day(Generic[T]):
    date: date
    entries: list[Entry[T] | Gap]
    within_stay: bool

    @property
    def items(self) -> list[T]:
        return [entry.item for entry in self.entries if isinstance(entry, Entry)]


def build_timeline(items: Sequence[T], arrival: datetime, departure: datetime, zone_name: str,
                   is_active=lambda item: True) -> list[Day[T]]:
    """Lay `items` out on the local days of the stay (and any day an item strays onto).

    Overlaps are found among active items only (a cancelled item overlaps nothing).
    """
    stay_days = local_days(arrival, departure, zone_name)
    item_days = {day for item in items for day in local_days(item.starts_at, item.ends_at, zone_name)[:1]}
    all_days = sorted(set(stay_days) | item_days)
    ordered = sorted(items, key=lambda item: (item.starts_at, item.ends_at, item.id))
    active = [item for item in ordered if is_active(item)]
    overlaps = find_overlaps(active)
    days = []
    for day in all_days:
        day_start, day_end = day_bounds(day, zone_name)
        todays = [item for item in ordered if day_start <= item.starts_at < day_end]
        entries: list[Entry[T] | Gap] = []
        latest_end: datetime | None = None
        for item in todays:
            if latest_end is not None and is_active(item) and item.starts_at - latest_end >= NOTEWORTHY_GAP:
                entries.append(Gap(latest_end, item.starts_at))
            entries.append(Entry(item, overlaps.get(item.id, []),
                                 outside_stay=item.starts_at < arrival or item.ends_at > departure))
            if is_active(item):
                latest_end = max(latest_end, item.ends_at) if latest_end else item.ends_at
        days.append(Day(day, entries, within_stay=day in stay_days))
    return days


def find_overlaps(items: Sequence[T]) -> dict[int, list[T]]:
    """For each item id, the other items that overlap it in time (sweep over start order)."""
    ordered = sorted(items, key=lambda item: (item.starts_at, item.ends_at))
    found: dict[int, list[T]] = {}
    running: list[T] = []
    for item in ordered:
        running = [other for other in running if other.ends_at > item.starts_at]
        for other in running:
            found.setdefault(item.id, []).append(other)
            found.setdefault(other.id, []).append(item)
        running.append(item)
    return found
