"""What the outbox page shows: messages newest first, filtered by state or visit, and the count per state."""
from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from delegations.extensions import db
from delegations.models import OutboxAttachment, OutboxMessage, OutboxState


def outbox_listing(state: OutboxState | None = None, delegation_id: int | None = None) -> Select:
    """Messages for the outbox page, with their visit and attachment names (not the files) loaded up front."""
    statement = (select(OutboxMessage)
                 .options(selectinload(OutboxMessage.delegation),
                          selectinload(OutboxMessage.attachments))
                 .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    if state is not None:
        statement = statement.where(OutboxMessage.state == state)
    if delegation_id is not None:
        statement = statement.where(OutboxMessage.delegation_id == delegation_id)
    return statement


def state_counts(delegation_id: int | None = None) -> dict[OutboxState, int]:
    statement = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    if delegation_id is not None:
        statement = statement.where(OutboxMessage.delegation_id == delegation_id)
    counts = {state: 0 for state in OutboxState}
    counts.update({state: number for state, number in db.session.execute(statement)})
    return counts
