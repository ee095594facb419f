"""State changes of the protocol records, and the loaders that feed the pure modules.

Domain code flushes, the view commits: one user action is one transaction. Nothing here reads the request.
"""
from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from delegations.constants import ItemKind, ItemStatus, MemberRole, PrincipalKind
from delegations.extensions import db
from delegations.models import (ChecklistTask, CityParticipant, Delegation, DiningTable, FormOfAddress, Gift,
                                GoldenBookSignatory, GoldenBookSigning, ItemInterpreting, Member, OfficeLevel,
                                PrecedenceOverride, Principal, ProgrammeItem, ProtocolRank, SeatAssignment,
                                TablePlan, utc_now)
from delegations.models.protocol import (CityRole, GiftApproval, InterpretingMode, SigningStatus, TableShape,
                                         TieBreaker)
from delegations.protocol import checklist, needs, reception, seating
from delegations.protocol.defaults import DEFAULT_OFFICE_LEVELS
from delegations.protocol.gifts import GiftFacts, GiftRules, repeat_warnings
from delegations.protocol.people import (EventPeople, Person, event_people, member_key, parse_key,
                                         participant_key, present_members)

# Office levels ------------------------------------------------------------------------------------------------

def ensure_default_office_levels() -> list[OfficeLevel]:
    """Add the default ranking rules that are missing (by key); changed or retired ones are left alone."""
    existing = set(db.session.scalars(select(OfficeLevel.key)))
    added = []
    for key, name, name_en, level, tie_breaker in DEFAULT_OFFICE_LEVELS:
        if key not in existing:
            added.append(OfficeLevel(key=key, name=name, name_en=name_en, level=level,
                                     tie_breaker=TieBreaker(tie_breaker)))
    db.session.add_all(added)
    db.session.flush()
    return added


# Ranks and forms of address -------------------------------------------------------------------------------------

def rank_for(member: Member) -> ProtocolRank:
    """The member's protocol record, created empty when they have none yet."""
    if member.protocol_rank is None:
        member.protocol_rank = ProtocolRank(member=member, languages=[])
        db.session.add(member.protocol_rank)
    return member.protocol_rank


def form_of_address_for(member: Member, language: str) -> FormOfAddress | None:
    return next((form for form in member.forms_of_address if form.language == language), None)


# City participants and the order of precedence of an event -------------------------------------------------------

def participant_from_principal(item: ProgrammeItem, principal: Principal, role: CityRole) -> CityParticipant:
    participant = CityParticipant(item=item, principal=principal, name=principal.name, function=principal.title,
                                  role=role, languages=["de"],
                                  position=len(item.protocol_participants) + 1)
    db.session.add(participant)
    db.session.flush()
    return participant


def set_override(item: ProgrammeItem, keys: Sequence[str], reason: str, user) -> PrecedenceOverride:
    override = item.precedence_override
    if override is None:
        override = PrecedenceOverride(item=item, keys=list(keys), reason=reason)
        db.session.add(override)
    else:
        override.keys = list(keys)
        override.reason = reason
    override.decided_by_id = user.id if user is not None else None
    override.decided_by_name = user.display_name if user is not None else ""
    db.session.flush()
    return override


def set_interpreting(item: ProgrammeItem, mode: str, note: str) -> ItemInterpreting:
    if item.interpreting is None:
        item.interpreting = ItemInterpreting(item=item, mode=InterpretingMode(mode), note=note)
        db.session.add(item.interpreting)
    else:
        item.interpreting.mode = InterpretingMode(mode)
        item.interpreting.note = note
    db.session.flush()
    return item.interpreting


def interpreting_mode(item: ProgrammeItem) -> str:
    if item.interpreting is not None:
        return InterpretingMode(item.interpreting.mode).value
    return needs.DEFAULT_MODES.get(ItemKind(item.kind).value, needs.CONSECUTIVE)


# Table plans ---------------------------------------------------------------------------------------------------

DEFAULT_TABLE_NAMES = ("Herrenhausen", "Leibniz", "Maschsee", "Eilenriede", "Leine", "Georgengarten", "Welfenschloss",
                       "Kröpcke", "Lister Meile", "Aegidien", "Marktkirche", "Linden")


