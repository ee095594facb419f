"""The pick-up plan alone: grouping arrivals and departures, buffers by mode, drive times, DST changes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from delegations.travel.pickups import (ARRIVAL, DEPARTURE, FLIGHT, TRAIN, Leg, PlanSettings, arrives_late,
                                        check_legs, leaves_early, plan_pickups)
from delegations.zones import attach_zone

BERLIN = "Europe/Berlin"
HOTEL = "Kastens Hotel Luisenhof, Luisenstraße 1–3, 30159 Hannover"


def at(text: str) -> datetime:
    return attach_zone(datetime.fromisoformat(text), BERLIN)


def local(instant: datetime) -> str:
    return instant.astimezone(ZoneInfo(BERLIN)).strftime("%Y-%m-%d %H:%M")


def leg(member: int, when: str, *, direction=ARRIVAL, mode=FLIGHT, service="LH 2342", place="Flughafen Hannover",
        venue_id=7, needs_transfer=True, terminal="C") -> Leg:
    return Leg(member_id=member, member_name=f"Member {member}", direction=direction, mode=mode, service=service,
               at=at(when), zone=BERLIN, place=place, terminal=terminal, venue_id=venue_id,
               needs_transfer=needs_transfer, leg_id=member * 10)


def test_arrivals_within_the_window_share_one_pick_up_after_the_last_is_ready():
    plan = plan_pickups([leg(1, "2027-05-03 10:05", service="LO 379"), leg(2, "2027-05-03 10:40"),
                         leg(3, "2027-05-03 14:00", service="LH 2346")], HOTEL)
    first, second = plan.pickups
    assert first.passengers == ("Member 1", "Member 2")
    assert local(first.at) == "2027-05-03 11:25"  # 10:40 + 45 minutes for a flight
    assert first.services == ("LO 379", "LH 2342")
    assert first.pickup_address == "Flughafen Hannover, C" and first.destination == HOTEL
    assert first.decisive.member_id == 2
    assert second.passengers == ("Member 3",) and local(second.at) == "2027-05-03 14:45"


def test_a_train_is_met_sooner_than_a_flight():
    plan = plan_pickups([leg(1, "2027-05-03 10:00", mode=TRAIN, service="ICE 571", place="Hannover Hbf",
                             venue_id=None, terminal="Gleis 9")], HOTEL)
    (ride,) = plan.pickups
    assert local(ride.at) == "2027-05-03 10:10"
    assert ride.pickup_address == "Hannover Hbf, Gleis 9"


def test_different_places_never_share_a_ride():
    plan = plan_pickups([leg(1, "2027-05-03 10:00"),
                         leg(2, "2027-05-03 10:00", mode=TRAIN, place="Hannover Hbf", venue_id=None)], HOTEL)
    assert len(plan.pickups) == 2


def test_a_group_never_stretches_beyond_the_window():
    plan = plan_pickups([leg(1, "2027-05-03 10:00"), leg(2, "2027-05-03 10:40"), leg(3, "2027-05-03 11:20")],
                        HOTEL, settings=PlanSettings(group_window=45))
    assert [ride.passengers for ride in plan.pickups] == [("Member 1", "Member 2"), ("Member 3",)]


def test_departures_leave_the_hotel_for_the_earliest_check_in_with_the_known_drive():
    plan = plan_pickups([leg(1, "2027-05-05 17:30", direction=DEPARTURE),
                         leg(2, "2027-05-05 17:00", direction=DEPARTURE, service="LO 380")],
                        HOTEL, drive_minutes=lambda venue_id: 30 if venue_id == 7 else None)
    (ride,) = plan.dropoffs
    assert local(ride.at) == "2027-05-05 14:30"  # 17:00 - 120 check-in - 30 drive
    assert ride.drive_known and ride.drive_minutes == 30
    assert ride.pickup_address == HOTEL and ride.destination == "Flughafen Hannover, C"
    assert ride.decisive.service == "LO 380"
    assert local(ride.arrives_at) == "2027-05-05 15:00"


def test_an_unknown_drive_takes_the_default_and_says_so():
    plan = plan_pickups([leg(1, "2027-05-05 17:00", direction=DEPARTURE, venue_id=None)], HOTEL,
                        settings=PlanSettings(default_drive_minutes=40))
    (ride,) = plan.dropoffs
    assert not ride.drive_known and local(ride.at) == "2027-05-05 14:20"


def test_members_travelling_on_their_own_are_listed_not_driven():
    plan = plan_pickups([leg(1, "2027-05-03 10:00", needs_transfer=False), leg(2, "2027-05-03 10:00")], HOTEL)
    assert [ride.passengers for ride in plan.pickups] == [("Member 2",)]
    assert [own.member_id for own in plan.on_their_own] == [1]


def test_a_pick_up_in_the_spring_forward_night_is_on_the_summer_clock():
    # The night train lands at 01:55 CET; ten minutes later the clocks show 03:05 CEST (02:05 does not exist).
    plan = plan_pickups([leg(1, "2027-03-28 01:55", mode=TRAIN, service="NJ 40491", place="Hannover Hbf",
                             venue_id=None)], HOTEL)
    (ride,) = plan.pickups
    assert local(ride.at) == "2027-03-28 03:05"
    assert ride.at - at("2027-03-28 01:55") == timedelta(minutes=10)


def test_a_drop_off_across_the_autumn_change_allows_the_real_time_not_the_clock_time():
    # An early flight at 04:00 CET on the last Sunday of October: 150 real minutes before is 02:30 CEST,
    # the first 02:30 of that night (the clock shows only 90 minutes between them).
    plan = plan_pickups([leg(1, "2027-10-31 04:00", direction=DEPARTURE)], HOTEL, drive_minutes=lambda _id: 30)
    (ride,) = plan.dropoffs
    assert at("2027-10-31 04:00") - ride.at == timedelta(minutes=150)
    assert ride.at.astimezone(ZoneInfo(BERLIN)).strftime("%H:%M %Z") == "02:30 CEST"


def test_settings_come_from_the_configuration_and_ignore_nonsense():
    settings = PlanSettings.from_config({"TRAVEL_FLIGHT_ARRIVAL_BUFFER": "60", "TRAVEL_TRAIN_ARRIVAL_BUFFER": 5,
                                         "TRAVEL_GROUP_WINDOW": "soon", "TRAVEL_DEFAULT_DRIVE": -3})
    assert settings.arrival_buffer(FLIGHT) == timedelta(minutes=60)
    assert settings.arrival_buffer(TRAIN) == timedelta(minutes=5)
    assert settings.group_window == 45 and settings.default_drive_minutes == 30


def test_checks_of_a_members_travel():
    start, end = at("2027-05-03 09:00"), at("2027-05-05 18:00")
    assert check_legs(at("2027-05-03 08:00"), at("2027-05-05 17:00"), start, end) == []
    codes = [problem.code for problem in check_legs(at("2027-05-05 10:00"), at("2027-05-04 10:00"), start, end)]
    assert codes == ["departure_before_arrival"]
    codes = [problem.code for problem in check_legs(at("2027-04-03 10:00"), at("2027-06-04 10:00"), start, end)]
    assert codes == ["arrival_outside_stay", "departure_outside_stay"]
    assert leaves_early(at("2027-05-04 12:00"), end) and not leaves_early(end, end) and not leaves_early(None, end)
    assert arrives_late(at("2027-05-03 12:00"), start) and not arrives_late(at("2027-05-03 08:00"), start)


def test_double_booked_rides_are_those_of_one_driver_that_overlap():
    from delegations.travel.pickups import double_booked

    at = datetime(2027, 5, 3, 8, 40, tzinfo=timezone.utc)
    minutes = lambda number: timedelta(minutes=number)  # noqa: E731
    rides = [(1, "c1", at, at + minutes(30)), (2, "c1", at + minutes(8), at + minutes(13)),
             (3, "c1", at + minutes(30), at + minutes(60)),  # starts when the first arrives: fine
             (4, "n:meier", at, at + minutes(30)), (5, "", at, at), (6, "", at, at),
             (7, "c2", at, at), (8, "c2", at, at)]  # same minute, durations unknown: still two places at once
    assert double_booked(rides) == {1, 2, 7, 8}
