"""A visit's personal data as one JSON document, for a request under Art. 15 GDPR: the members with their
protocol rank, forms of address and travel, and the history of those records."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from delegations.extensions import db
from delegations.history.recorder import to_json
from delegations.models import AuditEntry, Delegation, Member, ProtocolRank, TravelLeg

DELEGATION_FIELDS = ("id", "title", "direction", "country_code", "city", "organisation", "head_name",
                     "head_function", "arrival_at", "departure_at", "timezone", "hotel")
MEMBER_FIELDS = ("id", "name", "function", "organisation", "role", "dietary_needs", "accessibility_needs", "email",
                 "phone", "anonymised_at", "created_at", "updated_at")
RANK_FIELDS = ("accredited_on", "serving_since", "ordinal", "languages", "salutation", "native_name",
               "native_language", "interprets_for_id", "updated_at")
ADDRESS_FIELDS = ("language", "title", "name", "function", "spoken", "salutation", "address_block",
                  "last_checked_on", "checked_with", "created_at", "updated_at")
TRAVEL_FIELDS = ("direction", "mode", "carrier_number", "scheduled_at", "timezone", "place", "terminal",
                 "other_end", "needs_transfer", "notes", "created_at", "updated_at")
# The records about a member whose history belongs in the export.
MEMBER_RECORDS = ("member", "protocol_rank", "form_of_address", "travel_leg")


def _fields(record, names) -> dict:
    return {name: to_json(getattr(record, name)) for name in names}


def _rank(rank: ProtocolRank | None) -> dict | None:
    if rank is None:
        return None
    office = rank.office_level
    return {"office": office.name if office else None, "office_en": office.name_en if office else None,
            "office_level": office.level if office else None, **_fields(rank, RANK_FIELDS)}


def _member(member: Member) -> dict:
    return {**_fields(member, MEMBER_FIELDS), "protocol_rank": _rank(member.protocol_rank),
            "forms_of_address": [_fields(form, ADDRESS_FIELDS) for form in member.forms_of_address],
            "travel": [_fields(leg, TRAVEL_FIELDS) for leg in member.travel_legs]}


def personal_data_export(delegation: Delegation, now: datetime) -> dict:
    members = db.session.scalars(
        select(Member).where(Member.delegation_id == delegation.id)
        .options(joinedload(Member.protocol_rank).joinedload(ProtocolRank.office_level),
                 selectinload(Member.forms_of_address), selectinload(Member.travel_legs))
        .order_by(Member.position, Member.id)).unique().all()
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.delegation_id == delegation.id,
                                                          AuditEntry.entity_type.in_(MEMBER_RECORDS))
                                 .order_by(AuditEntry.at, AuditEntry.id)).all()
    owners = _record_owners(members, history)
    return {
        "exported_at": now.isoformat(),
        "delegation": _fields(delegation, DELEGATION_FIELDS),
        "members": [_member(member) for member in members],
        "history": [{
            "at": entry.at.isoformat(), "action": entry.action, "record": entry.entity_type,
            "record_id": entry.entity_id, "member_id": owners.get((entry.entity_type, entry.entity_id)),
            "by": entry.actor_name, "changes": entry.changes, "snapshot": entry.snapshot,
        } for entry in history],
    }


def _record_owners(members: list[Member], history: list[AuditEntry]) -> dict[tuple[str, int], int]:
    """Which member each history entry is about: a member's own entries name them; a rank's or a form of
    address's are traced through the records as they are, else through the entry that created (or the
    snapshot of the one that deleted) the record."""
    owners: dict[tuple[str, int], int] = {}
    for entry in history:
        if entry.entity_type == "member":
            owners[("member", entry.entity_id)] = entry.entity_id
            continue
        for source in (entry.snapshot or {}, entry.changes or {}):
            value = source.get("member_id")
            if isinstance(value, list):  # a change: [old, new]
                value = value[-1]
            if isinstance(value, int):
                owners[(entry.entity_type, entry.entity_id)] = value
    for member in members:
        if member.protocol_rank is not None:
            owners[("protocol_rank", member.protocol_rank.id)] = member.id
        for form in member.forms_of_address:
            owners[("form_of_address", form.id)] = member.id
        for leg in member.travel_legs:
            owners[("travel_leg", leg.id)] = member.id
    return owners
