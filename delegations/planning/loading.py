"""Reading what the planning engine needs from the database, as plain data, in a fixed number of queries.

The engine (conflicts, slots, arrange) never queries; the views and commands call these loaders and hand the
result over. Ten queries per schedule, however many items, principals and busy blocks there are.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from delegations.constants import DelegationStatus, ItemStatus, PrincipalKind, ProtocolLevel
from delegations.extensions import db
from delegations.models import (ArrangementRequest, ConflictAcknowledgement, ContactPerson, Delegation, Principal,
                                ProgrammeItem, Venue)
from delegations.people.operations import travel_minutes_between
from delegations.planning.arrange import Request
from delegations.planning.availability import load_availability
from delegations.planning.conflicts import DEFAULT_BUFFER_MINUTES, PlannedItem, PrincipalInfo, Schedule, Stay
from delegations.planning.slots import DEFAULT_DAY_END, DEFAULT_DAY_START, DEFAULT_GRID_MINUTES

# Travel needs a look at the neighbours of a window: an item just before or after it.
WINDOW_MARGIN = timedelta(days=1)


def planning_settings() -> dict:
    """The engine's settings, from the app config (PLANNING_* keys) with sensible defaults."""
    config = current_app.config
    return {
        "default_buffer_minutes": int(config.get("PLANNING_DEFAULT_BUFFER_MINUTES", DEFAULT_BUFFER_MINUTES)),
        "grid_minutes": int(config.get("PLANNING_GRID_MINUTES", DEFAULT_GRID_MINUTES)),
        "node_limit": int(config.get("ARRANGE_NODE_LIMIT", 200_000)),
        "time_limit": float(config.get("ARRANGE_TIME_LIMIT_SECONDS", 5.0)),
    }


def stay_of(delegation: Delegation) -> Stay:
    return Stay(delegation.id, delegation.title, delegation.arrival_at, delegation.departure_at,
                delegation.timezone, ProtocolLevel(delegation.protocol_level).value,
                delegation.status == DelegationStatus.CANCELLED)


def delegation_window(delegation: Delegation) -> tuple[datetime, datetime]:
    """The stay and every item of the delegation (loaded already), with a margin for travel."""
    starts = [delegation.arrival_at] + [item.starts_at for item in delegation.items]
    ends = [delegation.departure_at] + [item.ends_at for item in delegation.items]
    return min(starts) - WINDOW_MARGIN, max(ends) + WINDOW_MARGIN


def load_schedule(window_start: datetime, window_end: datetime, *, delegation_ids: Iterable[int] = ()) -> Schedule:
    """Every active item of every delegation overlapping the window, the stays of those delegations (and of
    `delegation_ids`), the principals' busy time, venue travel times and names."""
    settings = planning_settings()
    rows = db.session.execute(
        select(ProgrammeItem.id, ProgrammeItem.delegation_id, ProgrammeItem.title, ProgrammeItem.starts_at,
               ProgrammeItem.ends_at, ProgrammeItem.venue_id, ProgrammeItem.principal_id,
               ProgrammeItem.responsible_id, ProgrammeItem.status, ProgrammeItem.fixed, ProgrammeItem.version)
        .join(Delegation, Delegation.id == ProgrammeItem.delegation_id)
        .where(ProgrammeItem.starts_at < window_end, ProgrammeItem.ends_at > window_start,
               ProgrammeItem.status != ItemStatus.CANCELLED, Delegation.status != DelegationStatus.CANCELLED)
    ).all()
    items = [PlannedItem(row.id, row.delegation_id, row.title, row.starts_at, row.ends_at, row.venue_id,
                         row.principal_id, row.responsible_id, cancelled=False,
                         fixed=bool(row.fixed) or row.status == ItemStatus.CONFIRMED, version=row.version)
             for row in rows]
    wanted = {item.delegation_id for item in items} | set(delegation_ids)
    # Queries run even when there is nothing to ask for: a page's query count stays the same at any size.
    stays = {delegation.id: stay_of(delegation)
             for delegation in db.session.scalars(select(Delegation).where(Delegation.id.in_(wanted)))}
    principals = {principal.id: PrincipalInfo(principal.id, principal.label, principal.kind.value, principal.rank)
                  for principal in db.session.scalars(select(Principal))}
    venues = {row.id: (f"{row.name}, {row.room}" if row.room else row.name)
              for row in db.session.execute(select(Venue.id, Venue.name, Venue.room))}
    contacts = {row.id: row.name for row in db.session.execute(select(ContactPerson.id, ContactPerson.name))}
    travel = travel_minutes_between(set(venues))
    availability = load_availability(principals.keys(), window_start, window_end)
    busy = {principal_id: list(found.busy) for principal_id, found in availability.items()}
    return Schedule(stays, items, busy, travel, settings["default_buffer_minutes"], principals, venues, contacts)


