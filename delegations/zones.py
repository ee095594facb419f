"""Turning wall-clock times of a place into instants and back, honest about DST gaps and folds."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a DST change (02:30 on the last Sunday of March in Berlin)."""


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_names() -> list[str]:
    return sorted(name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/")))


def attach_zone(wall_clock: datetime, zone_name: str) -> datetime:
    """The instant a clock in `zone_name` shows `wall_clock`, in UTC.

    A skipped time is refused; a repeated time (the October fold) means its first occurrence.
    """
    place = ZoneInfo(zone_name)
    local = wall_clock.replace(tzinfo=place, fold=0)
    round_trip = local.astimezone(timezone.utc).astimezone(place)
    if round_trip.replace(tzinfo=None) != wall_clock.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{wall_clock:%Y-%m-%d %H:%M} does not exist in {zone_name}")
    return local.astimezone(timezone.utc)


def to_wall_clock(instant: datetime, zone_name: str) -> datetime:
    """The naive wall-clock time shown in `zone_name` at `instant` (for form fields)."""
    return instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)


def local_days(start: datetime, end: datetime, zone_name: str) -> list[date]:
    """Every calendar day of the place touched by [start, end)."""
    place = ZoneInfo(zone_name)
    first = start.astimezone(place).date()
    last = (end - timedelta(microseconds=1)).astimezone(place).date() if end > start else first
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day starts and ends (23 or 25 hours on DST days)."""
    place = ZoneInfo(zone_name)
    start = datetime.combine(day, time.min, tzinfo=place).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=place).astimezone(timezone.utc)
    return start, end
