"""Demo data: two released versions of the Poznań visit's programme with real changes between them, and one
more change since, so the panel shows an out-of-date version and the preview has notices to show."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from delegations.constants import ItemStatus
from delegations.extensions import db
from delegations.models import Delegation, Member, ProgrammeItem, ProgrammeVersion, User, utc_now
from delegations.releases import operations

POZNAN = "Delegation der Partnerstadt Poznań"


def _item(delegation: Delegation, title: str) -> ProgrammeItem | None:
    return next((item for item in delegation.items if item.title == title), None)


def _move(item: ProgrammeItem | None, minutes: int) -> None:
    if item is not None:
        item.starts_at += timedelta(minutes=minutes)
        item.ends_at += timedelta(minutes=minutes)


def _release(delegation: Delegation, user: User | None, days_ago: int, note: str) -> None:
    pending = operations.pending_release(delegation)
    operations.release_version(delegation, user, expected_number=pending.number, expected_hash=pending.snapshot_hash,
                               note=note, at=utc_now() - timedelta(days=days_ago))


def ensure_demo_releases(lines: list[str]) -> None:
    delegation = db.session.scalar(select(Delegation).where(Delegation.title == POZNAN))
    if delegation is None or db.session.scalar(
            select(ProgrammeVersion.id).where(ProgrammeVersion.delegation_id == delegation.id).limit(1)):
        return
    planner = db.session.scalar(select(User).where(User.email == "planner@example.org"))
    # The Poznań office's contact, who receives the whole summary when the planner includes the liaison.
    liaison = db.session.scalar(select(Member).where(Member.delegation_id == delegation.id,
                                                     Member.name == "Piotr Nowak"))
    if liaison is not None and not liaison.email:
        liaison.email = "piotr.nowak@poznan.example.org"
    db.session.flush()

    _release(delegation, planner, 6, "Erste Fassung für die Partnerstadt und das Büro des Oberbürgermeisters.")
    _move(_item(delegation, "Arbeitsgespräch Klimapartnerschaft"), 30)
    museum = _item(delegation, "Besuch Sprengel Museum")
    if museum is not None:
        museum.status = ItemStatus.CONFIRMED
    db.session.flush()
    _release(delegation, planner, 2, "Das Arbeitsgespräch beginnt eine halbe Stunde später; das Museum hat bestätigt.")
    # Changed since version 2 and not yet released: the visit page shows the version out of date.
    _move(_item(delegation, "Führung Herrenhäuser Gärten"), -30)
    db.session.flush()
    lines.append("Released versions 1 and 2 of the Poznań programme (one change since, not yet released)")
