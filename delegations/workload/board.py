"""Per contact person and week: hours in programme items, visits led (and deputised), open protocol tasks and
conflicts. Plain data in, plain figures out; no database, no request.

Weeks are ISO weeks (Monday to Sunday) of the unit's own zone (Europe/Berlin), so a week starts at Monday 00:00
local time whatever the season: the week of the spring DST change has 167 hours, the autumn one 169. An item is
counted with its real duration, split at a week boundary when it crosses one. A visit counts in every week its
stay touches. An open task counts in the week of its due date; a task already overdue counts in the week of
"today" (where it is work to do now) and is flagged overdue. A conflict counts in the week it starts, once for
each contact person responsible for one of its items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from delegations.planning.conflicts import CONTACT_TWICE

MAX_WEEKS = 26


# Plain inputs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Week:
    """An ISO week of a zone, with the instants (UTC) at which it starts and ends."""

    year: int
    number: int
    monday: date
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def contains(self, instant: datetime) -> bool:
        return self.starts_at <= instant < self.ends_at


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    active: bool = True


@dataclass(frozen=True)
class ItemLoad:
    """A programme item (not cancelled, in a visit not cancelled) with its responsible contact person."""

    id: int
    responsible_id: int
    starts_at: datetime
    ends_at: datetime
    delegation_id: int | None = None


@dataclass(frozen=True)
class VisitLoad:
    """A visit or tour (not cancelled) with its lead and deputy contact persons."""

    id: int
    title: str
    arrival_at: datetime
    departure_at: datetime
    lead_id: int | None = None
    deputy_id: int | None = None


@dataclass(frozen=True)
class TaskLoad:
    """An open protocol checklist task with its owner."""

    id: int
    owner_id: int
    due_on: date | None
    delegation_id: int | None = None


@dataclass(frozen=True)
class ConflictLoad:
    """A conflict that is not acknowledged, with the contact persons responsible for its items."""

    key: str
    rule: str
    starts_at: datetime
    contact_ids: tuple[int, ...]


# Results ------------------------------------------------------------------------------------------

@dataclass
class Cell:
    """One person in one week."""

    seconds: float = 0.0
    items: int = 0
    visits_led: int = 0
    visits_deputy: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0
    conflicts: int = 0
    booked_twice: int = 0

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)

    @property
    def empty(self) -> bool:
        return not (self.seconds or self.items or self.visits_led or self.visits_deputy or self.open_tasks
                    or self.conflicts)

    def add(self, other: "Cell") -> None:
        self.seconds += other.seconds
        self.items += other.items
        self.visits_led += other.visits_led
        self.visits_deputy += other.visits_deputy
        self.open_tasks += other.open_tasks
        self.overdue_tasks += other.overdue_tasks
        self.conflicts += other.conflicts
        self.booked_twice += other.booked_twice


@dataclass
class PersonRow:
    person: Person
    cells: list[Cell]
    # Distinct visits over the whole range (a visit across two weeks counts once here).
    visits_led_in_range: int = 0
    visits_deputy_in_range: int = 0

    @property
    def total(self) -> Cell:
        total = Cell()
        for cell in self.cells:
            total.add(cell)
        total.visits_led, total.visits_deputy = self.visits_led_in_range, self.visits_deputy_in_range
        return total

    @property
    def empty(self) -> bool:
        return all(cell.empty for cell in self.cells)


@dataclass
class Board:
    weeks: list[Week]
    rows: list[PersonRow]
    zone: str
    today: date | None = None
    # Tasks of the people that have no due date: shown beside the board, not in a week.
    undated_tasks: dict[int, int] = field(default_factory=dict)

    @property
    def max_hours(self) -> float:
        return max((cell.hours for row in self.rows for cell in row.cells), default=0.0)

    def row_of(self, person_id: int) -> PersonRow | None:
        return next((row for row in self.rows if row.person.id == person_id), None)

    def current_week_index(self) -> int | None:
        if self.today is None:
            return None
        return next((index for index, week in enumerate(self.weeks) if week.monday <= self.today <= week.sunday), None)


# Weeks --------------------------------------------------------------------------------------------

def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week_monday(year: int, number: int) -> date:
    """The Monday of ISO week `number` of `year`; ValueError if there is no such week."""
    return date.fromisocalendar(year, number, 1)


def week_of(monday: date, zone: str) -> Week:
    place = ZoneInfo(zone)
    start = datetime.combine(monday, time.min, tzinfo=place).astimezone(timezone.utc)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=place).astimezone(timezone.utc)
    year, number, _weekday = monday.isocalendar()
    return Week(year, number, monday, start, end)


def weeks_from(first_day: date, count: int, zone: str) -> list[Week]:
    """`count` consecutive ISO weeks (at most MAX_WEEKS), the first being the week of `first_day`."""
    count = max(1, min(count, MAX_WEEKS))
    monday = monday_of(first_day)
    return [week_of(monday + timedelta(weeks=offset), zone) for offset in range(count)]


def weeks_touching(start: datetime, end: datetime, zone: str) -> list[Week]:
    """The weeks of `zone` that the span [start, end) touches (at least one)."""
    place = ZoneInfo(zone)
    first = monday_of(start.astimezone(place).date())
    last = monday_of((end - timedelta(microseconds=1)).astimezone(place).date()) if end > start else first
    count = (last - first).days // 7 + 1
    return [week_of(first + timedelta(weeks=offset), zone) for offset in range(min(count, MAX_WEEKS))]


def range_bounds(weeks: list[Week]) -> tuple[datetime, datetime]:
    return weeks[0].starts_at, weeks[-1].ends_at


# The board ----------------------------------------------------------------------------------------

def _overlap_seconds(start: datetime, end: datetime, week: Week) -> float:
    low, high = max(start, week.starts_at), min(end, week.ends_at)
    return max((high - low).total_seconds(), 0.0)


def build_board(weeks: list[Week], people: Iterable[Person], items: Iterable[ItemLoad] = (),
                visits: Iterable[VisitLoad] = (), tasks: Iterable[TaskLoad] = (),
                conflicts: Iterable[ConflictLoad] = (), *, zone: str = "Europe/Berlin",
                today: date | None = None, keep_empty_inactive: bool = False) -> Board:
    """The figures of every person for every week.

    Active people always get a row; inactive ones only when they carry load in the range (unless
    `keep_empty_inactive`). Rows come in name order.
    """
    if not weeks:
        return Board([], [], zone, today)
    people = list(people)
    cells: dict[int, list[Cell]] = {person.id: [Cell() for _ in weeks] for person in people}
    led: dict[int, set[int]] = {person.id: set() for person in people}
    deputised: dict[int, set[int]] = {person.id: set() for person in people}
    undated: dict[int, int] = {}
    range_start, range_end = range_bounds(weeks)

    for item in items:
        row = cells.get(item.responsible_id)
        if row is None or item.ends_at <= range_start or item.starts_at >= range_end:
            continue
        for index, week in enumerate(weeks):
            seconds = _overlap_seconds(item.starts_at, item.ends_at, week)
            if seconds > 0:
                row[index].seconds += seconds
            if week.contains(item.starts_at):
                row[index].items += 1

    for visit in visits:
        if visit.departure_at <= range_start or visit.arrival_at >= range_end:
            continue
        for index, week in enumerate(weeks):
            if visit.arrival_at < week.ends_at and visit.departure_at > week.starts_at:
                if visit.lead_id in cells:
                    cells[visit.lead_id][index].visits_led += 1
                    led[visit.lead_id].add(visit.id)
                if visit.deputy_id in cells and visit.deputy_id != visit.lead_id:
                    cells[visit.deputy_id][index].visits_deputy += 1
                    deputised[visit.deputy_id].add(visit.id)

    today_index = None
    if today is not None:
        today_index = next((index for index, week in enumerate(weeks) if week.monday <= today <= week.sunday), None)
    for task in tasks:
        row = cells.get(task.owner_id)
        if row is None:
            continue
        if task.due_on is None:
            undated[task.owner_id] = undated.get(task.owner_id, 0) + 1
            continue
        if today is not None and task.due_on < today:
            if today_index is not None:
                row[today_index].open_tasks += 1
                row[today_index].overdue_tasks += 1
            continue
        index = next((index for index, week in enumerate(weeks) if week.monday <= task.due_on <= week.sunday), None)
        if index is not None:
            row[index].open_tasks += 1

    for conflict in conflicts:
        index = next((index for index, week in enumerate(weeks) if week.contains(conflict.starts_at)), None)
        if index is None:
            continue
        for person_id in set(conflict.contact_ids):
            if person_id in cells:
                cells[person_id][index].conflicts += 1
                if conflict.rule == CONTACT_TWICE:
                    cells[person_id][index].booked_twice += 1

    rows = []
    for person in sorted(people, key=lambda person: (person.name.casefold(), person.id)):
        row = PersonRow(person, cells[person.id], len(led[person.id]), len(deputised[person.id]))
        if person.active or keep_empty_inactive or not row.empty or undated.get(person.id):
            rows.append(row)
    return Board(list(weeks), rows, zone, today, undated)


def conflict_loads(conflicts: Iterable, responsible_of: dict[int, int | None],
                   acknowledged_keys: Iterable[str] = ()) -> list[ConflictLoad]:
    """The conflicts (planning.conflicts.Conflict) as the board sees them: the contact persons responsible for
    their items, acknowledged ones left out (they are settled)."""
    settled = set(acknowledged_keys)
    found = []
    for conflict in conflicts:
        if conflict.key in settled:
            continue
        contacts = tuple(sorted({responsible_of[item_id] for item_id in conflict.item_ids
                                 if responsible_of.get(item_id) is not None}))
        if contacts:
            found.append(ConflictLoad(conflict.key, conflict.rule, conflict.starts_at, contacts))
    return found


# Who has room -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Room:
    """One person's load in the weeks of a visit, for choosing its lead."""

    person: Person
    hours: float
    items: int
    visits_led: int
    visits_deputy: int
    open_tasks: int
    overdue_tasks: int
    conflicts: int


def room_in(board: Board) -> list[Room]:
    """Each active person's load over the board's weeks, the least busy first (hours, then visits led, tasks)."""
    found = []
    for row in board.rows:
        if not row.person.active:
            continue
        total = row.total
        found.append(Room(row.person, total.hours, total.items, total.visits_led, total.visits_deputy,
                          total.open_tasks, total.overdue_tasks, total.conflicts))
    return sorted(found, key=lambda room: (room.hours, room.visits_led, room.open_tasks, room.person.name.casefold()))
