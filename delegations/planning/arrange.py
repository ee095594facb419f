"""Arranging a programme: place requested items around the fixed ones so that no hard rule is broken.

A small constraint search (docs/arrangement.md says why this and not a solver library):
- every request gets a static domain: the grid starts (slots.candidate_starts) at which it breaks no rule
  against what does not move (ConflictFinder.forbidden_starts) and keeps its order to fixed items;
- requests of one delegation must not overlap and must leave the travel time between their venues; "before X" /
  "after X" between requests are ordering constraints; both are binary;
- backtracking picks the request with the fewest starts left (most constrained first, weighted by how often it
  took part in dead ends, with restarts), tries starts in the order: its present start, the least loaded day,
  the earliest time; after each choice it removes from every other request the starts that clash (forward
  checking) and backs up as soon as one has none left; the last attempt is not cut short, so the search is
  complete;
- a node and time budget bounds the work. If not everything fits, requests are added one by one in order of
  priority, each time searching again (warm-started from the last solution): the result keeps every request
  of higher priority that fits, and says for every other one why it was left out.
The engine works on integer seconds; the result is checked once more against every rule before it is returned.
"""
from __future__ import annotations

import bisect
import random
import time as clock
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Sequence

from flask_babel import lazy_gettext as _l

from delegations.planning.conflicts import ConflictFinder, PlannedItem, Schedule, local_day
from delegations.planning.slots import (DEFAULT_GRID_MINUTES, candidate_starts, explain_no_slot,
                                        remove_forbidden)

DEFAULT_NODE_LIMIT = 200_000
DEFAULT_TIME_LIMIT = 5.0  # seconds
PRIORITY_LOW, PRIORITY_NORMAL, PRIORITY_HIGH = 1, 2, 3


@dataclass(frozen=True)
class Request:
    """An item to place: a new one (key "request-<id>") or a tentative item that may move (key "item-<id>").

    `after` / `before` name another request's key or a fixed item ("item-<id>") this one must follow or
    precede (with the way between the venues in between).
    """

    key: str
    title: str
    duration: timedelta
    principal_id: int | None = None
    venue_id: int | None = None
    responsible_id: int | None = None
    priority: int = PRIORITY_NORMAL
    earliest: time | None = None
    latest: time | None = None
    days: frozenset[date] | None = None
    after: str | None = None
    before: str | None = None
    item_id: int | None = None
    current_start: datetime | None = None
    version: int | None = None


@dataclass(frozen=True)
class Placement:
    request: Request
    starts_at: datetime
    ends_at: datetime
    notes: tuple = ()

    @property
    def moved(self) -> bool:
        return self.request.current_start is not None and self.request.current_start != self.starts_at

    @property
    def is_new(self) -> bool:
        return self.request.item_id is None


@dataclass(frozen=True)
class Unplaced:
    request: Request
    reason: object  # one sentence (lazy string)
    # A deputy mayor who could take it, and when: (principal_id, start), when the Mayor was the obstacle.
    alternative: tuple[int, datetime] | None = None


@dataclass
class Proposal:
    delegation_id: int
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    nodes: int = 0
    seconds: float = 0.0
    budget_exhausted: bool = False

    @property
    def complete(self) -> bool:
        return not self.unplaced

    @property
    def new_count(self) -> int:
        return sum(1 for placement in self.placements if placement.is_new)

    @property
    def moved_count(self) -> int:
        return sum(1 for placement in self.placements if placement.moved)

    def placement_for(self, key: str) -> Placement | None:
        return next((placement for placement in self.placements if placement.request.key == key), None)


class _OutOfBudget(Exception):
    pass


