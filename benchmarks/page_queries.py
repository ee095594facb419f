"""How the main pages scale: SQL statements and median response time for 10, 100 and 1000 visits/items.

Not a test: run it and read the table.

    .venv/bin/python benchmarks/page_queries.py [--sizes 10 100 1000] [--repeat 15]

Each size gets a fresh SQLite database in a temporary folder, holding `size` visits in the next two weeks
(one programme item and one member each) plus one visit with `size` programme items (with venues,
responsible persons, principals and translations) and `size` members. The pages are requested through
Flask's test client as a logged-in planner; the counts include the login check of each request.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delegations import create_app  # noqa: E402
from delegations.auth.operations import create_user  # noqa: E402
from delegations.constants import (DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole,  # noqa: E402
                                   PrincipalKind, Role)
from delegations.extensions import db  # noqa: E402
from delegations.models import (ContactPerson, Delegation, Member, Principal, ProgrammeItem,  # noqa: E402
                                ProgrammeItemTranslation, Venue, utc_now)

PASSWORD = "benchmark-password-1"


def fill(size: int) -> int:
    """Create the data for one size; returns the id of the visit with `size` items."""
    now = utc_now().replace(second=0, microsecond=0)
    mayor = Principal(name="Mayor", title="Oberbürgermeister", kind=PrincipalKind.MAYOR)
    contacts = [ContactPerson(name=f"Contact {number}", function="Referent") for number in range(5)]
    venues = [Venue(name=f"Venue {number}", room="Saal") for number in range(8)]
    db.session.add_all([mayor, *contacts, *venues])
    big = Delegation(direction=Direction.INCOMING, title="Big visit", country_code="PL", city="Poznań",
                     arrival_at=now - timedelta(hours=2), departure_at=now + timedelta(days=13),
                     status=DelegationStatus.CONFIRMED, languages=["pl", "en"], lead_contact=contacts[0],
                     deputy_contact=contacts[1])
    db.session.add(big)
    step = timedelta(days=13) / size
    for number in range(size):
        start = now + step * number
        item = ProgrammeItem(delegation=big, title=f"Item {number}", kind=ItemKind.MEETING, starts_at=start,
                             ends_at=start + min(step * 0.8, timedelta(hours=1)), venue=venues[number % 8],
                             responsible=contacts[number % 5], principal=mayor if number % 4 == 0 else None,
                             status=ItemStatus.CONFIRMED)
        item.translations.append(ProgrammeItemTranslation(language="en", title=f"Item {number} (en)"))
        db.session.add(item)
        db.session.add(Member(delegation=big, name=f"Member {number}", role=MemberRole.MEMBER, position=number))
    for number in range(size):
        arrival = now + timedelta(days=number % 13, hours=number % 7)
        visit = Delegation(direction=Direction.OUTGOING if number % 5 == 0 else Direction.INCOMING,
                           title=f"Visit {number}", country_code="JP" if number % 5 == 0 else "CN", city="City",
                           timezone="Asia/Tokyo" if number % 5 == 0 else "Europe/Berlin", arrival_at=arrival,
                           departure_at=arrival + timedelta(days=2), status=DelegationStatus.PLANNED,
                           lead_contact=contacts[number % 5])
        db.session.add(visit)
        db.session.add(ProgrammeItem(delegation=visit, title="Meeting", kind=ItemKind.MEETING,
                                     starts_at=arrival + timedelta(hours=3), ends_at=arrival + timedelta(hours=4),
                                     venue=venues[number % 8], status=ItemStatus.TENTATIVE))
        db.session.add(Member(delegation=visit, name=f"Guest {number}", role=MemberRole.HEAD))
    create_user("planner@example.org", PASSWORD, Role.PLANNER, locale="en")
    db.session.commit()
    return big.id


def measure(size: int, repeat: int) -> list[tuple[str, int, float]]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "benchmark",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/benchmark.db"})
        with app.app_context():
            db.create_all()
            big_id = fill(size)
            db.session.remove()
            statements: list[str] = []
            event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        client = app.test_client()
        client.post("/login", data={"email": "planner@example.org", "password": PASSWORD})
        rows = []
        for name, url in (("dashboard", "/"), ("list", "/delegations/"), ("list search", "/delegations/?q=visit"),
                          ("delegation detail", f"/delegations/{big_id}")):
            assert client.get(url).status_code == 200, url  # warm up caches (templates, metadata)
            durations, counts = [], set()
            for _ in range(repeat):
                statements.clear()
                started = time.perf_counter()
                response = client.get(url)
                durations.append((time.perf_counter() - started) * 1000)
                counts.add(len(statements))
                assert response.status_code == 200, url
            rows.append((name, max(counts), statistics.median(durations)))
        with app.app_context():
            db.engine.dispose()
        return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    results = {size: measure(size, options.repeat) for size in options.sizes}
    pages = [name for name, _count, _ms in results[options.sizes[0]]]
    header = f"{'page':<20}" + "".join(f"{f'{size} queries':>14}{f'{size} ms':>11}" for size in options.sizes)
    print(header)
    print("-" * len(header))
    for index, page in enumerate(pages):
        line = f"{page:<20}"
        for size in options.sizes:
            _name, count, milliseconds = results[size][index]
            line += f"{count:>14}{milliseconds:>11.1f}"
        print(line)
    print(f"\nSQLite, median of {options.repeat} requests per page; sizes = visits in the next 14 days "
          "and items/members of the detail visit.")


if __name__ == "__main__":
    main()
