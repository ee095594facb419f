"""Office hours as people write them: "Mon–Fri 08:00–19:00" in one row instead of five."""
from __future__ import annotations

from datetime import time
from typing import Iterable

from babel.dates import get_day_names

WEEKDAYS_ALL = "weekdays"  # Monday to Friday in one form row
WORKING_DAYS = tuple(range(5))
DEFAULT_OFFICE_HOURS = [(day, time(8, 0), time(19, 0)) for day in WORKING_DAYS]


def compress_office_hours(rows: Iterable[tuple[int, time, time]]) -> list[dict]:
    """Form rows for stored office hours: Monday to Friday in one row when those days share their spans."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in sorted(set(rows)):
        by_day.setdefault(weekday, []).append((start, end))
    compressed = []
    working = [tuple(by_day.get(day, ())) for day in WORKING_DAYS]
    if working[0] and all(spans == working[0] for spans in working):
        compressed.extend({"weekday": WEEKDAYS_ALL, "start": start, "end": end} for start, end in working[0])
        for day in WORKING_DAYS:
            by_day.pop(day)
    for day in sorted(by_day):
        compressed.extend({"weekday": str(day), "start": start, "end": end} for start, end in by_day[day])
    return compressed


def describe_office_hours(rows: Iterable[tuple[int, time, time]], locale: str) -> list[str]:
    """["Mon–Fri 08:00–19:00", "Sat 10:00–12:00"] in the reader's language."""
    names = get_day_names("abbreviated", locale=locale)
    lines = []
    for row in compress_office_hours(rows):
        if row["weekday"] == WEEKDAYS_ALL:
            day = f"{names[0]}–{names[4]}"
        else:
            day = names[int(row["weekday"])]
        lines.append(f"{day} {row['start']:%H:%M}–{row['end']:%H:%M}")
    return lines
