"""Loading a visit's travel, transfers and the data of the run sheets in a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from delegations.constants import ItemKind
from delegations.extensions import db
from delegations.models import (ContactPerson, Delegation, Member, ProgrammeItem, Transfer, TravelLeg, Venue)


def delegation_for_travel(delegation_id: int) -> Delegation | None:
    """A visit with its members and their legs (and the legs' venues), its items and its transfers."""
    transfers = selectinload(Delegation.transfers)
    return db.session.scalar(
        select(Delegation).where(Delegation.id == delegation_id)
        .options(joinedload(Delegation.lead_contact), joinedload(Delegation.deputy_contact),
                 selectinload(Delegation.members).selectinload(Member.travel_legs).joinedload(TravelLeg.venue),
                 selectinload(Delegation.items).joinedload(ProgrammeItem.venue),
                 transfers.selectinload(Transfer.passengers), transfers.joinedload(Transfer.driver_contact),
                 transfers.joinedload(Transfer.programme_item), transfers.joinedload(Transfer.travel_leg)))


def transfers_of(delegation_id: int) -> list[Transfer]:
    return list(db.session.scalars(
        select(Transfer).where(Transfer.delegation_id == delegation_id)
        .options(selectinload(Transfer.passengers).selectinload(Member.travel_legs).joinedload(TravelLeg.venue),
                 joinedload(Transfer.driver_contact), joinedload(Transfer.programme_item),
                 joinedload(Transfer.travel_leg))
        .order_by(Transfer.pickup_at, Transfer.id)))


def legs_of(delegation_id: int) -> list[TravelLeg]:
    return list(db.session.scalars(select(TravelLeg).where(TravelLeg.delegation_id == delegation_id)))


def venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name, Venue.room)))


def driver_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    from delegations.visits.queries import contact_choices

    return contact_choices(include_id=include_id)


def transfer_item_choices(delegation: Delegation) -> list[tuple[int, ProgrammeItem]]:
    return [(item.id, item) for item in delegation.items if item.kind == ItemKind.TRANSFER]


def contact_by_id(contact_id: int | None) -> ContactPerson | None:
    return db.session.get(ContactPerson, contact_id) if contact_id else None
