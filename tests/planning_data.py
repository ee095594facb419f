"""Plain planning data for the engine's tests: stays, items and busy time built in a line each."""
from __future__ import annotations

from datetime import datetime
from itertools import count

from delegations.planning.availability import BusyInterval
from delegations.planning.conflicts import PlannedItem, PrincipalInfo, Schedule, Stay
from delegations.zones import attach_zone

_ids = count(1000)

MAYOR, FIRST_DEPUTY, SECOND_DEPUTY = 1, 2, 3
TOWN_HALL, GARDENS, MUSEUM = 10, 11, 12
KATRIN, JONAS = 20, 21

PRINCIPALS = {
    MAYOR: PrincipalInfo(MAYOR, "Mayor Weber", "mayor", 1),
    FIRST_DEPUTY: PrincipalInfo(FIRST_DEPUTY, "Deputy Krueger", "deputy_mayor", 1),
    SECOND_DEPUTY: PrincipalInfo(SECOND_DEPUTY, "Deputy Yildiz", "deputy_mayor", 2),
}
VENUES = {TOWN_HALL: "Town hall", GARDENS: "Herrenhausen gardens", MUSEUM: "Sprengel museum"}
CONTACTS = {KATRIN: "Katrin Vogel", JONAS: "Jonas Albrecht"}


def at(text: str, zone: str = "Europe/Berlin") -> datetime:
    """'2027-05-04 10:00' as a wall-clock time of `zone`, returned as a UTC instant."""
    return attach_zone(datetime.fromisoformat(text), zone)


def stay(delegation_id: int = 1, arrival: str = "2027-05-03 09:00", departure: str = "2027-05-06 18:00",
         zone: str = "Europe/Berlin", **values) -> Stay:
    return Stay(delegation_id, values.pop("title", f"Visit {delegation_id}"), at(arrival, zone), at(departure, zone),
                zone, **values)


def item(start: str, end: str, delegation_id: int = 1, zone: str = "Europe/Berlin", **values) -> PlannedItem:
    return PlannedItem(values.pop("id", next(_ids)), delegation_id, values.pop("title", "Meeting"),
                       at(start, zone), at(end, zone), **values)


def busy(start: str, end: str, reason: str = "calendar", label: str = "", zone: str = "Europe/Berlin",
         source_id: int | None = None) -> BusyInterval:
    return BusyInterval(at(start, zone), at(end, zone), reason, label, source_id)


def schedule(stays, items=(), busy_time=None, travel=None, buffer: int = 15) -> Schedule:
    stays = stays if isinstance(stays, (list, tuple)) else [stays]
    travel = travel or {}
    both_ways = {**travel, **{(second, first): minutes for (first, second), minutes in travel.items()}}
    return Schedule({found.delegation_id: found for found in stays}, list(items), dict(busy_time or {}), both_ways,
                    buffer, PRINCIPALS, VENUES, CONTACTS)