class _Budget:
    """Nodes and time for the whole arrangement; a search may get a smaller share (`cap`)."""

    def __init__(self, node_limit: int, time_limit: float):
        self.node_limit, self.deadline = node_limit, clock.perf_counter() + time_limit
        self.nodes = 0
        self.hit = False  # some search stopped at a limit: the result may not be the best possible

    def spend(self, cap: tuple[int, float] | None = None) -> None:
        self.nodes += 1
        node_cap, time_cap = cap if cap else (self.node_limit, self.deadline)
        if self.nodes >= min(node_cap, self.node_limit) or (
                self.nodes % 64 == 0 and clock.perf_counter() > min(time_cap, self.deadline)):
            self.hit = True
            raise _OutOfBudget

    def share(self, parts: int) -> tuple[int, float]:
        """A cap for the next search: an equal part of what is left, and never nothing."""
        now = clock.perf_counter()
        nodes_left = max(0, self.node_limit - self.nodes)
        time_left = max(0.0, self.deadline - now)
        return self.nodes + max(100, nodes_left // max(1, parts)), now + max(0.05, time_left / max(1, parts))

    @property
    def spent(self) -> bool:
        return self.nodes >= self.node_limit or clock.perf_counter() > self.deadline


def _seconds(instant: datetime) -> int:
    return int(instant.timestamp())


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class _Problem:
    """Requests as integer variables: static domains, durations, travel and order between them."""

    def __init__(self, requests: Sequence[Request], durations: list[int], domains: list[list[int]],
                 travel: list[list[int]], before: list[set[int]], day_of: dict[int, int], fixed_load: dict[int, int]):
        self.requests = requests
        self.durations = durations
        self.domains = domains
        self.travel = travel
        self.before = before  # before[i]: the variables i must precede
        self.after = [set() for _ in requests]
        for first, followers in enumerate(before):
            for follower in followers:
                self.after[follower].add(first)
        self.day_of = day_of
        self.fixed_load = fixed_load
        self.preferred = [(_seconds(request.current_start) if request.current_start else None) for request in requests]

    def filter(self, domain: list[int], other: int, chosen: int, start: int) -> list[int]:
        """`other`'s starts that stay possible once `chosen` starts at `start`."""
        way = self.travel[other][chosen]
        low = start - self.durations[other] - way
        high = start + self.durations[chosen] + way
        left = bisect.bisect_right(domain, low)
        right = bisect.bisect_left(domain, high)
        kept = domain if left >= right else domain[:left] + domain[right:]
        if other in self.before[chosen]:  # chosen comes first: other starts after it ends, plus the way
            cut = bisect.bisect_left(kept, start + self.durations[chosen] + way)
            if cut:
                kept = kept[cut:]
        if chosen in self.before[other]:  # other comes first: it ends (plus the way) before chosen starts
            cut = bisect.bisect_right(kept, start - self.durations[other] - way)
            if cut < len(kept):
                kept = kept[:cut]
        return kept


def _room(problem: "_Problem", domains: dict[int, list[int]], members: list[int]) -> int:
    """Seconds covered by every place the members could still take (the union of [start, start + duration))."""
    spans = []
    for index in members:
        duration = problem.durations[index]
        run_start = run_end = None
        for start in domains[index]:  # consecutive starts make one stretch
            if run_end is not None and start <= run_end:
                run_end = start + duration
            else:
                if run_end is not None:
                    spans.append((run_start, run_end))
                run_start, run_end = start, start + duration
        if run_end is not None:
            spans.append((run_start, run_end))
    spans.sort()
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is not None and start <= current_end:
            current_end = max(current_end, end)
        else:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
    if current_end is not None:
        total += current_end - current_start
    return total


def _enough_room(problem: "_Problem", domains: dict[int, list[int]], groups: list[list[int]],
                 unassigned: set[int]) -> bool:
    """Items of one delegation never overlap, so the items still open in a group (those of one principal, or
    all of them) need at least their summed durations of time in which some of them could lie. A cheap proof
    that a full week has no room left for the Mayor's items, which backtracking alone finds only slowly."""
    for group in groups:
        members = [index for index in group if index in unassigned]
        if len(members) > 1 and sum(problem.durations[index] for index in members) > _room(problem, domains, members):
            return False
    return True


class _Restart(Exception):
    pass


def _search(problem: _Problem, variables: list[int], budget: _Budget, hint: dict[int, int],
            cap: tuple[int, float] | None = None, weights: dict[int, float] | None = None,
            restart_at: int | None = None, shuffle: random.Random | None = None) -> dict[int, int] | None:
    """A complete backtracking search over `variables`; None if no assignment exists.

    Raises _OutOfBudget when `cap` (or the whole budget) is spent, _Restart when `restart_at` nodes are reached.
    `weights` count how often each variable took part in a dead end (dom/wdeg): the search picks the variable
    with the fewest starts left per unit of weight, so the troublemakers of earlier attempts come first.
    """
    domains = {index: problem.domains[index] for index in variables}
    chosen_set = set(variables)
    # Order constraints only bind between variables of this search.
    if not _tighten_order(problem, domains, chosen_set):
        return None
    weights = weights if weights is not None else {}
    unassigned = set(variables)
    assignment: dict[int, int] = {}
    load = dict(problem.fixed_load)
    priority = {index: problem.requests[index].priority for index in variables}
    degree = {index: len((problem.before[index] | problem.after[index]) & chosen_set) for index in variables}
    noise = {index: (shuffle.random() if shuffle else 0.0) for index in variables}
    by_principal: dict[int, list[int]] = {}
    for index in variables:
        if problem.requests[index].principal_id is not None:
            by_principal.setdefault(problem.requests[index].principal_id, []).append(index)
    # Checked once at the start of each search: at every node it costs more than it saves (benchmarks).
    groups = [members for members in by_principal.values() if len(members) > 1]
    if not _enough_room(problem, domains, groups + [list(variables)], unassigned):
        return None

    def pick() -> int:
        return min(unassigned, key=lambda index: (len(domains[index]) / weights.get(index, 1.0), -degree[index],
                                                  -priority[index], -problem.durations[index], noise[index], index))

    def ordered(index: int) -> list[int]:
        wanted = hint.get(index, problem.preferred[index])
        day_of = problem.day_of
        return sorted(domains[index], key=lambda start: (start != wanted, load.get(day_of[start], 0), start))

    def descend() -> bool:
        if not unassigned:
            return True
        index = pick()
        unassigned.discard(index)
        for start in ordered(index):
            budget.spend(cap)
            if restart_at is not None and budget.nodes >= restart_at:
                raise _Restart
            saved: list[tuple[int, list[int]]] = []
            consistent = True
            for other in unassigned:
                domain = domains[other]
                kept = problem.filter(domain, other, index, start)
                if kept is not domain:
                    saved.append((other, domain))
                    domains[other] = kept
                    if not kept:
                        consistent = False
                        weights[other] = weights.get(other, 1.0) + 1.0
                        weights[index] = weights.get(index, 1.0) + 1.0
                        break
            if consistent:
                assignment[index] = start
                day = problem.day_of[start]
                load[day] = load.get(day, 0) + problem.durations[index]
                if descend():
                    return True
                load[day] -= problem.durations[index]
                del assignment[index]
            for other, domain in saved:
                domains[other] = domain
        unassigned.add(index)
        return False

    return dict(assignment) if descend() else None


# The first attempt may use this many nodes; each restart allows half as many again.
FIRST_RESTART = 100
RESTART_GROWTH = 1.5


def _solve(problem: _Problem, variables: list[int], budget: _Budget, hint: dict[int, int],
           cap: tuple[int, float]) -> dict[int, int] | None:
    """_search with restarts: short attempts first, each learning from the dead ends of the last (weights,
    shuffled ties), then one attempt that may use all of `cap`. The last attempt is complete, so None still
    means that no assignment exists."""
    weights: dict[int, float] = {}
    shuffle = random.Random(len(variables))
    limit = FIRST_RESTART
    attempt = 0
    while True:
        restart_at = budget.nodes + limit
        final = restart_at >= min(cap[0], budget.node_limit)
        try:
            return _search(problem, variables, budget, hint, cap, weights, None if final else restart_at,
                           shuffle if attempt else None)
        except _Restart:
            attempt += 1
            limit = int(limit * RESTART_GROWTH)


def _tighten_order(problem: _Problem, domains: dict[int, list[int]], variables: set[int]) -> bool:
    """Bounds from "before/after" chains (earliest start after the earliest predecessor, and so on)."""
    changed = True
    while changed:
        changed = False
        for first in variables:
            for second in problem.before[first] & variables:
                way = problem.travel[first][second]
                if not domains[first] or not domains[second]:
                    return False
                earliest = domains[first][0] + problem.durations[first] + way
                cut = bisect.bisect_left(domains[second], earliest)
                if cut:
                    domains[second] = domains[second][cut:]
                    changed = True
                if not domains[second]:
                    return False
                latest = domains[second][-1] - problem.durations[first] - way
                cut = bisect.bisect_right(domains[first], latest)
                if cut < len(domains[first]):
                    domains[first] = domains[first][:cut]
                    changed = True
                if not domains[first]:
                    return False
    return all(domains[index] for index in variables)


def arrange(schedule: Schedule, delegation_id: int, requests: Sequence[Request], *,
            grid_minutes: int = DEFAULT_GRID_MINUTES, node_limit: int = DEFAULT_NODE_LIMIT,
            time_limit: float = DEFAULT_TIME_LIMIT, deputies: Sequence[int] = ()) -> Proposal:
    """Propose starts for `requests` in the delegation's stay; see the module docstring.

    `schedule` holds everything as it is now (including the movable items at their present place: they are
    taken out here). `deputies` (ids in protocol order) are named as an alternative for requests the Mayor
    cannot take when the delegation is to be received by the Mayor.
    """
    started = clock.perf_counter()
    budget = _Budget(node_limit, time_limit)
    requests = list(requests)
    staying: list[Unplaced] = []
    while True:
        proposal = _arrange_once(schedule, delegation_id, requests, budget, grid_minutes, deputies)
        stuck = {unplaced.request.key for unplaced in proposal.unplaced if unplaced.request.item_id is not None}
        if not stuck:
            break
        # A tentative item that finds no new place stays where it is: arrange the rest around it.
        for unplaced in proposal.unplaced:
            if unplaced.request.key in stuck:
                staying.append(Unplaced(unplaced.request, _l("It stays where it is: %(reason)s",
                                                             reason=unplaced.reason), unplaced.alternative))
        requests = [request for request in requests if request.key not in stuck]
    proposal.unplaced = staying + proposal.unplaced
    proposal.nodes = budget.nodes
    proposal.seconds = clock.perf_counter() - started
    proposal.budget_exhausted = budget.hit
    return proposal


def _arrange_once(schedule: Schedule, delegation_id: int, requests: list[Request], budget: "_Budget",
                  grid_minutes: int, deputies: Sequence[int]) -> Proposal:
    """One arrangement of `requests` (movable items among them taken out of `schedule`)."""
    stay = schedule.stays[delegation_id]
    moving = {request.item_id for request in requests if request.item_id is not None}
    base = schedule.without(moving)
    finder = ConflictFinder(base)
    proposal = Proposal(delegation_id)
    keys = {request.key: index for index, request in enumerate(requests)}
    own = finder.by_delegation.get(delegation_id)
    fixed_items = {f"item-{item.id}": item for item in own.items} if own else {}

    templates = [PlannedItem(request.item_id if request.item_id is not None else -(index + 1), delegation_id,
                             request.title, stay.arrival_at, stay.arrival_at + request.duration, request.venue_id,
                             request.principal_id, request.responsible_id, fixed=False)
                 for index, request in enumerate(requests)]

    # Static domains: the grid minus every clash with what does not move, minus order to fixed items.
    domains: list[list[datetime]] = []
    unplaced: dict[int, object] = {}
    for index, request in enumerate(requests):
        candidates = candidate_starts(stay, request.duration, days=request.days, earliest=request.earliest,
                                      latest=request.latest, grid_minutes=grid_minutes)
        order = _fixed_order(request, templates[index], fixed_items, base, stay)
        forbidden = finder.forbidden_starts(templates[index], request.duration) + order
        domain = remove_forbidden(candidates, forbidden)
        domains.append(domain)
        if not domain:
            unplaced[index] = explain_no_slot(templates[index], request.duration, candidates, finder, order)

    durations = [int(request.duration.total_seconds()) for request in requests]
    travel = [[base.travel_minutes(first.venue_id, second.venue_id) * 60 for second in requests]
              for first in requests]
    before: list[set[int]] = [set() for _ in requests]
    for index, request in enumerate(requests):
        if request.after in keys and keys[request.after] != index:
            before[keys[request.after]].add(index)
        if request.before in keys and keys[request.before] != index:
            before[index].add(keys[request.before])
    day_of: dict[int, int] = {}
    for domain in domains:
        for start in domain:
            day_of.setdefault(_seconds(start), local_day(start, stay.timezone).toordinal())
    fixed_load: dict[int, int] = {}
    for item in fixed_items.values():
        day = local_day(item.starts_at, stay.timezone).toordinal()
        fixed_load[day] = fixed_load.get(day, 0) + int((item.ends_at - item.starts_at).total_seconds())
    problem = _Problem(requests, durations, [[_seconds(start) for start in domain] for domain in domains],
                       travel, before, day_of, fixed_load)

    candidates_left = [index for index in range(len(requests)) if index not in unplaced]
    solution: dict[int, int] | None = None
    try:  # everything at once, with a quarter of the budget (a feasible programme is usually found at once)
        solution = _solve(problem, candidates_left, budget, {}, cap=budget.share(4))
    except _OutOfBudget:
        solution = None
        budget.hit = False  # only what phase two leaves out counts as stopped by the limit
    if solution is None:
        solution = _insert_one_by_one(problem, candidates_left, budget, unplaced)
    # Build the result and check it once more against every rule.
    placed_items = {index: templates[index].at(_instant(start)) for index, start in solution.items()}
    checker = ConflictFinder(base.with_items(placed_items.values()))
    for index, item in sorted(placed_items.items(), key=lambda pair: pair[1].starts_at):
        broken = checker.conflicts_of(item)
        if broken:  # never propose a programme that breaks a rule (the search should not let this happen)
            unplaced[index] = broken[0].message
            continue
        notes = tuple(_l("Placed without its order to “%(other)s”, which could not be placed.",
                         other=requests[keys[key]].title)
                      for key in (requests[index].after, requests[index].before)
                      if key in keys and keys[key] in unplaced)
        proposal.placements.append(Placement(requests[index], item.starts_at, item.ends_at, notes))
    for index, reason in sorted(unplaced.items(), key=lambda pair: (-requests[pair[0]].priority, pair[0])):
        alternative = _deputy_alternative(requests[index], templates[index], finder, problem, solution, stay,
                                          schedule, deputies, grid_minutes, index)
        proposal.unplaced.append(Unplaced(requests[index], reason, alternative))
    return proposal


# In the first pass each insertion may try this many nodes; what needs more waits for the second pass.
QUICK_INSERTION = 2_000
LIMIT_REASON = _l("The search reached its limit before it found a place for it.")


def _insert_one_by_one(problem: _Problem, candidates: list[int], budget: _Budget,
                       unplaced: dict[int, object]) -> dict[int, int]:
    """Not everything fits (or the first search ran out of budget): add the requests one at a time, each search
    warm-started from the last solution. Items already in the programme come first (left out, they would stay
    where they are), then higher priority, then the most constrained. An insertion that needs a long search is
    postponed to a second pass, so that one hard case does not use up the time of all the easy ones."""
    requests = problem.requests
    order = sorted(candidates, key=lambda index: (requests[index].item_id is None, -requests[index].priority,
                                                  len(problem.domains[index]), index))
    solution: dict[int, int] = {}
    accepted: list[int] = []
    postponed: list[int] = []
    for passing, todo in enumerate((order, postponed)):
        for position, index in enumerate(todo):
            if budget.spent:
                budget.hit = True
                unplaced[index] = LIMIT_REASON
                continue
            node_cap, time_cap = budget.share(len(todo) - position)
            if passing == 0:
                node_cap = min(node_cap, budget.nodes + QUICK_INSERTION)
            try:
                found = _solve(problem, accepted + [index], budget, solution, cap=(node_cap, time_cap))
            except _OutOfBudget:
                if passing == 0:
                    postponed.append(index)
                else:
                    budget.hit = True
                    unplaced[index] = _limit_reason(problem, index, solution, accepted)
                continue
            if found is None:
                unplaced[index] = _crowded_reason(problem, index, solution, accepted)
            else:
                accepted.append(index)
                solution = found
    return solution


def _fixed_order(request: Request, template: PlannedItem, fixed_items: dict[str, PlannedItem], base: Schedule,
                 stay) -> list[tuple[datetime, datetime, str]]:
    """Forbidden starts (open intervals) that keep the request's order to fixed items."""
    forbidden = []
    far_before = stay.arrival_at - timedelta(days=2)
    far_after = stay.departure_at + timedelta(days=2)
    if request.after in fixed_items:
        other = fixed_items[request.after]
        way = timedelta(minutes=base.travel_minutes(other.venue_id, template.venue_id))
        forbidden.append((far_before, other.ends_at + way, "order"))
    if request.before in fixed_items:
        other = fixed_items[request.before]
        way = timedelta(minutes=base.travel_minutes(other.venue_id, template.venue_id))
        forbidden.append((other.starts_at - request.duration - way, far_after, "order"))
    return forbidden


def _culprits(problem: _Problem, index: int, solution: dict[int, int], accepted: list[int]) -> str:
    """The placed requests that take some of the request's possible times (at most three, quoted)."""
    domain = problem.domains[index]
    culprits = [other for other in accepted if other in solution
                and problem.filter(domain, index, other, solution[other]) is not domain]
    return ", ".join(f"“{problem.requests[other].title}”" for other in culprits[:3])


def _limit_reason(problem: _Problem, index: int, solution: dict[int, int], accepted: list[int]):
    titles = _culprits(problem, index, solution, accepted)
    if titles:
        return _l("Its possible times are taken by %(titles)s, and the search reached its limit before it found a "
                  "way to make room.", titles=titles)
    return LIMIT_REASON


def _crowded_reason(problem: _Problem, index: int, solution: dict[int, int], accepted: list[int]):
    """Why a request does not fit beside the ones accepted before it, naming those that take its times."""
    titles = _culprits(problem, index, solution, accepted)
    if titles:
        return _l("No time is left for it beside the items placed before it; its possible times are taken by "
                  "%(titles)s.", titles=titles)
    return _l("It cannot be fitted together with the items placed before it.")


def _deputy_alternative(request: Request, template: PlannedItem, finder: ConflictFinder, problem: _Problem,
                        solution: dict[int, int], stay, schedule: Schedule, deputies: Sequence[int],
                        grid_minutes: int, index: int) -> tuple[int, datetime] | None:
    """The first deputy mayor (in protocol order) free for this request beside the proposal, if the Mayor
    was asked and the delegation is to be received by the Mayor."""
    principal = schedule.principals.get(request.principal_id)
    if principal is None or principal.kind != "mayor" or stay.protocol_level != "mayor":
        return None
    candidates = candidate_starts(stay, request.duration, days=request.days, earliest=request.earliest,
                                  latest=request.latest, grid_minutes=grid_minutes)
    for deputy_id in deputies:
        if deputy_id == request.principal_id:
            continue
        with_deputy = replace(template, principal_id=deputy_id)
        domain = [_seconds(start) for start in remove_forbidden(
            candidates, finder.forbidden_starts(with_deputy, request.duration))]
        for other, start in solution.items():
            if other != index:
                domain = problem.filter(domain, index, other, start)
        if domain:
            return deputy_id, _instant(domain[0])
    return None


def proposed_items(schedule: Schedule, proposal: Proposal) -> list[PlannedItem]:
    """The delegation's programme as proposed: what stays where it is, and every placement."""
    placed_ids = {placement.request.item_id for placement in proposal.placements}
    kept = [item for item in schedule.items if item.delegation_id == proposal.delegation_id
            and item.id not in placed_ids and schedule.is_active(item)]
    new = [PlannedItem(placement.request.item_id if placement.request.item_id is not None else -(number + 1),
                       proposal.delegation_id, placement.request.title, placement.starts_at, placement.ends_at,
                       placement.request.venue_id, placement.request.principal_id, placement.request.responsible_id,
                       fixed=False)
           for number, placement in enumerate(proposal.placements)]
    return sorted(kept + new, key=lambda item: (item.starts_at, item.ends_at, item.id))

