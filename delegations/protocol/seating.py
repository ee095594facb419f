"""Table plans: seating people by precedence under protocol's hard rules, checking a plan, moving a person.

Seats are numbered by honour, as protocol offices number them: seat 1 is the host's (or, at other tables,
the co-host's), seat 2 at their right hand, seat 3 at their left, 4 right of 2, 5 left of 3, and so on.
Around a round or rectangular table the two sides meet opposite the host; at a head table (one long side,
facing the room) the two ends are not neighbours.

Hard rules (every automatic seating honours them; `check_plan` reports a plan that breaks one):
- everyone attending has exactly one seat, or is reported as not seated with the reason;
- no table holds more people than it has seats, no seat holds two people;
- the host sits at seat 1 of the top table (the first table), the guest of honour at seat 2, to the host's right;
- hosts and guests alternate: at each table, reading round it and ignoring interpreters, no two people of
  the smaller side sit next to each other (with equal numbers, strictly alternating);
- each interpreter sits beside the person they interpret for;
- every table with people at it has a co-host (someone of the host side who is not an interpreter).

Language skills are considered as far as the hard rules allow: co-hosts and further hosts go to the tables
whose guests share a language with them, and a guest without a common language with a neighbour is pointed out.

Pure: plain values in, plain values out. Reasons and problems are codes with parameters; the views word them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

HOST = "host"
GUEST = "guest"

ROUND = "round"
RECTANGULAR = "rectangular"
HEAD = "head"  # a head table: one side only, the ends are not neighbours
SHAPES = (ROUND, RECTANGULAR, HEAD)

# Why someone was not seated.
NO_TABLES = "no_tables"
NO_HOST = "no_host"                      # nobody of the host side can host a table
NO_COHOST = "no_cohost"                  # more tables needed than there are co-hosts
NO_ROOM = "no_room"                      # every table in use is full
PRINCIPAL_UNSEATED = "principal_unseated"  # an interpreter whose principal has no seat
NO_SEAT_BESIDE = "no_seat_beside"        # both seats beside the principal are taken

# Problems of a plan (hard rules first, then notices).
SEATED_TWICE = "seated_twice"
SEAT_TAKEN = "seat_taken"
TABLE_FULL = "table_full"
LEFT_OUT = "left_out"
NOT_ATTENDING = "not_attending"
HOST_NOT_AT_HEAD = "host_not_at_head"
GUEST_OF_HONOUR_NOT_RIGHT = "guest_of_honour_not_right"
INTERPRETER_NOT_BESIDE = "interpreter_not_beside"
NO_COHOST_AT_TABLE = "no_cohost_at_table"
NOT_ALTERNATING = "not_alternating"
NO_COMMON_LANGUAGE = "no_common_language"

ERRORS = (SEATED_TWICE, SEAT_TAKEN, TABLE_FULL, LEFT_OUT)
RULES = (HOST_NOT_AT_HEAD, GUEST_OF_HONOUR_NOT_RIGHT, INTERPRETER_NOT_BESIDE, NO_COHOST_AT_TABLE, NOT_ALTERNATING)
NOTICES = (NOT_ATTENDING, NO_COMMON_LANGUAGE)


@dataclass(frozen=True)
class Diner:
    """A person at the meal. `precedence` is their place in the event's order of precedence (0 first)."""

    key: str
    name: str
    side: str
    precedence: int
    is_interpreter: bool = False
    interprets_for: str | None = None
    languages: frozenset[str] = frozenset()
    is_host: bool = False  # the event's host: seat 1 at the top table


@dataclass(frozen=True)
class Table:
    key: str
    name: str
    seats: int
    shape: str = ROUND

    @property
    def closed(self) -> bool:
        return self.shape != HEAD


@dataclass(frozen=True)
class Seat:
    table: str
    number: int


@dataclass(frozen=True)
class Unseated:
    key: str
    reason: str
    about: str | None = None  # the principal (for interpreters), when the reason concerns them


