"""How members travel: their arrival and departure legs, and the transfers (pick-ups, drop-offs) that serve them."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, backref, mapped_column, object_session, relationship
from sqlalchemy.orm.base import NO_VALUE

from delegations.constants import LabelledEnum
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson, Venue
from delegations.models.visits import Delegation, Member, ProgrammeItem


class TravelMode(LabelledEnum):
    FLIGHT = "flight"
    TRAIN = "train"
    CAR = "car"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {cls.FLIGHT: _l("Flight"), cls.TRAIN: _l("Train"), cls.CAR: _l("Car"), cls.OTHER: _l("Other")}


class LegDirection(LabelledEnum):
    ARRIVAL = "arrival"
    DEPARTURE = "departure"

    @classmethod
    def _labels(cls):
        return {cls.ARRIVAL: _l("Arrival"), cls.DEPARTURE: _l("Departure")}


class TransferKind(LabelledEnum):
    PICK_UP = "pick_up"    # from the airport or station to the hotel
    DROP_OFF = "drop_off"  # from the hotel to the airport or station
    LOCAL = "local"        # between two places of the programme

    @classmethod
    def _labels(cls):
        return {cls.PICK_UP: _l("Pick-up"), cls.DROP_OFF: _l("Drop-off"), cls.LOCAL: _l("Local transfer")}


class TravelLeg(Base):
    """A member's arrival or departure: one of each per member, in the local time of the airport or station."""

    __tablename__ = "travel_leg"
    __table_args__ = (
        UniqueConstraint("member_id", "direction", name="one_leg_per_direction"),
        # A flight is found on the board by its number; a train, car or coach may go without one.
        CheckConstraint("mode <> 'flight' OR carrier_number <> ''", name="flight_has_number"),
        CheckConstraint("timezone <> ''", name="zone_given"),
        Index("ix_travel_leg_delegation_scheduled", "delegation_id", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The member's delegation, kept beside the member so a visit's legs load in one query and the history
    # files them under the visit.
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    direction: Mapped[LegDirection] = mapped_column(enum_column(LegDirection, "leg_direction"))
    mode: Mapped[TravelMode] = mapped_column(enum_column(TravelMode, "travel_mode"), default=TravelMode.FLIGHT)
    carrier_number: Mapped[str] = mapped_column(String(40), default="")  # "LH 2342", "ICE 571"
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")  # the zone of the airport/station
    # The airport or station as one of our venues (travel times are known from there), or in words.
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venue.id", ondelete="SET NULL"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    terminal: Mapped[str] = mapped_column(String(60), default="")
    # Where the journey comes from (arrival) or goes to (departure): "Warszawa (WAW)".
    other_end: Mapped[str] = mapped_column(String(200), default="")
    needs_transfer: Mapped[bool] = mapped_column(Boolean, default=True)  # pick-up or drop-off wanted
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship(backref=backref(
        "travel_legs", cascade="all, delete-orphan", passive_deletes=True, order_by="TravelLeg.direction"))
    delegation: Mapped[Delegation] = relationship()
    venue: Mapped[Venue | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def place_label(self) -> str:
        if self.venue is not None:
            return self.venue.label
        return self.place

    @property
    def title(self) -> str:
        """What the history calls this record: "Arrival LH 1234"."""
        return " ".join(part for part in (str(LegDirection(self.direction).label), self.carrier_number) if part)


transfer_passenger = Table(
    "transfer_passenger", Base.metadata,
    Column("transfer_id", ForeignKey("transfer.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Transfer(Base):
    """A ride: who is picked up where and when, taken where, by which driver and vehicle."""

    __tablename__ = "transfer"
    __table_args__ = (
        CheckConstraint("pickup_address <> ''", name="pickup_address_given"),
        CheckConstraint("destination <> ''", name="destination_given"),
        CheckConstraint("timezone <> ''", name="zone_given"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes >= 0", name="duration_not_negative"),
        Index("ix_transfer_delegation_pickup", "delegation_id", "pickup_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    # The programme item of kind "transfer" this ride carries out, when there is one.
    programme_item_id: Mapped[int | None] = mapped_column(ForeignKey("programme_item.id", ondelete="SET NULL"),
                                                          index=True)
    # The arrival or departure it serves (for a group: the one that sets the time).
    travel_leg_id: Mapped[int | None] = mapped_column(ForeignKey("travel_leg.id", ondelete="SET NULL"), index=True)
    kind: Mapped[TransferKind] = mapped_column(enum_column(TransferKind, "transfer_kind"), default=TransferKind.PICK_UP)
    pickup_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    pickup_address: Mapped[str] = mapped_column(Text)
    destination: Mapped[str] = mapped_column(Text)
    duration_minutes: Mapped[int | None]  # the expected drive, when known
    vehicle: Mapped[str] = mapped_column(String(200), default="")
    driver_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="SET NULL"),
                                                          index=True)
    driver_name: Mapped[str] = mapped_column(String(200), default="")  # a driver who is not one of our contacts
    driver_phone: Mapped[str] = mapped_column(String(50), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    delegation: Mapped[Delegation] = relationship(backref=backref(
        "transfers", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Transfer.pickup_at, Transfer.id)"))
    programme_item: Mapped[ProgrammeItem | None] = relationship()
    travel_leg: Mapped[TravelLeg | None] = relationship()
    driver_contact: Mapped[ContactPerson | None] = relationship()
    passengers: Mapped[list[Member]] = relationship(secondary=transfer_passenger,
                                                    order_by="(Member.position, Member.id)")

    __mapper_args__ = {"version_id_col": version}

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def driver_label(self) -> str:
        if self.driver_contact is not None:
            return self.driver_contact.name
        return self.driver_name

    @property
    def driver_phone_number(self) -> str:
        if self.driver_contact is not None and self.driver_contact.phone:
            return self.driver_contact.phone
        return self.driver_phone

    @property
    def title(self) -> str:
        """What the history calls this record: "Pick-up → Kastens Hotel Luisenhof"."""
        first_line = (self.destination or "").splitlines()[0] if self.destination else ""
        return f"{TransferKind(self.kind).label} → {first_line}"


@event.listens_for(Member.anonymised_at, "set")
def _forget_travel(member, value, oldvalue, _initiator) -> None:
    """When the retention job anonymises a member, their flights and trains go too: the visit is over, and
    times, numbers and places would still tell who travelled. Transfers stay (they name no one but members)."""
    if value is None or (oldvalue is not None and oldvalue is not NO_VALUE):
        return
    session = object_session(member)
    if session is None:
        return
    with session.no_autoflush:  # see _forget_protocol_details: a flush now would record the old values
        for leg in list(member.travel_legs):
            member.travel_legs.remove(leg)
