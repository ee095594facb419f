"""The audit trail: who changed which record when, and what a deleted row looked like."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from delegations.models.base import Base, UTCDateTime, utc_now


class AuditAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    RESTORED = "restored"
    ANONYMISED = "anonymised"


class AuditEntry(Base):
    """One change to one record, written by the history recorder in the same transaction as the change.

    `changes` maps a field to [old, new] (JSON values: instants as ISO strings in UTC, enums by value);
    `snapshot` keeps every column of a deleted row (and its translations) so that it can be restored.
    `delegation_id` has no foreign key on purpose: the history of a deleted visit stays readable.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity_type", "entity_id"),
        Index("ix_audit_entry_delegation_at", "delegation_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # The actor's name at the time ("Pia Planer"), or "system:cli" / "system:retention" for commands.
    actor_name: Mapped[str] = mapped_column(String(254), default="")
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    delegation_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(20))
    # The record's name at the time of the change ("Reception at the New Town Hall").
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.entity_type} {self.entity_id}>"
