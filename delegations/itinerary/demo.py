"""Demo data for planning: a few items the Poznań visit still needs, so that "Arrange the programme" has work."""
from __future__ import annotations

from datetime import time

from sqlalchemy import select

from delegations.constants import ItemKind, PrincipalKind
from delegations.extensions import db
from delegations.models import ArrangementRequest, Delegation, Principal, ProgrammeItem, Venue

VISIT_TITLE = "Delegation der Partnerstadt Poznań"


def ensure_demo_requests(lines: list[str]) -> None:
    """Add the items to place once (safe to run again: nothing is added when the visit has some already)."""
    visit = db.session.scalar(select(Delegation).where(Delegation.title == VISIT_TITLE))
    if visit is None or db.session.scalar(select(ArrangementRequest.id).where(
            ArrangementRequest.delegation_id == visit.id).limit(1)) is not None:
        return
    mayor = db.session.scalar(select(Principal.id).where(Principal.kind == PrincipalKind.MAYOR).order_by(Principal.rank))
    town_hall = db.session.scalar(select(Venue.id).where(Venue.name == "Neues Rathaus").order_by(Venue.id))
    reception = db.session.scalar(select(ProgrammeItem.id).where(
        ProgrammeItem.delegation_id == visit.id, ProgrammeItem.kind == ItemKind.RECEPTION))
    for position, values in enumerate((
        dict(title="Pressegespräch mit dem Oberbürgermeister", kind=ItemKind.PRESS, duration_minutes=45,
             principal_id=mayor, venue_id=town_hall, priority=3),
        dict(title="Abendessen mit dem Partnerschaftsverein", kind=ItemKind.MEAL, duration_minutes=120,
             earliest_time=time(18, 30), latest_time=time(22, 0)),
        dict(title="Stadtrundgang Altstadt", kind=ItemKind.VISIT, duration_minutes=90,
             order_relation="after" if reception else "", relative_item_id=reception, priority=1),
    ), start=1):
        db.session.add(ArrangementRequest(delegation_id=visit.id, position=position, **values))
    lines.append(f"Added 3 items to place for: {VISIT_TITLE}")
