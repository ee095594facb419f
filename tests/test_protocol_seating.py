"""Table plans as a plain module: the hard rules hold for every seating, and nobody disappears silently."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegations.protocol.seating import (GUEST, GUEST_OF_HONOUR_NOT_RIGHT, HEAD, HOST, HOST_NOT_AT_HEAD,
                                          INTERPRETER_NOT_BESIDE, LEFT_OUT, MOVE_TABLE_FULL, NO_COHOST,
                                          NO_COHOST_AT_TABLE, NO_COMMON_LANGUAGE, NO_HOST, NO_ROOM,
                                          NO_SEAT_BESIDE, NO_TABLES, NOT_ALTERNATING, NOT_ATTENDING,
                                          PRINCIPAL_UNSEATED, RECTANGULAR, ROUND, SEAT_TAKEN, SEATED_TWICE,
                                          SHAPES, TABLE_FULL, Diner, MoveError, Seat, Table, check_plan,
                                          hard_problems, move, neighbours, ring_order, seat_everyone,
                                          seats_in_walking_order)

REASONS = {NO_TABLES, NO_HOST, NO_COHOST, NO_ROOM, PRINCIPAL_UNSEATED, NO_SEAT_BESIDE}
LANGUAGES = ("de", "en", "zh", "ja", "ru", "ar", "tr", "fr")


def diner(key, side, precedence, **values):
    return Diner(key=key, name=key.title(), side=side, precedence=precedence, **values)


@st.composite
def meals(draw):
    """A meal: hosts, guests and interpreters (some for someone absent), and tables of every shape."""
    hosts = draw(st.integers(0, 6))
    guests = draw(st.integers(0, 20))
    people = []
    order = draw(st.permutations(range(hosts + guests)))
    for number in range(hosts):
        people.append(diner(f"host{number}", HOST, order[number],
                            languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=3))),
                            is_host=draw(st.booleans()) if number else False))
    for number in range(guests):
        people.append(diner(f"guest{number}", GUEST, order[hosts + number],
                            languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=2)))))
    interpreters = draw(st.integers(0, 6))
    keys = [person.key for person in people] + ["absent"]
    for number in range(interpreters):
        principal = draw(st.sampled_from(keys))
        side = draw(st.sampled_from((HOST, GUEST)))
        people.append(diner(f"interpreter{number}", side, 100 + number, is_interpreter=True,
                            interprets_for=principal,
                            languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=3)))))
    tables = [Table(f"t{number}", f"Table {number}", draw(st.integers(1, 12)), draw(st.sampled_from(SHAPES)))
              for number in range(draw(st.integers(0, 5)))]
    return people, tables


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meals())
def test_every_seating_honours_the_hard_rules_and_seats_everyone_or_says_why(meal):
    people, tables = meal
    seating = seat_everyone(people, tables)

    unseated = [item.key for item in seating.unseated]
    assert len(unseated) == len(set(unseated)), "someone is reported twice"
    assert set(unseated).isdisjoint(seating.seats), "someone is both seated and not seated"
    assert set(unseated) | set(seating.seats) == {person.key for person in people}, "someone vanished"
    assert all(item.reason in REASONS for item in seating.unseated)

    problems = check_plan(people, tables, seating.assignments())
    hard = [problem for problem in hard_problems(problems) if problem.code != LEFT_OUT]
    assert hard == [], hard
    left_out = {key for problem in problems if problem.code == LEFT_OUT for key in problem.keys}
    assert left_out == set(unseated)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(0, 12), st.integers(0, 3), st.lists(st.integers(3, 12), min_size=1, max_size=4),
       st.lists(st.sampled_from((ROUND, RECTANGULAR)), min_size=4, max_size=4))
def test_with_room_and_a_co_host_for_every_table_everyone_is_seated(hosts, guests, interpreters, seat_counts, shapes):
    people = [diner(f"h{n}", HOST, n) for n in range(hosts)] + [diner(f"g{n}", GUEST, hosts + n) for n in range(guests)]
    # One interpreter each for the first guests after the guest of honour.
    for number in range(min(interpreters, max(guests - 1, 0))):
        people.append(diner(f"i{number}", GUEST, 50 + number, is_interpreter=True, interprets_for=f"g{number + 1}"))
    tables = [Table(f"t{n}", f"T{n}", seats, shapes[n]) for n, seats in enumerate(seat_counts)]
    # Principals with an interpreter take two seats side by side: a seat left over at each table may stay empty.
    if sum(table.seats for table in tables) < len(people) + len(tables) or hosts < len(tables):
        return
    seating = seat_everyone(people, tables)
    assert seating.unseated == []
    assert hard_problems(check_plan(people, tables, seating.assignments())) == []


def test_geometry_numbers_seats_by_honour():
    assert ring_order(8) == [1, 2, 4, 6, 8, 7, 5, 3]
    round_table = Table("a", "Leibniz", 8, ROUND)
    assert neighbours(round_table, 1) == {2, 3}
    assert neighbours(round_table, 8) == {6, 7}
    head_table = Table("b", "Ehrentafel", 7, HEAD)
    assert seats_in_walking_order(head_table) == [6, 4, 2, 1, 3, 5, 7]
    assert neighbours(head_table, 6) == {4}  # the ends of a head table are not neighbours
    assert neighbours(head_table, 7) == {5}


def test_lunch_for_24_at_three_tables():
    hosts = [diner("mayor", HOST, 2, is_host=True, languages=frozenset({"de", "en"}))] + [
        diner(f"cohost{n}", HOST, 10 + n, languages=frozenset({"de", "en", "ja"} if n == 1 else {"de"}))
        for n in range(7)]
    guests = [diner("ambassador", GUEST, 0, languages=frozenset({"ja", "en"})),
              diner("partner_mayor", GUEST, 1, languages=frozenset({"ja"}))] + [
        diner(f"guest{n}", GUEST, 20 + n, languages=frozenset({"ja"})) for n in range(12)]
    interpreters = [diner("int_mayor", HOST, 40, is_interpreter=True, interprets_for="mayor"),
                    diner("int_partner", GUEST, 41, is_interpreter=True, interprets_for="partner_mayor")]
    people = hosts + guests + interpreters
    assert len(people) == 24
    tables = [Table("t1", "Herrenhausen", 8), Table("t2", "Leibniz", 8), Table("t3", "Maschsee", 8)]
    seating = seat_everyone(people, tables)
    assert seating.unseated == []
    assert seating.seats["mayor"] == Seat("t1", 1)
    assert seating.seats["ambassador"] == Seat("t1", 2)
    assert seating.seats["int_mayor"] == Seat("t1", 3)  # at the host's left: the right is the guest's
    partner, its_interpreter = seating.seats["partner_mayor"], seating.seats["int_partner"]
    assert partner.table == its_interpreter.table
    assert its_interpreter.number in neighbours(tables[0], partner.number)
    assert {seat.table for seat in seating.seats.values()} == {"t1", "t2", "t3"}
    problems = check_plan(people, tables, seating.assignments())
    assert hard_problems(problems) == []


def test_the_co_host_speaking_the_guests_language_hosts_their_table():
    people = [diner("host", HOST, 0, is_host=True), diner("g0", GUEST, 1), diner("g1", GUEST, 2),
              diner("g2", GUEST, 3, languages=frozenset({"fr"})), diner("g3", GUEST, 4, languages=frozenset({"fr"})),
              diner("g4", GUEST, 5, languages=frozenset({"ja"})), diner("g5", GUEST, 6, languages=frozenset({"ja"})),
              diner("german", HOST, 7, languages=frozenset({"de", "fr"})),
              diner("japanese", HOST, 8, languages=frozenset({"de", "ja"}))]
    tables = [Table("t1", "A", 3), Table("t2", "B", 3), Table("t3", "C", 3)]
    seating = seat_everyone(people, tables)
    assert seating.unseated == []
    assert seating.seats["german"] == Seat("t2", 1)
    assert seating.seats["japanese"] == Seat("t3", 1)


def test_without_a_host_nobody_is_seated_and_the_reason_is_given():
    people = [diner("g0", GUEST, 0), diner("g1", GUEST, 1)]
    seating = seat_everyone(people, [Table("t", "A", 8)])
    assert seating.seats == {}
    assert {item.reason for item in seating.unseated} == {NO_HOST}
    assert {item.reason for item in seat_everyone(people + [diner("h", HOST, 2)], []).unseated} == {NO_TABLES}


def test_full_tables_leave_the_lowest_ranked_out_with_the_reason():
    people = [diner("h", HOST, 0), diner("h2", HOST, 1)] + [diner(f"g{n}", GUEST, 2 + n) for n in range(8)]
    seating = seat_everyone(people, [Table("t1", "A", 4), Table("t2", "B", 4)])
    assert sorted(item.key for item in seating.unseated) == ["g6", "g7"]
    assert {item.reason for item in seating.unseated} == {NO_ROOM}


def test_too_few_co_hosts_for_the_tables_needed_is_said_so():
    people = [diner("h", HOST, 0)] + [diner(f"g{n}", GUEST, 1 + n) for n in range(6)]
    seating = seat_everyone(people, [Table("t1", "A", 4), Table("t2", "B", 4)])
    assert len(seating.unseated) == 3
    assert {item.reason for item in seating.unseated} == {NO_COHOST}


def test_an_interpreter_follows_a_principal_who_found_no_seat():
    people = [diner("h", HOST, 0), diner("g0", GUEST, 1), diner("g1", GUEST, 2),
              diner("i", GUEST, 9, is_interpreter=True, interprets_for="g1")]
    seating = seat_everyone(people, [Table("t1", "A", 2)])
    reasons = {item.key: item for item in seating.unseated}
    assert reasons["g1"].reason == NO_ROOM
    assert reasons["i"].reason == PRINCIPAL_UNSEATED and reasons["i"].about == "g1"


def test_a_third_interpreter_cannot_sit_beside_their_principal():
    people = [diner("h", HOST, 0), diner("g0", GUEST, 1), diner("g1", GUEST, 2)] + [
        diner(f"i{n}", GUEST, 10 + n, is_interpreter=True, interprets_for="g1") for n in range(3)]
    seating = seat_everyone(people, [Table("t1", "A", 10)])
    assert [(item.key, item.reason) for item in seating.unseated] == [("i2", NO_SEAT_BESIDE)]


def test_check_plan_reports_seated_twice_a_full_table_and_a_guest_left_out():
    people = [diner("h", HOST, 0, is_host=True), diner("g0", GUEST, 1), diner("g1", GUEST, 2), diner("g2", GUEST, 3)]
    tables = [Table("t1", "A", 3)]
    plan = [("h", "t1", 1), ("g0", "t1", 2), ("g0", "t1", 3), ("g1", "t1", 4), ("x", "t1", 3)]
    codes = {problem.code: problem for problem in check_plan(people, tables, plan)}
    assert codes[SEATED_TWICE].keys == ("g0",)
    assert codes[TABLE_FULL].keys == ("g1",)
    assert codes[LEFT_OUT].keys == ("g2",)
    assert codes[SEAT_TAKEN].keys == ("g0", "x")
    assert codes[NOT_ATTENDING].keys == ("x",)


def test_check_plan_reports_broken_protocol_rules():
    people = [diner("h", HOST, 0, is_host=True, languages=frozenset({"de"})), diner("h2", HOST, 1),
              diner("g0", GUEST, 2, languages=frozenset({"ja"})), diner("g1", GUEST, 3),
              diner("g2", GUEST, 4), diner("i", GUEST, 9, is_interpreter=True, interprets_for="g1")]
    tables = [Table("t1", "A", 6), Table("t2", "B", 2)]
    plan = [("h", "t1", 2), ("g0", "t1", 1), ("g1", "t1", 4), ("i", "t1", 5), ("h2", "t1", 3), ("g2", "t2", 1)]
    codes = {problem.code for problem in check_plan(people, tables, plan)}
    assert {HOST_NOT_AT_HEAD, GUEST_OF_HONOUR_NOT_RIGHT, INTERPRETER_NOT_BESIDE, NO_COHOST_AT_TABLE,
            NO_COMMON_LANGUAGE} <= codes
    alternating = [("h", "t1", 1), ("g0", "t1", 2), ("h2", "t1", 4), ("g1", "t1", 3), ("g2", "t2", 1)]
    assert NOT_ALTERNATING not in {problem.code for problem in check_plan(people[:5], tables[:1], alternating[:4])}
    crowded = [("h", "t1", 1), ("g0", "t1", 2), ("g1", "t1", 4), ("h2", "t1", 3)]
    # 1-2-4 ... 3: hosts h and h2 sit together at 1 and 3 while there are as many guests as hosts.
    assert NOT_ALTERNATING in {problem.code for problem in check_plan(people[:4], tables[:1], crowded)}


def test_moving_a_guest_swaps_with_whoever_sits_there():
    tables = [Table("t1", "A", 3), Table("t2", "B", 2)]
    seats = {"a": Seat("t1", 1), "b": Seat("t1", 2), "c": Seat("t2", 1), "d": Seat("t2", 2)}
    moved = move(seats, tables, "b", "t2", 1)
    assert moved["b"] == Seat("t2", 1) and moved["c"] == Seat("t1", 2)
    assert move(seats, tables, "a", "t1")["a"] == Seat("t1", 1)  # already at that table: nothing changes
    moved = move(seats, tables, "a", "t1", 3)
    assert moved["a"] == Seat("t1", 3)
    try:
        move(seats, tables, "a", "t2")
    except MoveError as error:
        assert error.code == MOVE_TABLE_FULL
    else:
        raise AssertionError("a full table accepted one more")
    unseated = move(seats, tables, "new", "t1", 2)
    assert unseated["new"] == Seat("t1", 2) and "b" not in unseated
