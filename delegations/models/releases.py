"""Released programme versions (immutable, numbered snapshots) and the printed copies made of a programme."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.models.base import Base, UTCDateTime, utc_now
from delegations.models.users import User
from delegations.models.visits import Delegation


class ImmutableVersionError(RuntimeError):
    """A released programme version cannot be changed: release a new one instead."""


class ProgrammeVersion(Base):
    """What a delegation's programme said when a planner released it ("Version 3, 12 March 2027, 14:05").

    Written once and never changed: change summaries compare two snapshots, so they stay right when
    the history log is pruned or the data changes again.
    """

    __tablename__ = "programme_version"
    __table_args__ = (
        UniqueConstraint("delegation_id", "number", name="delegation_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    released_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict] = mapped_column(JSON)
    snapshot_hash: Mapped[str] = mapped_column(String(64))

    delegation: Mapped[Delegation] = relationship()
    released_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProgrammeVersion {self.delegation_id} v{self.number}>"


@event.listens_for(ProgrammeVersion, "before_update")
def _refuse_changes(_mapper, _connection, target: ProgrammeVersion) -> None:
    raise ImmutableVersionError(f"programme version {target.number} of delegation {target.delegation_id} "
                                "is released and cannot be changed")


class PrintedCopy(Base):
    """A programme PDF produced from a delegation's data: one row per document, language and state of the data.

    `snapshot_hash` is the hash of the data the PDF showed; when the current data hashes differently,
    copies printed from it are stale. `version_number` names the released version it matched, if any.
    """

    __tablename__ = "printed_copy"
    __table_args__ = (
        UniqueConstraint("delegation_id", "kind", "language", "snapshot_hash", name="delegation_kind_language_hash"),
        Index("ix_printed_copy_delegation_produced", "delegation_id", "produced_at"),
        CheckConstraint("copies >= 1", name="copies_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    version_number: Mapped[int | None]
    snapshot_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))  # "programme", "programme-large", "notice", "guest"
    produced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    produced_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    copies: Mapped[int] = mapped_column(default=1)  # how often this same state was produced

    produced_by: Mapped[User | None] = relationship()
