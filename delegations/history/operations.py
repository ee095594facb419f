"""Reading the history and bringing back a deleted programme item or member from its snapshot."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Enum, Select, inspect, select

from delegations.extensions import db
from delegations.history.recorder import ENTITY_CLASSES, mark_restored, recorded_columns
from delegations.models import AuditAction, AuditEntry, Delegation, ProgrammeItem, ProgrammeItemTranslation
from delegations.models.base import UTCDateTime

RESTORABLE_TYPES = ("programme_item", "member")


class RestoreError(ValueError):
    """The entry cannot be restored; the message says why, for the user."""


@dataclass
class RestoreResult:
    record: object
    dropped_references: list[str] = field(default_factory=list)


def delegation_history(delegation_id: int) -> Select:
    """Every entry about a visit and the records in it, newest first."""
    return (select(AuditEntry).where(AuditEntry.delegation_id == delegation_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


def all_history(entity_type: str = "") -> Select:
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if entity_type:
        statement = statement.where(AuditEntry.entity_type == entity_type)
    return statement


def from_json(cls: type, key: str, value):
    """The column value a snapshot's JSON value stands for."""
    if value is None:
        return None
    column_type = inspect(cls).columns[key].type
    if isinstance(column_type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    return value


def is_restorable(entry: AuditEntry) -> bool:
    return entry.action == AuditAction.DELETED and entry.entity_type in RESTORABLE_TYPES and bool(entry.snapshot)


def restore_deleted(entry: AuditEntry, delegation: Delegation) -> RestoreResult:
    """Re-create a deleted item or member under its old id, in the same visit (flushes, never commits)."""
    if not is_restorable(entry):
        raise RestoreError(_("Only deleted programme items and members can be restored."))
    if entry.delegation_id != delegation.id:
        raise RestoreError(_("This entry belongs to another visit."))
    cls = ENTITY_CLASSES[entry.entity_type]
    if db.session.get(cls, entry.entity_id) is not None:
        raise RestoreError(_("“%(name)s” exists already: it has been restored before.", name=entry.summary))
    snapshot = dict(entry.snapshot)
    translations = snapshot.pop("translations", [])
    columns = set(recorded_columns(cls, snapshot=True))
    values = {key: from_json(cls, key, value) for key, value in snapshot.items() if key in columns}
    values.pop("delegation_id", None)
    result = RestoreResult(record=None)
    mapper = inspect(cls)
    for key in list(values):
        column = mapper.columns[key]
        if values[key] is None or not column.foreign_keys or key == "delegation_id":
            continue
        target = next(iter(column.foreign_keys)).column.table
        if db.session.execute(select(target.c.id).where(target.c.id == values[key])).first() is None:
            # The venue or person it referred to has been deleted since: restore without it.
            values[key] = None
            result.dropped_references.append(key)
    record = cls(id=entry.entity_id, delegation_id=delegation.id, **values)
    if isinstance(record, ProgrammeItem):
        record.translations = [ProgrammeItemTranslation(**{name: row.get(name, "") for name in
                                                            ("language", "title", "description")})
                               for row in translations]
    mark_restored(db.session, record)
    db.session.add(record)
    db.session.flush()
    result.record = record
    return result
