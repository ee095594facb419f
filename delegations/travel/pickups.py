"""The airport and station pick-up plan, derived from the members' arrivals and departures.

Arrivals at the same place within a window are met by one pick-up: it leaves when the last of them is ready
(landing + time to get the luggage and walk out, shorter for a train). Departures likewise make one drop-off:
it leaves the hotel so that the earliest of them reaches check-in in time (departure - check-in buffer -
drive to the airport, from the venues' travel times where known, else a default that the plan names).
All arithmetic is on UTC instants, so a DST change in between costs or gives the clock its hour honestly.
Pure: plain values in, plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable, Mapping

ARRIVAL, DEPARTURE = "arrival", "departure"
FLIGHT, TRAIN, CAR, OTHER = "flight", "train", "car", "other"


@dataclass(frozen=True)
class PlanSettings:
    """Minutes the plan allows; the defaults come from the unit's practice at Hannover airport and station."""

    arrival_buffers: Mapping[str, int] = field(default_factory=lambda: {FLIGHT: 45, TRAIN: 10, CAR: 0, OTHER: 15})
    check_in_buffers: Mapping[str, int] = field(default_factory=lambda: {FLIGHT: 120, TRAIN: 15, CAR: 0, OTHER: 15})
    group_window: int = 45          # arrivals (or departures) this close together share one ride
    default_drive_minutes: int = 30  # when no travel time between hotel and airport/station is recorded

    @classmethod
    def from_config(cls, config: Mapping) -> "PlanSettings":
        """TRAVEL_FLIGHT_ARRIVAL_BUFFER, TRAVEL_TRAIN_ARRIVAL_BUFFER, TRAVEL_FLIGHT_CHECK_IN,
        TRAVEL_TRAIN_CHECK_IN, TRAVEL_GROUP_WINDOW, TRAVEL_DEFAULT_DRIVE (minutes) override the defaults."""
        defaults = cls()

        def minutes(name: str, default: int) -> int:
            try:
                value = int(config.get(name, default))
            except (TypeError, ValueError):
                return default
            return value if value >= 0 else default

        arrival = dict(defaults.arrival_buffers)
        arrival[FLIGHT] = minutes("TRAVEL_FLIGHT_ARRIVAL_BUFFER", arrival[FLIGHT])
        arrival[TRAIN] = minutes("TRAVEL_TRAIN_ARRIVAL_BUFFER", arrival[TRAIN])
        check_in = dict(defaults.check_in_buffers)
        check_in[FLIGHT] = minutes("TRAVEL_FLIGHT_CHECK_IN", check_in[FLIGHT])
        check_in[TRAIN] = minutes("TRAVEL_TRAIN_CHECK_IN", check_in[TRAIN])
        return cls(arrival_buffers=arrival, check_in_buffers=check_in,
                   group_window=minutes("TRAVEL_GROUP_WINDOW", defaults.group_window),
                   default_drive_minutes=minutes("TRAVEL_DEFAULT_DRIVE", defaults.default_drive_minutes))

    def arrival_buffer(self, mode: str) -> timedelta:
        return timedelta(minutes=self.arrival_buffers.get(mode, self.arrival_buffers.get(OTHER, 0)))

    def check_in_buffer(self, mode: str) -> timedelta:
        return timedelta(minutes=self.check_in_buffers.get(mode, self.check_in_buffers.get(OTHER, 0)))


@dataclass(frozen=True)
class Leg:
    """One member's arrival or departure as the plan needs it."""

    member_id: int
    member_name: str
    direction: str       # ARRIVAL or DEPARTURE
    mode: str            # FLIGHT, TRAIN, CAR, OTHER
    service: str         # "LH 2342", "ICE 571", "" for a car
    at: datetime         # scheduled landing / arrival or departure, aware
    zone: str            # the zone of the airport or station
    place: str           # "Flughafen Hannover, Terminal C"
    terminal: str = ""
    venue_id: int | None = None  # the airport or station as a venue, for travel times
    needs_transfer: bool = True
    leg_id: int | None = None

    @property
    def place_key(self) -> tuple:
        return (self.venue_id,) if self.venue_id is not None else (None, self.place.strip().casefold())


