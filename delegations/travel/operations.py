"""Changing travel and transfers (flush only; the view commits), and turning the records into the pure plan."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from delegations.constants import ItemKind, ItemStatus
from delegations.extensions import db
from delegations.models import Delegation, Member, ProgrammeItem, Transfer, TravelLeg, Venue
from delegations.models.travel import LegDirection, TransferKind, TravelMode
from delegations.people.operations import travel_minutes_between
from delegations.travel import pickups


# From the records to the plan --------------------------------------------------------------------------------

def leg_of(member: Member, direction: LegDirection) -> TravelLeg | None:
    return next((leg for leg in member.travel_legs if leg.direction == direction), None)


def pure_leg(leg: TravelLeg, member: Member) -> pickups.Leg:
    return pickups.Leg(member_id=member.id, member_name=member.name, direction=LegDirection(leg.direction).value,
                       mode=TravelMode(leg.mode).value, service=leg.carrier_number, at=leg.scheduled_at,
                       zone=leg.timezone, place=leg.place_label, terminal=leg.terminal, venue_id=leg.venue_id,
                       needs_transfer=leg.needs_transfer, leg_id=leg.id)


def pure_legs(delegation: Delegation) -> list[pickups.Leg]:
    return [pure_leg(leg, member) for member in delegation.members for leg in member.travel_legs]


def base_venue(delegation: Delegation, venues: list[Venue]) -> Venue | None:
    """The venue the delegation stays at: the one whose name the hotel field starts with (longest name wins)."""
    hotel = (delegation.hotel or "").strip().casefold()
    if not hotel:
        return None
    matching = [venue for venue in venues if venue.name and hotel.startswith(venue.name.strip().casefold())]
    return max(matching, key=lambda venue: (len(venue.name), not venue.room), default=None)


def base_address(delegation: Delegation, hotel: Venue | None) -> str:
    """Where the rides start or end in town: the visit's hotel, with the venue's address when the hotel field
    names only the hotel (a driver needs the street)."""
    text = (delegation.hotel or "").strip()
    if hotel is None:
        return text
    lines = [line.strip() for line in (hotel.address or "").splitlines() if line.strip()]
    if not text:
        return ", ".join([hotel.label, *lines])
    if lines and lines[0].casefold() not in text.casefold():
        return ", ".join([text, *lines])
    return text


@dataclass(frozen=True)
class DelegationPlan:
    plan: pickups.PickupPlan
    hotel: Venue | None
    base_address: str
    matches: dict[int, "RideMatch"]  # by id() of the ride
    # Members the plan cannot carry because their arrival (or departure) is not recorded yet.
    without_arrival: tuple[str, ...] = ()
    without_departure: tuple[str, ...] = ()

    def match(self, ride: pickups.Ride) -> "RideMatch":
        return self.matches[id(ride)]

    @property
    def unsettled(self) -> int:
        """Rides with no transfer, or one at another time or with other passengers (a flight was moved)."""
        return sum(1 for match in self.matches.values() if match.state != "covered")


@dataclass(frozen=True)
class RideMatch:
    transfer: Transfer | None
    same_time: bool
    same_passengers: bool

    @property
    def state(self) -> str:
        if self.transfer is None:
            return "missing"
        return "covered" if self.same_time and self.same_passengers else "differs"


def ride_kind(ride: pickups.Ride) -> TransferKind:
    return TransferKind.PICK_UP if ride.direction == pickups.ARRIVAL else TransferKind.DROP_OFF


def match_rides(rides, transfers: list[Transfer]) -> dict[int, RideMatch]:
    """Each ride of the plan with the transfer that carries it out: same kind, most passengers in common."""
    matches, taken = {}, set()
    for ride in rides:
        candidates = [transfer for transfer in transfers if transfer.kind == ride_kind(ride) and transfer.id not in taken
                      and ride.member_ids & {member.id for member in transfer.passengers}]
        best = max(candidates, key=lambda transfer: (len(ride.member_ids & {m.id for m in transfer.passengers}),
                                                     -abs((transfer.pickup_at - ride.at).total_seconds())),
                   default=None)
        if best is None:
            matches[id(ride)] = RideMatch(None, False, False)
            continue
        taken.add(best.id)
        matches[id(ride)] = RideMatch(best, best.pickup_at == ride.at,
                                      {member.id for member in best.passengers} == set(ride.member_ids))
    return matches


def delegation_plan(delegation: Delegation, venues: list[Venue], settings: pickups.PlanSettings) -> DelegationPlan:
    """The pick-up plan of a visit loaded with `queries.delegation_for_travel`, matched with its transfers."""
    hotel = base_venue(delegation, venues)
    legs = pure_legs(delegation)
    ids = {leg.venue_id for leg in legs if leg.venue_id is not None}
    known = travel_minutes_between(ids | {hotel.id}) if hotel is not None and ids else {}

    def drive_minutes(venue_id: int | None) -> int | None:
        if hotel is None or venue_id is None:
            return None
        return 0 if venue_id == hotel.id else known.get((hotel.id, venue_id))

    address = base_address(delegation, hotel)
    plan = pickups.plan_pickups(legs, address, drive_minutes, settings)
    present = [member for member in delegation.members if member.anonymised_at is None]
    return DelegationPlan(plan, hotel, address, match_rides(plan.pickups + plan.dropoffs, delegation.transfers),
                          tuple(member.name for member in present if leg_of(member, LegDirection.ARRIVAL) is None),
                          tuple(member.name for member in present if leg_of(member, LegDirection.DEPARTURE) is None))


def nearest_transfer_item(delegation: Delegation, at: datetime) -> ProgrammeItem | None:
    """The programme item of kind transfer closest to `at` (within three hours), if the programme has one."""
    candidates = [item for item in delegation.items if item.kind == ItemKind.TRANSFER
                  and item.status != ItemStatus.CANCELLED and abs(item.starts_at - at) <= timedelta(hours=3)]
    return min(candidates, key=lambda item: abs(item.starts_at - at), default=None)


def create_transfers_from_plan(delegation: Delegation, planned: DelegationPlan) -> list[Transfer]:
    """A transfer for every ride of the plan that no transfer carries out yet (flushes)."""
    members = {member.id: member for member in delegation.members}
    legs = {leg.id: leg for member in delegation.members for leg in member.travel_legs}
    created = []
    for ride in planned.plan.pickups + planned.plan.dropoffs:
        if planned.match(ride).transfer is not None or not ride.pickup_address or not ride.destination:
            continue
        transfer = Transfer(delegation=delegation, kind=ride_kind(ride), pickup_at=ride.at,
                            timezone=delegation.timezone, pickup_address=ride.pickup_address,
                            destination=ride.destination, duration_minutes=ride.drive_minutes,
                            travel_leg=legs.get(ride.decisive.leg_id),
                            programme_item=nearest_transfer_item(delegation, ride.at),
                            passengers=[members[leg.member_id] for leg in ride.legs])
        db.session.add(transfer)
        created.append(transfer)
    db.session.flush()
    return created


# Saving a member's travel ----------------------------------------------------------------------------------

class TravelConflict(Exception):
    """Someone else changed this member's travel since the form was opened."""


def apply_leg(member: Member, direction: LegDirection, values: Mapping | None,
              opened_version: int | None) -> TravelLeg | None:
    """Create, update or remove (values None) the member's leg; refuses when it changed since it was opened."""
    leg = leg_of(member, direction)
    current = leg.version if leg is not None else None
    if opened_version != current:
        raise TravelConflict(direction)
    if values is None:
        if leg is not None:
            member.travel_legs.remove(leg)
        return None
    if leg is None:
        leg = TravelLeg(member=member, delegation_id=member.delegation_id, direction=direction)
        db.session.add(leg)
    for name, value in values.items():
        if getattr(leg, name) != value:
            setattr(leg, name, value)
    return leg


def save_member_travel(member: Member, arrival: Mapping | None, departure: Mapping | None,
                       versions: tuple[int | None, int | None]) -> None:
    """Both legs in one transaction (commits); raises TravelConflict and writes nothing on a concurrent change."""
    try:
        apply_leg(member, LegDirection.ARRIVAL, arrival, versions[0])
        apply_leg(member, LegDirection.DEPARTURE, departure, versions[1])
        db.session.commit()
    except (TravelConflict, StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise TravelConflict(str(error)) from error
