"""Reading what the workload board needs, as plain data, in a fixed number of queries however much there is."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from delegations.constants import DelegationStatus, ItemStatus
from delegations.extensions import db
from delegations.models import ChecklistTask, ContactPerson, Delegation, ProgrammeItem
from delegations.planning.conflicts import find_conflicts
from delegations.itinerary.panels import ConflictPanel, pair_with_acknowledgements
from delegations.planning.loading import WINDOW_MARGIN, load_schedule
from delegations.workload.board import (Board, ConflictLoad, ItemLoad, Person, TaskLoad, VisitLoad, Week, build_board,
                                        conflict_loads, range_bounds)


def people() -> list[Person]:
    return [Person(row.id, row.name, bool(row.active)) for row in db.session.execute(
        select(ContactPerson.id, ContactPerson.name, ContactPerson.active).order_by(ContactPerson.name))]


def item_loads(weeks: list[Week], exclude_delegation_id: int | None = None) -> list[ItemLoad]:
    start, end = range_bounds(weeks)
    statement = (select(ProgrammeItem.id, ProgrammeItem.responsible_id, ProgrammeItem.starts_at,
                        ProgrammeItem.ends_at, ProgrammeItem.delegation_id)
                 .join(Delegation, Delegation.id == ProgrammeItem.delegation_id)
                 .where(ProgrammeItem.responsible_id.is_not(None), ProgrammeItem.starts_at < end,
                        ProgrammeItem.ends_at > start, ProgrammeItem.status != ItemStatus.CANCELLED,
                        Delegation.status != DelegationStatus.CANCELLED))
    if exclude_delegation_id is not None:
        statement = statement.where(ProgrammeItem.delegation_id != exclude_delegation_id)
    return [ItemLoad(row.id, row.responsible_id, row.starts_at, row.ends_at, row.delegation_id)
            for row in db.session.execute(statement)]


def visit_loads(weeks: list[Week], exclude_delegation_id: int | None = None) -> list[VisitLoad]:
    start, end = range_bounds(weeks)
    statement = (select(Delegation.id, Delegation.title, Delegation.arrival_at, Delegation.departure_at,
                        Delegation.lead_contact_id, Delegation.deputy_contact_id)
                 .where(Delegation.arrival_at < end, Delegation.departure_at > start,
                        Delegation.status != DelegationStatus.CANCELLED,
                        (Delegation.lead_contact_id.is_not(None)) | (Delegation.deputy_contact_id.is_not(None))))
    if exclude_delegation_id is not None:
        statement = statement.where(Delegation.id != exclude_delegation_id)
    return [VisitLoad(row.id, row.title, row.arrival_at, row.departure_at, row.lead_contact_id,
                      row.deputy_contact_id) for row in db.session.execute(statement)]


def task_loads(weeks: list[Week], exclude_delegation_id: int | None = None) -> list[TaskLoad]:
    """Open tasks due by the end of the range (overdue ones included) or without a due date."""
    statement = (select(ChecklistTask.id, ChecklistTask.owner_id, ChecklistTask.due_on, ChecklistTask.delegation_id)
                 .join(Delegation, Delegation.id == ChecklistTask.delegation_id)
                 .where(ChecklistTask.owner_id.is_not(None), ChecklistTask.done_at.is_(None),
                        (ChecklistTask.due_on <= weeks[-1].sunday) | ChecklistTask.due_on.is_(None),
                        Delegation.status != DelegationStatus.CANCELLED))
    if exclude_delegation_id is not None:
        statement = statement.where(ChecklistTask.delegation_id != exclude_delegation_id)
    return [TaskLoad(row.id, row.owner_id, row.due_on, row.delegation_id) for row in db.session.execute(statement)]


@dataclass
class LoadedBoard:
    board: Board
    # The open conflicts counted on the board, for the list under it (sentences, visits, who is responsible).
    conflicts: ConflictPanel
    responsible: dict[str, tuple[int, ...]]


def conflicts_in(weeks: list[Week]) -> tuple[list[ConflictLoad], ConflictPanel]:
    """The conflicts of items with a responsible person in the range, found by the planning rules (the same the
    conflict lists show), without those acknowledged for the data as it is."""
    start, end = range_bounds(weeks)
    schedule = load_schedule(start - WINDOW_MARGIN, end + WINDOW_MARGIN)
    responsible_of = {item.id: item.responsible_id for item in schedule.items}
    wanted = [item.id for item in schedule.items
              if item.responsible_id is not None and item.starts_at < end and item.ends_at > start]
    conflicts = find_conflicts(schedule, wanted)
    entries = pair_with_acknowledgements(conflicts, schedule)
    settled = {entry.conflict.key for entry in entries if not entry.shouting}
    loads = conflict_loads(conflicts, responsible_of, settled)
    counted = {load.key for load in loads if start <= load.starts_at < end}
    panel = ConflictPanel([entry for entry in entries if entry.conflict.key in counted], None, schedule.stays)
    return loads, panel


def load_board(weeks: list[Week], zone: str, today: date, *, exclude_delegation_id: int | None = None,
               with_conflicts: bool = True) -> LoadedBoard:
    conflicts, panel = conflicts_in(weeks) if with_conflicts else ([], ConflictPanel([]))
    board = build_board(weeks, people(), item_loads(weeks, exclude_delegation_id),
                        visit_loads(weeks, exclude_delegation_id), task_loads(weeks, exclude_delegation_id),
                        conflicts, zone=zone, today=today)
    return LoadedBoard(board, panel, {load.key: load.contact_ids for load in conflicts})
