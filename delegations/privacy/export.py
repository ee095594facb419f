"""A visit's personal data as one JSON document, for a request under Art. 15 GDPR."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from delegations.extensions import db
from delegations.history.recorder import to_json
from delegations.models import AuditEntry, Delegation, Member

DELEGATION_FIELDS = ("id", "title", "direction", "country_code", "city", "organisation", "head_name",
                     "head_function", "arrival_at", "departure_at", "timezone", "hotel")
MEMBER_FIELDS = ("id", "name", "function", "organisation", "role", "dietary_needs", "accessibility_needs", "email",
                 "phone", "anonymised_at", "created_at", "updated_at")


def personal_data_export(delegation: Delegation, now: datetime) -> dict:
    members = db.session.scalars(select(Member).where(Member.delegation_id == delegation.id)
                                 .order_by(Member.position, Member.id)).all()
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.delegation_id == delegation.id,
                                                          AuditEntry.entity_type == "member")
                                 .order_by(AuditEntry.at, AuditEntry.id)).all()
    return {
        "exported_at": now.isoformat(),
        "delegation": {name: to_json(getattr(delegation, name)) for name in DELEGATION_FIELDS},
        "members": [{name: to_json(getattr(member, name)) for name in MEMBER_FIELDS} for member in members],
        "history": [{
            "at": entry.at.isoformat(), "action": entry.action, "member_id": entry.entity_id,
            "by": entry.actor_name, "changes": entry.changes, "snapshot": entry.snapshot,
        } for entry in history],
    }
