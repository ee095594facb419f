"""Run sheets by role, from the current data: the driver's (transfers), the interpreter's (items with language
and mode), the kitchen's (meals with dietary counts) and the security liaison's (route and times of everything).

Each sheet is built from a visit loaded in a fixed number of queries and read by a page and a PDF alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from delegations.constants import Role
from delegations.models import Delegation, Member, ProgrammeItem, Transfer, TravelLeg
from delegations.models.travel import LegDirection, TransferKind
from delegations.protocol import needs
from delegations.protocol import operations as protocol_operations
from delegations.protocol import queries as protocol_queries
from delegations.releases.queries import ReleaseStamp, release_stamp
from delegations.protocol.people import member_key
from delegations.travel import pickups, queries


@dataclass(frozen=True)
class Sheet:
    """One kind of run sheet: its name in addresses, its title, who may open it."""

    name: str
    title: object
    role: Role
    description: object


SHEETS = {
    sheet.name: sheet for sheet in (
        Sheet("driver", _l("Driver's sheet"), Role.VIEWER,
              _l("Transfers in time order: pick-up time and address, destination, passengers and their flights or "
                 "trains, driver.")),
        Sheet("interpreter", _l("Interpreter's sheet"), Role.VIEWER,
              _l("Programme items with the languages to interpret, the mode and who covers them.")),
        Sheet("kitchen", _l("Kitchen sheet"), Role.VIEWER,
              _l("Meals with the number of guests, menus and dietary needs.")),
        Sheet("security", _l("Security liaison sheet"), Role.PLANNER,
              _l("Route and times of every item and transfer with venues and addresses (planners only).")),
    )
}


@dataclass(frozen=True)
class PassengerLeg:
    name: str
    leg: TravelLeg | None
    phone: str = ""


@dataclass(frozen=True)
class DriverRun:
    transfer: Transfer
    passengers: list[PassengerLeg]

    @property
    def by_service(self) -> list[tuple[TravelLeg | None, list[PassengerLeg]]]:
        """The passengers grouped by the flight or train they come with (or leave by), in order of first mention,
        so a full car reads "LH 2084 09:55, Terminal C: four names" and not the flight four times."""
        groups: dict[tuple, tuple[TravelLeg | None, list[PassengerLeg]]] = {}
        for passenger in self.passengers:
            leg = passenger.leg
            key = ((leg.mode, leg.carrier_number, leg.scheduled_at, leg.terminal, leg.other_end)
                   if leg is not None else (None,))
            groups.setdefault(key, (leg, []))[1].append(passenger)
        return list(groups.values())

    @property
    def off_schedule(self) -> list[TravelLeg]:
        """Flights or trains that no longer fit this ride (a delay entered after the transfer was planned):
        an arrival now due after the car leaves, a departure now before the car gets there."""
        kind = TransferKind(self.transfer.kind)
        reaches = self.transfer.pickup_at + timedelta(minutes=self.transfer.duration_minutes or 0)
        legs = [passenger.leg for passenger in self.passengers if passenger.leg is not None]
        if kind == TransferKind.PICK_UP:
            late = [leg for leg in legs if leg.scheduled_at > self.transfer.pickup_at]
        elif kind == TransferKind.DROP_OFF:
            late = [leg for leg in legs if leg.scheduled_at <= reaches]
        else:
            late = []
        seen, found = set(), []
        for leg in late:  # one line per flight or train, not per passenger
            key = (leg.carrier_number or leg.id, leg.scheduled_at)
            if key not in seen:
                seen.add(key)
                found.append(leg)
        return found

    @property
    def services(self) -> list[str]:
        seen = []
        for passenger in self.passengers:
            if passenger.leg is not None and passenger.leg.carrier_number and passenger.leg.carrier_number not in seen:
                seen.append(passenger.leg.carrier_number)
        return seen


@dataclass(frozen=True)
class Stop:
    """One line of the security sheet: an item or a transfer, with where it starts and (for rides) where it goes."""

    starts_at: datetime
    ends_at: datetime | None
    title: str
    kind_label: str
    place: str
    address: str
    destination: str = ""
    people: str = ""
    item: ProgrammeItem | None = None
    transfer: Transfer | None = None


@dataclass
class RunSheetData:
    sheet: Sheet
    delegation: Delegation
    stamp: ReleaseStamp | None
    data_as_of: datetime | None
    runs: list[DriverRun] = field(default_factory=list)
    drivers: list[tuple[str, str]] = field(default_factory=list)  # (key, label) for the driver filter
    driver_key: str = ""
    interpreting: list = field(default_factory=list)
    meals: list = field(default_factory=list)
    stops: list[Stop] = field(default_factory=list)
    double_booked: set[int] = field(default_factory=set)  # transfers whose driver has another ride then

    @property
    def zone(self) -> str:
        return self.delegation.timezone


def driver_key(transfer: Transfer) -> str:
    if transfer.driver_contact_id is not None:
        return f"c{transfer.driver_contact_id}"
    return f"n:{transfer.driver_name.strip().casefold()}" if transfer.driver_name.strip() else ""


def double_booked(transfers: list[Transfer]) -> set[int]:
    """The transfers whose driver is on another ride at the same time (from leaving to arriving)."""
    return pickups.double_booked(
        (transfer.id, driver_key(transfer), transfer.pickup_at,
         transfer.pickup_at + timedelta(minutes=transfer.duration_minutes or 0)) for transfer in transfers)


def passenger_legs(transfer: Transfer) -> list[PassengerLeg]:
    """Each passenger with the flight or train this ride meets (arrival for a pick-up, departure for a drop-off)."""
    direction = {TransferKind.PICK_UP: LegDirection.ARRIVAL, TransferKind.DROP_OFF: LegDirection.DEPARTURE}.get(
        TransferKind(transfer.kind))
    found = []
    for member in transfer.passengers:
        leg = next((leg for leg in member.travel_legs if leg.direction == direction), None) if direction else None
        found.append(PassengerLeg(member.name, leg, member.phone if member.anonymised_at is None else ""))
    return found


def _latest(*instants) -> datetime | None:
    present = [instant for instant in instants if instant is not None]
    return max(present, default=None)


def _address_line(text: str) -> str:
    return ", ".join(line.strip() for line in (text or "").splitlines() if line.strip())


def build(sheet_name: str, delegation_id: int, driver: str = "") -> RunSheetData | None:
    """The run sheet `sheet_name` of a visit, or None when the visit does not exist."""
    sheet = SHEETS[sheet_name]
    delegation = protocol_queries.delegation_for_protocol(delegation_id)
    if delegation is None:
        return None
    transfers = queries.transfers_of(delegation.id)
    items = protocol_operations.active_items(delegation)
    data = RunSheetData(sheet, delegation, release_stamp(delegation), None)
    touched = [delegation.updated_at]
    if sheet_name == "driver":
        keys = {}
        for transfer in transfers:
            key = driver_key(transfer)
            if key and key not in keys:
                keys[key] = transfer.driver_label
        data.drivers = sorted(keys.items(), key=lambda pair: pair[1].casefold())
        data.driver_key = driver if driver in keys else ""
        data.double_booked = double_booked(transfers)
        data.runs = [DriverRun(transfer, passenger_legs(transfer)) for transfer in transfers
                     if not data.driver_key or driver_key(transfer) == data.driver_key]
        touched += [transfer.updated_at for transfer in transfers]
        touched += [leg.updated_at for transfer in transfers for member in transfer.passengers
                    for leg in member.travel_legs]
    elif sheet_name == "interpreter":
        # Items interpreted in some mode (a transfer or free time is not, unless the planner chose a mode).
        legs = queries.legs_of(delegation.id)
        data.interpreting = [entry for entry in protocol_operations.interpreting_needs(delegation, away_by_travel(legs))
                             if entry.mode != needs.NO_INTERPRETING]
        touched += [entry.item.updated_at for entry in data.interpreting] + [leg.updated_at for leg in legs]
    elif sheet_name == "kitchen":
        legs = queries.legs_of(delegation.id)
        data.meals = protocol_operations.meal_counts(delegation, away_by_travel(legs))
        touched += [leg.updated_at for leg in legs]
        touched += [entry.item.updated_at for entry in data.meals] + [member.updated_at for member in delegation.members]
    elif sheet_name == "security":
        data.stops = security_stops(delegation, items, transfers)
        touched += [item.updated_at for item in items] + [transfer.updated_at for transfer in transfers]
    data.data_as_of = _latest(*touched)
    return data


def away_by_travel(legs: list[TravelLeg]):
    """For an item: the keys of the members who, by their own arrival or departure, are not there for it (one
    who leaves a day early eats no farewell dinner and needs no interpreter at it)."""
    travel: dict[int, list] = {}
    for leg in legs:
        travel.setdefault(leg.member_id, [None, None])[0 if leg.direction == LegDirection.ARRIVAL else 1] = \
            leg.scheduled_at

    times = {member_id: (arrival_at, departure_at) for member_id, (arrival_at, departure_at) in travel.items()}

    def away(item: ProgrammeItem) -> set[str]:
        return {member_key(member_id) for member_id in pickups.not_in_town(times, item.starts_at, item.ends_at)}

    return away


def security_stops(delegation: Delegation, items: list[ProgrammeItem], transfers: list[Transfer]) -> list[Stop]:
    """Every item (with its venue) and every transfer (from, to), in time order."""
    size = sum(1 for _member in delegation.members)
    stops = [Stop(item.starts_at, item.ends_at, item.title, str(item.kind.label),
                  item.venue.label if item.venue else "", _address_line(item.venue.address) if item.venue else "",
                  people=(item.principal.label if item.principal and item.principal.title else
                          (item.principal.name if item.principal else "")),
                  item=item)
             for item in items]
    for transfer in transfers:
        names = ", ".join(member.name for member in transfer.passengers)
        stops.append(Stop(transfer.pickup_at, None, str(TransferKind(transfer.kind).label),
                          str(TransferKind(transfer.kind).label), "", _address_line(transfer.pickup_address),
                          destination=_address_line(transfer.destination),
                          people=names or ngettext("%(num)s member in the delegation",
                                                   "%(num)s members in the delegation", size),
                          transfer=transfer))
    return sorted(stops, key=lambda stop: (stop.starts_at, stop.transfer is None))


def member_names(members: list[Member]) -> str:
    return ", ".join(member.name for member in members)
