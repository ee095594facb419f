"""Order of precedence: ranking rules (office levels with tie-breakers) in, people in protocol order out.

Germany has no binding precedence list below the top federal offices, so the rules are data the unit
maintains (models/protocol.py, OfficeLevel): each office has a level (smaller ranks higher) and says which
tie-breaker decides between two people of the same level: the date of accreditation for ambassadors and
consuls, length of service (serving since) for council members, an explicit ordinal (1st, 2nd deputy...).
People without a rule come last. A planner may override the order for one event, with a reason.

Pure: plain values in, plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

TIE_NONE = "none"
TIE_ACCREDITATION = "accreditation"  # earlier accreditation ranks higher (ambassadors, consuls)
TIE_SERVICE = "service"              # longer service (earlier start) ranks higher
TIE_ORDINAL = "ordinal"              # an explicit number: 1 before 2 (first deputy before second)
TIE_BREAKERS = (TIE_NONE, TIE_ACCREDITATION, TIE_SERVICE, TIE_ORDINAL)

HOST_SIDE = "host"
GUEST_SIDE = "guest"

_LAST = 10 ** 9


@dataclass(frozen=True)
class RankingRule:
    """One office level: `level` orders offices (smaller first), `tie_breaker` orders people within it."""

    key: str
    name: str
    level: int
    tie_breaker: str = TIE_NONE


@dataclass(frozen=True)
class RankedPerson:
    """Someone to be placed in order: a delegation member ("member:12") or a city participant ("city:4")."""

    key: str
    name: str
    rule: RankingRule | None = None
    accredited_on: date | None = None
    serving_since: date | None = None
    ordinal: int | None = None
    side: str = GUEST_SIDE


def tie_value(person: RankedPerson) -> tuple[int, int]:
    """The tie-breaker's value: (0, n) when known (smaller first), (1, 0) when the rule needs it but it is missing."""
    rule = person.rule
    if rule is None or rule.tie_breaker == TIE_NONE:
        return (0, 0)
    if rule.tie_breaker == TIE_ACCREDITATION:
        return (0, person.accredited_on.toordinal()) if person.accredited_on else (1, 0)
    if rule.tie_breaker == TIE_SERVICE:
        return (0, person.serving_since.toordinal()) if person.serving_since else (1, 0)
    if rule.tie_breaker == TIE_ORDINAL:
        return (0, person.ordinal) if person.ordinal is not None else (1, 0)
    return (0, 0)


def rank_key(person: RankedPerson) -> tuple:
    """What the order is decided by: office level, then the tie-breaker, then the name (a stable last resort)."""
    level = person.rule.level if person.rule is not None else _LAST
    return (level, *tie_value(person), person.name.casefold(), person.key)


def _decisive_key(person: RankedPerson) -> tuple:
    level = person.rule.level if person.rule is not None else _LAST
    return (level, *tie_value(person))


@dataclass(frozen=True)
class PrecedenceOrder:
    """People in order, with what a planner must know about how the order came about."""

    people: tuple[RankedPerson, ...]
    overridden: bool = False
    reason: str = ""
    # Keys of people whose place only their name decided (same office, tie-breaker missing or equal).
    decided_by_name: frozenset[str] = frozenset()
    # Keys the override listed but who are not (or no longer) present: shown, never silently dropped.
    unknown_in_override: tuple[str, ...] = ()
    # Keys the override did not mention: placed after the overridden ones, in the order of the rules.
    not_in_override: tuple[str, ...] = ()
    computed_positions: dict[str, int] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [person.key for person in self.people]

    def position(self, key: str) -> int | None:
        for index, person in enumerate(self.people, start=1):
            if person.key == key:
                return index
        return None

    def of_side(self, side: str) -> list[RankedPerson]:
        return [person for person in self.people if person.side == side]

    def moved_by_override(self, key: str) -> bool:
        return self.overridden and self.computed_positions.get(key) != self.position(key)


def order_of_precedence(people: Iterable[RankedPerson], override: Sequence[str] | None = None,
                        reason: str = "") -> PrecedenceOrder:
    """Sort by the ranking rules; with an `override` (keys in the wanted order) that order comes first.

    People the override leaves out follow in rule order; keys it names that are not present are reported.
    """
    ranked = sorted(people, key=rank_key)
    computed = {person.key: index for index, person in enumerate(ranked, start=1)}
    groups: dict[tuple, list[str]] = {}
    for person in ranked:
        groups.setdefault(_decisive_key(person), []).append(person.key)
    decided_by_name = frozenset(key for keys in groups.values() if len(keys) > 1 for key in keys)
    if not override:
        return PrecedenceOrder(tuple(ranked), decided_by_name=decided_by_name, computed_positions=computed)
    by_key = {person.key: person for person in ranked}
    seen: set[str] = set()
    ordered: list[RankedPerson] = []
    unknown: list[str] = []
    for key in override:
        if key in seen:
            continue
        seen.add(key)
        if key in by_key:
            ordered.append(by_key[key])
        else:
            unknown.append(key)
    rest = [person for person in ranked if person.key not in seen]
    return PrecedenceOrder(tuple(ordered + rest), overridden=True, reason=reason,
                           decided_by_name=decided_by_name, unknown_in_override=tuple(unknown),
                           not_in_override=tuple(person.key for person in rest), computed_positions=computed)


def receiving_line(order: PrecedenceOrder) -> tuple[list[RankedPerson], list[RankedPerson]]:
    """Who stands in the receiving line (the host side, in order) and who passes it (the guests, in order)."""
    return order.of_side(HOST_SIDE), order.of_side(GUEST_SIDE)
