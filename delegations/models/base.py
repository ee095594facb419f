"""Declarative base, constraint naming and the aware-time column type shared by all models."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum_class, name: str) -> Enum:
    """Store an enum by value, checked by a named constraint on every database."""
    return Enum(enum_class, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda enum: [member.value for member in enum])


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class NaiveDatetimeError(ValueError):
    """A naive datetime reached the database layer: its hour would be a guess."""


class UTCDateTime(TypeDecorator):
    """Stores instants in UTC and returns them UTC-aware; refuses naive datetimes.

    SQLite keeps no offset, PostgreSQL keeps `timestamptz`; both read back as aware UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value!r} cannot be stored; attach a zone first")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
