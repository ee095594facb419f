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
from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import selectinload

from delegations.extensions import db
from delegations.history.recorder import MEMBER_PERSONAL_FIELDS, act_as
from delegations.models import AuditEntry, Delegation, Member, MemberImport, UserSession

# What identifies or describes a person; role and position stay (how many came, in which function type).
PERSONAL_FIELDS = MEMBER_PERSONAL_FIELDS
ANONYMOUS = "(anonymised)"


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

    plan.imports = list(db.session.scalars(select(MemberImport).where(or_(
        MemberImport.delegation_id.in_(ended_visits), MemberImport.created_at < cutoff))))
    return plan


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
    for entry in plan.history_entries:
        entry.changes = {name: ([None, None] if name in PERSONAL_FIELDS else values)
                         for name, values in (entry.changes or {}).items()}
        if entry.snapshot:
            entry.snapshot = {**entry.snapshot, **{name: "" for name in PERSONAL_FIELDS}, "name": ANONYMOUS,
                              "anonymised_at": now.isoformat()}
        entry.summary = ANONYMOUS
    if plan.imports:
        db.session.execute(delete(MemberImport).where(MemberImport.id.in_([row.id for row in plan.imports])))
    if plan.finished_sessions:
        db.session.execute(delete(UserSession).where(UserSession.created_at < plan.session_cutoff))
    db.session.flush()
