"""What the principals' pages show, each loaded in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from sqlalchemy import func, select

from delegations.constants import DelegationStatus, Direction
from delegations.extensions import db
from delegations.models import BusyBlock, Delegation, OfficeHours, Principal, PrincipalCalendar, ProgrammeItem
from delegations.models.calendars import BusySource


def principals_with_calendars() -> list[tuple[Principal, PrincipalCalendar | None]]:
    rows = db.session.execute(
        select(Principal, PrincipalCalendar)
        .outerjoin(PrincipalCalendar, PrincipalCalendar.principal_id == Principal.id)
        .order_by(Principal.active.desc(), Principal.kind.desc(), Principal.rank, Principal.name)).all()
    return [(principal, calendar) for principal, calendar in rows]


def office_hours_by_principal(principal_ids=None) -> dict[int, list[tuple[int, time, time]]]:
    statement = select(OfficeHours.principal_id, OfficeHours.weekday, OfficeHours.start_time, OfficeHours.end_time)
    if principal_ids is not None:
        statement = statement.where(OfficeHours.principal_id.in_(list(principal_ids)))
    found: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for principal_id, weekday, start, end in db.session.execute(statement.order_by(
            OfficeHours.principal_id, OfficeHours.weekday, OfficeHours.start_time)):
        found[principal_id].append((weekday, start, end))
    return found


def calendar_of(principal_id: int) -> PrincipalCalendar | None:
    return db.session.scalar(select(PrincipalCalendar).where(PrincipalCalendar.principal_id == principal_id))


def upcoming_manual_blocks(principal_id: int, now: datetime, limit: int = 100) -> list[BusyBlock]:
    return list(db.session.scalars(
        select(BusyBlock).where(BusyBlock.principal_id == principal_id, BusyBlock.source == BusySource.MANUAL,
                                BusyBlock.ends_at > now)
        .order_by(BusyBlock.starts_at).limit(limit)))


def imported_block_counts(principal_id: int, now: datetime) -> tuple[int, int]:
    """(all imported blocks, those still to come)."""
    total, upcoming = db.session.execute(
        select(func.count(BusyBlock.id), func.count(BusyBlock.id).filter(BusyBlock.ends_at > now))
        .where(BusyBlock.principal_id == principal_id, BusyBlock.source == BusySource.IMPORTED)).one()
    return total, upcoming


def visits_in(start: datetime, end: datetime) -> list[Delegation]:
    """Delegations and tours whose stay overlaps [start, end), cancelled ones left out."""
    return list(db.session.scalars(
        select(Delegation).where(Delegation.arrival_at < end, Delegation.departure_at > start,
                                 Delegation.status != DelegationStatus.CANCELLED)
        .order_by(Delegation.arrival_at, Delegation.id)))


def item_delegations(principal_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """Programme item id -> delegation id for the principal's items in [start, end)."""
    return dict(db.session.execute(
        select(ProgrammeItem.id, ProgrammeItem.delegation_id)
        .where(ProgrammeItem.principal_id == principal_id, ProgrammeItem.starts_at < end,
               ProgrammeItem.ends_at > start)).all())


def tours_of(principal_id: int) -> list[Delegation]:
    """Outgoing tours the principal travels on, latest first."""
    from delegations.models import delegation_principal

    return list(db.session.scalars(
        select(Delegation).join(delegation_principal, delegation_principal.c.delegation_id == Delegation.id)
        .where(delegation_principal.c.principal_id == principal_id, Delegation.direction == Direction.OUTGOING)
        .order_by(Delegation.arrival_at.desc()).limit(20)))


def find_principal(reference: str) -> list[Principal]:
    """Principals matching an id or a name (exact, ignoring case; else a unique part of the name)."""
    reference = reference.strip()
    if reference.isdigit():
        principal = db.session.get(Principal, int(reference))
        return [principal] if principal else []
    lowered = reference.lower()
    principals = db.session.scalars(select(Principal).order_by(Principal.id)).all()
    exact = [p for p in principals if lowered in (p.name.lower(), p.label.lower())]
    if exact:
        return exact
    return [p for p in principals if lowered in p.label.lower()]
