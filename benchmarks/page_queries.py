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
    fill_outbox(size, big)
    fill_travel(size, big, venues)
    fill_releases(big)
    fill_partners(size, contacts)
    create_user("planner@example.org", PASSWORD, Role.PLANNER, locale="en")
    db.session.commit()
    return big.id


def fill_outbox(size: int, visit: Delegation) -> None:
    """`size` change notices with a PDF each, every third acknowledged (the outbox page shows 50 per page)."""
    from delegations.models import OutboxAttachment, OutboxFile, OutboxMessage, OutboxState

    db.session.flush()
    pdf = OutboxFile(sha256="0" * 64, size=50_009, data=b"%PDF-1.7 " + b"x" * 50_000)  # one release's PDF, shared
    for number in range(size):
        sent = number % 2 == 0
        db.session.add(OutboxMessage(
            recipients=[f"person{number}@example.org"], recipient_name=f"Person {number}", subject=f"Notice {number}",
            body="Reception moved from 10:00 to 11:30.\n" * 20, dedupe_key=f"benchmark:{number}",
            message_id=f"<benchmark.{number}@example.org>", delegation_id=visit.id, purpose="change-notice",
            state=OutboxState.SENT if sent else OutboxState.QUEUED, sent_at=utc_now() if sent else None,
            ack_token_hash=f"{number:064x}", acknowledged_at=utc_now() if number % 3 == 0 else None,
            attachments=[OutboxAttachment(filename="programme.pdf", content_type="application/pdf", file=pdf)]))


def fill_partners(size: int, contacts: list[ContactPerson]) -> None:
    """One partner city (id 1) linked to all `size` visits, with a gift and a commitment per visit (dossier)."""
    from datetime import date

    from sqlalchemy import select

    from delegations.models import Gift, PartnerCity, PartnerCommitment
    from delegations.models.partners import PartnershipKind
    from delegations.models.protocol import GiftApproval, GiftDirection, GiftFate

    db.session.flush()
    city = PartnerCity(name="Poznań", country_code="PL", kind=PartnershipKind.TWINNING, since=date(1979, 10, 29),
                       since_day_known=True)
    db.session.add(city)
    for number, visit in enumerate(db.session.scalars(select(Delegation).where(Delegation.title.like("Visit %")))):
        visit.partner_city = city
        db.session.add(Gift(delegation=visit, visit_title=visit.title, direction=GiftDirection.GIVEN,
                            article=f"Gift {number}", given_on=date(2027, 5, 3), approval=GiftApproval.NOT_REQUIRED,
                            fate=GiftFate.HANDED_OVER))
        db.session.add(PartnerCommitment(city=city, text=f"Promise {number}", made_on=date(2027, 5, 3),
                                         delegation=visit, owner=contacts[number % 5], due_on=date(2027, 6, 1)))


def fill_releases(visit: Delegation) -> None:
    """Version 1 of the big visit's programme, then every item moved by half an hour: the visit page, the
    versions page and the release preview have `size` changes to show."""
    from delegations.releases import operations

    db.session.flush()
    pending = operations.pending_release(visit)
    operations.release_version(visit, None, expected_number=1, expected_hash=pending.snapshot_hash)
    for item in visit.items:
        item.starts_at += timedelta(minutes=30)
        item.ends_at += timedelta(minutes=30)


def fill_travel(size: int, visit: Delegation, venues: list[Venue]) -> None:
    """Every member of the big visit arrives by flight; one pick-up transfer per two members (run sheets)."""
    from delegations.models import Transfer, TravelLeg
    from delegations.models.travel import LegDirection, TransferKind, TravelMode

    db.session.flush()
    members = list(visit.members)
    for number, member in enumerate(members):
        db.session.add(TravelLeg(member=member, delegation_id=visit.id, direction=LegDirection.ARRIVAL,
                                 mode=TravelMode.FLIGHT, carrier_number=f"LH {2000 + number % 40}",
                                 scheduled_at=visit.arrival_at + timedelta(minutes=17 * number),
                                 timezone="Europe/Berlin", venue=venues[0], terminal="C"))
    for number in range(0, len(members), 2):
        db.session.add(Transfer(delegation=visit, kind=TransferKind.PICK_UP, timezone="Europe/Berlin",
                                pickup_at=visit.arrival_at + timedelta(minutes=17 * number + 45),
                                pickup_address="Flughafen Hannover, Terminal C", destination="Hotel",
                                passengers=members[number:number + 2]))


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
                          ("delegation detail", f"/delegations/{big_id}"), ("workload", "/workload/"),
                          ("outbox", "/outbox/"), ("travel", f"/delegations/{big_id}/travel"),
                          ("driver's sheet", f"/delegations/{big_id}/run-sheets/driver"),
                          ("security sheet", f"/delegations/{big_id}/run-sheets/security"),
                          ("versions", f"/delegations/{big_id}/versions"),
                          ("compare versions", f"/delegations/{big_id}/versions/compare?older=1&newer=current"),
                          ("release preview", f"/delegations/{big_id}/versions/release"),
                          ("partner dossier", "/partners/1"), ("partner list", "/partners/")):
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