@dataclass(frozen=True)
class Ride:
    """One pick-up (arrivals) or drop-off (departures) of the plan."""

    direction: str
    at: datetime                 # when the car leaves: at the airport (pick-up) or at the hotel (drop-off)
    zone: str                    # local time of the place
    place: str                   # the airport or station
    venue_id: int | None
    legs: tuple[Leg, ...]        # who rides, with their flight or train
    pickup_address: str
    destination: str
    drive_minutes: int
    drive_known: bool            # False: the default drive time was assumed
    decisive: Leg                # the leg that sets the time (last arrival, first departure)

    @property
    def passengers(self) -> tuple[str, ...]:
        return tuple(leg.member_name for leg in self.legs)

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(leg.member_id for leg in self.legs)

    @property
    def services(self) -> tuple[str, ...]:
        """Flight and train numbers in order, each once."""
        seen: list[str] = []
        for leg in self.legs:
            if leg.service and leg.service not in seen:
                seen.append(leg.service)
        return tuple(seen)

    @property
    def minutes_after_due(self) -> int:
        """For a pick-up: how long after the decisive arrival is due the car leaves."""
        return int((self.at - self.decisive.at).total_seconds() // 60)

    @property
    def arrives_at(self) -> datetime:
        """When the ride reaches its destination."""
        return self.at + timedelta(minutes=self.drive_minutes)


@dataclass(frozen=True)
class PickupPlan:
    pickups: tuple[Ride, ...]
    dropoffs: tuple[Ride, ...]
    on_their_own: tuple[Leg, ...]  # legs without a pick-up or drop-off wanted


DriveTimes = Callable[[int | None], int | None]


def _groups(legs: list[Leg], window: timedelta) -> list[list[Leg]]:
    """Legs at the same place, in time order, split wherever the next one is more than `window` after the
    first of its group (so a group never stretches beyond the window)."""
    by_place: dict[tuple, list[Leg]] = {}
    for leg in sorted(legs, key=lambda leg: (leg.at, leg.member_name)):
        by_place.setdefault(leg.place_key, []).append(leg)
    groups: list[list[Leg]] = []
    for place_legs in by_place.values():
        current: list[Leg] = []
        for leg in place_legs:
            if current and leg.at - current[0].at > window:
                groups.append(current)
                current = []
            current.append(leg)
        if current:
            groups.append(current)
    return groups


def _place_label(leg: Leg) -> str:
    if leg.terminal and leg.terminal.casefold() not in leg.place.casefold():
        return f"{leg.place}, {leg.terminal}"
    return leg.place


def plan_pickups(legs: Iterable[Leg], base_address: str, drive_minutes: DriveTimes | None = None,
                 settings: PlanSettings | None = None) -> PickupPlan:
    """The rides that bring the members from their arrival to `base_address` (the hotel) and back.

    `drive_minutes(venue_id)` gives the minutes between the hotel and that airport or station when known.
    """
    settings = settings or PlanSettings()
    drive_minutes = drive_minutes or (lambda _venue_id: None)
    window = timedelta(minutes=settings.group_window)
    wanted = [leg for leg in legs if leg.needs_transfer]
    on_their_own = tuple(sorted((leg for leg in legs if not leg.needs_transfer), key=lambda leg: leg.at))

    def drive(leg: Leg) -> tuple[int, bool]:
        known = drive_minutes(leg.venue_id) if leg.venue_id is not None else None
        return (known, True) if known is not None else (settings.default_drive_minutes, False)

    pickups = []
    for group in _groups([leg for leg in wanted if leg.direction == ARRIVAL], window):
        decisive = max(group, key=lambda leg: (leg.at + settings.arrival_buffer(leg.mode), leg.member_name))
        minutes, known = drive(decisive)
        pickups.append(Ride(ARRIVAL, decisive.at + settings.arrival_buffer(decisive.mode), decisive.zone,
                            decisive.place, decisive.venue_id, tuple(group), _place_label(decisive), base_address,
                            minutes, known, decisive))
    dropoffs = []
    for group in _groups([leg for leg in wanted if leg.direction == DEPARTURE], window):
        decisive = min(group, key=lambda leg: (leg.at - settings.check_in_buffer(leg.mode), leg.member_name))
        minutes, known = drive(decisive)
        leave = decisive.at - settings.check_in_buffer(decisive.mode) - timedelta(minutes=minutes)
        dropoffs.append(Ride(DEPARTURE, leave, decisive.zone, decisive.place, decisive.venue_id, tuple(group),
                             base_address, _place_label(decisive), minutes, known, decisive))
    return PickupPlan(tuple(sorted(pickups, key=lambda ride: ride.at)),
                      tuple(sorted(dropoffs, key=lambda ride: ride.at)), on_their_own)


# The members' own travel, checked ---------------------------------------------------------------------------

EARLIEST_BEFORE_STAY = timedelta(days=3)   # an arrival days before the visit is most likely a typo
LATEST_AFTER_STAY = timedelta(days=3)


@dataclass(frozen=True)
class LegProblem:
    field: str   # "arrival" or "departure"
    code: str    # see TRAVEL_PROBLEMS in wording


def check_legs(arrival_at: datetime | None, departure_at: datetime | None, stay_start: datetime,
               stay_end: datetime) -> list[LegProblem]:
    """Arrival before departure, both within reason of the visit's stay."""
    problems = []
    if arrival_at is not None and departure_at is not None and departure_at <= arrival_at:
        problems.append(LegProblem(DEPARTURE, "departure_before_arrival"))
    if arrival_at is not None and not (stay_start - EARLIEST_BEFORE_STAY <= arrival_at <= stay_end):
        problems.append(LegProblem(ARRIVAL, "arrival_outside_stay"))
    if departure_at is not None and not (stay_start <= departure_at <= stay_end + LATEST_AFTER_STAY):
        problems.append(LegProblem(DEPARTURE, "departure_outside_stay"))
    return problems


def not_in_town(travel: Mapping[int, tuple[datetime | None, datetime | None]], starts_at: datetime,
                ends_at: datetime) -> set[int]:
    """The members (by id; `travel` maps id to (arrival, departure)) who are not there for a time span: their
    own arrival is after its end, or their own departure before its start. Unknown travel counts as there."""
    return {member_id for member_id, (arrival_at, departure_at) in travel.items()
            if (arrival_at is not None and arrival_at >= ends_at)
            or (departure_at is not None and departure_at <= starts_at)}


def double_booked(rides: Iterable[tuple[int, str, datetime, datetime]]) -> set[int]:
    """The rides (id, driver, leaves, arrives) whose driver has another ride at the same time: a driver cannot
    wait at the airport and at the station at once. Rides without a driver ("") are not compared."""
    by_driver: dict[str, list[tuple[datetime, datetime, int]]] = {}
    for ride_id, driver, starts_at, ends_at in rides:
        if driver:
            by_driver.setdefault(driver, []).append((starts_at, max(ends_at, starts_at), ride_id))
    clashing: set[int] = set()
    for driver_rides in by_driver.values():
        driver_rides.sort()
        previous = None  # (leaves, busy until, id) of the ride that keeps the driver busy longest so far
        for starts_at, ends_at, ride_id in driver_rides:
            if previous is not None and (starts_at < previous[1] or starts_at == previous[0]):
                clashing |= {ride_id, previous[2]}
            if previous is None or ends_at > previous[1]:
                previous = (starts_at, ends_at, ride_id)
    return clashing


def leaves_early(departure_at: datetime | None, delegation_departure: datetime) -> bool:
    """A member whose own departure is before the delegation's (they miss the end of the programme)."""
    return departure_at is not None and departure_at < delegation_departure


def arrives_late(arrival_at: datetime | None, delegation_arrival: datetime) -> bool:
    return arrival_at is not None and arrival_at > delegation_arrival


def check_service(mode: str, service: str) -> str | None:
    """A flight is followed on the board by its number: required for flights (the database insists too)."""
    if mode == FLIGHT and not (service or "").strip():
        return "number_missing"
    return None
