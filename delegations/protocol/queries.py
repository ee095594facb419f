"""Loading what the protocol pages show, each in a fixed number of queries (no N+1)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import joinedload, selectinload

from delegations.extensions import db
from delegations.models import (ChecklistTask, CityParticipant, Delegation, DiningTable, Gift, GoldenBookSigning,
                                Member, OfficeLevel, ProgrammeItem, ProtocolRank, SeatAssignment, TablePlan)
from delegations.models.protocol import GiftDirection, SigningStatus


def office_levels(include_inactive: bool = True) -> list[OfficeLevel]:
    statement = select(OfficeLevel).order_by(OfficeLevel.level, OfficeLevel.name)
    if not include_inactive:
        statement = statement.where(OfficeLevel.active.is_(True))
    return list(db.session.scalars(statement))


def offices_by_key() -> dict[str, OfficeLevel]:
    return {level.key: level for level in office_levels()}


def office_choices(include_id: int | None = None, locale: str = "de") -> list[tuple[str, str]]:
    return [(str(level.id), f"{level.label(locale)} ({level.level})") for level in office_levels()
            if level.active or level.id == include_id]


def _member_options():
    return (selectinload(Delegation.members).options(
        joinedload(Member.protocol_rank).joinedload(ProtocolRank.office_level),
        selectinload(Member.forms_of_address)))


def _participant_options(path):
    return path.options(joinedload(CityParticipant.office_level), joinedload(CityParticipant.principal))


def delegation_for_protocol(delegation_id: int) -> Delegation | None:
    """A visit with its members (ranks, forms of address), items (participants, overrides, plans), tasks."""
    items = selectinload(Delegation.items)
    return db.session.scalar(
        select(Delegation).where(Delegation.id == delegation_id)
        .options(_member_options(), joinedload(Delegation.lead_contact), joinedload(Delegation.deputy_contact),
                 items.joinedload(ProgrammeItem.venue), items.joinedload(ProgrammeItem.principal),
                 items.joinedload(ProgrammeItem.precedence_override),
                 items.joinedload(ProgrammeItem.interpreting),
                 items.selectinload(ProgrammeItem.table_plans),
                 _participant_options(items.selectinload(ProgrammeItem.protocol_participants)),
                 selectinload(Delegation.checklist_tasks).joinedload(ChecklistTask.owner)))


def item_for_protocol(item_id: int) -> ProgrammeItem | None:
    return db.session.scalar(
        select(ProgrammeItem).where(ProgrammeItem.id == item_id)
        .options(joinedload(ProgrammeItem.delegation).options(_member_options()),
                 joinedload(ProgrammeItem.precedence_override), joinedload(ProgrammeItem.interpreting),
                 joinedload(ProgrammeItem.principal), joinedload(ProgrammeItem.venue),
                 selectinload(ProgrammeItem.table_plans),
                 _participant_options(selectinload(ProgrammeItem.protocol_participants))))


def plan_for_page(plan_id: int) -> TablePlan | None:
    item = joinedload(TablePlan.item)
    return db.session.scalar(
        select(TablePlan).where(TablePlan.id == plan_id)
        .options(item.joinedload(ProgrammeItem.delegation).options(_member_options()),
                 item.joinedload(ProgrammeItem.precedence_override), item.joinedload(ProgrammeItem.venue),
                 _participant_options(item.selectinload(ProgrammeItem.protocol_participants)),
                 selectinload(TablePlan.tables), selectinload(TablePlan.seats)))


def gifts_of_year(year: int) -> list[Gift]:
    return list(db.session.scalars(
        select(Gift).where(extract("year", Gift.given_on) == year)
        .options(joinedload(Gift.delegation))
        .order_by(Gift.given_on, Gift.id)))


def gift_years() -> list[int]:
    years = {day.year for day in db.session.scalars(select(Gift.given_on).distinct()) if day is not None}
    return sorted(years, reverse=True)


def gifts_of_delegation(delegation_id: int) -> list[Gift]:
    return list(db.session.scalars(select(Gift).where(Gift.delegation_id == delegation_id)
                                   .order_by(Gift.given_on, Gift.id)))


def gifts_given() -> list[Gift]:
    """Every gift the city gave: the repeat check compares a new gift with all of them (one query)."""
    return list(db.session.scalars(select(Gift).where(Gift.direction == GiftDirection.GIVEN)))


def signing_of(delegation_id: int) -> GoldenBookSigning | None:
    return db.session.scalar(
        select(GoldenBookSigning).where(GoldenBookSigning.delegation_id == delegation_id)
        .options(selectinload(GoldenBookSigning.signatories), joinedload(GoldenBookSigning.item))
        .order_by(GoldenBookSigning.id.desc()).limit(1))


def signed_archive() -> list[GoldenBookSigning]:
    return list(db.session.scalars(
        select(GoldenBookSigning).where(GoldenBookSigning.status == SigningStatus.SIGNED)
        .options(selectinload(GoldenBookSigning.signatories), joinedload(GoldenBookSigning.delegation))
        .order_by(GoldenBookSigning.signed_on.desc(), GoldenBookSigning.id.desc())))


def planned_signings() -> list[GoldenBookSigning]:
    return list(db.session.scalars(
        select(GoldenBookSigning).where(GoldenBookSigning.status == SigningStatus.PLANNED)
        .options(selectinload(GoldenBookSigning.signatories), joinedload(GoldenBookSigning.delegation))
        .order_by(GoldenBookSigning.id)))


def overdue_tasks(today: date, owner_id: int | None = None, limit: int | None = None) -> list[ChecklistTask]:
    """Open tasks due before today, oldest first, with their visit and owner (one query)."""
    statement = (select(ChecklistTask)
                 .where(ChecklistTask.done_at.is_(None), ChecklistTask.due_on < today)
                 .options(joinedload(ChecklistTask.delegation), joinedload(ChecklistTask.owner))
                 .order_by(ChecklistTask.due_on, ChecklistTask.id))
    if owner_id is not None:
        statement = statement.where(ChecklistTask.owner_id == owner_id)
    if limit is not None:
        statement = statement.limit(limit)
    return list(db.session.scalars(statement))


def open_tasks_of(owner_id: int) -> list[ChecklistTask]:
    return list(db.session.scalars(
        select(ChecklistTask).where(ChecklistTask.owner_id == owner_id, ChecklistTask.done_at.is_(None))
        .options(joinedload(ChecklistTask.delegation)).order_by(ChecklistTask.due_on, ChecklistTask.id)))


def seat_rows(plan_id: int) -> list[SeatAssignment]:
    return list(db.session.scalars(select(SeatAssignment).where(SeatAssignment.plan_id == plan_id)))


def table_of(plan_id: int, table_id: int) -> DiningTable | None:
    table = db.session.get(DiningTable, table_id)
    return table if table is not None and table.plan_id == plan_id else None