@dataclass
class Seating:
    seats: dict[str, Seat] = field(default_factory=dict)
    unseated: list[Unseated] = field(default_factory=list)

    def assignments(self) -> list[tuple[str, str, int]]:
        return [(key, seat.table, seat.number) for key, seat in self.seats.items()]

    def at_table(self, table_key: str) -> dict[int, str]:
        return {seat.number: key for key, seat in self.seats.items() if seat.table == table_key}


@dataclass(frozen=True)
class Problem:
    code: str
    keys: tuple[str, ...] = ()
    table: str | None = None
    seat: int | None = None

    @property
    def is_error(self) -> bool:
        return self.code in ERRORS

    @property
    def breaks_rule(self) -> bool:
        return self.code in RULES

    @property
    def is_notice(self) -> bool:
        return self.code in NOTICES


# Geometry ----------------------------------------------------------------------------------------------

def ring_order(seats: int) -> list[int]:
    """Seat numbers in the order they follow each other round the table, starting at the host and going
    to their right: 1, 2, 4, 6, ... then back along the left side ..., 5, 3."""
    evens = list(range(2, seats + 1, 2))
    odds = list(range(3, seats + 1, 2))
    return [1] + evens + odds[::-1] if seats >= 1 else []


def right_side_count(seats: int) -> int:
    return seats // 2


def seats_in_walking_order(table: Table) -> list[int]:
    """Closed tables: the ring (wrapping round). Head tables: from the far right end to the far left end."""
    ring = ring_order(table.seats)
    if table.closed:
        return ring
    right = right_side_count(table.seats)
    return ring[1:right + 1][::-1] + [1] + ring[right + 1:][::-1]


def neighbours(table: Table, number: int) -> set[int]:
    order = seats_in_walking_order(table)
    if number not in order:
        return set()
    index = order.index(number)
    found = set()
    if table.closed:
        if len(order) > 1:
            found = {order[(index - 1) % len(order)], order[(index + 1) % len(order)]}
    else:
        if index > 0:
            found.add(order[index - 1])
        if index < len(order) - 1:
            found.add(order[index + 1])
    found.discard(number)
    return found


def top_table(tables: Sequence[Table]) -> Table | None:
    """The first table that seats at least two (host and guest of honour)."""
    return next((table for table in tables if table.seats >= 2), None)


# Automatic seating ---------------------------------------------------------------------------------------

@dataclass(eq=False)
class _Unit:
    """A principal with the interpreters who must sit beside them."""

    principal: Diner
    interpreters: list[Diner] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + len(self.interpreters)

    @property
    def side(self) -> str:
        return self.principal.side

    @property
    def languages(self) -> frozenset[str]:
        return self.principal.languages

    @property
    def members(self) -> list[Diner]:
        return [self.principal, *self.interpreters]


@dataclass(eq=False)
class _TableFill:
    table: Table
    head: _Unit
    units: list[_Unit] = field(default_factory=list)  # everyone but the head
    guest_of_honour: _Unit | None = None  # top table only: at seat 2

    @property
    def used(self) -> int:
        return self.head.size + sum(unit.size for unit in self.units)

    @property
    def free(self) -> int:
        return self.table.seats - self.used

    def count(self, side: str) -> int:
        return (self.head.side == side) + sum(1 for unit in self.units if unit.side == side)



def _coverage(unit: _Unit, guests: Iterable[_Unit]) -> int:
    """How many of these guests share a language with this host."""
    return sum(1 for guest in guests if guest.side == GUEST and unit.languages & guest.languages)


def seat_everyone(diners: Sequence[Diner], tables: Sequence[Table]) -> Seating:
    """Seat `diners` at `tables` (the first is the top table) under the hard rules.

    Everyone gets a seat, or appears in `unseated` with the reason: no table, nobody to host, no co-host left
    for another table, no room, or (interpreters) no seat left beside their principal. As few tables as
    the seats needed allow are used; one more is opened when interpreters and their principals do not fit
    into the seats left over.
    """
    extra = 0
    while True:
        result, grown = _seat(diners, tables, extra)
        if not grown or not any(item.reason in (NO_ROOM, NO_COHOST) for item in result.unseated):
            return result
        extra += 1


