"""Small factories for test data: each returns a flushed object with sensible defaults."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from delegations.constants import DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole, PrincipalKind
from delegations.extensions import db
from delegations.models import ContactPerson, Delegation, Member, Principal, ProgrammeItem, Venue
from delegations.zones import attach_zone

_sequence = count(1)


def berlin(text: str) -> datetime:
    """'2027-03-28 10:00' as a wall-clock time in Berlin, returned as a UTC instant."""
    return attach_zone(datetime.fromisoformat(text), "Europe/Berlin")


def make_contact(**values) -> ContactPerson:
    number = next(_sequence)
    contact = ContactPerson(**{"name": f"Contact {number}", "function": "Referent", "phone": "+49 511 1",
                               "email": f"contact{number}@example.org", "languages": ["de", "en"], **values})
    db.session.add(contact)
    db.session.flush()
    return contact


def make_venue(**values) -> Venue:
    venue = Venue(**{"name": f"Venue {next(_sequence)}", "address": "Trammplatz 2\n30159 Hannover", **values})
    db.session.add(venue)
    db.session.flush()
    return venue


def make_principal(**values) -> Principal:
    principal = Principal(**{"name": f"Principal {next(_sequence)}", "title": "Oberbürgermeister",
                             "kind": PrincipalKind.MAYOR, **values})
    db.session.add(principal)
    db.session.flush()
    return principal


def make_delegation(**values) -> Delegation:
    arrival = values.pop("arrival_at", berlin("2027-05-03 09:00"))
    delegation = Delegation(**{
        "direction": Direction.INCOMING, "title": f"Delegation {next(_sequence)}", "country_code": "PL",
        "city": "Poznań", "arrival_at": arrival, "departure_at": arrival + timedelta(days=3),
        "timezone": "Europe/Berlin", "languages": ["pl", "en"], "status": DelegationStatus.PLANNED, **values})
    db.session.add(delegation)
    db.session.flush()
    return delegation


def make_member(delegation: Delegation, **values) -> Member:
    member = Member(**{"delegation": delegation, "name": f"Member {next(_sequence)}", "role": MemberRole.MEMBER,
                       **values})
    db.session.add(member)
    db.session.flush()
    return member


def make_item(delegation: Delegation, start: datetime | None = None, minutes: int = 60, **values) -> ProgrammeItem:
    start = start or delegation.arrival_at + timedelta(hours=2)
    item = ProgrammeItem(**{"delegation": delegation, "title": f"Item {next(_sequence)}", "kind": ItemKind.MEETING,
                            "starts_at": start, "ends_at": start + timedelta(minutes=minutes),
                            "status": ItemStatus.CONFIRMED, **values})
    db.session.add(item)
    db.session.flush()
    return item
