"""Who has room for a visit: each contact person's load in the weeks of a stay (its own work left out), for the
lead contact select of the visit form. Reads the stay from a form, a stored visit or query arguments, never
failing on half-typed dates: without a usable stay there is simply nothing to show yet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from delegations.constants import Direction
from delegations.visits.operations import zone_for_country
from delegations.workload.board import Room, Week, room_in, weeks_touching
from delegations.workload.forms import FIRST_YEAR, LAST_YEAR
from delegations.workload.queries import load_board
from delegations.zones import NonexistentLocalTime, attach_zone, is_valid_zone


@dataclass(frozen=True)
class LeadRoom:
    weeks: list[Week]
    rooms: list[Room]


def stay_from_wall_clock(direction: str | None, zone_name: str | None, country_code: str | None,
                         arrival: datetime | None, departure: datetime | None,
                         home_zone: str) -> tuple[datetime, datetime] | None:
    """Arrival and departure as instants, or None when they are missing, impossible or in the wrong order."""
    if arrival is None or departure is None:
        return None
    if not all(FIRST_YEAR <= value.year <= LAST_YEAR for value in (arrival, departure)):
        return None  # a typo such as year 20277: nothing sensible to count
    if direction == Direction.OUTGOING.value:
        zone_name = zone_name or zone_for_country(country_code or "")
    else:
        zone_name = home_zone
    if not zone_name or not is_valid_zone(zone_name):
        return None
    try:
        start, end = attach_zone(arrival, zone_name), attach_zone(departure, zone_name)
    except NonexistentLocalTime:
        return None
    return (start, end) if end > start else None


def parse_wall_clock(text: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value.replace(tzinfo=None, second=0, microsecond=0)


def lead_room(stay: tuple[datetime, datetime] | None, home_zone: str, today: date,
              delegation_id: int | None = None) -> LeadRoom | None:
    if stay is None:
        return None
    weeks = weeks_touching(stay[0], stay[1], home_zone)
    board = load_board(weeks, home_zone, today, exclude_delegation_id=delegation_id, with_conflicts=False).board
    return LeadRoom(weeks, room_in(board))


def lead_room_for_form(form, delegation, home_zone: str, today: date) -> LeadRoom | None:
    """For the visit form as it is shown: the stored stay on first display, the typed one after a submit."""
    if not form.is_submitted() and delegation is not None:
        stay = (delegation.arrival_at, delegation.departure_at)
    else:
        stay = stay_from_wall_clock(form.direction.data, form.timezone.data, form.country_code.data,
                                    form.arrival_at.data, form.departure_at.data, home_zone)
    return lead_room(stay, home_zone, today, delegation.id if delegation is not None else None)
