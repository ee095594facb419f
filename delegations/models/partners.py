"""Partner cities and partner organisations: the relationship, its agreements, associations, office holders
and the commitments made on visits. Visits link to their partner through `Delegation.partner_city_id`."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from delegations.constants import LabelledEnum
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson
from delegations.models.visits import Delegation


class PartnershipKind(LabelledEnum):
    TWINNING = "twinning"          # Städtepartnerschaft
    FRIENDSHIP = "friendship"      # Städtefreundschaft: a looser tie, deliberately not a twinning
    ORGANISATION = "organisation"  # a partner organisation (a region, a network, an institution)

    @classmethod
    def _labels(cls):
        return {cls.TWINNING: _l("Twinning (partner city)"), cls.FRIENDSHIP: _l("City friendship"),
                cls.ORGANISATION: _l("Partner organisation")}

    @property
    def in_sentence(self) -> str:
        """The relationship as it reads inside a sentence ("the twinning with Leipzig")."""
        return str({PartnershipKind.TWINNING: _l("twinning"), PartnershipKind.FRIENDSHIP: _l("city friendship"),
                    PartnershipKind.ORGANISATION: _l("partnership")}[self])


class AgreementKind(LabelledEnum):
    AGREEMENT = "agreement"
    MEMORANDUM = "memorandum"
    WORK_PROGRAMME = "work_programme"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {cls.AGREEMENT: _l("Partnership agreement"), cls.MEMORANDUM: _l("Memorandum"),
                cls.WORK_PROGRAMME: _l("Joint work programme"), cls.OTHER: _l("Other document")}


class CommitmentStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"

    @classmethod
    def _labels(cls):
        return {cls.OPEN: _l("Open"), cls.DONE: _l("Done")}


class PartnerCity(Base):
    """A partner city (twinning or friendship) or a partner organisation of the home city."""

    __tablename__ = "partner_city"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= since", name="ended_after_since"),
        Index("ix_partner_city_kind_name", "kind", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    country_code: Mapped[str] = mapped_column(String(2), default="")
    kind: Mapped[PartnershipKind] = mapped_column(enum_column(PartnershipKind, "partnership_kind"),
                                                  default=PartnershipKind.TWINNING)
    since: Mapped[date] = mapped_column(Date)
    # Often only the year is on record ("Bristol, 1947"): then `since` holds 1 January and anniversaries
    # name the year, not a day.
    since_day_known: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_on: Mapped[date | None] = mapped_column(Date)  # a relationship that was ended or suspended
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")  # the zone of the place ("" for none)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    agreements: Mapped[list["PartnerAgreement"]] = relationship(
        back_populates="city", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(PartnerAgreement.signed_on.desc(), PartnerAgreement.id)")
    associations: Mapped[list["PartnerAssociation"]] = relationship(
        back_populates="city", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(PartnerAssociation.name, PartnerAssociation.id)")
    office_holders: Mapped[list["OfficeHolder"]] = relationship(
        back_populates="city", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(OfficeHolder.position, OfficeHolder.id)")
    commitments: Mapped[list["PartnerCommitment"]] = relationship(
        back_populates="city", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(PartnerCommitment.status.desc(), PartnerCommitment.due_on, PartnerCommitment.id)")
    # Visits both ways; deleting the partner keeps the visits (the column is set to NULL).
    visits: Mapped[list[Delegation]] = relationship(backref=backref("partner_city"),
                                                    order_by="Delegation.arrival_at.desc()")

    __mapper_args__ = {"version_id_col": version}

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def __repr__(self) -> str:
        return f"<PartnerCity {self.id} {self.name!r}>"


class PartnerAgreement(Base):
    """An agreement, memorandum or joint work programme, with the signed document if it was uploaded."""

    __tablename__ = "partner_agreement"
    __table_args__ = (CheckConstraint("file_bytes >= 0", name="file_size_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("partner_city.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind, "agreement_kind"),
                                                default=AgreementKind.AGREEMENT)
    signed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The uploaded file: stored under a random name in the instance folder, never under the user's name.
    file_name: Mapped[str] = mapped_column(String(100), default="")
    file_original_name: Mapped[str] = mapped_column(String(200), default="")
    file_type: Mapped[str] = mapped_column(String(100), default="")
    file_bytes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    city: Mapped[PartnerCity] = relationship(back_populates="agreements")

    __mapper_args__ = {"version_id_col": version}


class PartnerAssociation(Base):
    """A friendship association or society that carries the partnership among citizens."""

    __tablename__ = "partner_association"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("partner_city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    contact: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    city: Mapped[PartnerCity] = relationship(back_populates="associations")

    __mapper_args__ = {"version_id_col": version}


class OfficeHolder(Base):
    """A current office holder of the partner: mayor, deputy, head of the international office."""

    __tablename__ = "partner_office_holder"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("partner_city.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(300))
    since: Mapped[date | None] = mapped_column(Date)
    form_of_address: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    city: Mapped[PartnerCity] = relationship(back_populates="office_holders")

    __mapper_args__ = {"version_id_col": version}


class PartnerCommitment(Base):
    """A promise made to (or by) the partner, and its follow-up: what is to be done, by whom, by when.

    The commitment is its own follow-up task, not a protocol `ChecklistTask`: those belong to one visit and
    go with it, while a commitment outlives the visit it was made on (and may be made without a visit)."""

    __tablename__ = "partner_commitment"
    __table_args__ = (Index("ix_partner_commitment_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("partner_city.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    made_on: Mapped[date] = mapped_column(Date)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"), index=True)
    follow_up: Mapped[str] = mapped_column(Text, default="")  # the next step, as a task
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CommitmentStatus] = mapped_column(enum_column(CommitmentStatus, "commitment_status"),
                                                     default=CommitmentStatus.OPEN)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_name: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    city: Mapped[PartnerCity] = relationship(back_populates="commitments")
    delegation: Mapped[Delegation | None] = relationship()
    owner: Mapped[ContactPerson | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status == CommitmentStatus.OPEN

    @property
    def title(self) -> str:  # how the history names it
        return self.text[:120]
