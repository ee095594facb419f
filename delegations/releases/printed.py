"""Noting printed copies from the printing views, and telling which copies are stale.

`remember_printed_copy` runs in the PDF views after the document is produced: it reads the state of the
data in the view's read transaction, then writes the note in a short transaction of its own (as guest
links note their use), so a busy database never costs the user their PDF.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import PrintedCopy
from delegations.releases import operations, queries
from delegations.releases.snapshot import printed_hash

log = logging.getLogger(__name__)


def remember_printed_copy(delegation, *, kind: str, language: str, user_id: int | None) -> None:
    try:
        hash_ = printed_hash(queries.current_snapshot(delegation))
        latest = queries.latest_release(delegation.id)
        number = latest.number if latest is not None and printed_hash(latest.snapshot) == hash_ else None
        delegation_id = delegation.id
        db.session.commit()  # end the read transaction: the write takes the lock up front
        begin_writing()
        operations.record_printed_copy(delegation_id, hash_=hash_, version_number=number, kind=kind,
                                       language=language, user_id=user_id)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not note the printed copy of delegation %s", getattr(delegation, "id", "?"))


@dataclass(frozen=True)
class PrintedCopyState:
    copy: PrintedCopy
    stale: bool

    @property
    def produced_at(self) -> datetime:
        return self.copy.produced_at


def copies_with_state(delegation_id: int, current_snapshot: dict) -> list[PrintedCopyState]:
    current_hash = printed_hash(current_snapshot)
    return [PrintedCopyState(copy, copy.snapshot_hash != current_hash)
            for copy in queries.printed_copies(delegation_id)]
