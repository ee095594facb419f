"""Removing members' personal details a configurable time after their visit ended, while the visit,
its programme and the number and roles of its members stay for the records.

Idempotent: anonymised members carry `anonymised_at` and are left alone by later runs. The history is
scrubbed as well, so that the old values do not survive in the audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.orm import selectinload

from delegations.extensions import db
from delegations.history.recorder import MEMBER_PERSONAL_FIELDS, act_as
from delegations.models import AuditEntry, Delegation, Member, MemberImport, ProgrammeVersion, UserSession
from delegations.releases.snapshot import snapshot_hash

# What identifies or describes a person; role and position stay (how many came, in which function type).
PERSONAL_FIELDS = MEMBER_PERSONAL_FIELDS
ANONYMOUS = "(anonymised)"
# Records about one member as a person (protocol, travel): their history goes with the member's details.
PERSONAL_RECORD_TYPES = ("form_of_address", "protocol_rank", "travel_leg")


@dataclass
class DueVisit:
    delegation: Delegation
    members: list[Member]


@dataclass
class RetentionPlan:
    cutoff: datetime
    visits: list[DueVisit] = field(default_factory=list)
    history_entries: list[AuditEntry] = field(default_factory=list)
    imports: list[MemberImport] = field(default_factory=list)
    # Login sessions past their absolute limit: dead, but they name a user and a browser.
    finished_sessions: int = 0
    session_cutoff: datetime | None = None

    @property
    def member_count(self) -> int:
        return sum(len(visit.members) for visit in self.visits)

    @property
    def is_empty(self) -> bool:
        return not (self.visits or self.history_entries or self.imports or self.finished_sessions)


def plan_retention(now: datetime, days: int, session_hours: int | None = None) -> RetentionPlan:
    """What is due: members of visits that ended more than `days` ago, and their traces in the history
    (and login sessions older than `session_hours`, which can no longer be used)."""
    cutoff = now - timedelta(days=days)
    plan = RetentionPlan(cutoff=cutoff)
    if session_hours is not None:
        plan.session_cutoff = now - timedelta(hours=session_hours, days=1)
        plan.finished_sessions = db.session.scalar(select(func.count()).select_from(UserSession).where(
            UserSession.created_at < plan.session_cutoff)) or 0
    pending_member = exists().where(Member.delegation_id == Delegation.id, Member.anonymised_at.is_(None))
    delegations = db.session.scalars(
        select(Delegation).where(Delegation.departure_at < cutoff, pending_member)
        .options(selectinload(Delegation.members)).order_by(Delegation.departure_at, Delegation.id)).all()
    plan.visits = [DueVisit(delegation, [m for m in delegation.members if m.anonymised_at is None])
                   for delegation in delegations]

    ended_visits = select(Delegation.id).where(Delegation.departure_at < cutoff)
    candidates = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "member",
            or_(AuditEntry.delegation_id.in_(ended_visits),
                # A visit deleted since: its members' history goes after the same time.
                (AuditEntry.delegation_id.not_in(select(Delegation.id)) & (AuditEntry.at < cutoff))))
        .order_by(AuditEntry.id)).all()
    plan.history_entries = [entry for entry in candidates if holds_personal_data(entry)]
    plan.history_entries += personal_record_history(cutoff)

    plan.imports = list(db.session.scalars(select(MemberImport).where(or_(
        MemberImport.delegation_id.in_(ended_visits), MemberImport.created_at < cutoff))))
    return plan


def personal_record_history(cutoff: datetime) -> list[AuditEntry]:
    """History of forms of address, ranks and travel of members whose visit ended before `cutoff`, not yet
    scrubbed."""
    ended_visits = select(Delegation.id).where(Delegation.departure_at < cutoff)
    return list(db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type.in_(PERSONAL_RECORD_TYPES), AuditEntry.summary != ANONYMOUS,
            or_(AuditEntry.delegation_id.in_(ended_visits),
                (AuditEntry.delegation_id.not_in(select(Delegation.id)) & (AuditEntry.at < cutoff))))
        .order_by(AuditEntry.id)))


def holds_personal_data(entry: AuditEntry) -> bool:
    changes = entry.changes or {}
    if any(value not in (None, "") for name in PERSONAL_FIELDS for value in changes.get(name) or ()):
        return True
    snapshot = entry.snapshot or {}
    if any(snapshot.get(name) not in (None, "") for name in PERSONAL_FIELDS if name != "name"):
        return True
    if snapshot.get("name") not in (None, "", ANONYMOUS) and not snapshot.get("anonymised_at"):
        return True
    return entry.summary not in ("", ANONYMOUS) and entry.action != "anonymised" and \
        not (entry.snapshot or {}).get("anonymised_at")


def forget_members_in_released_versions(delegation_ids: list[int]) -> None:
    """Released versions are immutable, except for this: their member lists go with the members' details
    (a bulk UPDATE, which the immutability guard of single versions does not see). The hash is taken again
    so that the version still matches the current data, which leaves anonymised members out as well."""
    if not delegation_ids:
        return
    versions = db.session.execute(select(ProgrammeVersion.id, ProgrammeVersion.snapshot)
                                  .where(ProgrammeVersion.delegation_id.in_(delegation_ids))).all()
    for version_id, snapshot in versions:
        if not snapshot.get("members"):
            continue
        scrubbed = {**snapshot, "members": []}
        db.session.execute(update(ProgrammeVersion).where(ProgrammeVersion.id == version_id)
                           .values(snapshot=scrubbed, snapshot_hash=snapshot_hash(scrubbed))
                           .execution_options(synchronize_session=False))


def anonymous_name(number: int, locale: str) -> str:
    with force_locale(locale):
        return _("Member %(number)s", number=number)


def apply_retention(plan: RetentionPlan, now: datetime, locale: str) -> None:
    """Anonymise, scrub and delete what the plan lists (flushes; the caller commits)."""
    act_as(db.session, "system:retention")
    # One flush for each member's whole change: a flush halfway would record the old values as an edit.
    with db.session.no_autoflush:
        for visit in plan.visits:
            numbers = {member.id: index for index, member in enumerate(visit.delegation.members, start=1)}
            for member in visit.members:
                member.anonymised_at = now
                member.name = anonymous_name(numbers[member.id], locale)
                for name in PERSONAL_FIELDS:
                    if name != "name":
                        setattr(member, name, "")
    if plan.visits:
        # Anonymising clears the members' protocol records (a listener), which the history records with
        # the old values: scrub those new entries as well.
        db.session.flush()
        known = {entry.id for entry in plan.history_entries}
        plan.history_entries += [entry for entry in personal_record_history(plan.cutoff) if entry.id not in known]
    for entry in plan.history_entries:
        if entry.entity_type in PERSONAL_RECORD_TYPES:
            # Every field of these records describes the person: keep only that it changed.
            entry.changes = {name: [None, None] for name in entry.changes or {}}
            entry.snapshot = {"anonymised_at": now.isoformat()} if entry.snapshot else entry.snapshot
            entry.summary = ANONYMOUS
            continue
        entry.changes = {name: ([None, None] if name in PERSONAL_FIELDS else values)
                         for name, values in (entry.changes or {}).items()}
        if entry.snapshot:
            entry.snapshot = {**entry.snapshot, **{name: "" for name in PERSONAL_FIELDS}, "name": ANONYMOUS,
                              "anonymised_at": now.isoformat()}
        entry.summary = ANONYMOUS
    forget_members_in_released_versions([visit.delegation.id for visit in plan.visits])
    if plan.imports:
        db.session.execute(delete(MemberImport).where(MemberImport.id.in_([row.id for row in plan.imports])))
    if plan.finished_sessions:
        db.session.execute(delete(UserSession).where(UserSession.created_at < plan.session_cutoff))
    db.session.flush()