def _seat(diners: Sequence[Diner], tables: Sequence[Table], extra_tables: int) -> tuple[Seating, bool]:
    """One attempt with `extra_tables` more than the seats need; also says whether another table could be added."""
    result = Seating()
    people = sorted(diners, key=lambda diner: (diner.precedence, diner.key))
    present = {diner.key: diner for diner in people}
    principals = [diner for diner in people if not diner.is_interpreter]
    units = {diner.key: _Unit(diner) for diner in principals}
    loose: list[_Unit] = []  # interpreters without a principal at this meal: seated like anyone, anywhere
    attached: list[Diner] = []
    for diner in people:
        if not diner.is_interpreter:
            continue
        principal = present.get(diner.interprets_for or "")
        if principal is not None and not principal.is_interpreter:
            attached.append(diner)
        else:
            loose.append(_Unit(diner))

    hosts = [units[diner.key] for diner in principals if diner.side == HOST]
    guests = [units[diner.key] for diner in principals if diner.side == GUEST]
    usable = [table for table in tables if table.seats >= 2]
    if not usable or not hosts:
        reason = NO_TABLES if not usable else NO_HOST
        result.unseated = [Unseated(diner.key, reason) for diner in people]
        return result, False

    main_host = next((unit for unit in hosts if unit.principal.is_host), hosts[0])
    guest_of_honour = guests[0] if guests else None
    for diner in attached:
        unit = units[diner.interprets_for]
        # The seat at the host's right is the guest of honour's, and the host sits at the guest of honour's left.
        limit = 1 if guest_of_honour is not None and unit in (main_host, guest_of_honour) else 2
        if len(unit.interpreters) < limit:
            unit.interpreters.append(diner)
        else:
            result.unseated.append(Unseated(diner.key, NO_SEAT_BESIDE, unit.principal.key))

    others = [unit for unit in hosts if unit is not main_host]
    needed = sum(unit.size for unit in hosts + guests + loose)
    wanted, capacity = 0, 0
    for table in usable:
        if capacity >= needed:
            break
        wanted += 1
        capacity += table.seats
    count = min(wanted + extra_tables, 1 + len(others), len(usable))
    grown = count < min(1 + len(others), len(usable))
    # Fewer co-hosts than tables needed: whoever finds no room lacks a co-host, not a table.
    no_room = NO_COHOST if count < wanted else NO_ROOM
    in_use = usable[:count]

    # Guests by precedence: the top table first, each table taking its share in proportion to its seats.
    guest_seats = sum(unit.size for unit in guests)
    total_capacity = sum(table.seats for table in in_use)
    # Each table's head takes a seat: the guests' share is of the seats left.
    targets = [guest_seats * (table.seats - 1) / max(total_capacity - count, 1) for table in in_use]
    assigned: list[list[_Unit]] = [[] for _ in in_use]
    pointer = 0
    for unit in guests:
        if unit is guest_of_honour:
            assigned[0].append(unit)
            continue
        while pointer < len(in_use) - 1 and \
                sum(other.size for other in assigned[pointer]) + unit.size > math.ceil(targets[pointer]):
            pointer += 1
        assigned[pointer].append(unit)

    fills = [_TableFill(in_use[0], main_host, assigned[0], guest_of_honour)]
    # Co-hosts: the next hosts by precedence head the further tables; which one heads which table is decided by
    # how many of its guests share a language with them (then by precedence).
    candidates = list(others[:count - 1])
    for position in range(1, count):
        best = max(candidates, key=lambda unit: (_coverage(unit, assigned[position]), -unit.principal.precedence))
        candidates.remove(best)
        fills.append(_TableFill(in_use[position], best, assigned[position]))

    overflow: list[_Unit] = []
    for fill in fills:  # a table over its seats gives up its lowest-ranked guests
        while fill.free < 0:
            movable = [unit for unit in fill.units if unit is not fill.guest_of_honour]
            if not movable:
                break
            lowest = max(movable, key=lambda unit: unit.principal.precedence)
            fill.units.remove(lowest)
            overflow.append(lowest)
    overflow.sort(key=lambda unit: unit.principal.precedence)
    while overflow:
        unit = overflow.pop(0)
        if not any(fill.free >= unit.size for fill in fills):
            # Full: someone of lower rank gives up their seat, so those left out are the lowest-ranked.
            bumped = _lowest_below(unit, fills)
            if bumped is not None:
                overflow.append(bumped)
                overflow.sort(key=lambda other: other.principal.precedence)
        _place(unit, fills, result, no_room)
    for unit in others[count - 1:]:  # the hosts who head no table
        _place(unit, fills, result, no_room)
    for unit in loose:
        _place(unit, fills, result, no_room)

    for index, fill in enumerate(fills):
        while True:
            placed = _arrange(fill)
            if placed is not None:
                for key, number in placed.items():
                    result.seats[key] = Seat(fill.table.key, number)
                break
            # A head table could not keep everyone beside their interpreters: the lowest-ranked moves on,
            # or, when only the head and the guest of honour are left, an interpreter of theirs gives way.
            movable = [unit for unit in fill.units if unit is not fill.guest_of_honour]
            if movable:
                lowest = max(movable, key=lambda unit: unit.principal.precedence)
                fill.units.remove(lowest)
                _place(lowest, fills[index + 1:], result, no_room)
                continue
            crowded = next((unit for unit in (fill.guest_of_honour, fill.head) if unit and unit.interpreters), None)
            if crowded is not None:
                interpreter = crowded.interpreters.pop()
                result.unseated.append(Unseated(interpreter.key, NO_SEAT_BESIDE, crowded.principal.key))
                continue
            fill.units.remove(fill.guest_of_honour)
            _unseat(fill.guest_of_honour, result, no_room)
            fill.guest_of_honour = None
    return result, grown


