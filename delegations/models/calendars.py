"""Principals' diaries as the unit sees them: imported calendars, busy blocks, office hours, travel."""
from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text,
                        Time, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.principals import Principal



class CalendarSourceKind(StrEnum):
    UPLOAD = "upload"
    URL = "url"


class BusySource(StrEnum):
    IMPORTED = "imported"
    MANUAL = "manual"


# The principals who travel on an outgoing tour: each is busy for the whole trip.
delegation_principal = Table(
    "delegation_principal",
    Base.metadata,
    Column("delegation_id", ForeignKey("delegation.id", ondelete="CASCADE"), primary_key=True),
    Column("principal_id", ForeignKey("principal.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PrincipalCalendar(Base):
    """Where a principal's calendar comes from and how its last import went (one per principal)."""

    __tablename__ = "principal_calendar"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principal.id", ondelete="CASCADE"), unique=True)
    source_kind: Mapped[CalendarSourceKind] = mapped_column(enum_column(CalendarSourceKind, "calendar_source_kind"),
                                                            default=CalendarSourceKind.UPLOAD)
    url: Mapped[str] = mapped_column(String(2000), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    # HTTP validators of the last successful download: an unchanged calendar costs one 304.
    etag: Mapped[str] = mapped_column(String(500), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    # The owner's choice: keep the subjects of imported events (else only busy time is kept).
    show_subjects: Mapped[bool] = mapped_column(Boolean, default=False)
    last_imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # {"added": n, "changed": n, "removed": n, "unchanged": n, "events": n}
    last_report: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    principal: Mapped[Principal] = relationship()

    __mapper_args__ = {"version_id_col": version}


class BusyBlock(Base):
    """A stretch of time in which a principal is busy: imported from the calendar or entered by hand."""

    __tablename__ = "busy_block"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="end_after_start"),
        UniqueConstraint("principal_id", "source", "key", name="uq_busy_block_principal_source_key"),
        Index("ix_busy_block_principal_start", "principal_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principal.id", ondelete="CASCADE"))
    source: Mapped[BusySource] = mapped_column(enum_column(BusySource, "busy_source"), default=BusySource.MANUAL)
    # Imported: the event's UID and occurrence, stable across re-imports; manual: a random token.
    key: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Imported subjects are kept only if the calendar's owner allows it; manual blocks keep their label.
    subject: Mapped[str] = mapped_column(String(500), default="")
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    principal: Mapped[Principal] = relationship()


class OfficeHours(Base):
    """One span of a weekday in which a principal can be booked, in the home zone's local time."""

    __tablename__ = "office_hours"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("end_time > start_time", name="end_after_start"),
        Index("ix_office_hours_principal_weekday", "principal_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principal.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column()  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)

    principal: Mapped[Principal] = relationship()

    def as_tuple(self) -> tuple[int, time, time]:
        return (self.weekday, self.start_time, self.end_time)
