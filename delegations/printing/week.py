"""The week overview for the Mayor's office: every appointment of a principal in one ISO week, one page.

Pure: the week's items and visits in, a grid of principals by days out. Times are home times (the
office's diary); an appointment abroad also carries the local time of the place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from delegations.constants import PrincipalKind
from delegations.zones import day_bounds

WEEK_PATTERN = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
# Above this many appointments the page switches to a denser type size to stay on one sheet.
DENSE_FROM = 28


class WeekError(ValueError):
    """Not a week: neither 2027-W19 nor a date."""


def week_monday(text: str | None, today: date) -> date:
    """The Monday of '2027-W19', of the week containing '2027-05-12', or of today's week."""
    text = (text or "").strip()
    if not text:
        return today - timedelta(days=today.weekday())
    if match := WEEK_PATTERN.fullmatch(text):
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise WeekError(text) from None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise WeekError(text) from None
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(monday: date, zone_name: str) -> tuple[datetime, datetime]:
    start, _ = day_bounds(monday, zone_name)
    end, _ = day_bounds(monday + timedelta(days=7), zone_name)
    return start, end


@dataclass(frozen=True)
class WeekEntry:
    item: object
    starts: datetime        # home time
    ends: datetime
    local_starts: datetime | None  # the place's time, when it differs from home
    local_ends: datetime | None


@dataclass(frozen=True)
class WeekRow:
    principal: object
    cells: tuple[tuple[WeekEntry, ...], ...]  # one per day, Monday first
    travelling: tuple[tuple, ...]  # per day: the tours this principal is away on

    @property
    def count(self) -> int:
        return sum(len(cell) for cell in self.cells)


@dataclass(frozen=True)
class WeekOverview:
    monday: date
    label: str
    days: tuple[date, ...]
    rows: tuple[WeekRow, ...]
    visits: tuple
    home_zone: str

    @property
    def count(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def dense(self) -> bool:
        return self.count >= DENSE_FROM


def principal_order(principal) -> tuple:
    return (principal.kind != PrincipalKind.MAYOR, principal.rank, principal.name, principal.id)


def build_week(monday: date, items: list, visits: list, home_zone: str) -> WeekOverview:
    """`items`: the week's appointments with a principal; `visits`: the visits and tours in the week."""
    home = ZoneInfo(home_zone)
    days = tuple(monday + timedelta(days=offset) for offset in range(7))
    principals = {item.principal.id: item.principal for item in items}
    tours_of: dict[int, list] = {}
    for visit in visits:
        for principal in getattr(visit, "travelling_principals", ()) or ():
            principals.setdefault(principal.id, principal)
            tours_of.setdefault(principal.id, []).append(visit)
    rows = []
    for principal in sorted(principals.values(), key=principal_order):
        cells: list[list[WeekEntry]] = [[] for _ in days]
        for item in items:
            if item.principal_id != principal.id:
                continue
            starts = item.starts_at.astimezone(home)
            index = (starts.date() - monday).days
            if not 0 <= index < 7:  # began the Sunday before, ends in this week
                index = 0
            zone = item.delegation.timezone
            abroad = zone != home_zone
            cells[index].append(WeekEntry(
                item, starts, item.ends_at.astimezone(home),
                item.starts_at.astimezone(ZoneInfo(zone)) if abroad else None,
                item.ends_at.astimezone(ZoneInfo(zone)) if abroad else None))
        for cell in cells:
            cell.sort(key=lambda entry: (entry.starts, entry.item.id))
        away = tuple(tuple(tour for tour in tours_of.get(principal.id, ())
                           if tour.arrival_at.astimezone(home).date() <= day <= tour.departure_at.astimezone(home).date())
                     for day in days)
        rows.append(WeekRow(principal, tuple(tuple(cell) for cell in cells), away))
    return WeekOverview(monday=monday, label=week_label(monday), days=days, rows=tuple(rows),
                        visits=tuple(visits), home_zone=home_zone)
