"""The Mayor's briefing: an internal document per visit, with everything a principal needs before an appointment.

Unlike the guest programme it shows internal notes, talking points and who takes part on both sides.
Pure: a loaded delegation in, plain objects out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from delegations.printing.programme import format_period, latest_change, shown_items
from delegations.zones import local_days


@dataclass(frozen=True)
class BriefingEntry:
    item: object  # the ProgrammeItem itself: an internal document may show every field
    starts: datetime
    ends: datetime
    home_starts: datetime | None
    home_ends: datetime | None
    day_number: int

    @property
    def with_principal(self) -> bool:
        return self.item.principal is not None


@dataclass(frozen=True)
class BriefingDay:
    number: int
    date: date
    entries: tuple[BriefingEntry, ...]


@dataclass(frozen=True)
class Briefing:
    delegation: object
    language: str
    is_tour: bool
    zone: str
    home_zone: str
    home_city: str
    period: str
    days: tuple[BriefingDay, ...]
    members: tuple
    as_of: datetime

    @property
    def principal_entries(self) -> list[BriefingEntry]:
        return [entry for day in self.days for entry in day.entries if entry.with_principal]

    @property
    def principals(self) -> list:
        """Each principal with an appointment in this visit, once, Mayor first."""
        found = {}
        for entry in self.principal_entries:
            found.setdefault(entry.item.principal.id, entry.item.principal)
        return sorted(found.values(), key=lambda principal: (principal.kind != "mayor", principal.rank, principal.name))


def build_briefing(delegation, language: str, home_zone: str, home_city: str) -> Briefing:
    zone = ZoneInfo(delegation.timezone)
    home = ZoneInfo(home_zone) if delegation.is_outgoing else None
    items = shown_items(delegation.items)
    dates = sorted(set(local_days(delegation.arrival_at, delegation.departure_at, delegation.timezone))
                   | {item.starts_at.astimezone(zone).date() for item in items})
    numbers = {day: number for number, day in enumerate(dates, start=1)}
    by_day: dict[date, list[BriefingEntry]] = {day: [] for day in dates}
    for item in items:
        starts = item.starts_at.astimezone(zone)
        by_day[starts.date()].append(BriefingEntry(
            item=item, starts=starts, ends=item.ends_at.astimezone(zone),
            home_starts=item.starts_at.astimezone(home) if home else None,
            home_ends=item.ends_at.astimezone(home) if home else None,
            day_number=numbers[starts.date()]))
    arrival, departure = delegation.arrival_at.astimezone(zone), delegation.departure_at.astimezone(zone)
    return Briefing(
        delegation=delegation, language=language, is_tour=delegation.is_outgoing, zone=delegation.timezone,
        home_zone=home_zone, home_city=home_city,
        period=format_period(arrival.date(), departure.date(), language),
        days=tuple(BriefingDay(numbers[day], day, tuple(by_day[day])) for day in dates),
        members=tuple(member for member in delegation.members if getattr(member, "anonymised_at", None) is None),
        as_of=latest_change(delegation, delegation.items).astimezone(ZoneInfo(home_zone)),
    )