def _lowest_below(unit: _Unit, fills: Sequence[_TableFill]) -> _Unit | None:
    """Take the lowest-ranked guest ranking below `unit` off a table where `unit` then fits."""
    choices = [(other, fill) for fill in fills for other in fill.units
               if other.side == GUEST and other is not fill.guest_of_honour
               and other.principal.precedence > unit.principal.precedence and fill.free + other.size >= unit.size]
    if not choices:
        return None
    other, fill = max(choices, key=lambda pair: pair[0].principal.precedence)
    fill.units.remove(other)
    return other


def _unseat(unit: _Unit, result: Seating, reason: str) -> None:
    result.unseated.append(Unseated(unit.principal.key, reason))
    for interpreter in unit.interpreters:
        result.unseated.append(Unseated(interpreter.key, PRINCIPAL_UNSEATED, unit.principal.key))


def _place(unit: _Unit, fills: Sequence[_TableFill], result: Seating, no_room: str) -> None:
    """To the table with room that needs this side most (then shares most languages), or not seated."""
    fitting = [fill for fill in fills if fill.free >= unit.size]
    if not fitting:
        _unseat(unit, result, no_room)
        return
    if unit.principal.is_interpreter:
        fitting[0].units.append(unit)
        return
    other = HOST if unit.side == GUEST else GUEST
    best = max(fitting, key=lambda fill: (
        fill.count(other) - fill.count(unit.side),
        _coverage(unit, fill.units) if unit.side == HOST else int(bool(unit.languages & fill.head.languages)),
        -list(fills).index(fill)))
    best.units.append(unit)


