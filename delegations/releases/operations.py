"""Releasing a programme version, queueing its change notices, noting printed copies (flush, never commit)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError

from delegations.extensions import db
from delegations.models import Delegation, PrintedCopy, ProgrammeVersion, User, utc_now
from delegations.releases import queries
from delegations.releases.diff import Change, diff
from delegations.releases.notices import ACK_MARKER, PURPOSE, PlannedNotice, compose, dedupe_key
from delegations.releases.snapshot import empty_snapshot, printed_hash, snapshot_hash


class ReleaseError(Exception):
    """The version cannot be released as asked; the message says why."""


class AlreadyReleased(ReleaseError):
    """Someone (or a second click) released a version since the preview was shown."""


class ChangedSincePreview(ReleaseError):
    """The data changed after the preview: the planner has to look at the new summary first."""


class NothingToRelease(ReleaseError):
    """The data is the same as in the latest version."""


@dataclass(frozen=True)
class PendingRelease:
    """What releasing now would write: the next number, the changes since the latest version, the snapshot."""

    number: int
    latest: ProgrammeVersion | None
    snapshot: dict
    snapshot_hash: str
    changes: list[Change]

    @property
    def up_to_date(self) -> bool:
        return self.latest is not None and self.latest.snapshot_hash == self.snapshot_hash


def pending_release(delegation: Delegation) -> PendingRelease:
    latest = queries.latest_release(delegation.id)
    snapshot = queries.current_snapshot(delegation)
    hash_ = snapshot_hash(snapshot)
    changes = diff(latest.snapshot, snapshot) if latest is not None else []
    return PendingRelease((latest.number if latest else 0) + 1, latest, snapshot, hash_, changes)


def release_version(delegation: Delegation, user: User | None, *, expected_number: int, expected_hash: str,
                    note: str = "", at: datetime | None = None) -> tuple[ProgrammeVersion, PendingRelease]:
    """Writes version `expected_number` of the delegation's programme, exactly as previewed.

    Refuses when another version was released since the preview (a double submit lands here), when
    the data changed since the preview, or when nothing changed since the latest version.
    """
    pending = pending_release(delegation)
    if pending.number != expected_number:
        raise AlreadyReleased(pending.number - 1)
    if pending.snapshot_hash != expected_hash:
        raise ChangedSincePreview()
    if pending.up_to_date:
        raise NothingToRelease(pending.number - 1)
    version = ProgrammeVersion(delegation_id=delegation.id, number=pending.number, released_at=at or utc_now(),
                               released_by_id=user.id if user is not None else None, note=(note or "").strip(),
                               snapshot=pending.snapshot, snapshot_hash=pending.snapshot_hash)
    try:
        with db.session.begin_nested():  # two requests at the same moment: the unique number refuses one
            db.session.add(version)
    except IntegrityError:
        raise AlreadyReleased(pending.number) from None
    # Copies printed from exactly this data before the release now show this version's number.
    db.session.execute(update(PrintedCopy).where(
        PrintedCopy.delegation_id == delegation.id, PrintedCopy.snapshot_hash == printed_hash(pending.snapshot),
        PrintedCopy.version_number.is_(None)).values(version_number=version.number)
        .execution_options(synchronize_session="fetch"))
    return version, pending


def changes_between(older: ProgrammeVersion | None, newer: ProgrammeVersion) -> list[Change]:
    """The change summary from one version to another (from nothing for a first version: no changes)."""
    if older is None:
        return diff(empty_snapshot(newer.snapshot), empty_snapshot(newer.snapshot))
    return diff(older.snapshot, newer.snapshot)


@dataclass
class NoticeResult:
    queued: list[PlannedNotice] = field(default_factory=list)
    already_queued: list[PlannedNotice] = field(default_factory=list)
    unreachable: list[PlannedNotice] = field(default_factory=list)


def enqueue_notices(delegation: Delegation, version: ProgrammeVersion, notices: list[PlannedNotice], *,
                    attachment_for: Callable[[PlannedNotice], object], home_city: str) -> NoticeResult:
    """Queues one change notice per reachable person in the outbox, with the programme PDF
    (`attachment_for(notice)`) attached and a link to acknowledge. A notice queued before (same version,
    same person) is not queued again."""
    from delegations.mail.outbox import OutboxError, acknowledgement_link, enqueue

    result = NoticeResult()
    for notice in notices:
        if not notice.reachable:
            result.unreachable.append(notice)
            continue
        composed = compose(notice, delegation_title=delegation.title, number=version.number,
                           released_at=version.released_at, zone=delegation.timezone, note=version.note,
                           home_city=home_city)
        try:
            queued = enqueue(recipients=[notice.person.email], recipient_name=notice.person.name,
                             subject=composed.subject, body=composed.body.replace(ACK_MARKER, ""),
                             dedupe_key=dedupe_key(delegation.id, version.number, notice.person),
                             attachments=[attachment_for(notice)], delegation_id=delegation.id,
                             purpose=PURPOSE, wants_acknowledgement=True)
        except OutboxError:
            result.unreachable.append(notice)
            continue
        if queued is None:
            result.already_queued.append(notice)
            continue
        message, token = queued
        # The link without its token: the outbox puts the token in when it sends (only its hash is stored).
        message.body = composed.body.replace(ACK_MARKER, acknowledgement_link(token) if token else "")
        result.queued.append(notice)
    db.session.flush()
    return result


def record_printed_copy(delegation_id: int, *, hash_: str, version_number: int | None, kind: str,
                        language: str, user_id: int | None) -> None:
    """Notes that a programme of this state of the data was produced: one row per kind, language and state,
    counting how often. One statement (an upsert), so two requests at the same moment both count."""
    now = utc_now()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = PrintedCopy.__table__
    statement = insert(table).values(
        delegation_id=delegation_id, kind=kind, language=language[:16], snapshot_hash=hash_,
        version_number=version_number, produced_at=now, produced_by_id=user_id, copies=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["delegation_id", "kind", "language", "snapshot_hash"],
        set_={"produced_at": statement.excluded.produced_at, "produced_by_id": statement.excluded.produced_by_id,
              "copies": table.c.copies + 1,
              "version_number": func.coalesce(statement.excluded.version_number, table.c.version_number)}))
