"""What the release pages and the stamps on documents read, in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from delegations.extensions import db
from delegations.models import CityParticipant, Delegation, PrintedCopy, ProgrammeItem, ProgrammeVersion, Transfer
from delegations.releases.snapshot import build_snapshot, snapshot_hash


@dataclass(frozen=True)
class ReleaseStamp:
    """The released version a document names: "Version 3, 12 March 2027, 14:05" (+ changed since)."""

    number: int
    released_at: datetime  # UTC, aware
    out_of_date: bool


def latest_release(delegation_id: int) -> ProgrammeVersion | None:
    return db.session.scalar(
        select(ProgrammeVersion).where(ProgrammeVersion.delegation_id == delegation_id)
        .order_by(ProgrammeVersion.number.desc()).limit(1))


def version(delegation_id: int, number: int) -> ProgrammeVersion | None:
    return db.session.scalar(select(ProgrammeVersion).where(ProgrammeVersion.delegation_id == delegation_id,
                                                            ProgrammeVersion.number == number))


def versions_of(delegation_id: int) -> list[ProgrammeVersion]:
    """All versions of a delegation, newest first, with who released them."""
    return list(db.session.scalars(
        select(ProgrammeVersion).where(ProgrammeVersion.delegation_id == delegation_id)
        .options(joinedload(ProgrammeVersion.released_by)).order_by(ProgrammeVersion.number.desc())))


def delegation_for_snapshot(delegation_id: int) -> Delegation | None:
    """A delegation with everything its snapshot reads (members, items with venue, people, translations)."""
    return db.session.scalar(
        select(Delegation).where(Delegation.id == delegation_id)
        .options(joinedload(Delegation.lead_contact), joinedload(Delegation.deputy_contact),
                 selectinload(Delegation.members),
                 selectinload(Delegation.items).options(
                     joinedload(ProgrammeItem.venue), joinedload(ProgrammeItem.responsible),
                     joinedload(ProgrammeItem.principal), selectinload(ProgrammeItem.translations)),
                 selectinload(Delegation.transfers).options(
                     joinedload(Transfer.driver_contact), selectinload(Transfer.passengers))))


def participants_by_item(delegation_id: int) -> dict[int, list[CityParticipant]]:
    """The city-side participants of every item of a delegation, in one query."""
    found: dict[int, list[CityParticipant]] = defaultdict(list)
    for participant in db.session.scalars(
            select(CityParticipant).join(CityParticipant.item)
            .where(ProgrammeItem.delegation_id == delegation_id)
            .options(joinedload(CityParticipant.principal))
            .order_by(CityParticipant.item_id, CityParticipant.id)):
        found[participant.item_id].append(participant)
    return found


def current_snapshot(delegation: Delegation) -> dict:
    """The snapshot of the delegation's data now. Loads what it needs itself (a constant number of queries,
    fewer when the caller loaded the delegation with `delegation_for_snapshot` or the page query)."""
    loaded = delegation_for_snapshot(delegation.id) or delegation
    return build_snapshot(loaded, participants_by_item(delegation.id))


def current_hash(delegation: Delegation) -> str:
    return snapshot_hash(current_snapshot(delegation))


def release_stamp(delegation) -> ReleaseStamp | None:
    """The latest released version of the delegation's programme and whether the data changed since;
    None when no version was ever released."""
    latest = latest_release(delegation.id)
    if latest is None:
        return None
    return ReleaseStamp(latest.number, latest.released_at, latest.snapshot_hash != current_hash(delegation))


def printed_copies(delegation_id: int) -> list[PrintedCopy]:
    """Printed copies of a delegation's programme, newest first."""
    return list(db.session.scalars(
        select(PrintedCopy).where(PrintedCopy.delegation_id == delegation_id)
        .options(joinedload(PrintedCopy.produced_by))
        .order_by(PrintedCopy.produced_at.desc(), PrintedCopy.id.desc())))


def notices_of(delegation_id: int, number: int) -> list:
    """The change notices queued for one version (from the outbox), by recipient."""
    from delegations.models import OutboxMessage
    from delegations.releases.notices import PURPOSE, dedupe_prefix

    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.delegation_id == delegation_id, OutboxMessage.purpose == PURPOSE,
                                    OutboxMessage.dedupe_key.startswith(dedupe_prefix(delegation_id, number),
                                                                        autoescape=True))
        .order_by(OutboxMessage.recipient_name, OutboxMessage.id)))


@dataclass
class NoticeCounts:
    total: int = 0
    sent: int = 0
    acknowledged: int = 0
    failed: int = 0


def notice_counts(delegation_id: int) -> dict[int, NoticeCounts]:
    """Per version number: how many notices were queued, sent, acknowledged, failed (one query)."""
    from delegations.models import OutboxMessage, OutboxState
    from delegations.releases.notices import PURPOSE

    counts: dict[int, NoticeCounts] = defaultdict(NoticeCounts)
    rows = db.session.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.state, OutboxMessage.acknowledged_at)
        .where(OutboxMessage.delegation_id == delegation_id, OutboxMessage.purpose == PURPOSE))
    for key, state, acknowledged_at in rows:
        parts = key.split(":")
        if len(parts) < 3 or not parts[2].startswith("v") or not parts[2][1:].isdigit():
            continue
        found = counts[int(parts[2][1:])]
        found.total += 1
        found.sent += state == OutboxState.SENT
        found.failed += state == OutboxState.FAILED
        found.acknowledged += acknowledged_at is not None
    return counts