def _side_pattern(hosts: int, guests: int) -> list[str]:
    """Sides round the table starting at the head (a host), so that the smaller side never sits together.

    `hosts` counts the head. With more guests, every host is followed by at least one guest; with more
    hosts, every guest by at least one host (the head closes the circle).
    """
    if guests == 0:
        return [HOST] * hosts
    pattern: list[str] = []
    if guests >= hosts:
        base, extra = divmod(guests, hosts)
        for gap in range(hosts):
            pattern.append(HOST)
            pattern.extend([GUEST] * (base + (1 if gap < extra else 0)))
        return pattern
    rest = hosts - 1  # hosts besides the head, into the blocks after each guest
    blocks = [1 if block < guests - 1 else 0 for block in range(guests)]
    rest -= sum(blocks)
    block = 0
    while rest > 0:
        blocks[block % guests] += 1
        rest -= 1
        block += 1
    pattern.append(HOST)
    for size in blocks:
        pattern.append(GUEST)
        pattern.extend([HOST] * size)
    return pattern


def _honour(position: int, length: int) -> tuple[int, int]:
    """Closer to the head is more honourable; at equal distance the right (earlier) side first."""
    left = length - position
    return (min(position, left), 0 if position <= left else 1)


def _common_neighbours(order: list[_Unit]) -> int:
    """How many guests share a language with a neighbour round the table (a soft goal)."""
    found = 0
    length = len(order)
    for index, unit in enumerate(order):
        if unit.side != GUEST or not unit.languages:
            continue
        around = {order[(index - 1) % length], order[(index + 1) % length]} - {unit}
        if any(unit.languages & other.languages for other in around) or unit.interpreters:
            found += 1
    return found


def _arrange(fill: _TableFill) -> dict[str, int] | None:
    """Seat numbers for everyone at one table, or None when a head table cannot keep units together."""
    table = fill.table
    loose = [unit for unit in fill.units if unit.principal.is_interpreter]
    guests = sorted((unit for unit in fill.units if unit.side == GUEST and unit not in loose),
                    key=lambda unit: (unit is not fill.guest_of_honour, unit.principal.precedence))
    hosts = sorted((unit for unit in fill.units if unit.side == HOST and unit not in loose),
                   key=lambda unit: unit.principal.precedence)
    pattern = _side_pattern(1 + len(hosts), len(guests))
    length = len(pattern)
    guest_positions = sorted((index for index, side in enumerate(pattern) if side == GUEST),
                             key=lambda index: _honour(index, length))
    host_positions = sorted((index for index, side in enumerate(pattern) if side == HOST and index != 0),
                            key=lambda index: _honour(index, length))
    order: list = [None] * length
    order[0] = fill.head
    for index, unit in zip(guest_positions, guests):
        order[index] = unit
    for index, unit in zip(host_positions, hosts):
        order[index] = unit
    _improve_languages(order, host_positions)

    blocks: list[list[Diner]] = []
    for unit in order[1:]:
        if len(unit.interpreters) == 2:
            blocks.append([unit.interpreters[0], unit.principal, unit.interpreters[1]])
        else:
            blocks.append([unit.principal, *unit.interpreters])
    # Interpreters without a principal here sit where the two sides meet, opposite the head; they do not
    # count for alternating, and never come between the head and the guest of honour.
    middle = (len(blocks) + 1) // 2
    for unit in loose:
        blocks.insert(max(middle, 1), [unit.principal])
    core = [fill.head.principal, *fill.head.interpreters[1:]]  # a second interpreter sits at the head's right
    head_left = fill.head.interpreters[:1]
    right_room = right_side_count(table.seats) - (len(core) - 1)
    left_room = table.seats - 1 - right_side_count(table.seats) - len(head_left)
    free_room = table.seats - len(core) - len(head_left)
    sizes = [len(block) for block in blocks]
    total = sum(sizes)
    if total > free_room:
        return None
    best = None
    first_split = 1 if fill.guest_of_honour is not None else 0  # the guest of honour at seat 2
    for split in range(first_split, len(blocks) + 1):
        right = sum(sizes[:split])
        left = total - right
        if not table.closed and (right > right_room or left > left_room):
            continue
        balance = abs(right - left)
        if best is None or balance < best[0]:
            best = (balance, split)
    if best is None:
        return None
    split = best[1]
    ring = ring_order(table.seats)
    placed: dict[str, int] = {}
    head_side = core + [diner for block in blocks[:split] for diner in block]
    for position, diner in enumerate(head_side):
        placed[diner.key] = ring[position]
    # Going back towards the head along its left side: the principal of a pair sits nearer the head.
    tail = [diner for block in blocks[split:] for diner in (block[::-1] if len(block) == 2 else block)] + head_left
    start = table.seats - len(tail)
    for offset, diner in enumerate(tail):
        placed[diner.key] = ring[start + offset]
    return placed


