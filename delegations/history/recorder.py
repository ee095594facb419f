"""Writing the audit trail automatically: a session hook sees every insert, update and delete of the
records people care about, so no view has to remember to log anything.

before_flush reads old values (and snapshots rows about to be deleted, while they can still be loaded);
after_flush, when new rows have ids, inserts the entries on the same connection: a change and its history
commit or roll back together.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import has_request_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.interfaces import MANYTOONE

from delegations.models import (AuditAction, AuditEntry, ContactPerson, Delegation, Member, ProgrammeItem,
                                ProgrammeItemTranslation, User, Venue)

# Which records are tracked, under which name.
TRACKED: dict[type, str] = {
    Delegation: "delegation",
    Member: "member",
    ProgrammeItem: "programme_item",
    Venue: "venue",
    ContactPerson: "contact_person",
    User: "user",
}
ENTITY_CLASSES = {name: cls for cls, name in TRACKED.items()}

# Bookkeeping columns say nothing a reader needs.
IGNORED_COLUMNS = {"id", "version", "created_at", "updated_at", "last_login_at"}
# Kept in a deleted row's snapshot (to restore it in place) but not shown as a change.
QUIET_COLUMNS = {"position"}
# Never written to the history, whatever model they appear on (secrets stay where they are).
SECRET_MARKERS = ("password", "nonce", "token", "secret", "hash")
# Changing one of these is recorded as "changed", without the values.
HIDDEN_VALUE_FIELDS = {"password_hash": "password"}

TRANSLATED_FIELDS = ("title", "description")
# What identifies or describes a member as a person (kept out of the history once they are anonymised).
MEMBER_PERSONAL_FIELDS = ("name", "function", "organisation", "email", "phone", "dietary_needs",
                          "accessibility_needs")

SESSION_ACTOR_KEY = "history_actor"      # session.info: (user id or None, name) set by commands
SESSION_RESTORED_KEY = "history_restored"  # session.info: ids of objects being restored


def is_secret(column_name: str) -> bool:
    return any(marker in column_name for marker in SECRET_MARKERS)


def recorded_columns(cls: type, snapshot: bool = False) -> list[str]:
    """The column attributes of a tracked model that the history shows (or a snapshot keeps)."""
    return [attr.key for attr in inspect(cls).column_attrs
            if attr.key not in IGNORED_COLUMNS and not is_secret(attr.key)
            and (snapshot or attr.key not in QUIET_COLUMNS)]


def to_json(value: Any) -> Any:
    """A column value as JSON: instants in ISO form (UTC), enums by value, lists as lists."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json(part) for part in value]
    if value is None or isinstance(value, (str, int, float, bool, dict)):
        return value
    return str(value)


def entity_label(obj) -> str:
    if isinstance(obj, User):
        return obj.display_name or ""
    if isinstance(obj, Venue):
        return obj.label or ""
    return (getattr(obj, "title", None) or getattr(obj, "name", None) or "")[:300]


def mark_restored(session: Session, obj) -> None:
    """Record the coming insert of `obj` as "restored" instead of "created"."""
    session.info.setdefault(SESSION_RESTORED_KEY, set()).add(id(obj))


def act_as(session: Session, name: str, user_id: int | None = None) -> None:
    """Name the actor of the changes this session makes (commands: "system:retention")."""
    session.info[SESSION_ACTOR_KEY] = (user_id, name)


def _current_actor(session: Session) -> tuple[int | None, str]:
    if SESSION_ACTOR_KEY in session.info:
        return session.info[SESSION_ACTOR_KEY]
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.display_name
        return None, "system:anonymous"
    return None, "system:cli"


@dataclass
class PendingEntry:
    obj: Any
    entity_type: str
    action: str
    changes: dict = field(default_factory=dict)
    snapshot: dict | None = None
    summary: str = ""
    delegation_id: int | None = None
    entity_id: int | None = None


UNKNOWN = object()  # the old value was never loaded (the attribute was set on an expired object)


def _column_change(state, key: str) -> tuple[bool, Any, Any]:
    history = state.attrs[key].history
    if not history.has_changes():
        return False, None, None
    if history.deleted:
        old = history.deleted[0]
    elif history.unchanged:
        old = history.unchanged[0]
    else:
        old = None if state.key is None else UNKNOWN
    new = history.added[0] if history.added else None
    return True, old, new


def _stored_values(session: Session, obj, keys: list[str]) -> dict:
    """The values the database still holds (before this flush) for `keys` of `obj`."""
    mapper = inspect(obj).mapper
    columns = [mapper.column_attrs[key].columns[0] for key in keys]
    row = session.execute(select(*columns).where(mapper.primary_key[0] == obj.id)).first()
    return dict(zip(keys, row)) if row is not None else {}


