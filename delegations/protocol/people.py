"""Delegation members and city participants as the plain values precedence and seating work on.

Keys: "member:12" for a delegation member, "city:4" for a city participant. A person without an office level
is ranked by their role, after everyone with one (head before members, interpreters and security last);
a city participant who is a principal takes the principal's office (Oberbürgermeister, Bürgermeister/in in
the order of the deputies) unless given another.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from delegations.constants import MemberRole, PrincipalKind
from delegations.models import CityParticipant, Member, OfficeLevel
from delegations.models.protocol import CityRole, TieBreaker
from delegations.protocol.precedence import (GUEST_SIDE, HOST_SIDE, PrecedenceOrder, RankedPerson, RankingRule,
                                             order_of_precedence)
from delegations.protocol.seating import GUEST, HOST, Diner

UNRANKED = 10 ** 6
MEMBER_ROLE_ORDER = {MemberRole.HEAD: 0, MemberRole.MEMBER: 1, MemberRole.PRESS: 2, MemberRole.STAFF: 3,
                     MemberRole.INTERPRETER: 4, MemberRole.SECURITY: 5}
CITY_ROLE_ORDER = {CityRole.GUEST: 0, CityRole.HOST: 1, CityRole.CO_HOST: 2, CityRole.PARTICIPANT: 3,
                   CityRole.INTERPRETER: 5}
# Office keys a principal holds when the participant has no office level of their own.
PRINCIPAL_OFFICES = {PrincipalKind.MAYOR: "lord_mayor", PrincipalKind.DEPUTY_MAYOR: "mayor"}


def member_key(member_id: int) -> str:
    return f"member:{member_id}"


def participant_key(participant_id: int) -> str:
    return f"city:{participant_id}"


def parse_key(key: str) -> tuple[str, int] | None:
    kind, _, number = (key or "").partition(":")
    if kind not in ("member", "city") or not number.isdigit():
        return None
    return kind, int(number)


def rule_of(level: OfficeLevel | None) -> RankingRule | None:
    if level is None:
        return None
    return RankingRule(level.key, level.name, level.level, TieBreaker(level.tie_breaker).value)


def _role_rule(prefix: str, role, order: int) -> RankingRule:
    return RankingRule(f"{prefix}:{role.value}", str(role.label), UNRANKED + order)


@dataclass(frozen=True)
class Person:
    """One person of an event, whichever side, with what the pages show of them."""

    key: str
    name: str
    side: str
    function: str
    record: object  # the Member or the CityParticipant
    ranked: RankedPerson
    is_interpreter: bool
    interprets_for: str | None
    languages: tuple[str, ...]
    dietary_needs: str
    accessibility_needs: str
    is_host: bool = False
    level: OfficeLevel | None = None

    @property
    def office(self) -> str:
        return self.ranked.rule.name if self.ranked.rule is not None else ""

    def office_in(self, locale: str) -> str:
        """The office as the reader's language names it (the unit keeps German and English names)."""
        return self.level.label(locale) if self.level is not None else self.office

    @property
    def is_member(self) -> bool:
        return self.key.startswith("member:")

    @property
    def native(self) -> tuple[str, str]:
        """(name in their own script, its language), or ("", "") when only the Latin name is known."""
        holder = self.record.protocol_rank if self.is_member else self.record
        if holder is None or not holder.native_name or holder.native_name == self.name:
            return "", ""
        return holder.native_name, holder.native_language or "und"


def member_person(member: Member, fallback_languages: Sequence[str] = ()) -> Person:
    rank = member.protocol_rank
    rule = rule_of(rank.office_level) if rank is not None else None
    role = MemberRole(member.role)
    if rule is None:
        rule = _role_rule("role", role, MEMBER_ROLE_ORDER.get(role, 3))
    ranked = RankedPerson(member_key(member.id), member.name, rule,
                          accredited_on=rank.accredited_on if rank else None,
                          serving_since=rank.serving_since if rank else None,
                          ordinal=rank.ordinal if rank else None, side=GUEST_SIDE)
    languages = tuple((rank.languages if rank is not None and rank.languages else fallback_languages) or ())
    interprets_for = member_key(rank.interprets_for_id) if rank is not None and rank.interprets_for_id else None
    return Person(ranked.key, member.name, GUEST, member.function, member, ranked,
                  is_interpreter=role == MemberRole.INTERPRETER, interprets_for=interprets_for,
                  languages=languages, dietary_needs=member.dietary_needs or "",
                  accessibility_needs=member.accessibility_needs or "",
                  level=rank.office_level if rank is not None else None)


def participant_person(participant: CityParticipant, offices_by_key: dict[str, OfficeLevel]) -> Person:
    level = participant.office_level
    ordinal = participant.ordinal
    if level is None and participant.principal is not None:
        level = offices_by_key.get(PRINCIPAL_OFFICES.get(PrincipalKind(participant.principal.kind), ""))
        if ordinal is None:
            ordinal = participant.principal.rank
    role = CityRole(participant.role)
    rule = rule_of(level) or _role_rule("city", role, CITY_ROLE_ORDER.get(role, 3))
    guest = role == CityRole.GUEST
    ranked = RankedPerson(participant_key(participant.id), participant.name, rule,
                          accredited_on=participant.accredited_on, serving_since=participant.serving_since,
                          ordinal=ordinal, side=GUEST_SIDE if guest else HOST_SIDE)
    if participant.interprets_for_member_id:
        interprets_for = member_key(participant.interprets_for_member_id)
    elif participant.interprets_for_participant_id:
        interprets_for = participant_key(participant.interprets_for_participant_id)
    else:
        interprets_for = None
    return Person(ranked.key, participant.name, GUEST if guest else HOST, participant.function, participant, ranked,
                  is_interpreter=role == CityRole.INTERPRETER, interprets_for=interprets_for,
                  languages=tuple(participant.languages or ("de",)),
                  dietary_needs=participant.dietary_needs or "",
                  accessibility_needs=participant.accessibility_needs or "", is_host=role == CityRole.HOST,
                  level=level)


def present_members(delegation) -> list[Member]:
    return [member for member in delegation.members if member.anonymised_at is None]


@dataclass(frozen=True)
class EventPeople:
    """Everyone of one event in order of precedence (override applied), by key."""

    order: PrecedenceOrder
    people: dict[str, Person]

    @property
    def in_order(self) -> list[Person]:
        return [self.people[key] for key in self.order.keys]

    def diners(self, absent: Iterable[str] = ()) -> list[Diner]:
        skipped = set(absent)
        return [Diner(person.key, person.name, person.side, position, person.is_interpreter, person.interprets_for,
                      frozenset(code.split("-")[0] for code in person.languages), person.is_host)
                for position, person in enumerate(self.in_order) if person.key not in skipped]


def event_people(delegation, item=None, offices_by_key: dict[str, OfficeLevel] | None = None,
                 use_override: bool = True) -> EventPeople:
    """The delegation's members (and the item's city participants) in order of precedence."""
    offices_by_key = offices_by_key or {}
    people = [member_person(member, delegation.languages or ()) for member in present_members(delegation)]
    override, reason = None, ""
    if item is not None:
        people += [participant_person(participant, offices_by_key) for participant in item.protocol_participants]
        if use_override and item.precedence_override is not None:
            override, reason = item.precedence_override.keys, item.precedence_override.reason
    by_key = {person.key: person for person in people}
    order = order_of_precedence([person.ranked for person in people], override, reason)
    return EventPeople(order, by_key)