def _improve_languages(order: list, host_positions: list[int], rounds: int = 3) -> None:
    """Swap hosts (never the head, never guests: their places follow precedence) while more guests then
    share a language with a neighbour."""
    if len(host_positions) < 2:
        return
    best = _common_neighbours(order)
    for _round in range(rounds):
        improved = False
        for first_index, first in enumerate(host_positions):
            for second in host_positions[first_index + 1:]:
                order[first], order[second] = order[second], order[first]
                score = _common_neighbours(order)
                if score > best:
                    best = score
                    improved = True
                else:
                    order[first], order[second] = order[second], order[first]
        if not improved:
            return


# Checking a plan ------------------------------------------------------------------------------------------

def check_plan(diners: Sequence[Diner], tables: Sequence[Table],
               assignments: Iterable[tuple[str, str, int]]) -> list[Problem]:
    """Every problem of a plan, whoever made it: errors (seated twice, seat taken, table full, left out),
    broken protocol rules, and notices (seated though not attending, no common language with a neighbour)."""
    problems: list[Problem] = []
    by_key = {diner.key: diner for diner in diners}
    tables_by_key = {table.key: table for table in tables}
    seats_of: dict[str, list[tuple[str, int]]] = {}
    occupants: dict[tuple[str, int], list[str]] = {}
    for key, table_key, number in assignments:
        seats_of.setdefault(key, []).append((table_key, number))
        occupants.setdefault((table_key, number), []).append(key)
    for key, places in seats_of.items():
        if len(places) > 1:
            problems.append(Problem(SEATED_TWICE, (key,)))
    for (table_key, number), keys in occupants.items():
        if len(keys) > 1:
            problems.append(Problem(SEAT_TAKEN, tuple(keys), table_key, number))
    for table in tables:
        beyond = sorted(number for (table_key, number) in occupants if table_key == table.key
                        and not 1 <= number <= table.seats)
        if beyond:
            keys = tuple(key for number in beyond for key in occupants[(table.key, number)])
            problems.append(Problem(TABLE_FULL, keys, table.key))
    for diner in diners:
        if diner.key not in seats_of:
            problems.append(Problem(LEFT_OUT, (diner.key,)))
    for key in seats_of:
        if key not in by_key:
            problems.append(Problem(NOT_ATTENDING, (key,)))

    # From here on, each person's first seat counts, at known tables and existing seats.
    seat_of: dict[str, tuple[str, int]] = {}
    at: dict[str, dict[int, str]] = {table.key: {} for table in tables}
    for key, places in seats_of.items():
        table_key, number = places[0]
        table = tables_by_key.get(table_key)
        if key in by_key and table is not None and 1 <= number <= table.seats and number not in at[table_key]:
            seat_of[key] = (table_key, number)
            at[table_key][number] = key

    principals = [diner for diner in diners if not diner.is_interpreter]
    hosts = [diner for diner in principals if diner.side == HOST]
    guests = [diner for diner in principals if diner.side == GUEST]
    hosts.sort(key=lambda d: (d.precedence, d.key))
    guests.sort(key=lambda d: (d.precedence, d.key))
    host = next((diner for diner in hosts if diner.is_host), hosts[0] if hosts else None)
    guest_of_honour = guests[0] if guests else None
    top = top_table(tables)
    if host is not None and host.key in seat_of and top is not None and seat_of[host.key] != (top.key, 1):
        problems.append(Problem(HOST_NOT_AT_HEAD, (host.key,), top.key, 1))
    if (guest_of_honour is not None and host is not None and top is not None and guest_of_honour.key in seat_of
            and host.key in seat_of and seat_of[guest_of_honour.key] != (top.key, 2)):
        problems.append(Problem(GUEST_OF_HONOUR_NOT_RIGHT, (guest_of_honour.key, host.key), top.key, 2))

    for diner in diners:
        if not diner.is_interpreter or diner.key not in seat_of:
            continue
        principal = by_key.get(diner.interprets_for or "")
        if principal is None or principal.is_interpreter or principal.key not in seat_of:
            continue
        table_key, number = seat_of[diner.key]
        other_table, other_number = seat_of[principal.key]
        if table_key != other_table or other_number not in neighbours(tables_by_key[table_key], number):
            problems.append(Problem(INTERPRETER_NOT_BESIDE, (diner.key, principal.key), table_key, number))

    for table in tables:
        sitting = at[table.key]
        if not sitting:
            continue
        walk = [sitting[number] for number in seats_in_walking_order(table) if number in sitting]
        people = [by_key[key] for key in walk if not by_key[key].is_interpreter]
        if not any(diner.side == HOST for diner in people):
            problems.append(Problem(NO_COHOST_AT_TABLE, tuple(walk), table.key))
            continue
        host_count = sum(1 for diner in people if diner.side == HOST)
        guest_count = len(people) - host_count
        if guest_count == 0:
            continue
        smaller = {HOST, GUEST} if host_count == guest_count else ({HOST} if host_count < guest_count else {GUEST})
        pairs = list(zip(people, people[1:]))
        if table.closed and len(people) > 2:
            pairs.append((people[-1], people[0]))
        together = [(first, second) for first, second in pairs if first.side == second.side and first.side in smaller]
        if together:
            keys = tuple(dict.fromkeys(key for pair in together for key in (pair[0].key, pair[1].key)))
            problems.append(Problem(NOT_ALTERNATING, keys, table.key))

    for diner in guests:
        if diner.key not in seat_of or not diner.languages:
            continue
        table_key, number = seat_of[diner.key]
        around = [at[table_key].get(seat) for seat in neighbours(tables_by_key[table_key], number)]
        around_diners = [by_key[key] for key in around if key is not None]
        if any(other.is_interpreter and other.interprets_for == diner.key for other in around_diners):
            continue
        if not any(diner.languages & other.languages for other in around_diners):
            problems.append(Problem(NO_COMMON_LANGUAGE, (diner.key,), table_key, number))
    return problems


