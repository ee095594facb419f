"""Delegations (incoming visits and outgoing tours), their members and programme items."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (JSON, Boolean, CheckConstraint, ForeignKey, Index, String, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.constants import (DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole,
                                   PrincipalKind, ProtocolLevel)
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson, Venue
from delegations.models.principals import Principal
from delegations.models.users import User



class Delegation(Base):
    """A visit: an incoming delegation received at home, or an outgoing tour abroad."""

    __tablename__ = "delegation"
    __table_args__ = (
        CheckConstraint("departure_at > arrival_at", name="departure_after_arrival"),
        CheckConstraint("expected_size >= 0", name="size_not_negative"),
        Index("ix_delegation_arrival_departure", "arrival_at", "departure_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"), default=Direction.INCOMING)
    title: Mapped[str] = mapped_column(String(300))
    country_code: Mapped[str] = mapped_column(String(2), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    is_partner_city: Mapped[bool] = mapped_column(Boolean, default=False)
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_function: Mapped[str] = mapped_column(String(300), default="")
    expected_size: Mapped[int] = mapped_column(default=0)
    arrival_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The zone of the place where the programme happens: home for incoming, destination for tours.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[DelegationStatus] = mapped_column(enum_column(DelegationStatus, "delegation_status"),
                                                     default=DelegationStatus.INQUIRY, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set by _stamp_cancellation (feeds)
    protocol_level: Mapped[ProtocolLevel] = mapped_column(enum_column(ProtocolLevel, "protocol_level"),
                                                          default=ProtocolLevel.UNIT)
    hotel: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # internal: never shown to guests
    lead_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"), index=True)
    deputy_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"), index=True)
    # The partner city or organisation this visit belongs to (models/partners.py; `partner_city` is its backref).
    partner_city_id: Mapped[int | None] = mapped_column(ForeignKey("partner_city.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    lead_contact: Mapped[ContactPerson | None] = relationship(foreign_keys=[lead_contact_id])
    deputy_contact: Mapped[ContactPerson | None] = relationship(foreign_keys=[deputy_contact_id])
    members: Mapped[list["Member"]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Member.position, Member.id)")
    items: Mapped[list["ProgrammeItem"]] = relationship(
        back_populates="delegation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ProgrammeItem.starts_at, ProgrammeItem.id)")
    # Outgoing tours: the principals who travel (busy for the whole trip); table in models/calendars.py.
    travelling_principals: Mapped[list[Principal]] = relationship(
        secondary="delegation_principal", order_by="(Principal.kind, Principal.rank, Principal.id)")

    __mapper_args__ = {"version_id_col": version}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def __repr__(self) -> str:
        return f"<Delegation {self.id} {self.title!r}>"


class Member(Base):
    """A person in a delegation (or a traveller on a tour)."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(300), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, "member_role"), default=MemberRole.MEMBER)
    dietary_needs: Mapped[str] = mapped_column(String(500), default="")
    accessibility_needs: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    position: Mapped[int] = mapped_column(default=0)
    # Set by the retention job once the personal details have been removed (GDPR).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": version}


class ProgrammeItem(Base):
    """One entry of a delegation's itinerary."""

    __tablename__ = "programme_item"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="end_after_start"),
        Index("ix_programme_item_delegation_start", "delegation_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind, "item_kind"), default=ItemKind.MEETING)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"), index=True)
    # The Mayor or a deputy mayor who takes part (None: no principal).
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principal.id", ondelete="SET NULL"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"), index=True)
    city_participants: Mapped[str] = mapped_column(Text, default="")
    dress_code: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # shown to the delegation
    internal_note: Mapped[str] = mapped_column(Text, default="")  # never leaves the unit
    talking_points: Mapped[str] = mapped_column(Text, default="")  # internal: for the principal's briefing
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus, "item_status"), default=ItemStatus.TENTATIVE)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set by _stamp_cancellation (feeds)
    # Marked fixed by the planner: the arrangement never moves it (confirmed items never move either).
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation] = relationship(back_populates="items")
    venue: Mapped[Venue | None] = relationship()
    principal: Mapped[Principal | None] = relationship()
    responsible: Mapped[ContactPerson | None] = relationship()
    translations: Mapped[list["ProgrammeItemTranslation"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProgrammeItemTranslation.language")

    __mapper_args__ = {"version_id_col": version}

    @property
    def mayor_participates(self) -> bool:
        return self.principal is not None and self.principal.kind == PrincipalKind.MAYOR

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def translation(self, language: str) -> "ProgrammeItemTranslation | None":
        return next((t for t in self.translations if t.language == language), None)

    def title_in(self, language: str) -> str:
        found = self.translation(language)
        return found.title if found and found.title else self.title

    def description_in(self, language: str) -> str:
        found = self.translation(language)
        return found.description if found and found.description else self.description


@event.listens_for(Delegation.status, "set", active_history=True)
@event.listens_for(ProgrammeItem.status, "set", active_history=True)
def _stamp_cancellation(target, value, oldvalue, _initiator) -> None:
    """Remember when a visit or an item was cancelled, whichever code path cancels it: calendar
    feeds keep a cancellation visible for a while (STATUS:CANCELLED), then drop the event."""
    if value == "cancelled":
        if oldvalue != "cancelled" or target.cancelled_at is None:
            target.cancelled_at = utc_now()
    else:
        target.cancelled_at = None


class ProgrammeItemTranslation(Base):
    __tablename__ = "programme_item_translation"
    __table_args__ = (UniqueConstraint("item_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[ProgrammeItem] = relationship(back_populates="translations")


class MemberImport(Base):
    """A parsed participant list waiting for the planner to confirm the preview."""

    __tablename__ = "member_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    created_by: Mapped[User | None] = relationship()
