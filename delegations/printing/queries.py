"""What printed documents read, each in a fixed number of queries however long the programme is."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from delegations.constants import DelegationStatus, ItemStatus, ProtocolLevel
from delegations.extensions import db
from delegations.models import Delegation, ProgrammeItem
from delegations.visits.queries import delegation_for_page


def delegation_for_print(delegation_id: int) -> Delegation | None:
    """A delegation with its contacts, members and items (venues, people, translations) loaded."""
    return delegation_for_page(delegation_id)


def week_items(start: datetime, end: datetime) -> list[ProgrammeItem]:
    """Appointments of principals overlapping [start, end), not cancelled, of visits not cancelled."""
    return list(db.session.scalars(
        select(ProgrammeItem)
        .join(ProgrammeItem.delegation)
        .where(ProgrammeItem.principal_id.is_not(None),
               ProgrammeItem.starts_at < end, ProgrammeItem.ends_at > start,
               ProgrammeItem.status != ItemStatus.CANCELLED,
               Delegation.status != DelegationStatus.CANCELLED)
        .options(joinedload(ProgrammeItem.delegation), joinedload(ProgrammeItem.venue),
                 joinedload(ProgrammeItem.principal), joinedload(ProgrammeItem.responsible))
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.id)))


def week_visits(start: datetime, end: datetime, with_items_of: set[int]) -> list[Delegation]:
    """Visits and tours in [start, end) that involve a principal: received by one, an appointment with one,
    or (tours) one travelling."""
    involves = [Delegation.protocol_level.in_([ProtocolLevel.MAYOR, ProtocolLevel.DEPUTY_MAYOR]),
                Delegation.id.in_(with_items_of or {-1})]
    options = [joinedload(Delegation.lead_contact)]
    travelling = getattr(Delegation, "travelling_principals", None)
    if travelling is not None:
        involves.append(travelling.any())
        options.append(selectinload(travelling))
    return list(db.session.scalars(
        select(Delegation)
        .where(Delegation.arrival_at < end, Delegation.departure_at > start,
               Delegation.status != DelegationStatus.CANCELLED, or_(*involves))
        .options(*options)
        .order_by(Delegation.arrival_at, Delegation.id)))


def week_counts(start: datetime, end: datetime) -> list[datetime]:
    """Start instants of the principals' appointments in a range (for the week picker's counts)."""
    return list(db.session.scalars(
        select(ProgrammeItem.starts_at)
        .join(ProgrammeItem.delegation)
        .where(ProgrammeItem.principal_id.is_not(None), ProgrammeItem.starts_at < end, ProgrammeItem.ends_at > start,
               ProgrammeItem.status != ItemStatus.CANCELLED, Delegation.status != DelegationStatus.CANCELLED)))

