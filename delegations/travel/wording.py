"""What the travel pages say: rows of the members' table, choice labels, names in the history."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from delegations.models import Delegation, Member, ProgrammeItem, TravelLeg
from delegations.models.travel import LegDirection
from delegations.templating import local_datetime
from delegations.travel import operations, pickups

HISTORY_KINDS = {"travel_leg": _l("Travel"), "transfer": _l("Transfer")}
FIELD_LABELS = {
    "mode": _l("Travelling by"), "carrier_number": _l("Flight or train number"), "scheduled_at": _l("Scheduled time"),
    "timezone": _l("Time zone"), "place": _l("Airport or station"), "terminal": _l("Terminal or platform"),
    "other_end": _l("From or to"), "needs_transfer": _l("Pick-up or drop-off wanted"), "notes": _l("Notes"),
    "pickup_at": _l("Pick-up time"), "pickup_address": _l("Pick-up address"), "destination": _l("Destination"),
    "duration_minutes": _l("Expected drive (minutes)"), "vehicle": _l("Vehicle"),
    "driver_contact_id": _l("Driver (contact person)"), "driver_name": _l("Driver"), "driver_phone": _l("Driver's phone"),
    "programme_item_id": _l("Programme item"), "travel_leg_id": _l("Serves the arrival or departure"),
    "member_id": _l("Member"), "delegation_id": _l("Visit"), "direction": _l("Arrival or departure"),
}


def reference_labels() -> dict:
    """How the history names the records a travel leg or transfer refers to."""
    return {"programme_item": (ProgrammeItem, lambda item: item.title),
            "travel_leg": (TravelLeg, lambda leg: leg.title),
            "member": (Member, lambda member: member.name)}


@dataclass(frozen=True)
class TravelRow:
    member: Member
    arrival: TravelLeg | None
    departure: TravelLeg | None
    leaves_early: bool
    arrives_late: bool


def travel_rows(delegation: Delegation) -> list[TravelRow]:
    rows = []
    for member in delegation.members:
        arrival = operations.leg_of(member, LegDirection.ARRIVAL)
        departure = operations.leg_of(member, LegDirection.DEPARTURE)
        rows.append(TravelRow(
            member, arrival, departure,
            pickups.leaves_early(departure.scheduled_at if departure else None, delegation.departure_at),
            pickups.arrives_late(arrival.scheduled_at if arrival else None, delegation.arrival_at)))
    return rows


def item_choice_label(item: ProgrammeItem) -> str:
    return f"{local_datetime(item.starts_at, item.delegation.timezone, 'short')} {item.title}"


def leg_choices(delegation: Delegation) -> list[tuple[str, str]]:
    return [(str(leg.id), f"{member.name}: {leg.title}, {local_datetime(leg.scheduled_at, leg.timezone, 'short')}")
            for member in delegation.members for leg in member.travel_legs]
