"""Protocol: ranking rules and ranks, forms of address, city-side participants, table plans, gifts,
the Golden Book and the protocol checklist."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, backref, mapped_column, object_session, relationship
from sqlalchemy.orm.base import NO_VALUE

from delegations.constants import LabelledEnum
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson
from delegations.models.principals import Principal
from delegations.models.users import User
from delegations.models.visits import Delegation, Member, ProgrammeItem


class TieBreaker(LabelledEnum):
    NONE = "none"
    ACCREDITATION = "accreditation"
    SERVICE = "service"
    ORDINAL = "ordinal"

    @classmethod
    def _labels(cls):
        return {cls.NONE: _l("None (by name)"), cls.ACCREDITATION: _l("Date of accreditation (earlier first)"),
                cls.SERVICE: _l("Length of service (longer first)"), cls.ORDINAL: _l("Order number (1 before 2)")}


class Salutation(LabelledEnum):
    MS = "ms"
    MR = "mr"
    NEUTRAL = "neutral"

    @classmethod
    def _labels(cls):
        return {cls.MS: _l("Ms / Frau"), cls.MR: _l("Mr / Herr"), cls.NEUTRAL: _l("Neutral (by full name)")}


class CityRole(LabelledEnum):
    HOST = "host"
    CO_HOST = "co_host"
    PARTICIPANT = "participant"
    INTERPRETER = "interpreter"
    GUEST = "guest"  # invited by the city (a consul, a partner): seated on the guests' side

    @classmethod
    def _labels(cls):
        return {cls.HOST: _l("Host"), cls.CO_HOST: _l("Co-host"), cls.PARTICIPANT: _l("Participant"),
                cls.INTERPRETER: _l("Interpreter"), cls.GUEST: _l("Guest of the city")}


class TableShape(LabelledEnum):
    ROUND = "round"
    RECTANGULAR = "rectangular"
    HEAD = "head"

    @classmethod
    def _labels(cls):
        return {cls.ROUND: _l("Round"), cls.RECTANGULAR: _l("Rectangular (seats all round)"),
                cls.HEAD: _l("Head table (one side, facing the room)")}


class InterpretingMode(LabelledEnum):
    CONSECUTIVE = "consecutive"
    SIMULTANEOUS = "simultaneous"
    WHISPERED = "whispered"
    NONE = "none"

    @classmethod
    def _labels(cls):
        return {cls.CONSECUTIVE: _l("Consecutive"), cls.SIMULTANEOUS: _l("Simultaneous (with booth)"),
                cls.WHISPERED: _l("Whispered"), cls.NONE: _l("No interpreting")}


class GiftDirection(LabelledEnum):
    GIVEN = "given"
    RECEIVED = "received"

    @classmethod
    def _labels(cls):
        return {cls.GIVEN: _l("Given by the city"), cls.RECEIVED: _l("Received by the city")}


class GiftApproval(LabelledEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @classmethod
    def _labels(cls):
        return {cls.NOT_REQUIRED: _l("No approval needed"), cls.PENDING: _l("Waiting for approval"),
                cls.APPROVED: _l("Approved"), cls.REFUSED: _l("Refused")}


class GiftFate(LabelledEnum):
    UNDECIDED = "undecided"
    HANDED_OVER = "handed_over"
    KEPT = "kept"
    DISPLAYED = "displayed"
    ARCHIVED = "archived"
    DONATED = "donated"

    @classmethod
    def _labels(cls):
        return {cls.UNDECIDED: _l("Not yet decided"), cls.HANDED_OVER: _l("Handed over to the recipient"),
                cls.KEPT: _l("Kept by the city"), cls.DISPLAYED: _l("Displayed"), cls.ARCHIVED: _l("Archived"),
                cls.DONATED: _l("Donated")}


class SigningStatus(LabelledEnum):
    PLANNED = "planned"
    SIGNED = "signed"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {cls.PLANNED: _l("Planned"), cls.SIGNED: _l("Signed"), cls.CANCELLED: _l("Not taking place")}


class OfficeLevel(Base):
    """A ranking rule: an office, its level (smaller ranks higher) and the tie-breaker within it."""

    __tablename__ = "office_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # German, as the unit uses it
    name_en: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int] = mapped_column(index=True)
    tie_breaker: Mapped[TieBreaker] = mapped_column(enum_column(TieBreaker, "tie_breaker"), default=TieBreaker.NONE)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def label(self, locale: str = "de") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<OfficeLevel {self.key} {self.level}>"


class ProtocolRank(Base):
    """A delegation member's protocol data: office level and tie-breakers, languages, name in their script."""

    __tablename__ = "protocol_rank"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), unique=True)
    office_level_id: Mapped[int | None] = mapped_column(ForeignKey("office_level.id", ondelete="SET NULL"), index=True)
    accredited_on: Mapped[date | None] = mapped_column(Date)
    serving_since: Mapped[date | None] = mapped_column(Date)
    ordinal: Mapped[int | None]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    salutation: Mapped[Salutation] = mapped_column(enum_column(Salutation, "salutation"), default=Salutation.NEUTRAL)
    native_name: Mapped[str] = mapped_column(String(200), default="")  # e.g. 王建国, Иван Петров
    native_language: Mapped[str] = mapped_column(String(8), default="")  # the language of that script: zh, ru
    interprets_for_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship(foreign_keys=[member_id], backref=backref(
        "protocol_rank", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    office_level: Mapped[OfficeLevel | None] = relationship()
    interprets_for: Mapped[Member | None] = relationship(foreign_keys=[interprets_for_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def name(self) -> str:  # the history names the record after its person
        return self.member.name if self.member else ""

    @property
    def delegation_id(self) -> int | None:
        return self.member.delegation_id if self.member is not None else None


class FormOfAddress(Base):
    """How to speak to, write to and name one guest in one language, and when that was last checked."""

    __tablename__ = "form_of_address"
    __table_args__ = (UniqueConstraint("member_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200), default="")        # "S. E.", "Seine Exzellenz", "閣下"
    name: Mapped[str] = mapped_column(String(200), default="")         # the name as written in this language
    function: Mapped[str] = mapped_column(String(300), default="")     # "Botschafter der Republik Korea"
    spoken: Mapped[str] = mapped_column(String(300), default="")       # "Herr Botschafter"
    salutation: Mapped[str] = mapped_column(String(300), default="")   # "Exzellenz,"
    address_block: Mapped[str] = mapped_column(Text, default="")
    last_checked_on: Mapped[date | None] = mapped_column(Date)
    checked_with: Mapped[str] = mapped_column(String(200), default="")  # "Protokoll der Botschaft, Frau Kim"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship(backref=backref(
        "forms_of_address", cascade="all, delete-orphan", passive_deletes=True,
        order_by="FormOfAddress.language"))

    __mapper_args__ = {"version_id_col": version}

    @property
    def delegation_id(self) -> int | None:
        return self.member.delegation_id if self.member is not None else None


class CityParticipant(Base):
    """Someone the city brings to a programme item: the host, co-hosts, councillors, interpreters, and guests
    the city invites (consuls, partners), who sit on the guests' side."""

    __tablename__ = "city_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principal.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[CityRole] = mapped_column(enum_column(CityRole, "city_role"), default=CityRole.PARTICIPANT)
    native_name: Mapped[str] = mapped_column(String(200), default="")
    native_language: Mapped[str] = mapped_column(String(8), default="")
    accredited_on: Mapped[date | None] = mapped_column(Date)
    office_level_id: Mapped[int | None] = mapped_column(ForeignKey("office_level.id", ondelete="SET NULL"), index=True)
    serving_since: Mapped[date | None] = mapped_column(Date)
    ordinal: Mapped[int | None]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    dietary_needs: Mapped[str] = mapped_column(String(500), default="")
    accessibility_needs: Mapped[str] = mapped_column(String(500), default="")
    interprets_for_member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    interprets_for_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("city_participant.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    item: Mapped[ProgrammeItem] = relationship(backref=backref(
        "protocol_participants", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(CityParticipant.position, CityParticipant.id)"))
    principal: Mapped[Principal | None] = relationship()
    office_level: Mapped[OfficeLevel | None] = relationship()
    interprets_for_member: Mapped[Member | None] = relationship(foreign_keys=[interprets_for_member_id])
    interprets_for_participant: Mapped["CityParticipant | None"] = relationship(
        foreign_keys=[interprets_for_participant_id], remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def delegation_id(self) -> int | None:
        return self.item.delegation_id if self.item is not None else None


class PrecedenceOverride(Base):
    """For one event, the order a planner decided instead of the rules, and why."""

    __tablename__ = "precedence_override"
    __table_args__ = (CheckConstraint("reason <> ''", name="reason_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), unique=True)
    keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # "member:12", "city:4" in the decided order
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    decided_by_name: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    item: Mapped[ProgrammeItem] = relationship(backref=backref(
        "precedence_override", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    decided_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return self.item.title if self.item is not None else ""

    @property
    def delegation_id(self) -> int | None:
        return self.item.delegation_id if self.item is not None else None


class ItemInterpreting(Base):
    """How a programme item is interpreted (the default follows its kind)."""

    __tablename__ = "item_interpreting"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), unique=True)
    mode: Mapped[InterpretingMode] = mapped_column(enum_column(InterpretingMode, "interpreting_mode"))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    item: Mapped[ProgrammeItem] = relationship(backref=backref(
        "interpreting", uselist=False, cascade="all, delete-orphan", passive_deletes=True))

    __mapper_args__ = {"version_id_col": version}


class TablePlan(Base):
    """The seating of one official meal or reception. `revision` rises with every change; the plan is
    approved when `approved_revision` equals it."""

    __tablename__ = "table_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("programme_item.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    revision: Mapped[int] = mapped_column(default=1)
    approved_revision: Mapped[int | None]
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    approved_by_name: Mapped[str] = mapped_column(String(254), default="")
    absent_keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # people not at this meal
    # What the last automatic seating said about those it could not seat: [{"key", "reason", "about"}].
    unseated: Mapped[list[dict]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    item: Mapped[ProgrammeItem] = relationship(backref=backref(
        "table_plans", cascade="all, delete-orphan", passive_deletes=True, order_by="TablePlan.id"))
    approved_by: Mapped[User | None] = relationship()
    tables: Mapped[list["DiningTable"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(DiningTable.position, DiningTable.id)")
    seats: Mapped[list["SeatAssignment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_approved(self) -> bool:
        return self.approved_revision is not None and self.approved_revision == self.revision

    @property
    def delegation_id(self) -> int | None:
        return self.item.delegation_id if self.item is not None else None

    @property
    def name(self) -> str:
        return self.title or (self.item.title if self.item is not None else "")


class DiningTable(Base):
    __tablename__ = "dining_table"
    __table_args__ = (
        UniqueConstraint("plan_id", "name"),
        CheckConstraint("seats >= 2 AND seats <= 60", name="seats_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("table_plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    shape: Mapped[TableShape] = mapped_column(enum_column(TableShape, "table_shape"), default=TableShape.ROUND)
    seats: Mapped[int] = mapped_column(default=8)
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[TablePlan] = relationship(back_populates="tables")
    assignments: Mapped[list["SeatAssignment"]] = relationship(
        back_populates="table", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SeatAssignment.seat")

    @property
    def delegation_id(self) -> int | None:
        return self.plan.delegation_id if self.plan is not None else None


class SeatAssignment(Base):
    """One person on one seat. The database itself refuses a person seated twice in a plan or two on one seat."""

    __tablename__ = "seat_assignment"
    __table_args__ = (
        UniqueConstraint("table_id", "seat"),
        UniqueConstraint("plan_id", "member_id"),
        UniqueConstraint("plan_id", "participant_id"),
        CheckConstraint("(member_id IS NULL AND participant_id IS NOT NULL) OR "
                        "(member_id IS NOT NULL AND participant_id IS NULL)", name="one_person"),
        CheckConstraint("seat >= 1", name="seat_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("table_plan.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("dining_table.id", ondelete="CASCADE"), index=True)
    seat: Mapped[int]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("city_participant.id", ondelete="CASCADE"),
                                                       index=True)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)  # placed by hand, not by the automatic seating

    plan: Mapped[TablePlan] = relationship(back_populates="seats")
    table: Mapped[DiningTable] = relationship(back_populates="assignments")
    member: Mapped[Member | None] = relationship()
    participant: Mapped[CityParticipant | None] = relationship()

    @property
    def person_key(self) -> str:
        return f"member:{self.member_id}" if self.member_id is not None else f"city:{self.participant_id}"


class Gift(Base):
    """A gift given or received on a visit, for the register and the council's annual report."""

    __tablename__ = "gift"
    __table_args__ = (
        CheckConstraint("value_cents IS NULL OR value_cents >= 0", name="value_not_negative"),
        Index("ix_gift_given_on_direction", "given_on", "direction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A gift outlives its visit in the register: the visit's title is kept beside it.
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    visit_title: Mapped[str] = mapped_column(String(300), default="")
    direction: Mapped[GiftDirection] = mapped_column(enum_column(GiftDirection, "gift_direction"))
    article: Mapped[str] = mapped_column(String(200))  # what it is, briefly
    description: Mapped[str] = mapped_column(Text, default="")
    giver: Mapped[str] = mapped_column(String(300), default="")
    recipient: Mapped[str] = mapped_column(String(300), default="")
    counterpart_organisation: Mapped[str] = mapped_column(String(300), default="")  # the other side's city, office
    occasion: Mapped[str] = mapped_column(String(300), default="")
    given_on: Mapped[date] = mapped_column(Date)
    value_cents: Mapped[int | None]  # estimated value in euro cents
    approval: Mapped[GiftApproval] = mapped_column(enum_column(GiftApproval, "gift_approval"),
                                                   default=GiftApproval.NOT_REQUIRED)
    approval_note: Mapped[str] = mapped_column(String(500), default="")
    decided_by_name: Mapped[str] = mapped_column(String(254), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")  # where it is kept
    fate: Mapped[GiftFate] = mapped_column(enum_column(GiftFate, "gift_fate"), default=GiftFate.UNDECIDED)
    fate_note: Mapped[str] = mapped_column(Text, default="")
    photo_file: Mapped[str] = mapped_column(String(100), default="")  # stored name in the instance folder
    photo_type: Mapped[str] = mapped_column(String(40), default="")
    photo_bytes: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def estimated_value(self) -> Decimal | None:
        return None if self.value_cents is None else Decimal(self.value_cents) / 100

    @property
    def counterpart(self) -> str:
        return self.recipient if self.direction == GiftDirection.GIVEN else self.giver

    @property
    def title(self) -> str:
        return self.article


class GoldenBookSigning(Base):
    """A signing of the city's Golden Book: planned for a visit, prepared, then archived."""

    __tablename__ = "golden_book_signing"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("programme_item.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")  # kept for the archive: "Botschafter der Republik Korea"
    status: Mapped[SigningStatus] = mapped_column(enum_column(SigningStatus, "signing_status"),
                                                  default=SigningStatus.PLANNED, index=True)
    signed_on: Mapped[date | None] = mapped_column(Date, index=True)
    prepared_text: Mapped[str] = mapped_column(Text, default="")
    book_reference: Mapped[str] = mapped_column(String(200), default="")  # "Band IV, Seite 37"
    archive_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation | None] = relationship()
    item: Mapped[ProgrammeItem | None] = relationship()
    signatories: Mapped[list["GoldenBookSignatory"]] = relationship(
        back_populates="signing", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(GoldenBookSignatory.position, GoldenBookSignatory.id)")

    __mapper_args__ = {"version_id_col": version}


class GoldenBookSignatory(Base):
    __tablename__ = "golden_book_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    signing_id: Mapped[int] = mapped_column(ForeignKey("golden_book_signing.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(300), default="")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_by_name: Mapped[str] = mapped_column(String(254), default="")
    position: Mapped[int] = mapped_column(default=0)

    signing: Mapped[GoldenBookSigning] = relationship(back_populates="signatories")
    member: Mapped[Member | None] = relationship()


class ChecklistTask(Base):
    """One protocol task of a visit: from a template (invitation, hotel, interpreters, ...) or added by hand."""

    __tablename__ = "checklist_task"
    __table_args__ = (
        UniqueConstraint("delegation_id", "template_key"),
        Index("ix_checklist_task_open_due", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    template_key: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_name: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation] = relationship(backref=backref(
        "checklist_tasks", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(ChecklistTask.due_on, ChecklistTask.id)"))
    owner: Mapped[ContactPerson | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def done(self) -> bool:
        return self.done_at is not None


@event.listens_for(Member.anonymised_at, "set")
def _forget_protocol_details(member, value, oldvalue, _initiator) -> None:
    """When the retention job anonymises a member, their forms of address and name in their own script go too
    (whichever code path anonymises: the listener sits on the column)."""
    if value is None or (oldvalue is not None and oldvalue is not NO_VALUE):
        return
    session = object_session(member)
    if session is None:
        return
    # Loading them must not flush: the member's other fields are already blanked, and a flush now would
    # write their old values to the history as an ordinary change before the anonymisation is recorded.
    with session.no_autoflush:
        for form in list(member.forms_of_address):
            member.forms_of_address.remove(form)
        rank = member.protocol_rank
        if rank is not None:
            rank.native_name = ""
            rank.native_language = ""
