"""The unit's contact persons and the venues programmes take place in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from delegations.models.base import Base, UTCDateTime, utc_now


class ContactPerson(Base):
    """A member of the unit's staff who looks after delegations and programme items."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    function: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ContactPerson {self.name}>"


class Venue(Base):
    __tablename__ = "venue"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    room: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"{self.name}, {self.room}" if self.room else self.name

    def __repr__(self) -> str:
        return f"<Venue {self.name}>"


class VenueTravelTime(Base):
    """Minutes needed between two venues, stored once per unordered pair (lower id first)."""

    __tablename__ = "venue_travel_time"
    __table_args__ = (
        CheckConstraint("from_venue_id < to_venue_id", name="ordered_pair"),
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
    )

    from_venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), primary_key=True)
    to_venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), primary_key=True)
    minutes: Mapped[int]
