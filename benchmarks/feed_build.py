"""Benchmark: the Mayor's feed for a year with 1,500 items, against icalendar alone, and the cost of a 304.

    .venv/bin/python benchmarks/feed_build.py            # SQLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/feed_build.py   # an EMPTY database

Prints medians:
- build: what a feed request does for a 200 (load items with their visit, venue, person and principal in
  two queries, build the events, add the VTIMEZONEs, serialise), without HTTP;
- icalendar alone: the same events made from plain values already in memory, plus VTIMEZONEs and
  serialisation (the floor for any icalendar-based feed), and to_ical() of the finished calendar alone;
- the ratios between them;
- a 200 and a 304 answer through the Flask test client (token lookup, fingerprint, headers).
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_babel import force_locale  # noqa: E402
from icalendar import Calendar, Event, vDuration  # noqa: E402

from delegations import create_app  # noqa: E402
from delegations.constants import Direction, ItemKind, ItemStatus, PrincipalKind  # noqa: E402
from delegations.extensions import db  # noqa: E402
from delegations.feeds import tokens  # noqa: E402
from delegations.feeds.calendar import CalendarOptions  # noqa: E402
from delegations.feeds.exporters import FeedPolicy, exporter  # noqa: E402
from delegations.models import (ContactPerson, Delegation, FeedDetail, FeedScope, Principal,  # noqa: E402
                                ProgrammeItem, Venue, utc_now)

ITEMS = 1500
VISITS = 150
BUILD_RUNS = 7
CONDITIONAL_RUNS = 300


class Timing:
    """Medians of wall-clock and CPU time (CPU time is steadier when other work shares the machine)."""

    def __init__(self, action, runs: int) -> None:
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        self.wall, self.cpu, self.runs = statistics.median(walls), statistics.median(cpus), runs

    def __str__(self) -> str:
        return f"{self.wall * 1000:8.2f} ms wall {self.cpu * 1000:8.2f} ms CPU (median of {self.runs})"

    def ratio(self, other: "Timing") -> str:
        return f"ratio {self.wall / other.wall:.2f} wall, {self.cpu / other.cpu:.2f} CPU"


def make_year(now) -> Principal:
    random.seed(4)
    mayor = Principal(name="Belit Onay", title="Oberbürgermeister", kind=PrincipalKind.MAYOR)
    venues = [Venue(name=f"Venue {n}", room=f"Room {n}", address=f"Street {n}\n30159 Hannover", notes="Side door")
              for n in range(30)]
    people = [ContactPerson(name=f"Contact {n}", phone="+49 511 1", email=f"c{n}@example.org") for n in range(20)]
    db.session.add_all([mayor, *venues, *people])
    items_per_visit = ITEMS // VISITS
    for number in range(VISITS):
        tour = number % 10 == 0
        zone = "Asia/Tokyo" if tour else "Europe/Berlin"
        arrival = (now + timedelta(days=1 + number * 360 / VISITS)).replace(minute=0, second=0, microsecond=0)
        visit = Delegation(title=f"Delegation {number}: Poznań, Shenzhen, İstanbul", city="Hannover",
                           country_code="JP" if tour else "PL", timezone=zone,
                           direction=Direction.OUTGOING if tour else Direction.INCOMING,
                           arrival_at=arrival, departure_at=arrival + timedelta(days=3),
                           lead_contact=random.choice(people), notes="Internal remark", hotel="Hotel")
        db.session.add(visit)
        for index in range(items_per_visit):
            start = arrival + timedelta(hours=2 + index * 5)
            db.session.add(ProgrammeItem(
                delegation=visit, title=f"Programme item {index}: Empfang, Mittagessen; 欢迎 Приём",
                kind=ItemKind.MEETING, starts_at=start, ends_at=start + timedelta(minutes=90),
                venue=random.choice(venues), responsible=random.choice(people), principal=mayor,
                description="Welcome by the Mayor.\nPhotos with the press.", internal_note="Gift: book",
                city_participants="Council members", dress_code="Business",
                status=ItemStatus.CANCELLED if index == 7 else ItemStatus.CONFIRMED))
    db.session.commit()
    return mayor


def plain_events(items) -> list[dict]:
    """The values of the events as plain Python, as icalendar would be handed them by any feed code."""
    return [{
        "uid": f"item-{item.id}@bench", "dtstamp": item.updated_at, "created": item.created_at,
        "last-modified": item.updated_at, "sequence": item.version - 1,
        "dtstart": item.starts_at.astimezone(ZoneInfo(item.delegation.timezone)),
        "dtend": item.ends_at.astimezone(ZoneInfo(item.delegation.timezone)),
        "summary": item.title, "status": "CONFIRMED", "transp": "OPAQUE", "categories": ["Meeting"],
        "location": f"{item.venue.name}, {item.venue.room}, Street 1, 30159 Hannover",
        "description": f"{item.description}\nDelegation: {item.delegation.title}\nWith: {item.principal.label}\n\n"
                       f"Participants: {item.city_participants}\nResponsible: {item.responsible.name}\n"
                       f"Internal note: {item.internal_note}\nIn the planner: https://x/delegations/{item.delegation_id}",
        "contact": f"{item.responsible.name}, {item.responsible.phone}",
        "url": f"https://x/delegations/{item.delegation_id}#item-{item.id}",
    } for item in items]


def icalendar_alone(values: list[dict], first: date, last: date) -> Calendar:
    calendar = Calendar()
    for name, value in (("prodid", "-//bench//EN"), ("version", "2.0"), ("method", "PUBLISH"),
                        ("name", "Mayor"), ("x-wr-calname", "Mayor")):
        calendar.add(name, value)
    calendar.add("refresh-interval", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(minutes=15)))
    for properties in values:
        event = Event()
        for name, value in properties.items():
            event.add(name, value)
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def main() -> None:
    folder = tempfile.mkdtemp(prefix="feed-bench-")
    url = os.environ.get("DATABASE_URL") or "sqlite:///" + os.path.join(folder, "bench.db")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        now = utc_now()
        mayor = make_year(now)
        mayor_id = mayor.id
        issued = tokens.issue_feed(FeedScope.PRINCIPAL, mayor_id, FeedDetail.INTERNAL, "Mayor's diary", locale="en")
        db.session.commit()
        policy = FeedPolicy.from_config(app.config)
        feed = exporter("principal")
        options = CalendarOptions(name="Mayor's diary", internal=True, uid_domain=policy.uid_domain,
                                  refresh=policy.refresh, locale="en",
                                  item_url=lambda item: f"https://x/delegations/{item.delegation_id}#item-{item.id}",
                                  visit_url=lambda visit: f"https://x/delegations/{visit.id}")

        def build() -> bytes:
            db.session.expunge_all()  # load from the database every time, as a request does
            with force_locale("en"):
                return feed.render(mayor_id, options, now, policy)

        body = build()
        event_count = body.count(b"BEGIN:VEVENT")
        build_time = Timing(build, BUILD_RUNS)

        items = feed.items(mayor_id, now, policy)
        values = plain_events(items)
        first, last = date(now.year - 1, 1, 1), date(now.year + 3, 1, 1)
        alone_time = Timing(lambda: icalendar_alone(values, first, last).to_ical(), BUILD_RUNS)
        finished = icalendar_alone(values, first, last)
        serialise_time = Timing(finished.to_ical, BUILD_RUNS)

        client = app.test_client()
        path = f"/feeds/{issued.token}.ics"
        first_response = client.get(path)
        assert first_response.status_code == 200, first_response.status_code
        etag = first_response.headers["ETag"]
        full_time = Timing(lambda: client.get(path), BUILD_RUNS)

        def conditional():
            response = client.get(path, headers={"If-None-Match": etag})
            assert response.status_code == 304

        not_modified_time = Timing(conditional, CONDITIONAL_RUNS)

    database = url.split(":", 1)[0]
    print(f"Mayor's feed: {event_count} events over a year ({ITEMS} items, {VISITS} visits, {database}), "
          f"{len(body) / 1024:.0f} KiB")
    print(f"build (query + events + VTIMEZONE + serialise)  {build_time}")
    print(f"icalendar alone (events from plain values)       {alone_time}  build: {build_time.ratio(alone_time)}")
    print(f"icalendar to_ical() of the finished calendar     {serialise_time}  build: {build_time.ratio(serialise_time)}")
    print(f"200 through the Flask test client                {full_time}")
    print(f"304 through the Flask test client                {not_modified_time}  "
          f"({full_time.wall / not_modified_time.wall:.0f}x cheaper than a 200)")

if __name__ == "__main__":
    main()
