"""Saving an edited record without silently overwriting somebody else's change (optimistic locking)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from delegations.extensions import db
from delegations.forms import VersionedForm


@dataclass
class ConflictingField:
    label: str
    theirs: Any
    yours: Any


def save_or_report_conflict(record, form: VersionedForm, changes: Mapping[str, Any] | Iterable[str]) -> bool:
    """Apply `changes` and commit, unless the record changed since the form was opened.

    On a conflict nothing is written; the form keeps the user's input, gets an error that says
    what the other person changed, and carries the new version, so saving again is a deliberate choice.
    """
    if not isinstance(changes, Mapping):
        changes = {name: form[name].data for name in changes}
    opened = form.opened_version()
    if opened is not None and opened != record.version:
        return _report_conflict(record, form, changes)
    for name, value in changes.items():
        setattr(record, name, value)
    try:
        db.session.commit()
    except StaleDataError:
        # Someone committed between our read and our write.
        db.session.rollback()
        db.session.refresh(record)
        return _report_conflict(record, form, changes)
    return True


def _report_conflict(record, form: VersionedForm, changes: Mapping[str, Any]) -> bool:
    form.conflict = [
        ConflictingField(label=form[name].label.text if name in form else name,
                         theirs=getattr(record, name), yours=value)
        for name, value in changes.items()
        if getattr(record, name) != value
    ]
    form.form_errors.append(_(
        "Someone else saved this record while you were editing it. Your input is kept below; "
        "compare it with the current values and save again to keep yours."))
    form.version.data = record.version
    form.version.raw_data = [str(record.version)]
    return False


def delete_unless_changed(record, opened_version) -> str | None:
    """Delete `record` and commit, unless it changed since the user opened the page that deletes it.

    `opened_version` is the version the delete form carried (None when the form had none: then only a
    change in the moment between reading and deleting is caught). Returns None when deleted, else the
    message to show; nothing is deleted then.
    """
    try:
        opened = int(opened_version) if opened_version not in (None, "") else None
    except (TypeError, ValueError):
        opened = None
    if opened is not None and opened != record.version:
        return _changed_meanwhile_message()
    db.session.delete(record)
    try:
        db.session.commit()
    except StaleDataError:
        # Changed (or deleted) by someone between our read and our delete: the versioned DELETE matched nothing.
        db.session.rollback()
        return _changed_meanwhile_message()
    return None


def _changed_meanwhile_message() -> str:
    return _("Someone else changed this record after you opened it, so it was not deleted. "
             "Check the current version below and delete it again if it should still go.")
