"""The workload board as plain figures: weeks of Berlin local time (also across DST changes), hours split at
week boundaries, visits led and deputised, open and overdue tasks, conflicts from the planning rules."""
from __future__ import annotations

from datetime import date, datetime, timezone

from delegations.planning.conflicts import CONTACT_TWICE, PlannedItem, Schedule, Stay, find_conflicts
from delegations.workload.board import (ItemLoad, Person, TaskLoad, VisitLoad, build_board,
                                        conflict_loads, room_in, weeks_from, weeks_touching)
from delegations.workload.chart import lay_out
from tests.factories import berlin

ZONE = "Europe/Berlin"
JONAS, MARIA, OLD = Person(1, "Jonas Albrecht"), Person(2, "Maria Yilmaz"), Person(3, "Otto Alt", active=False)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_weeks_start_on_monday_midnight_in_berlin_and_the_dst_weeks_have_167_and_169_hours():
    spring = weeks_from(date(2027, 3, 24), 2, ZONE)  # 28 March 2027: clocks go forward
    assert [week.key for week in spring] == ["2027-W12", "2027-W13"]
    assert spring[0].monday == date(2027, 3, 22)
    assert spring[0].starts_at == utc("2027-03-21 23:00")  # Monday 00:00 CET
    assert spring[1].starts_at == utc("2027-03-28 22:00")  # Monday 00:00 CEST
    assert spring[0].hours == 167 and spring[1].hours == 168
    autumn = weeks_from(date(2027, 10, 25), 1, ZONE)  # 31 October 2027: clocks go back
    assert autumn[0].hours == 169
    assert autumn[0].ends_at == utc("2027-10-31 23:00")


def test_an_item_just_after_midnight_on_monday_counts_in_the_new_local_week_not_the_utc_one():
    weeks = weeks_from(date(2027, 3, 22), 2, ZONE)
    # Monday 29 March 00:30 in Berlin is still Sunday 22:30 in UTC.
    early = ItemLoad(1, JONAS.id, berlin("2027-03-29 00:30"), berlin("2027-03-29 02:00"))
    board = build_board(weeks, [JONAS], [early], zone=ZONE)
    first, second = board.row_of(JONAS.id).cells
    assert (first.hours, first.items) == (0, 0)
    assert (second.hours, second.items) == (1.5, 1)


def test_hours_are_real_time_and_split_where_an_item_crosses_into_the_next_week():
    weeks = weeks_from(date(2027, 3, 22), 2, ZONE)
    # The night of the change: 01:00 to 04:00 on the clock is two real hours.
    night = ItemLoad(1, JONAS.id, berlin("2027-03-28 01:00"), berlin("2027-03-28 04:00"))
    late = ItemLoad(2, JONAS.id, berlin("2027-03-28 23:00"), berlin("2027-03-29 01:30"))
    board = build_board(weeks, [JONAS], [night, late], zone=ZONE)
    first, second = board.row_of(JONAS.id).cells
    assert first.hours == 3.0 and first.items == 2
    assert second.hours == 1.5 and second.items == 0
    assert board.row_of(JONAS.id).total.hours == 4.5


def test_visits_count_in_every_week_they_touch_and_once_over_the_range_deputies_separately():
    weeks = weeks_from(date(2027, 5, 3), 3, ZONE)
    across = VisitLoad(10, "Poznań", berlin("2027-05-06 09:00"), berlin("2027-05-11 12:00"), JONAS.id, MARIA.id)
    later = VisitLoad(11, "Hiroshima", berlin("2027-05-18 09:00"), berlin("2027-05-19 12:00"), MARIA.id, MARIA.id)
    board = build_board(weeks, [JONAS, MARIA], visits=[across, later], zone=ZONE)
    jonas, maria = board.row_of(JONAS.id), board.row_of(MARIA.id)
    assert [cell.visits_led for cell in jonas.cells] == [1, 1, 0]
    assert jonas.total.visits_led == 1
    assert [cell.visits_deputy for cell in maria.cells] == [1, 1, 0]
    assert [cell.visits_led for cell in maria.cells] == [0, 0, 1]  # lead and deputy at once: counted as lead only
    assert maria.total.visits_deputy == 1 and maria.total.visits_led == 1


def test_open_tasks_count_in_the_week_they_are_due_and_overdue_ones_in_the_week_of_today():
    weeks = weeks_from(date(2027, 5, 3), 2, ZONE)
    today = date(2027, 5, 5)
    tasks = [TaskLoad(1, JONAS.id, date(2027, 5, 12)), TaskLoad(2, JONAS.id, date(2027, 4, 20)),
             TaskLoad(3, JONAS.id, None), TaskLoad(4, JONAS.id, date(2027, 6, 1)),
             TaskLoad(5, JONAS.id, date(2027, 5, 9))]
    board = build_board(weeks, [JONAS], tasks=tasks, zone=ZONE, today=today)
    first, second = board.row_of(JONAS.id).cells
    assert (first.open_tasks, first.overdue_tasks) == (2, 1)  # due Sunday 9 May, and the one from April
    assert (second.open_tasks, second.overdue_tasks) == (1, 0)
    assert board.undated_tasks == {JONAS.id: 1}
    # Looking at later weeks, the overdue task is not in any of them.
    later = build_board(weeks_from(date(2027, 5, 10), 1, ZONE), [JONAS], tasks=tasks, zone=ZONE, today=today)
    assert later.row_of(JONAS.id).cells[0].open_tasks == 1


