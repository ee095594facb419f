"""What planning keeps: acknowledged conflicts, and the items a planner asks the arrangement to place."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.constants import ItemKind
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson, Venue
from delegations.models.principals import Principal
from delegations.models.users import User
from delegations.models.visits import Delegation, ProgrammeItem


class ConflictAcknowledgement(Base):
    """A planner's "we know, it is fine" for one conflict, valid while the data it was about is unchanged.

    `conflict_key` names the conflict (rule and items), `fingerprint` the data it was about: when the items,
    the busy time or the stay change, the fingerprint no longer matches and the conflict shouts again.
    """

    __tablename__ = "conflict_acknowledgement"
    __table_args__ = (UniqueConstraint("delegation_id", "conflict_key"),
                      Index("ix_conflict_acknowledgement_key", "conflict_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    conflict_key: Mapped[str] = mapped_column(String(120))
    fingerprint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    delegation: Mapped[Delegation] = relationship()
    acknowledged_by: Mapped[User | None] = relationship()


class OrderRelation:
    """How a request relates to another item (kept as plain strings in the database)."""

    NONE = ""
    BEFORE = "before"
    AFTER = "after"


class ArrangementRequest(Base):
    """An item the planner wants in the programme, without a time yet: the arrangement finds one.

    Accepting a proposal turns the request into a programme item and deletes the request.
    """

    __tablename__ = "arrangement_request"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440", name="duration_range"),
        CheckConstraint("priority >= 1 AND priority <= 3", name="priority_range"),
        CheckConstraint("order_relation IN ('', 'before', 'after')", name="order_relation_known"),
        Index("ix_arrangement_request_delegation", "delegation_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, "request_item_kind"), default=ItemKind.MEETING)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principal.id", ondelete="SET NULL"), index=True)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"),
                                                       index=True)
    # 3 high, 2 normal, 1 low: when not everything fits, higher priorities are placed first.
    priority: Mapped[int] = mapped_column(default=2)
    # The time of day it must lie within (local time of the place); None: the planning day.
    earliest_time: Mapped[time | None] = mapped_column(Time)
    latest_time: Mapped[time | None] = mapped_column(Time)
    # ISO dates of the allowed days; empty: any day of the stay.
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    order_relation: Mapped[str] = mapped_column(String(10), default="")
    relative_item_id: Mapped[int | None] = mapped_column(ForeignKey("programme_item.id", ondelete="SET NULL"),
                                                         index=True)
    relative_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("arrangement_request.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation] = relationship()
    principal: Mapped[Principal | None] = relationship()
    venue: Mapped[Venue | None] = relationship()
    responsible: Mapped[ContactPerson | None] = relationship()
    relative_item: Mapped[ProgrammeItem | None] = relationship()
    relative_request: Mapped["ArrangementRequest | None"] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def key(self) -> str:
        return f"request-{self.id}"