def hard_problems(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error or problem.breaks_rule]


# Moving a person by hand -----------------------------------------------------------------------------------

class MoveError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


MOVE_NO_SUCH_TABLE = "no_such_table"
MOVE_NO_SUCH_SEAT = "no_such_seat"
MOVE_TABLE_FULL = "table_full"


def move(assignments: Mapping[str, Seat], tables: Sequence[Table], key: str, table_key: str,
         number: int | None = None) -> dict[str, Seat]:
    """`key` to `table_key` (seat `number`, or the first free seat). Someone on that seat changes places with
    them (or, if `key` had no seat, loses theirs). Raises MoveError for an unknown table or seat, or a full table."""
    table = next((table for table in tables if table.key == table_key), None)
    if table is None:
        raise MoveError(MOVE_NO_SUCH_TABLE)
    seats = dict(assignments)
    taken = {seat.number: person for person, seat in seats.items() if seat.table == table_key}
    if number is None:
        current = seats.get(key)
        if current is not None and current.table == table_key:
            return seats
        free = [seat for seat in range(1, table.seats + 1) if seat not in taken]
        if not free:
            raise MoveError(MOVE_TABLE_FULL)
        number = free[0]
    if not 1 <= number <= table.seats:
        raise MoveError(MOVE_NO_SUCH_SEAT)
    target = Seat(table_key, number)
    occupant = taken.get(number)
    previous = seats.get(key)
    if occupant is not None and occupant != key:
        if previous is not None:
            seats[occupant] = previous
        else:
            del seats[occupant]
    seats[key] = target
    return seats