def test_conflicts_come_from_the_planning_rules_and_count_for_each_person_responsible():
    stay = Stay(1, "Poznań", berlin("2027-05-03 09:00"), berlin("2027-05-06 12:00"))
    other = Stay(2, "Bristol", berlin("2027-05-03 09:00"), berlin("2027-05-06 12:00"))
    items = [PlannedItem(1, 1, "Reception", berlin("2027-05-04 10:00"), berlin("2027-05-04 11:00"), responsible_id=1),
             PlannedItem(2, 2, "Harbour tour", berlin("2027-05-04 10:30"), berlin("2027-05-04 12:00"), responsible_id=1),
             PlannedItem(3, 1, "Lunch", berlin("2027-05-04 10:45"), berlin("2027-05-04 12:00"), responsible_id=2)]
    conflicts = find_conflicts(Schedule({1: stay, 2: other}, items))
    loads = conflict_loads(conflicts, {item.id: item.responsible_id for item in items})
    rules = sorted(load.rule for load in loads)
    assert CONTACT_TWICE in rules
    board = build_board(weeks_from(date(2027, 5, 3), 1, ZONE), [JONAS, MARIA], conflicts=loads, zone=ZONE)
    jonas, maria = board.row_of(JONAS.id).cells[0], board.row_of(MARIA.id).cells[0]
    assert jonas.booked_twice == 1
    # Reception and lunch of one visit overlap: both people's items are concerned.
    assert jonas.conflicts == 2 and maria.conflicts == 1 and maria.booked_twice == 0
    # An acknowledged conflict is settled: it no longer counts.
    twice = next(conflict for conflict in conflicts if conflict.rule == CONTACT_TWICE)
    settled = conflict_loads(conflicts, {item.id: item.responsible_id for item in items}, [twice.key])
    board = build_board(weeks_from(date(2027, 5, 3), 1, ZONE), [JONAS], conflicts=settled, zone=ZONE)
    assert board.row_of(JONAS.id).cells[0].booked_twice == 0


def test_inactive_people_appear_only_with_load_and_rows_come_in_name_order():
    weeks = weeks_from(date(2027, 5, 3), 1, ZONE)
    board = build_board(weeks, [MARIA, OLD, JONAS], zone=ZONE)
    assert [row.person.name for row in board.rows] == ["Jonas Albrecht", "Maria Yilmaz"]
    busy = ItemLoad(1, OLD.id, berlin("2027-05-04 10:00"), berlin("2027-05-04 11:00"))
    board = build_board(weeks, [MARIA, OLD, JONAS], [busy], zone=ZONE)
    assert [row.person.name for row in board.rows] == ["Jonas Albrecht", "Maria Yilmaz", "Otto Alt"]


def test_who_has_room_lists_the_least_busy_first_and_leaves_inactive_people_out():
    weeks = weeks_touching(berlin("2027-05-06 09:00"), berlin("2027-05-11 12:00"), ZONE)
    assert len(weeks) == 2
    items = [ItemLoad(1, JONAS.id, berlin("2027-05-04 10:00"), berlin("2027-05-04 16:00")),
             ItemLoad(2, OLD.id, berlin("2027-05-04 10:00"), berlin("2027-05-04 11:00"))]
    visits = [VisitLoad(5, "Leipzig", berlin("2027-05-10 09:00"), berlin("2027-05-12 09:00"), MARIA.id)]
    rooms = room_in(build_board(weeks, [JONAS, MARIA, OLD], items, visits, zone=ZONE))
    assert [(room.person.name, room.hours, room.visits_led) for room in rooms] == [
        ("Maria Yilmaz", 0, 1), ("Jonas Albrecht", 6.0, 0)]


def test_the_chart_scales_bars_to_the_busiest_week_and_names_it():
    weeks = weeks_from(date(2027, 5, 3), 2, ZONE)
    items = [ItemLoad(1, JONAS.id, berlin("2027-05-04 08:00"), berlin("2027-05-04 20:00")),
             ItemLoad(2, MARIA.id, berlin("2027-05-11 10:00"), berlin("2027-05-11 13:00"))]
    chart = lay_out(build_board(weeks, [JONAS, MARIA], items, zone=ZONE))
    jonas, maria = chart.rows
    assert jonas.bars[0].height == 36 and jonas.bars[1].height == 0
    assert maria.bars[1].height == 9.0  # 3 of 12 hours
    assert chart.busiest[0] == "Jonas Albrecht" and chart.busiest[1] == 12.0 and chart.busiest[2].number == 18
    assert chart.width > 2 * 92 and chart.height > 2 * 66
