"""When a principal is free: office hours across DST, free slots, and the loader that gathers all busy time."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from delegations.constants import DelegationStatus, Direction, ItemStatus, PrincipalKind
from delegations.extensions import db
from delegations.models import BusyBlock, OfficeHours
from delegations.models.calendars import BusySource
from delegations.planning.availability import (REASON_CALENDAR, REASON_MANUAL, REASON_OUTSIDE_HOURS,
                                               REASON_PROGRAMME, REASON_TOUR, Availability, BusyInterval,
                                               load_availability, office_hours_busy)
from tests.factories import berlin, make_delegation, make_item, make_principal

UTC = timezone.utc
WEEKDAYS_8_TO_19 = [(day, time(8), time(19)) for day in range(5)]


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def tokyo(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)


def pairs(intervals) -> list[tuple[datetime, datetime]]:
    return [(interval.starts_at, interval.ends_at) for interval in intervals]


# office_hours_busy ------------------------------------------------------------------------------------

def test_office_hours_keep_their_local_times_across_the_march_2027_change():
    # Friday 26 March (CET) to Tuesday 30 March (CEST); the clocks jump on Sunday 28 March.
    busy = office_hours_busy(WEEKDAYS_8_TO_19, berlin("2027-03-26 00:00"), berlin("2027-03-31 00:00"),
                             "Europe/Berlin")
    assert pairs(busy) == [
        (berlin("2027-03-26 00:00"), berlin("2027-03-26 08:00")),
        (berlin("2027-03-26 19:00"), berlin("2027-03-29 08:00")),   # the weekend, one block of 60 hours
        (berlin("2027-03-29 19:00"), berlin("2027-03-30 08:00")),
        (berlin("2027-03-30 19:00"), berlin("2027-03-31 00:00")),
    ]
    assert busy[1].ends_at - busy[1].starts_at == timedelta(hours=60)  # 61 wall-clock hours, one skipped
    assert berlin("2027-03-29 08:00") == utc(2027, 3, 29, 6)  # CEST
    assert berlin("2027-03-26 08:00") == utc(2027, 3, 26, 7)  # CET
    assert {interval.reason for interval in busy} == {REASON_OUTSIDE_HOURS}


def test_office_hours_on_the_day_of_the_october_2027_change():
    # Sunday office hours 08:00-12:00 on 31 October, the day of 25 hours.
    busy = office_hours_busy([(6, time(8), time(12))], berlin("2027-10-31 00:00"), berlin("2027-11-01 00:00"),
                             "Europe/Berlin")
    assert pairs(busy) == [(berlin("2027-10-31 00:00"), utc(2027, 10, 31, 7)),
                           (utc(2027, 10, 31, 11), berlin("2027-11-01 00:00"))]
    closed = sum((end - start for start, end in pairs(busy)), timedelta())
    assert closed == timedelta(hours=21)  # 25 hours minus 4 open


def test_office_hours_in_asia_tokyo():
    busy = office_hours_busy([(0, time(9), time(18))], tokyo("2027-04-05 00:00"), tokyo("2027-04-06 00:00"),
                             "Asia/Tokyo")
    assert pairs(busy) == [(utc(2027, 4, 4, 15), utc(2027, 4, 5, 0)), (utc(2027, 4, 5, 9), utc(2027, 4, 5, 15))]


def test_several_spans_a_day_and_office_hours_that_begin_in_the_spring_gap():
    hours = [(6, time(2, 30), time(6)), (0, time(8), time(12)), (0, time(13), time(17))]
    busy = office_hours_busy(hours, berlin("2027-03-28 00:00"), berlin("2027-03-30 00:00"), "Europe/Berlin")
    assert pairs(busy) == [
        (berlin("2027-03-28 00:00"), utc(2027, 3, 28, 1)),           # opens when the clocks jump to 03:00
        (berlin("2027-03-28 06:00"), berlin("2027-03-29 08:00")),
        (berlin("2027-03-29 12:00"), berlin("2027-03-29 13:00")),    # lunch
        (berlin("2027-03-29 17:00"), berlin("2027-03-30 00:00")),
    ]


def test_no_office_hours_recorded_blocks_nothing():
    assert office_hours_busy([], utc(2027, 1, 1), utc(2027, 2, 1), "Europe/Berlin") == []


HOURS = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 47), st.integers(1, 48)).filter(lambda row: row[1] < row[2])
                 .map(lambda row: (row[0], time(row[1] // 2, 30 * (row[1] % 2)),
                                   time(row[2] // 2, 30 * (row[2] % 2)) if row[2] < 48 else time(0))),
                 min_size=1, max_size=6)
ZONES = st.sampled_from(["Europe/Berlin", "Asia/Tokyo", "America/New_York", "Australia/Lord_Howe"])
STARTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 1)).map(lambda d: d.replace(tzinfo=UTC))


def _open_by_the_clock(instant: datetime, hours, zone_name: str) -> bool:
    local = instant.astimezone(ZoneInfo(zone_name))
    wall = local.time().replace(tzinfo=None)
    return any(day == local.weekday() and start <= wall and (end == time(0) or wall < end)
               for day, start, end in hours)


def _near_a_clock_change(instant: datetime, zone_name: str) -> bool:
    zone = ZoneInfo(zone_name)
    return any((instant + timedelta(hours=shift)).astimezone(zone).utcoffset() != instant.astimezone(zone).utcoffset()
               for shift in (-3, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours=HOURS, zone_name=ZONES, start=STARTS, days=st.integers(1, 20), probes=st.lists(st.floats(0, 1), max_size=30))
def test_office_hours_busy_is_exactly_the_time_outside_the_hours(hours, zone_name, start, days, probes):
    end = start + timedelta(days=days)
    busy = office_hours_busy(hours, start, end, zone_name)
    # sorted, disjoint, not touching, non-empty, inside the window
    for interval in busy:
        assert start <= interval.starts_at < interval.ends_at <= end
        assert interval.reason == REASON_OUTSIDE_HOURS
    for before, after in zip(busy, busy[1:]):
        assert before.ends_at < after.starts_at
    availability = Availability(1, list(busy))
    for fraction in probes:
        instant = start + (end - start) * fraction
        if instant >= end or _near_a_clock_change(instant, zone_name):
            continue
        assert availability.is_free(instant, instant + timedelta(microseconds=1)) == _open_by_the_clock(
            instant, hours, zone_name)


# Availability: is_free, conflicts_with, free_slots ----------------------------------------------------

def test_free_slots_and_conflicts_name_the_busy_time():
    day = [BusyInterval(utc(2027, 4, 5, 9), utc(2027, 4, 5, 10), REASON_CALENDAR),
           BusyInterval(utc(2027, 4, 5, 9, 30), utc(2027, 4, 5, 11), REASON_MANUAL, "Council"),
           BusyInterval(utc(2027, 4, 5, 13), utc(2027, 4, 5, 13, 20), REASON_PROGRAMME)]
    availability = Availability(7, list(reversed(day)))
    assert availability.busy == day  # sorted
    assert availability.free_slots(utc(2027, 4, 5, 8), utc(2027, 4, 5, 15), timedelta(minutes=30)) == [
        (utc(2027, 4, 5, 8), utc(2027, 4, 5, 9)), (utc(2027, 4, 5, 11), utc(2027, 4, 5, 13)),
        (utc(2027, 4, 5, 13, 20), utc(2027, 4, 5, 15))]
    assert availability.conflicts_with(utc(2027, 4, 5, 9, 45), utc(2027, 4, 5, 13, 5)) == day
    assert availability.is_free(utc(2027, 4, 5, 11), utc(2027, 4, 5, 13))  # touching is not overlapping
    assert not availability.is_free(utc(2027, 4, 5, 10, 59), utc(2027, 4, 5, 12))
    extra = availability.with_extra([BusyInterval(utc(2027, 4, 5, 12), utc(2027, 4, 5, 12, 30), "programme")])
    assert not extra.is_free(utc(2027, 4, 5, 12), utc(2027, 4, 5, 13)) and availability.is_free(
        utc(2027, 4, 5, 12), utc(2027, 4, 5, 13))


BASE = utc(2027, 4, 5)
INTERVALS = st.lists(st.tuples(st.integers(0, 600), st.integers(1, 180)), max_size=25)


def _minutes(value: int) -> datetime:
    return BASE + timedelta(minutes=value)


@settings(max_examples=200, deadline=None)
@given(raw=INTERVALS, window=st.tuples(st.integers(0, 700), st.integers(1, 700)), minimum=st.integers(1, 120),
       query=st.tuples(st.integers(0, 800), st.integers(1, 200)))
def test_free_slots_are_exactly_the_long_enough_gaps(raw, window, minimum, query):
    busy = [BusyInterval(_minutes(start), _minutes(start + length), REASON_CALENDAR) for start, length in raw]
    availability = Availability(1, list(busy))
    start, end = _minutes(window[0]), _minutes(window[0] + window[1])
    slots = availability.free_slots(start, end, timedelta(minutes=minimum))

    def busy_at(minute):  # is [minute, minute+1) covered?
        moment = _minutes(minute)
        return any(interval.starts_at <= moment < interval.ends_at for interval in busy)

    # brute force over the minute grid: maximal free runs within the window
    expected, run_start = [], None
    for minute in range(window[0], window[0] + window[1] + 1):
        free = minute < window[0] + window[1] and not busy_at(minute)
        if free and run_start is None:
            run_start = minute
        if not free and run_start is not None:
            if minute - run_start >= minimum:
                expected.append((_minutes(run_start), _minutes(minute)))
            run_start = None
    assert slots == expected
    for slot_start, slot_end in slots:
        assert availability.is_free(slot_start, slot_end)

    query_start, query_end = _minutes(query[0]), _minutes(query[0] + query[1])
    overlapping = [interval for interval in availability.busy
                   if interval.starts_at < query_end and interval.ends_at > query_start]
    assert availability.conflicts_with(query_start, query_end) == overlapping
    assert availability.is_free(query_start, query_end) == (not overlapping)


# load_availability: the database loader ----------------------------------------------------------------

def _block(principal, start, end, source=BusySource.IMPORTED, subject=""):
    block = BusyBlock(principal_id=principal.id, source=source, key=f"{source.value}-{start.isoformat()}",
                      starts_at=start, ends_at=end, subject=subject)
    db.session.add(block)
    return block


def test_loader_gathers_calendar_manual_tour_programme_and_office_hours(app):
    mayor = make_principal(name="Belit Onay")
    deputy = make_principal(name="Monica Plate", kind=PrincipalKind.DEPUTY_MAYOR, rank=1)
    for day, start, end in WEEKDAYS_8_TO_19:
        db.session.add(OfficeHours(principal_id=mayor.id, weekday=day, start_time=start, end_time=end))
    _block(mayor, berlin("2027-03-29 09:00"), berlin("2027-03-29 10:00"), subject="")
    _block(mayor, berlin("2027-03-29 11:00"), berlin("2027-03-29 12:00"), BusySource.MANUAL, "Dentist")
    _block(mayor, berlin("2027-01-01 09:00"), berlin("2027-01-01 10:00"))      # outside the window
    _block(deputy, berlin("2027-03-29 09:00"), berlin("2027-03-29 17:00"))
    tour = make_delegation(direction=Direction.OUTGOING, title="Tour to Hiroshima", timezone="Asia/Tokyo",
                           arrival_at=berlin("2027-03-31 06:00"))
    tour.travelling_principals.append(mayor)
    cancelled_tour = make_delegation(direction=Direction.OUTGOING, status=DelegationStatus.CANCELLED,
                                     arrival_at=berlin("2027-03-30 06:00"))
    cancelled_tour.travelling_principals.append(mayor)
    visit = make_delegation(title="Poznań", arrival_at=berlin("2027-03-29 08:00"))
    reception = make_item(visit, berlin("2027-03-29 14:00"), 60, principal=mayor, title="Reception")
    make_item(visit, berlin("2027-03-29 16:00"), 60, principal=mayor, status=ItemStatus.CANCELLED)
    being_planned = make_item(visit, berlin("2027-03-30 10:00"), 60, principal=mayor)
    db.session.commit()

    found = load_availability([mayor.id, deputy.id, 999], berlin("2027-03-29 00:00"), berlin("2027-04-05 00:00"),
                              exclude_item_ids=[being_planned.id])
    assert set(found) == {mayor.id, deputy.id, 999}
    assert found[999].busy == []
    reasons = {(interval.reason, interval.label) for interval in found[mayor.id].busy
               if interval.reason != REASON_OUTSIDE_HOURS}
    assert reasons == {(REASON_CALENDAR, ""), (REASON_MANUAL, "Dentist"), (REASON_TOUR, "Tour to Hiroshima"),
                       (REASON_PROGRAMME, "Poznań: Reception")}
    programme = next(i for i in found[mayor.id].busy if i.reason == REASON_PROGRAMME)
    assert programme.source_id == reception.id
    mayor_time = found[mayor.id]
    assert not mayor_time.is_free(berlin("2027-03-29 14:30"), berlin("2027-03-29 15:00"))
    assert mayor_time.is_free(berlin("2027-03-30 10:00"), berlin("2027-03-30 11:00"))  # excluded item
    assert not mayor_time.is_free(berlin("2027-03-29 07:00"), berlin("2027-03-29 08:30"))  # before office hours
    assert not mayor_time.is_free(berlin("2027-04-01 10:00"), berlin("2027-04-01 11:00"))  # on tour
    assert [reason for reason in {i.reason for i in mayor_time.conflicts_with(
        berlin("2027-03-29 18:30"), berlin("2027-03-29 19:30"))}] == [REASON_OUTSIDE_HOURS]
    # The deputy has no office hours recorded: only the calendar block.
    assert pairs(found[deputy.id].busy) == [(berlin("2027-03-29 09:00"), berlin("2027-03-29 17:00"))]
    assert found[mayor.id].busy == sorted(found[mayor.id].busy, key=lambda i: (i.starts_at, i.ends_at, i.reason, i.label))


def test_loader_runs_a_fixed_number_of_queries(app):
    principals = [make_principal(name=f"P{number}") for number in range(6)]
    for principal in principals:
        for day, start, end in WEEKDAYS_8_TO_19:
            db.session.add(OfficeHours(principal_id=principal.id, weekday=day, start_time=start, end_time=end))
        for hour in range(30):
            _block(principal, berlin("2027-03-29 08:00") + timedelta(hours=5 * hour),
                   berlin("2027-03-29 09:00") + timedelta(hours=5 * hour))
    visit = make_delegation(arrival_at=berlin("2027-03-29 08:00"))
    for number, principal in enumerate(principals):
        make_item(visit, berlin("2027-03-29 10:00") + timedelta(hours=number), principal=principal)
    db.session.commit()
    ids = [principal.id for principal in principals]
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = load_availability(ids, berlin("2027-03-29 00:00"), berlin("2027-04-05 00:00"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len([statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]) == 4
    assert all(len([i for i in found[pid].busy if i.reason == REASON_CALENDAR]) == 30 for pid in ids)


def test_loader_refuses_nothing_and_returns_nothing_for_no_principals(app):
    assert load_availability([], utc(2027, 1, 1), utc(2027, 2, 1)) == {}


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "Asia/Tokyo"])
def test_loader_office_hours_use_the_home_zone(app, zone_name):
    principal = make_principal()
    db.session.add(OfficeHours(principal_id=principal.id, weekday=0, start_time=time(9), end_time=time(17)))
    db.session.commit()
    monday = datetime.combine(date(2027, 4, 5), time(0), tzinfo=ZoneInfo(zone_name)).astimezone(UTC)
    found = load_availability([principal.id], monday, monday + timedelta(days=1), home_zone=zone_name)
    assert found[principal.id].free_slots(monday, monday + timedelta(days=1), timedelta(hours=1)) == [
        (monday + timedelta(hours=9), monday + timedelta(hours=17))]
