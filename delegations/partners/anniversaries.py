"""Round anniversaries of partnerships (pure: plain dates in, plain results out).

The rules, decided once:
- A *round* anniversary falls every 5 years (5th, 10th, 15th, ...); all of them are listed, because even a
  35th is a reason for a letter or a visit.
- A round anniversary is *highlighted* when the number of years is a multiple of 10 or of 25 (10, 20, 25, 30,
  40, 50, 60, 70, 75, 80, 90, 100, ...): the "runde" jubilees that usually get a festive programme.
- A partnership founded on 29 February has its anniversary on 28 February in common years (the day stays in
  February, where the partners remember it).
- When only the year of foundation is known, the anniversary is the whole year: it is listed while that year
  overlaps the window and is dated 1 January for sorting and reminders.
- The window is the next 18 months: long enough to plan and budget a visit for the date.
- Reminders: 18, 12, 6 and 3 months before; only the latest stage that is due is sent (a first run three
  months before sends one reminder, not four).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Protocol

ROUND_EVERY = 5
HIGHLIGHT_MULTIPLES = (10, 25)
WINDOW_MONTHS = 18
REMINDER_STAGES_MONTHS = (18, 12, 6, 3)


class PartnerFacts(Protocol):
    """What the rules need of a partner (a PartnerCity has all of it)."""

    id: int
    name: str
    since: date
    since_day_known: bool
    ended_on: date | None


@dataclass(frozen=True)
class Anniversary:
    partner_id: int
    partner_name: str
    years: int
    on: date            # the day (1 January when only the year is known)
    since: date
    day_known: bool
    highlighted: bool

    @property
    def year(self) -> int:
        return self.on.year

    @property
    def span(self) -> str:
        """'1987–2027'."""
        return f"{self.since.year}–{self.on.year}"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, the day clamped to the month's end (31 August + 6 months: 28/29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def anniversary_on(since: date, year: int) -> date:
    """The anniversary of `since` in `year`: 29 February becomes 28 February in common years."""
    if since.month == 2 and since.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, since.month, since.day)


def is_round(years: int) -> bool:
    return years > 0 and years % ROUND_EVERY == 0


def is_highlighted(years: int) -> bool:
    return is_round(years) and any(years % multiple == 0 for multiple in HIGHLIGHT_MULTIPLES)


def upcoming_anniversaries(partners: Iterable[PartnerFacts], today: date,
                           months: int = WINDOW_MONTHS) -> list[Anniversary]:
    """Round anniversaries from `today` to `months` months ahead (both days included), soonest first.
    Partnerships that ended are left out."""
    until = add_months(today, months)
    found = []
    for partner in partners:
        if partner.ended_on is not None and partner.ended_on <= today:
            continue
        for year in range(today.year, until.year + 1):
            years = year - partner.since.year
            if not is_round(years):
                continue
            if partner.since_day_known:
                on = anniversary_on(partner.since, year)
                if not today <= on <= until:
                    continue
            else:
                on = date(year, 1, 1)  # the whole year: listed while it overlaps the window
            found.append(Anniversary(partner.id, partner.name, years, on, partner.since,
                                     partner.since_day_known, is_highlighted(years)))
    return sorted(found, key=lambda anniversary: (anniversary.on, anniversary.partner_name))


def due_reminder_stage(anniversary: Anniversary, today: date,
                       stages: tuple[int, ...] = REMINDER_STAGES_MONTHS) -> int | None:
    """The reminder stage (months before) due today: the latest stage whose date has come, None before the
    first stage and from the anniversary on (a year-only anniversary: from the end of its year)."""
    last_day = anniversary.on if anniversary.day_known else date(anniversary.on.year, 12, 31)
    if today >= last_day:
        return None
    due = [months for months in stages if today >= add_months(anniversary.on, -months)]
    return min(due) if due else None


def ordinal(number: int, locale: str) -> str:
    """'40.' in German, '40th' in English (21st, 22nd, 23rd, 11th, 12th, 13th)."""
    if not locale.startswith("en"):
        return f"{number}."
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
