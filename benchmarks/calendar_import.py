"""Benchmark: importing a principal's calendar of 5,000 events, against recurring-ical-events' own expansion.

    .venv/bin/python benchmarks/calendar_import.py [--events 5000] [--runs 5]

The generated file looks like an Outlook export: Windows zone name ("W. Europe Standard Time") with its
VTIMEZONE, 5,000 VEVENTs over the import window (90 days back, 400 ahead): mostly single appointments, one in
twenty a weekly series (COUNT=10) with an EXDATE, a moved occurrence (RECURRENCE-ID) for every series, some
all-day, free (TRANSP:TRANSPARENT) and cancelled events.

Prints medians of CPU time (process time: steady when other work shares the machine) over --runs, with the
wall-clock medians beside them:
- recurring-ical-events alone: icalendar parsing plus `recurring_ical_events.of(calendar).between(window)`;
  the floor for any importer built on these libraries;
- our reader (`read_calendar`): structure scan with line numbers, Windows zone mapping, parsing, checks,
  expansion, busy filtering, keys; and the ratio reader / recurring-ical-events;
- the whole import into SQLite (`import_calendar_data`): first import (inserts) and an unchanged re-import.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import icalendar  # noqa: E402
import recurring_ical_events  # noqa: E402

from delegations import create_app  # noqa: E402
from delegations.calendars.operations import ImportSettings, import_calendar_data  # noqa: E402
from delegations.calendars.reader import ReadLimits, read_calendar  # noqa: E402
from delegations.extensions import db  # noqa: E402
from delegations.models import BusyBlock, Principal  # noqa: E402

NOW = datetime(2027, 3, 15, 9, 0, tzinfo=timezone.utc)
SETTINGS = ImportSettings(home_zone="Europe/Berlin", limits=ReadLimits(max_bytes=50 * 1024 * 1024))
WINDOW = SETTINGS.window(NOW)
ZONE = "TZID=W. Europe Standard Time"
HEADER = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE"""


def generate(events: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    first = (NOW - timedelta(days=85)).date()
    lines = [HEADER]
    number = 0
    while number < events:
        day = first + timedelta(days=rng.randrange(480))
        hour, minute = rng.randrange(7, 19), rng.choice((0, 15, 30, 45))
        length = rng.choice((30, 45, 60, 90, 120))
        start = datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)
        end = start + timedelta(minutes=length)
        uid = f"040000008200E00074C5B7101A82E008000000{number:08d}@outlook.example"
        event = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20270301T080000Z", f"SUMMARY:Termin {number}",
                 "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "CLASS:PUBLIC"]
        kind = rng.random()
        if kind < 0.03:
            event += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"]
        else:
            event += [f"DTSTART;{ZONE}:{start:%Y%m%dT%H%M%S}", f"DTEND;{ZONE}:{end:%Y%m%dT%H%M%S}"]
        if 0.03 <= kind < 0.05:
            event.append("TRANSP:TRANSPARENT")
        elif 0.05 <= kind < 0.06:
            event.append("STATUS:CANCELLED")
        series = 0.10 <= kind < 0.15 and number + 1 < events
        if series:
            event += ["RRULE:FREQ=WEEKLY;COUNT=10", f"EXDATE;{ZONE}:{start + timedelta(days=14):%Y%m%dT%H%M%S}"]
        lines.append("\n".join(event + ["END:VEVENT"]))
        number += 1
        if series:
            moved = start + timedelta(days=21)
            lines.append("\n".join([
                "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20270301T080000Z", f"SUMMARY:Termin {number - 1} (moved)",
                f"RECURRENCE-ID;{ZONE}:{moved:%Y%m%dT%H%M%S}",
                f"DTSTART;{ZONE}:{moved + timedelta(hours=2):%Y%m%dT%H%M%S}",
                f"DTEND;{ZONE}:{moved + timedelta(hours=2, minutes=length):%Y%m%dT%H%M%S}", "END:VEVENT"]))
            number += 1
    lines.append("END:VCALENDAR")
    return ("\r\n".join("\r\n".join(lines).split("\n")) + "\r\n").encode()


def median_seconds(action, runs: int) -> tuple[float, float, object]:
    """(median CPU seconds, median wall seconds, last result)."""
    cpus, walls, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(cpus), statistics.median(walls), result


def library_alone(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return recurring_ical_events.of(calendar).between(*WINDOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = generate(args.events)
    print(f"calendar: {args.events} VEVENTs, {len(data) / 1024:.0f} KiB; window {WINDOW[0]:%Y-%m-%d} to "
          f"{WINDOW[1]:%Y-%m-%d}; median of {args.runs} runs")

    library_alone(data)  # warm caches (zone data) for both sides
    library, library_wall, occurrences = median_seconds(lambda: library_alone(data), args.runs)
    reader, reader_wall, reading = median_seconds(
        lambda: read_calendar(data, *WINDOW, keep_subjects=True, limits=SETTINGS.limits), args.runs)
    print(f"recurring-ical-events alone (parse + expand): {library * 1000:7.0f} ms CPU {library_wall * 1000:7.0f} ms wall"
          f"  ({len(occurrences)} occurrences)")
    print(f"our reader (read_calendar):                   {reader * 1000:7.0f} ms CPU {reader_wall * 1000:7.0f} ms wall"
          f"  ({len(reading.busy)} busy, {reading.free} free, {reading.cancelled} cancelled)")
    print(f"ratio reader / recurring-ical-events:         {reader / library:7.2f} (CPU)")

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"})
        with app.app_context():
            db.create_all()
            principal = Principal(id=1, name="Mayor")
            db.session.add(principal)
            db.session.commit()
            reports = []

            def first_import():
                db.session.execute(BusyBlock.__table__.delete())
                db.session.commit()
                started = time.process_time()
                reports.append(import_calendar_data(principal, data, SETTINGS, now=NOW))
                db.session.commit()
                return time.process_time() - started

            def re_import():
                reports.append(import_calendar_data(principal, data, SETTINGS, now=NOW))
                db.session.commit()

            first_cpu = statistics.median(first_import() for _ in range(args.runs))
            first = reports[-1]
            again_cpu, again_wall, again = median_seconds(re_import, args.runs)
            again = reports[-1]
            print(f"first import into SQLite:                     {first_cpu * 1000:7.0f} ms CPU"
                  f"  ({first.added} added)")
            print(f"unchanged re-import:                          {again_cpu * 1000:7.0f} ms CPU {again_wall * 1000:7.0f} ms wall"
                  f"  ({again.unchanged} unchanged, {again.added + again.changed + again.removed} written)")
            print(f"ratio first import / recurring-ical-events:   {first_cpu / library:7.2f} (CPU)")
            db.drop_all()


if __name__ == "__main__":
    main()
