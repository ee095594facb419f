"""A delegation's programme as plain, JSON-serialisable data, in a stable order, and its hash.

The snapshot holds what the programme tells people (times, places, who takes part, texts for the
guests) and the ids, names and addresses needed to tell the people concerned about a change later.
Internal notes and talking points are left out: changing them changes no printed programme.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

SNAPSHOT_FORMAT = 1


def instant(value: datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC (seconds), the same text for the same instant."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


def _value(enum_or_text) -> str:
    return getattr(enum_or_text, "value", enum_or_text) or ""


def contact_data(person) -> dict | None:
    if person is None:
        return None
    return {"id": person.id, "name": person.name, "email": person.email or ""}


def principal_data(principal) -> dict | None:
    if principal is None:
        return None
    return {"id": principal.id, "name": principal.label, "email": principal.office_email or ""}


def venue_data(venue) -> dict | None:
    if venue is None:
        return None
    return {"id": venue.id, "name": venue.name, "room": venue.room or "", "address": venue.address or ""}


def participant_data(participant) -> dict:
    return {"id": participant.id, "name": participant.name, "function": participant.function or "",
            "role": _value(participant.role), "principal": principal_data(participant.principal)}


def item_data(item, participants: Iterable) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "kind": _value(item.kind),
        "status": _value(item.status),
        "starts_at": instant(item.starts_at),
        "ends_at": instant(item.ends_at),
        "venue": venue_data(item.venue),
        "principal": principal_data(item.principal),
        "responsible": contact_data(item.responsible),
        "city_participants": item.city_participants or "",
        "participants": sorted((participant_data(p) for p in participants), key=lambda p: p["id"]),
        "dress_code": item.dress_code or "",
        "description": item.description or "",
        "translations": {t.language: {"title": t.title or "", "description": t.description or ""}
                         for t in sorted(item.translations, key=lambda t: t.language)},
    }


def transfer_data(transfer) -> dict:
    """A ride as the driver needs it. Passengers by id only: their names are the members' (retention)."""
    driver = contact_data(transfer.driver_contact)
    if driver is None and transfer.driver_name:
        driver = {"id": None, "name": transfer.driver_name, "email": ""}
    return {
        "id": transfer.id,
        "kind": _value(transfer.kind),
        "pickup_at": instant(transfer.pickup_at),
        "timezone": transfer.timezone,
        "pickup_address": transfer.pickup_address or "",
        "destination": transfer.destination or "",
        "vehicle": transfer.vehicle or "",
        "driver": driver,
        "driver_phone": transfer.driver_phone or "",
        "passengers": sorted(member.id for member in transfer.passengers),
        "notes": transfer.notes or "",
    }


def build_snapshot(delegation, participants_by_item: Mapping[int, Iterable] | None = None) -> dict:
    """The delegation's programme as it is now. `participants_by_item` holds the city-side participants
    (protocol) of each item, loaded in one query by the caller."""
    participants_by_item = participants_by_item or {}
    items = sorted(delegation.items, key=lambda item: (item.starts_at, item.id))
    # Anonymised members (retention) are left out, as on the printed programme.
    members = sorted((member for member in delegation.members if getattr(member, "anonymised_at", None) is None),
                     key=lambda member: (member.position, member.id))
    return {
        "format": SNAPSHOT_FORMAT,
        "delegation": {
            "id": delegation.id,
            "title": delegation.title,
            "direction": _value(delegation.direction),
            "status": _value(delegation.status),
            "timezone": delegation.timezone,
            "arrival_at": instant(delegation.arrival_at),
            "departure_at": instant(delegation.departure_at),
            "hotel": delegation.hotel or "",
            "languages": list(delegation.languages or []),
            "head_name": delegation.head_name or "",
            "lead_contact": contact_data(delegation.lead_contact),
            "deputy_contact": contact_data(delegation.deputy_contact),
        },
        "members": [{"id": member.id, "name": member.name, "function": member.function or "",
                     "role": _value(member.role)} for member in members],
        "items": [item_data(item, participants_by_item.get(item.id, ())) for item in items],
        # Rides (travel): a moved pick-up is a change the driver must hear of, like a moved item.
        "transfers": [transfer_data(transfer) for transfer in sorted(
            getattr(delegation, "transfers", ()), key=lambda transfer: (transfer.pickup_at, transfer.id))],
    }


def without_addresses(value):
    """The value with e-mail addresses left out: a new address changes no programme, so it neither makes a
    released version out of date nor a printed copy stale (the snapshot keeps them, to reach people)."""
    if isinstance(value, dict):
        return {key: without_addresses(inner) for key, inner in value.items() if key != "email"}
    if isinstance(value, list):
        return [without_addresses(inner) for inner in value]
    return value


def snapshot_hash(snapshot: dict) -> str:
    """SHA-256 of the snapshot's canonical JSON without e-mail addresses: equal programme, equal hash."""
    text = json.dumps(without_addresses(snapshot), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# What a printed programme shows: the rides are on the drivers' sheets, not in the delegation's programme.
PRINTED_PARTS = ("format", "delegation", "members", "items")


def printed_hash(snapshot: dict) -> str:
    """The hash of what a printed programme shows: a copy is stale when this differs from the data's."""
    return snapshot_hash({part: snapshot.get(part) for part in PRINTED_PARTS})


def empty_snapshot(delegation_snapshot: dict) -> dict:
    """A snapshot with the same visit and no items or members (what came before a first version)."""
    return {"format": SNAPSHOT_FORMAT, "delegation": dict(delegation_snapshot["delegation"]), "members": [],
            "items": [], "transfers": []}