def _updated_changes(obj, session: Session) -> dict:
    state = inspect(obj)
    mapper = state.mapper
    changes: dict[str, list] = {}
    found = {}
    for key in recorded_columns(type(obj)):
        changed, old, new = _column_change(state, key)
        if changed:
            found[key] = [old, new]
    unknown = [key for key, (old, _new) in found.items() if old is UNKNOWN]
    if unknown:
        stored = _stored_values(session, obj, unknown)
        for key in unknown:
            found[key][0] = stored.get(key)
    for key, (old, new) in found.items():
        if to_json(old) != to_json(new):
            changes[key] = [to_json(old), to_json(new)]
    for column_key, shown_as in HIDDEN_VALUE_FIELDS.items():
        if column_key in mapper.column_attrs and _column_change(state, column_key)[0]:
            changes[shown_as] = [None, None]
    # A many-to-one set through the relationship (item.venue = v) before its column is synchronised.
    for relationship in mapper.relationships:
        if relationship.direction is not MANYTOONE or len(relationship.local_columns) != 1:
            continue
        column_key = mapper.get_property_by_column(next(iter(relationship.local_columns))).key
        if column_key in changes or column_key not in recorded_columns(type(obj)):
            continue
        history = state.attrs[relationship.key].history
        if history.added or history.deleted:
            old = history.deleted[0].id if history.deleted and history.deleted[0] is not None else None
            new_obj = history.added[0] if history.added else None
            new = getattr(new_obj, "id", None) if new_obj is not None else None
            if old != new:
                changes[column_key] = [old, new]
    return changes


def _snapshot(obj, session: Session) -> dict:
    values = {key: to_json(getattr(obj, key)) for key in recorded_columns(type(obj), snapshot=True)}
    values["id"] = obj.id
    if isinstance(obj, ProgrammeItem):
        # Read with a plain query: loading the collection now would interfere with the delete cascade.
        rows = session.execute(
            select(ProgrammeItemTranslation.language, ProgrammeItemTranslation.title,
                   ProgrammeItemTranslation.description)
            .where(ProgrammeItemTranslation.item_id == obj.id)
            .order_by(ProgrammeItemTranslation.language)).all()
        values["translations"] = [{"language": row.language, "title": row.title, "description": row.description}
                                  for row in rows]
    return values


def _delegation_id_of(obj) -> int | None:
    if isinstance(obj, Delegation):
        return obj.id
    if isinstance(obj, (Member, ProgrammeItem)):
        if obj.delegation_id is not None:
            return obj.delegation_id
        delegation = obj.__dict__.get("delegation")
        return delegation.id if delegation is not None else None
    # Other records of a visit (protocol: table plans, gifts, tasks ...) name it directly.
    return getattr(obj, "delegation_id", None)


def _translation_changes(translation: ProgrammeItemTranslation, kind: str) -> dict:
    prefix = f"translation.{translation.language}."
    if kind == "new":
        return {prefix + name: [None, getattr(translation, name)] for name in TRANSLATED_FIELDS
                if getattr(translation, name)}
    if kind == "deleted":
        return {prefix + name: [getattr(translation, name), None] for name in TRANSLATED_FIELDS
                if getattr(translation, name)}
    state = inspect(translation)
    changes = {}
    for name in TRANSLATED_FIELDS:
        changed, old, new = _column_change(state, name)
        if old is UNKNOWN:
            old = _stored_values(object_session(translation), translation, [name]).get(name)
        if changed and (old or "") != (new or ""):
            changes[prefix + name] = [old, new]
    return changes


def before_flush(session: Session, _flush_context, _instances) -> None:
    pending: dict[int, PendingEntry] = session.info.setdefault("history_pending", {})
    restored = session.info.get(SESSION_RESTORED_KEY, set())

    def entry_for(obj, action: str) -> PendingEntry:
        entry = pending.get(id(obj))
        if entry is None:
            entry = pending[id(obj)] = PendingEntry(obj=obj, entity_type=TRACKED[type(obj)], action=action)
        return entry

    deleted_items = {id(obj) for obj in session.deleted if isinstance(obj, ProgrammeItem)}
    for obj in session.deleted:
        if type(obj) in TRACKED:
            entry = entry_for(obj, AuditAction.DELETED)
            entry.action = AuditAction.DELETED
            entry.snapshot = _snapshot(obj, session)
            entry.summary = entity_label(obj)
            entry.entity_id = obj.id
            entry.delegation_id = _delegation_id_of(obj)
        elif isinstance(obj, ProgrammeItemTranslation) and id(obj.item) not in deleted_items \
                and obj.item not in session.deleted:
            entry_for(obj.item, AuditAction.UPDATED).changes.update(_translation_changes(obj, "deleted"))

    for obj in session.new:
        if type(obj) in TRACKED:
            entry_for(obj, AuditAction.RESTORED if id(obj) in restored else AuditAction.CREATED)
        elif isinstance(obj, ProgrammeItemTranslation) and obj.item is not None and obj.item not in session.new:
            entry_for(obj.item, AuditAction.UPDATED).changes.update(_translation_changes(obj, "new"))

    for obj in session.dirty:
        if type(obj) in TRACKED and obj not in session.deleted:
            changes = _updated_changes(obj, session)
            if isinstance(obj, ProgrammeItem):
                # Translations removed from the collection become orphans, deleted during the flush.
                for removed in inspect(obj).attrs.translations.history.deleted or ():
                    changes.update(_translation_changes(removed, "deleted"))
            if changes:
                entry = entry_for(obj, AuditAction.UPDATED)
                entry.changes.update(changes)
                if isinstance(obj, Member) and obj.anonymised_at is not None:
                    # An anonymised member's details never reach the history: only which fields changed.
                    entry.changes = {name: ([None, None] if name in MEMBER_PERSONAL_FIELDS else values)
                                     for name, values in entry.changes.items()}
                    if "anonymised_at" in changes and changes["anonymised_at"][0] is None:
                        entry.action = AuditAction.ANONYMISED
                        entry.changes.pop("anonymised_at", None)
        elif isinstance(obj, ProgrammeItemTranslation) and session.is_modified(obj):
            changes = _translation_changes(obj, "dirty")
            if changes:
                entry_for(obj.item, AuditAction.UPDATED).changes.update(changes)

    if pending and "history_actor_now" not in session.info:
        session.info["history_actor_now"] = _current_actor(session)


