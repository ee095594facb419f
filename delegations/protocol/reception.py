"""Who receives a delegation: the principal its protocol level calls for, or, when they cannot, a deputy
mayor (Bürgermeister/in) of matching rank who is free; and who greets the guests and who sees them off.

The protocol level says who receives: the Mayor, a deputy mayor, or the International Unit. Deputies are
proposed in their order (first deputy first). Guests of high rank (heads of state and government,
ministers, ambassadors) are greeted on arrival and seen off by a principal as well; other delegations by
the visit's lead contact. Pure: whether someone is free comes in as a function.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Sequence

MAYOR, DEPUTY_MAYOR, UNIT = "mayor", "deputy_mayor", "unit"
# Guests whose office level is this high or higher (a smaller number) are met and seen off by a principal.
SENIOR_GUEST_LEVEL = 40


@dataclass(frozen=True)
class Candidate:
    id: int
    label: str
    kind: str
    rank: int


@dataclass(frozen=True)
class Moment:
    """When someone must be there: the reception, the arrival, the departure."""

    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Role:
    """Who does it: a principal, or (principal None) the unit's contact person named in `contact`."""

    principal: Candidate | None = None
    contact: str = ""
    busy: tuple[str, ...] = ()  # why the principal the level calls for cannot (labels of their appointments)


@dataclass(frozen=True)
class ReceptionPlan:
    level: str
    wanted: Candidate | None
    wanted_busy: tuple[str, ...]
    receiver: Role
    alternatives: tuple[Candidate, ...] = ()
    greeter: Role = field(default_factory=Role)
    farewell: Role = field(default_factory=Role)

    @property
    def needs_deputy(self) -> bool:
        return self.wanted is not None and bool(self.wanted_busy)


BusyCheck = Callable[[int, datetime, datetime], Sequence[str]]


def deputies_by_rank(principals: Sequence[Candidate]) -> list[Candidate]:
    return sorted((p for p in principals if p.kind == DEPUTY_MAYOR), key=lambda p: (p.rank, p.label, p.id))


def _first_free(candidates: Sequence[Candidate], moment: Moment, busy: BusyCheck) -> Candidate | None:
    return next((c for c in candidates if not busy(c.id, moment.starts_at, moment.ends_at)), None)


def propose_reception(level: str, principals: Sequence[Candidate], busy: BusyCheck, reception: Moment,
                      arrival: Moment, departure: Moment, *, senior_guests: bool = False,
                      lead_contact: str = "") -> ReceptionPlan:
    mayor = next((p for p in sorted(principals, key=lambda p: (p.rank, p.id)) if p.kind == MAYOR), None)
    deputies = deputies_by_rank(principals)
    if level == MAYOR:
        wanted = mayor
        fallbacks = deputies
    elif level == DEPUTY_MAYOR:
        wanted = deputies[0] if deputies else None
        fallbacks = deputies[1:]
    else:
        plan_role = Role(contact=lead_contact)
        return ReceptionPlan(level, None, (), plan_role, (), plan_role, plan_role)

    wanted_busy = tuple(busy(wanted.id, reception.starts_at, reception.ends_at)) if wanted else ()
    if wanted is not None and not wanted_busy:
        receiver = Role(principal=wanted)
        free_fallbacks = [c for c in fallbacks if not busy(c.id, reception.starts_at, reception.ends_at)]
    else:
        free_fallbacks = [c for c in fallbacks if not busy(c.id, reception.starts_at, reception.ends_at)]
        chosen = free_fallbacks[0] if free_fallbacks else None
        receiver = Role(principal=chosen, contact="" if chosen else lead_contact, busy=wanted_busy)
        free_fallbacks = free_fallbacks[1:]

    def in_person(moment: Moment) -> Role:
        if not senior_guests:
            return Role(contact=lead_contact)
        order = [p for p in (receiver.principal, wanted) if p is not None] + [d for d in deputies]
        unique = list(dict.fromkeys(order))
        found = _first_free(unique, moment, busy)
        return Role(principal=found) if found else Role(contact=lead_contact)

    return ReceptionPlan(level, wanted, wanted_busy, receiver, tuple(free_fallbacks),
                         in_person(arrival), in_person(departure))