def schedule_for_delegation(delegation: Delegation) -> Schedule:
    start, end = delegation_window(delegation)
    return load_schedule(start, end, delegation_ids=[delegation.id])


def deputies_in_order(schedule: Schedule) -> list[int]:
    """Deputy mayors by protocol rank: whom to suggest when the Mayor cannot."""
    deputies = [info for info in schedule.principals.values() if info.kind == PrincipalKind.DEPUTY_MAYOR.value]
    return [info.id for info in sorted(deputies, key=lambda info: (info.rank, info.label))]


def load_requests(delegation: Delegation) -> list[ArrangementRequest]:
    return list(db.session.scalars(
        select(ArrangementRequest).where(ArrangementRequest.delegation_id == delegation.id)
        .order_by(ArrangementRequest.priority.desc(), ArrangementRequest.position, ArrangementRequest.id)))


def engine_requests(delegation: Delegation, rows: list[ArrangementRequest], schedule: Schedule) -> list[Request]:
    """The arrangement's input: every request row, and every tentative item not marked fixed (it may move)."""
    requests = []
    for row in rows:
        relative = None
        if row.order_relation and row.relative_item_id:
            relative = f"item-{row.relative_item_id}"
        elif row.order_relation and row.relative_request_id:
            relative = f"request-{row.relative_request_id}"
        days = frozenset(_dates(row.days)) or None
        requests.append(Request(
            row.key, row.title, timedelta(minutes=row.duration_minutes), row.principal_id, row.venue_id,
            row.responsible_id, row.priority, row.earliest_time, row.latest_time, days,
            after=relative if row.order_relation == "after" else None,
            before=relative if row.order_relation == "before" else None, version=row.version))
    zone = ZoneInfo(delegation.timezone)
    for item in schedule.items:
        if item.delegation_id == delegation.id and not item.fixed:
            # It may move within the planning day, widened so that its present place stays possible.
            start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
            earliest = min(DEFAULT_DAY_START, start.time())
            latest = None if end.date() != start.date() or end.time() == time(0, 0) else max(DEFAULT_DAY_END, end.time())
            requests.append(Request(
                f"item-{item.id}", item.title, item.ends_at - item.starts_at, item.principal_id, item.venue_id,
                item.responsible_id, priority=2, earliest=earliest, latest=latest,
                item_id=item.id, current_start=item.starts_at, version=item.version))
    return requests


def _dates(values) -> list[date]:
    found = []
    for value in values or ():
        try:
            found.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return found


def acknowledgements_for(keys: Iterable[str]) -> dict[str, list[ConflictAcknowledgement]]:
    """Every acknowledgement of the given conflict keys, with who gave it (one query)."""
    keys = sorted(set(keys))
    found: dict[str, list[ConflictAcknowledgement]] = {}
    for acknowledgement in db.session.scalars(
            select(ConflictAcknowledgement).where(ConflictAcknowledgement.conflict_key.in_(keys))
            .options(joinedload(ConflictAcknowledgement.acknowledged_by))):
        found.setdefault(acknowledgement.conflict_key, []).append(acknowledgement)
    return found