def create_plan(item: ProgrammeItem, title: str, tables: int, seats: int, shape: str) -> TablePlan:
    plan = TablePlan(item=item, title=title, absent_keys=[], unseated=[])
    db.session.add(plan)
    for position in range(tables):
        name = DEFAULT_TABLE_NAMES[position] if position < len(DEFAULT_TABLE_NAMES) else f"Tisch {position + 1}"
        plan.tables.append(DiningTable(name=name, shape=TableShape(shape), seats=seats, position=position))
    db.session.flush()
    return plan


def changed(plan: TablePlan) -> None:
    """Every change of the seating makes a new revision; an approval covers only the revision approved."""
    plan.revision = (plan.revision or 0) + 1


def pure_tables(plan: TablePlan) -> list[seating.Table]:
    return [seating.Table(str(table.id), table.name, table.seats, TableShape(table.shape).value)
            for table in plan.tables]


@dataclass
class PlanState:
    """A plan with its people and everything its page and its print show."""

    plan: TablePlan
    people: EventPeople
    attending: list[Person]
    absent: list[Person]
    tables: list[seating.Table]
    seats: dict[str, seating.Seat]
    problems: list[seating.Problem]
    unseated: list[seating.Unseated] = field(default_factory=list)

    def occupant(self, table_id: int, number: int) -> Person | None:
        for key, seat in self.seats.items():
            if seat.table == str(table_id) and seat.number == number:
                return self.people.people.get(key)
        return None

    def seat_of(self, key: str) -> seating.Seat | None:
        return self.seats.get(key)

    def name(self, key: str) -> str:
        person = self.people.people.get(key)
        return person.name if person is not None else key

    @property
    def errors(self) -> list[seating.Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def broken_rules(self) -> list[seating.Problem]:
        return [problem for problem in self.problems if problem.breaks_rule]

    @property
    def notices(self) -> list[seating.Problem]:
        return [problem for problem in self.problems if problem.is_notice]

    @property
    def seated_count(self) -> int:
        return sum(1 for key in self.seats if key in self.people.people)

    def table_rows(self, table) -> list[tuple[int, Person | None]]:
        """(seat number, person) for every seat of a table, in the order of the seat numbers."""
        taken = {seat.number: self.people.people.get(key) for key, seat in self.seats.items()
                 if seat.table == str(table.id)}
        return [(number, taken.get(number)) for number in range(1, table.seats + 1)]

    def walking_order(self, table) -> list[tuple[int, Person | None]]:
        """Seats in the order they follow each other round the table (for drawing it)."""
        pure = seating.Table(str(table.id), table.name, table.seats, TableShape(table.shape).value)
        rows = dict(self.table_rows(table))
        return [(number, rows.get(number)) for number in seating.seats_in_walking_order(pure)]


def plan_state(plan: TablePlan, offices_by_key: dict) -> PlanState:
    item = plan.item
    people = event_people(item.delegation, item, offices_by_key)
    absent_keys = set(plan.absent_keys or ())
    attending = [person for person in people.in_order if person.key not in absent_keys]
    absent = [person for person in people.in_order if person.key in absent_keys]
    tables = pure_tables(plan)
    assignments = [(row.person_key, str(row.table_id), row.seat) for row in plan.seats]
    seats = {key: seating.Seat(table, number) for key, table, number in assignments}
    diners = people.diners(absent_keys)
    problems = seating.check_plan(diners, tables, assignments)
    unseated = [seating.Unseated(entry["key"], entry["reason"], entry.get("about"))
                for entry in plan.unseated or () if entry.get("key") not in seats
                and entry.get("key") in people.people and entry.get("key") not in absent_keys]
    return PlanState(plan, people, attending, absent, tables, seats, problems, unseated)


def _person_columns(key: str) -> dict:
    kind, number = parse_key(key) or (None, None)
    if kind == "member":
        return {"member_id": number}
    if kind == "city":
        return {"participant_id": number}
    raise ValueError(f"not a person key: {key!r}")


def _write_seats(plan: TablePlan, wanted: dict[str, seating.Seat], manual_keys: Iterable[str] = ()) -> None:
    """Make the stored seats of `plan` equal `wanted`: rows that change are deleted first, then written anew
    (a swap would otherwise meet the database's one-person-per-seat rule halfway)."""
    manual = set(manual_keys)
    rows = {row.person_key: row for row in plan.seats}
    stale = [row for key, row in rows.items()
             if key not in wanted or (str(row.table_id), row.seat) != (wanted[key].table, wanted[key].number)]
    for row in stale:
        plan.seats.remove(row)
        db.session.delete(row)
    db.session.flush()
    kept = {row.person_key for row in plan.seats}
    for key, seat in wanted.items():
        if key in kept:
            continue
        plan.seats.append(SeatAssignment(table_id=int(seat.table), seat=seat.number, manual=key in manual,
                                         **_person_columns(key)))
    db.session.flush()


def seat_automatically(plan: TablePlan, offices_by_key: dict) -> seating.Seating:
    """Replace the plan's seating with the automatic one; remember whom it could not seat and why."""
    people = event_people(plan.item.delegation, plan.item, offices_by_key)
    result = seating.seat_everyone(people.diners(plan.absent_keys or ()), pure_tables(plan))
    for row in list(plan.seats):
        plan.seats.remove(row)
        db.session.delete(row)
    db.session.flush()
    _write_seats(plan, result.seats)
    plan.unseated = [{"key": item.key, "reason": item.reason, "about": item.about} for item in result.unseated]
    changed(plan)
    db.session.flush()
    return result


def move_person(plan: TablePlan, key: str, table_id: int, number: int | None) -> None:
    """Move someone by hand (to a seat, or the first free seat of a table); raises seating.MoveError."""
    current = {row.person_key: seating.Seat(str(row.table_id), row.seat) for row in plan.seats}
    wanted = seating.move(current, pure_tables(plan), key, str(table_id), number)
    moved = {person for person, seat in wanted.items() if current.get(person) != seat}
    _write_seats(plan, wanted, manual_keys=moved)
    changed(plan)


def unseat_person(plan: TablePlan, key: str) -> bool:
    row = next((row for row in plan.seats if row.person_key == key), None)
    if row is None:
        return False
    plan.seats.remove(row)
    db.session.delete(row)
    changed(plan)
    db.session.flush()
    return True


def set_attendance(plan: TablePlan, absent_keys: Iterable[str]) -> None:
    absent = sorted(set(absent_keys))
    if absent != sorted(plan.absent_keys or ()):
        plan.absent_keys = absent
        changed(plan)
        db.session.flush()


def approve_plan(plan: TablePlan, state: PlanState, user) -> list[seating.Problem]:
    """Mark this revision approved, unless it has errors (seated twice, a full table, someone left out)."""
    if state.errors:
        return state.errors
    plan.approved_revision = plan.revision
    plan.approved_at = utc_now()
    plan.approved_by_id = user.id if user is not None else None
    plan.approved_by_name = user.display_name if user is not None else ""
    db.session.flush()
    return []


# Gifts ---------------------------------------------------------------------------------------------------------

def euro_to_cents(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int((Decimal(str(value)) * 100).quantize(Decimal("1")))
    except InvalidOperation:
        return None


def approval_for(current: GiftApproval, value_cents: int | None, rules: GiftRules) -> GiftApproval:
    """A gift worth more than the approval threshold (or of unknown value) waits for a decision; one that
    no longer needs it drops the wait. A decision already taken stays."""
    value = None if value_cents is None else Decimal(value_cents) / 100
    required = rules.needs_approval(value)
    if required and current == GiftApproval.NOT_REQUIRED:
        return GiftApproval.PENDING
    if not required and current == GiftApproval.PENDING:
        return GiftApproval.NOT_REQUIRED
    return current


def apply_gift_rules(gift: Gift, rules: GiftRules) -> None:
    gift.approval = approval_for(gift.approval or GiftApproval.NOT_REQUIRED, gift.value_cents, rules)


def decide_gift(gift: Gift, approved: bool, note: str, user) -> None:
    gift.approval = GiftApproval.APPROVED if approved else GiftApproval.REFUSED
    gift.approval_note = note
    gift.decided_by_name = user.display_name if user is not None else ""
    gift.decided_at = utc_now()
    db.session.flush()


def gift_facts(gift: Gift) -> GiftFacts:
    return GiftFacts(gift.id, gift.article, gift.recipient, gift.counterpart_organisation, gift.given_on)


def earlier_same_gifts(gift_or_facts, given: Sequence[Gift]) -> list[Gift]:
    """Gifts the city gave the same counterpart before that were the same thing."""
    facts = gift_or_facts if isinstance(gift_or_facts, GiftFacts) else gift_facts(gift_or_facts)
    by_id = {gift.id: gift for gift in given}
    return [by_id[found.id] for found in repeat_warnings(facts, [gift_facts(gift) for gift in given])]


def gift_export_table(gifts: Sequence[Gift], rules: GiftRules) -> tuple[list[str], list[list]]:
    """The year's register as a header and rows, for the council's annual report (labels in the current locale)."""
    header = [_("Date"), _("Direction"), _("What"), _("Description"), _("From whom"), _("To whom"),
              _("Their city or organisation"), _("Occasion"), _("Visit"), _("Estimated value (EUR)"),
              _("Approval"), _("To be reported (over %(amount)s EUR)", amount=rules.reporting_threshold),
              _("Where it is kept"), _("What became of it"), _("Note")]
    rows = []
    for gift in gifts:
        rows.append([gift.given_on, gift.direction.label, gift.article, gift.description, gift.giver, gift.recipient,
                     gift.counterpart_organisation, gift.occasion,
                     gift.delegation.title if gift.delegation is not None else gift.visit_title,
                     gift.estimated_value, gift.approval.label,
                     _("yes") if rules.must_be_reported(gift.estimated_value) else _("no"),
                     gift.location, gift.fate.label, gift.fate_note])
    return header, rows


class PhotoError(ValueError):
    """The upload is not a photo we keep (type, size); the message says why, for the user."""


PHOTO_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_PHOTO_SIDE = 2400  # pixels: enough to recognise a gift in the register and in print


def _looks_like_image(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or \
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def store_photo(data: bytes, folder: str, max_bytes: int) -> tuple[str, str, int]:
    """Check an uploaded photo (JPEG, PNG or WebP, at most `max_bytes`) and store it re-encoded, without its
    metadata (no GPS position leaves with it), under a random name. Returns (file name, content type, size)."""
    if len(data) > max_bytes:
        raise PhotoError(_("The photo is larger than %(size)s MB. Please choose a smaller one.",
                           size=f"{max_bytes / 1024 / 1024:g}"))
    if not data or not _looks_like_image(data[:16]):
        raise PhotoError(_("Please choose a photo in JPEG, PNG or WebP format."))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        kind = image.format
        if kind not in PHOTO_TYPES or image.width * image.height > 60_000_000:
            raise PhotoError(_("Please choose a photo in JPEG, PNG or WebP format."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise PhotoError(_("This file could not be read as a photo. Please choose a JPEG, PNG or WebP file."))
    image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    content_type, extension = PHOTO_TYPES[kind]
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **({"quality": 88} if kind in ("JPEG", "WEBP") else {}))
    os.makedirs(folder, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    with open(os.path.join(folder, name), "wb") as stored:
        stored.write(buffer.getvalue())
    return name, content_type, len(buffer.getvalue())


def photo_path(folder: str, name: str) -> str | None:
    """The stored photo's path, only for names this module wrote (no path tricks)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = os.path.join(folder, name)
    return path if os.path.isfile(path) else None


def remove_photo(folder: str, name: str) -> None:
    path = photo_path(folder, name)
    if path is not None:
        os.remove(path)


# The Golden Book ----------------------------------------------------------------------------------------------

def signing_for(delegation: Delegation, existing: GoldenBookSigning | None) -> GoldenBookSigning:
    if existing is not None:
        return existing
    signing = GoldenBookSigning(delegation=delegation, title=delegation.title, status=SigningStatus.PLANNED)
    db.session.add(signing)
    db.session.flush()
    return signing


def add_signatory(signing: GoldenBookSigning, name: str, function: str = "", member: Member | None = None):
    signatory = GoldenBookSignatory(signing=signing, name=name.strip(), function=function.strip(), member=member,
                                    position=len(signing.signatories) + 1)
    db.session.add(signatory)
    db.session.flush()
    return signatory


def add_delegation_signatories(signing: GoldenBookSigning, people: Sequence[Person]) -> int:
    """The delegation's members who sign (everyone but interpreters, press, security and staff), in order."""
    present = {signatory.member_id for signatory in signing.signatories if signatory.member_id}
    added = 0
    for person in people:
        member = person.record
        if not isinstance(member, Member) or member.id in present:
            continue
        if MemberRole(member.role) not in (MemberRole.HEAD, MemberRole.MEMBER):
            continue
        add_signatory(signing, member.name, member.function, member)
        added += 1
    return added


def set_checked(signatory: GoldenBookSignatory, checked: bool, user) -> None:
    signatory.checked_at = utc_now() if checked else None
    signatory.checked_by_name = user.display_name if checked and user is not None else ""
    db.session.flush()


# The checklist ---------------------------------------------------------------------------------------------------

def arrival_day(delegation: Delegation) -> date:
    return delegation.arrival_at.astimezone(ZoneInfo(delegation.timezone)).date()


def generate_checklist(delegation: Delegation) -> list[ChecklistTask]:
    """Add the tasks of the visit's protocol level that it does not have yet."""
    existing = {task.template_key for task in delegation.checklist_tasks if task.template_key}
    level = delegation.protocol_level.value if hasattr(delegation.protocol_level, "value") else delegation.protocol_level
    added = []
    summary = interpreting_summary(delegation)
    for planned in checklist.planned_tasks(level, arrival_day(delegation), existing):
        owner = delegation.lead_contact
        if planned.owner == checklist.DEPUTY and delegation.deputy_contact is not None:
            owner = delegation.deputy_contact
        task = ChecklistTask(template_key=planned.key, title=planned.title, owner=owner, due_on=planned.due_on,
                             notes=summary if planned.key == "interpreters" else "")
        db.session.add(task)
        delegation.checklist_tasks.append(task)
        added.append(task)
    db.session.flush()
    return added


def set_done(task: ChecklistTask, done: bool, user) -> None:
    task.done_at = utc_now() if done else None
    task.done_by_name = user.display_name if done and user is not None else ""
    db.session.flush()


def home_today(home_zone: str, now: datetime | None = None) -> date:
    return (now or utc_now()).astimezone(ZoneInfo(home_zone)).date()


# Needs ----------------------------------------------------------------------------------------------------------

def active_items(delegation: Delegation) -> list[ProgrammeItem]:
    return [item for item in delegation.items if item.status != ItemStatus.CANCELLED]


def _absent_for(item: ProgrammeItem) -> set[str]:
    plans = list(getattr(item, "table_plans", None) or ())
    return set(plans[0].absent_keys or ()) if plans else set()


@dataclass(frozen=True)
class MealCount:
    item: ProgrammeItem
    count: needs.CatererCount


def meal_counts(delegation: Delegation, away=None) -> list[MealCount]:
    """For each meal (and each item with a table plan): how many of which menu, which restrictions, by name.
    `away(item)` may name more absent keys (members not yet arrived or already gone, from their travel)."""
    found = []
    for item in active_items(delegation):
        if item.kind != ItemKind.MEAL and not getattr(item, "table_plans", None):
            continue
        absent = _absent_for(item) | (away(item) if away else set())
        eaters = [needs.Eater(member.name, member.dietary_needs, member.accessibility_needs)
                  for member in present_members(delegation) if member_key(member.id) not in absent]
        eaters += [needs.Eater(participant.name, participant.dietary_needs, participant.accessibility_needs)
                   for participant in item.protocol_participants if participant_key(participant.id) not in absent]
        found.append(MealCount(item, needs.caterer_count(eaters)))
    return found


@dataclass(frozen=True)
class ItemInterpretingNeeds:
    item: ProgrammeItem
    mode: str
    needs: list[needs.LanguageNeed]

    @property
    def missing(self) -> int:
        return sum(need.missing for need in self.needs)


def interpreting_needs(delegation: Delegation, away=None) -> list[ItemInterpretingNeeds]:
    """For each item: languages the guests need interpreted, in the item's mode, and who covers them.
    `away(item)` may name more absent keys (members not yet arrived or already gone, from their travel)."""
    found = []
    members = present_members(delegation)
    for item in active_items(delegation):
        mode = interpreting_mode(item)
        absent = _absent_for(item) | (away(item) if away else set())
        listeners, interpreters = [], []
        for member in members:
            if member_key(member.id) in absent:
                continue
            rank = member.protocol_rank
            languages = tuple((rank.languages if rank is not None and rank.languages else delegation.languages) or ())
            if MemberRole(member.role) == MemberRole.INTERPRETER:
                interpreters.append(needs.Interpreter(member.name, frozenset(languages)))
            else:
                listeners.append(needs.Listener(member.name, languages))
        working = {"de"}
        for participant in item.protocol_participants:
            if CityRole(participant.role) == CityRole.INTERPRETER:
                interpreters.append(needs.Interpreter(participant.name, frozenset(participant.languages or ())))
            elif CityRole(participant.role) == CityRole.HOST:
                working |= set(participant.languages or ())
        found.append(ItemInterpretingNeeds(item, mode, needs.interpreting_needs(
            mode, item.duration_minutes, listeners, working, interpreters)))
    return found


def interpreting_summary(delegation: Delegation) -> str:
    lines = []
    for entry in interpreting_needs(delegation):
        for need in entry.needs:
            if need.needed:
                lines.append(f"{entry.item.title}: {need.language}, {need.mode}, {need.needed}")
    return "\n".join(lines)


# Who receives them ----------------------------------------------------------------------------------------------

BUSY_REASON_TEXT = {
    "calendar": lambda: _("an appointment in the calendar"),
    "manual": lambda: _("a blocked time"),
    "tour": lambda: _("a journey"),
    "programme": lambda: _("another programme"),
    "outside office hours": lambda: _("outside office hours"),
}


def reception_item(delegation: Delegation) -> ProgrammeItem | None:
    items = active_items(delegation)
    return (next((item for item in items if item.kind == ItemKind.RECEPTION), None)
            or next((item for item in items if item.principal_id is not None), None))


def senior_guests(delegation: Delegation) -> bool:
    levels = [member.protocol_rank.office_level.level for member in present_members(delegation)
              if member.protocol_rank is not None and member.protocol_rank.office_level is not None]
    return bool(levels) and min(levels) <= reception.SENIOR_GUEST_LEVEL


def propose_receiving(delegation: Delegation, home_zone: str) -> tuple[reception.ReceptionPlan, ProgrammeItem | None]:
    """Who receives (the level's principal if free, else a free deputy), who greets, who sees them off."""
    from delegations.planning.availability import load_availability

    principals = list(db.session.scalars(select(Principal).where(Principal.active.is_(True))))
    candidates = [reception.Candidate(p.id, p.label, PrincipalKind(p.kind).value, p.rank) for p in principals]
    item = reception_item(delegation)
    hour = timedelta(hours=1)
    moment = (reception.Moment(item.starts_at, item.ends_at) if item is not None
              else reception.Moment(delegation.arrival_at, delegation.arrival_at + hour))
    arrival = reception.Moment(delegation.arrival_at, delegation.arrival_at + hour)
    departure = reception.Moment(delegation.departure_at - hour, delegation.departure_at)
    start = min(moment.starts_at, arrival.starts_at, departure.starts_at)
    end = max(moment.ends_at, arrival.ends_at, departure.ends_at)
    availability = load_availability([c.id for c in candidates], start, end,
                                     exclude_item_ids=[item.id] if item is not None else [], home_zone=home_zone)

    def busy(principal_id: int, starts: datetime, ends: datetime) -> list[str]:
        found = availability.get(principal_id)
        if found is None:
            return []
        return [interval.label or BUSY_REASON_TEXT.get(interval.reason, lambda: interval.reason)()
                for interval in found.conflicts_with(starts, ends)]

    level = delegation.protocol_level.value if hasattr(delegation.protocol_level, "value") else delegation.protocol_level
    lead = delegation.lead_contact.name if delegation.lead_contact is not None else ""
    plan = reception.propose_reception(level, candidates, busy, moment, arrival, departure,
                                       senior_guests=senior_guests(delegation), lead_contact=lead)
    return plan, item


def assign_receiver(item: ProgrammeItem, principal: Principal) -> None:
    item.principal = principal
    db.session.flush()