def after_flush(session: Session, _flush_context) -> None:
    pending: dict[int, PendingEntry] = session.info.pop("history_pending", {})
    actor_id, actor_name = session.info.pop("history_actor_now", (None, "system:cli"))
    restored = session.info.get(SESSION_RESTORED_KEY, set())
    written: dict = session.info.setdefault("history_written", {})
    rows = []
    for entry in pending.values():
        obj = entry.obj
        if entry.action in (AuditAction.CREATED, AuditAction.RESTORED):
            entry.entity_id = obj.id
            entry.delegation_id = _delegation_id_of(obj)
            entry.summary = entity_label(obj)
            if entry.action == AuditAction.CREATED:
                entry.changes = {key: [None, to_json(getattr(obj, key))] for key in recorded_columns(type(obj))
                                 if getattr(obj, key) not in (None, "", [], False)}
            restored.discard(id(obj))
        elif entry.action in (AuditAction.UPDATED, AuditAction.ANONYMISED):
            if not entry.changes:
                continue
            entry.entity_id = obj.id
            entry.delegation_id = _delegation_id_of(obj)
            entry.summary = entity_label(obj)
        if entry.entity_id is None:
            continue
        key = (entry.entity_type, entry.entity_id)
        earlier = written.get(key)
        if earlier is not None and entry.action == AuditAction.ANONYMISED:
            # Values written by an earlier flush of this transaction go as well.
            earlier["changes"] = {name: ([None, None] if name in MEMBER_PERSONAL_FIELDS else values)
                                  for name, values in earlier["changes"].items()}
            table = AuditEntry.__table__
            session.connection().execute(table.update().where(table.c.id == earlier["id"]).values(
                changes=earlier["changes"], summary=(entry.summary or "")[:300]))
        elif earlier is not None and entry.action == AuditAction.UPDATED and earlier["action"] != AuditAction.DELETED:
            # A second flush in the same transaction (an autoflush mid-request): one action, one entry.
            earlier["changes"] = merge_changes(earlier["changes"], entry.changes)
            earlier["summary"] = (entry.summary or "")[:300]
            table = AuditEntry.__table__
            session.connection().execute(table.update().where(table.c.id == earlier["id"]).values(
                changes=earlier["changes"], summary=earlier["summary"]))
            continue
        rows.append({
            "actor_id": actor_id, "actor_name": (actor_name or "")[:254], "entity_type": entry.entity_type,
            "entity_id": entry.entity_id, "delegation_id": entry.delegation_id, "action": str(entry.action),
            "summary": (entry.summary or "")[:300], "changes": entry.changes, "snapshot": entry.snapshot,
        })
    if rows:
        table = AuditEntry.__table__
        result = session.connection().execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        for row, (new_id,) in zip(rows, result.all()):
            written[(row["entity_type"], row["entity_id"])] = {"id": new_id, "action": row["action"],
                                                               "changes": row["changes"]}


def merge_changes(earlier: dict, later: dict) -> dict:
    """[old of the first change, new of the last]; a field changed back drops out."""
    merged = dict(earlier)
    for name, (old, new) in later.items():
        first_old = earlier[name][0] if name in earlier else old
        merged[name] = [first_old, new]
    return {name: values for name, values in merged.items()
            if values[0] != values[1] or values[0] is None and values[1] is None}


def forget_pending(session: Session, *_args) -> None:
    """After a commit or a rollback (a stale version, a constraint) nothing is carried into the next one."""
    session.info.pop("history_pending", None)
    session.info.pop("history_actor_now", None)
    session.info.pop("history_written", None)


def install(session_target) -> None:
    """Attach the recorder to a session (factory) once, however many apps are created."""
    for name, handler in (("before_flush", before_flush), ("after_flush", after_flush),
                          ("after_soft_rollback", forget_pending), ("after_commit", forget_pending)):
        if not event.contains(session_target, name, handler):
            event.listen(session_target, name, handler)
