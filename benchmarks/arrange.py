"""Benchmark (not a test): arranging 40 requested items over a 7-day stay against 500 busy blocks.

    .venv/bin/python benchmarks/arrange.py                 # 5 seeds, 15-minute grid
    .venv/bin/python benchmarks/arrange.py --seeds 10 --grid 5

Each instance is feasible by construction: a hidden programme is drawn first (every item on the grid, inside its
window, keeping the way between venues), then 500 busy blocks for the Mayor are drawn around the hidden Mayor
items, and other visits' items around the hidden programme's venues. The engine does not see the hidden
programme; it must find one of its own. Reported: seconds, search nodes, items placed, and a check of the result
against every conflict rule. The stay covers the October 2027 DST change (Berlin, 25-hour Sunday).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delegations.planning.arrange import Request, arrange  # noqa: E402
from delegations.planning.availability import BusyInterval, office_hours_busy  # noqa: E402
from delegations.planning.conflicts import ConflictFinder, PlannedItem, PrincipalInfo, Schedule, Stay  # noqa: E402
from delegations.planning.slots import candidate_starts, remove_forbidden  # noqa: E402
from delegations.zones import attach_zone  # noqa: E402

ZONE = "Europe/Berlin"
MAYOR, DEPUTY = 1, 2
VENUES = list(range(10, 16))
ITEMS, BUSY_BLOCKS = 40, 500


def at(text: str) -> datetime:
    return attach_zone(datetime.fromisoformat(text), ZONE)


class DrawingFailed(Exception):
    pass


def build(seed: int, grid: int, tight: bool = False):
    """One instance (the hidden programme is drawn again with a derived seed if the drawing gets stuck)."""
    for attempt in range(50):
        try:
            return _build(random.Random(seed * 1000 + attempt), grid, tight)
        except DrawingFailed:
            continue
    raise SystemExit(f"seed {seed}: could not draw a hidden programme")


def _build(rng: random.Random, grid: int, tight: bool):
    """`tight`: a packed week (09:00-18:00, more items with the Mayor, the hidden programme drawn mostly at the
    earliest free start), so that the search has to work for it."""
    stay = Stay(1, "Benchmark visit", at("2027-10-25 08:00"), at("2027-10-31 20:00"), ZONE, "mayor")
    others = [Stay(2, "Other visit A", stay.arrival_at, stay.departure_at, ZONE),
              Stay(3, "Other visit B", stay.arrival_at, stay.departure_at, ZONE)]
    travel = {}
    for first in VENUES:
        for second in VENUES:
            if first < second:
                travel[(first, second)] = travel[(second, first)] = rng.choice([10, 15, 20, 25, 30])
    office = office_hours_busy([(weekday, time(8), time(19)) for weekday in range(5)],
                               stay.arrival_at - timedelta(days=1), stay.departure_at + timedelta(days=1), ZONE)
    principals = {MAYOR: PrincipalInfo(MAYOR, "Mayor", "mayor", 1), DEPUTY: PrincipalInfo(DEPUTY, "Deputy", "deputy_mayor", 1)}
    days = [date(2027, 10, 25) + timedelta(days=offset) for offset in range(7)]

    # The requests: lunches and dinners in windows, Mayor items on weekdays, the rest anywhere in the day.
    shapes = []
    for day in days[:5]:
        shapes.append(dict(title=f"Lunch {day:%a}", minutes=60, earliest=time(12), latest=time(14), days=frozenset({day})))
    for day in days[1:4]:
        shapes.append(dict(title=f"Dinner {day:%a}", minutes=120, earliest=time(18, 30), latest=time(22, 30), days=frozenset({day})))
    for number in range(20 if tight else 12):
        shapes.append(dict(title=f"With the Mayor {number}", minutes=rng.choice([30, 45, 60]), principal_id=MAYOR,
                           days=frozenset(days[:5])))
    while len(shapes) < ITEMS:
        shapes.append(dict(title=f"Visit {len(shapes)}", minutes=rng.choice([45, 60, 90, 120])))
    if tight:
        for shape in shapes:
            shape.setdefault("earliest", time(9))
            shape.setdefault("latest", time(18))
    for shape in shapes:
        shape.setdefault("venue_id", rng.choice(VENUES))

    # A hidden programme that exists: each item at a random free start, in random order.
    hidden_schedule = Schedule({1: stay, **{other.delegation_id: other for other in others}}, [],
                               {MAYOR: office}, travel, 15, principals)
    hidden: list[PlannedItem] = []
    order = list(range(len(shapes)))
    rng.shuffle(order)
    # Most constrained first (meals in their windows, then the Mayor's items), or the drawing itself gets stuck.
    def window(shape) -> int:
        earliest, latest = shape.get("earliest", time(8)), shape.get("latest", time(21))
        return (latest.hour * 60 + latest.minute) - (earliest.hour * 60 + earliest.minute)

    order.sort(key=lambda index: (window(shapes[index]), "principal_id" not in shapes[index]))
    for index in order:
        shape = shapes[index]
        duration = timedelta(minutes=shape["minutes"])
        template = PlannedItem(-(index + 1), 1, shape["title"], stay.arrival_at, stay.arrival_at + duration,
                               shape["venue_id"], shape.get("principal_id"))
        finder = ConflictFinder(Schedule(hidden_schedule.stays, hidden, hidden_schedule.busy, travel, 15, principals))
        free = remove_forbidden(candidate_starts(stay, duration, days=shape.get("days"), earliest=shape.get("earliest"),
                                                 latest=shape.get("latest"), grid_minutes=grid),
                                finder.forbidden_starts(template, duration))
        if not free:
            raise DrawingFailed
        hidden.append(template.at(free[0] if tight and rng.random() < 0.7 else rng.choice(free)))
    by_title = {planned.title: planned for planned in hidden}

    # Order constraints the hidden programme keeps: five "after" pairs.
    afters = {}
    ordered = sorted(hidden, key=lambda planned: planned.starts_at)
    for _ in range(5):
        first, second = sorted(rng.sample(range(len(ordered)), 2))
        afters[ordered[second].title] = ordered[first].title

    # 500 busy blocks for the Mayor, never over a hidden Mayor item.
    mayor_items = [planned for planned in hidden if planned.principal_id == MAYOR]
    blocks = list(office)
    drawn = 0
    while drawn < BUSY_BLOCKS:
        start = stay.arrival_at + timedelta(minutes=15 * rng.randrange(0, int((stay.departure_at - stay.arrival_at).total_seconds() // 900)))
        end = start + timedelta(minutes=rng.choice([15, 30, 45, 60, 90]))
        if any(start < planned.ends_at and end > planned.starts_at for planned in mayor_items):
            continue
        blocks.append(BusyInterval(start, end, rng.choice(["calendar", "calendar", "manual"]), "Appointment"))
        drawn += 1

    # Other visits' items at the same venues, never over a hidden item at that venue.
    other_items = []
    while len(other_items) < 30:
        start = stay.arrival_at + timedelta(minutes=15 * rng.randrange(0, 560))
        end = start + timedelta(minutes=rng.choice([60, 90, 120]))
        venue = rng.choice(VENUES)
        if any(start < planned.ends_at and end > planned.starts_at and planned.venue_id == venue for planned in hidden):
            continue
        other_items.append(PlannedItem(100 + len(other_items), rng.choice([2, 3]), "Other", start, end, venue))

    requests = []
    for index, shape in enumerate(shapes):
        requests.append(Request(f"request-{index}", shape["title"], timedelta(minutes=shape["minutes"]),
                                shape.get("principal_id"), shape["venue_id"], None, rng.choice([1, 2, 3]),
                                shape.get("earliest"), shape.get("latest"), shape.get("days"),
                                after=None))
    keys = {request.title: request.key for request in requests}
    requests = [Request(**{**request.__dict__, "after": keys[afters[request.title]]}) if request.title in afters
                else request for request in requests]
    world = Schedule({1: stay, **{other.delegation_id: other for other in others}}, other_items, {MAYOR: blocks},
                     travel, 15, principals)
    assert by_title
    return world, requests


def check(world: Schedule, proposal) -> int:
    """How many placed items break a rule (should be 0)."""
    placed = [PlannedItem(-(number + 1), 1, placement.request.title, placement.starts_at, placement.ends_at,
                          placement.request.venue_id, placement.request.principal_id)
              for number, placement in enumerate(proposal.placements)]
    finder = ConflictFinder(Schedule(world.stays, world.items + placed, world.busy, world.travel,
                                     world.default_buffer_minutes, world.principals))
    return sum(1 for planned in placed if finder.conflicts_of(planned))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--grid", type=int, default=15, help="minutes between candidate starts (5 or 15)")
    parser.add_argument("--time-limit", type=float, default=5.0, help="the engine's time budget (as in the app)")
    parser.add_argument("--tight", action="store_true", help="a packed week (09:00-18:00, 20 items with the Mayor)")
    parser.add_argument("--extra", type=int, default=0,
                        help="add this many 2-hour items with the Mayor on top (the week may overflow)")
    arguments = parser.parse_args()
    print(f"{ITEMS} items over 7 days, {BUSY_BLOCKS} busy blocks (+ office hours), {arguments.grid}-minute grid"
          f"{', tight' if arguments.tight else ''}{f', {arguments.extra} extra items' if arguments.extra else ''}; "
          f"time limit {arguments.time_limit} s")
    print(f"{'seed':>4} {'seconds':>8} {'nodes':>7} {'placed':>7} {'broken':>7}", flush=True)
    times, nodes = [], []
    for seed in range(1, arguments.seeds + 1):
        world, requests = build(seed, arguments.grid, arguments.tight)
        requests += [Request(f"extra-{number}", f"Extra {number}", timedelta(hours=2), MAYOR, VENUES[0],
                             earliest=time(9), latest=time(18)) for number in range(arguments.extra)]
        started = clock.perf_counter()
        proposal = arrange(world, 1, requests, grid_minutes=arguments.grid, time_limit=arguments.time_limit,
                           node_limit=2_000_000)
        elapsed = clock.perf_counter() - started
        times.append(elapsed)
        nodes.append(proposal.nodes)
        print(f"{seed:>4} {elapsed:>8.3f} {proposal.nodes:>7} {len(proposal.placements):>4}/{len(requests):<2} "
              f"{check(world, proposal):>7}")
    print(f"median {statistics.median(times):.3f} s, max {max(times):.3f} s; "
          f"median {statistics.median(nodes):.0f} nodes, max {max(nodes)} nodes")


if __name__ == "__main__":
    main()
