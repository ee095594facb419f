"""Round anniversaries of partnerships, alone (no app, no database): which fall in the next 18 months, on which
day (leap days included), which are highlighted, and which reminder stage is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from delegations.partners.anniversaries import (add_months, anniversary_on, due_reminder_stage, is_highlighted,
                                                ordinal, upcoming_anniversaries)


@dataclass
class Partner:
    id: int
    name: str
    since: date
    since_day_known: bool = True
    ended_on: date | None = None


def test_leipzig_1987_has_its_40th_anniversary_in_2027_and_it_is_highlighted():
    leipzig = Partner(7, "Leipzig", date(1987, 6, 20))
    [found] = upcoming_anniversaries([leipzig], today=date(2026, 12, 3))
    assert (found.years, found.on, found.span, found.highlighted) == (40, date(2027, 6, 20), "1987–2027", True)


def test_the_window_is_18_months_both_ends_included():
    today = date(2026, 12, 3)
    on_the_last_day = Partner(1, "A", date(1988, 6, 3))   # 2028-06-03: 40 years, exactly 18 months ahead
    one_day_later = Partner(2, "B", date(1988, 6, 4))
    today_itself = Partner(3, "C", date(2001, 12, 3))     # 25 years today
    yesterday = Partner(4, "D", date(2001, 12, 2))
    found = upcoming_anniversaries([on_the_last_day, one_day_later, today_itself, yesterday], today)
    assert [(anniversary.partner_name, anniversary.years) for anniversary in found] == [("C", 25), ("A", 40)]


def test_every_fifth_year_is_listed_but_only_tens_and_quarter_centuries_are_highlighted():
    assert [years for years in range(1, 101) if is_highlighted(years)] == \
        [10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100]
    found = upcoming_anniversaries([Partner(1, "Hiroshima", date(1983, 5, 27)),
                                    Partner(2, "Poznań", date(1979, 10, 29))], date(2027, 12, 1))
    assert [(anniversary.partner_name, anniversary.years, anniversary.highlighted) for anniversary in found] == \
        [("Hiroshima", 45, False)]


def test_a_partnership_since_29_february_is_remembered_on_28_february_in_common_years():
    leap = Partner(1, "Leap", date(1996, 2, 29))
    [in_common_year] = upcoming_anniversaries([leap], today=date(2025, 12, 1))
    assert (in_common_year.years, in_common_year.on) == (30, date(2026, 2, 28))
    [in_leap_year] = upcoming_anniversaries([Partner(1, "Leap", date(1988, 2, 29))], today=date(2027, 12, 1))
    assert (in_leap_year.years, in_leap_year.on) == (40, date(2028, 2, 29))
    assert anniversary_on(date(2000, 2, 29), 2100) == date(2100, 2, 28)  # 2100 is not a leap year


def test_months_are_added_with_the_day_clamped_to_the_month_end():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 3), 18) == date(2028, 6, 3)
    assert add_months(date(2027, 2, 28), -18) == date(2025, 8, 28)


def test_when_only_the_year_is_known_the_whole_year_counts():
    bristol = Partner(1, "Bristol", date(1947, 1, 1), since_day_known=False)
    [found] = upcoming_anniversaries([bristol], today=date(2027, 11, 30))
    assert (found.years, found.on, found.day_known) == (80, date(2027, 1, 1), False)
    assert upcoming_anniversaries([bristol], today=date(2028, 1, 2)) == []


def test_ended_partnerships_have_no_anniversaries():
    ended = Partner(1, "Ended", date(1991, 3, 1), ended_on=date(2022, 3, 1))
    assert upcoming_anniversaries([ended], today=date(2025, 12, 1)) == []


def test_the_latest_due_reminder_stage_is_chosen_and_none_before_or_after():
    [found] = upcoming_anniversaries([Partner(1, "Leipzig", date(1987, 6, 20))], today=date(2026, 1, 1))
    assert due_reminder_stage(found, date(2025, 12, 19)) is None      # more than 18 months before
    assert due_reminder_stage(found, date(2025, 12, 20)) == 18
    assert due_reminder_stage(found, date(2026, 6, 20)) == 12
    assert due_reminder_stage(found, date(2027, 4, 1)) == 3          # first run late: only the latest stage
    assert due_reminder_stage(found, date(2027, 6, 20)) is None      # the day itself: too late to remind


def test_ordinals_in_german_and_english():
    assert ordinal(40, "de") == "40."
    assert [ordinal(number, "en") for number in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]
