"""The words for what the pure protocol modules return as codes: seating problems, reasons someone has no
seat, Golden Book problems, dietary categories, interpreting modes. Pages and PDFs use the same sentences."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from delegations.protocol import golden_book, needs, seating

HISTORY_KINDS = {
    "office_level": _l("Ranking rule"), "protocol_rank": _l("Protocol rank"), "form_of_address": _l("Form of address"),
    "city_participant": _l("City participant"), "precedence_override": _l("Order of precedence"),
    "item_interpreting": _l("Interpreting"), "table_plan": _l("Table plan"), "dining_table": _l("Table"),
    "gift": _l("Gift"), "golden_book_signing": _l("Golden Book"), "checklist_task": _l("Protocol task"),
}

UNSEATED = {
    seating.NO_TABLES: _l("The plan has no table with at least two seats."),
    seating.NO_HOST: _l("Nobody from the city side is listed for this item to host a table."),
    seating.NO_COHOST: _l("More tables are needed, but there is no co-host left to host another one."),
    seating.NO_ROOM: _l("Every table is full."),
    seating.PRINCIPAL_UNSEATED: _l("The person they interpret for has no seat."),
    seating.NO_SEAT_BESIDE: _l("Both seats beside the person they interpret for are taken."),
}

# Each takes names=, table=, seat= (and ignores what it does not say).
PROBLEMS = {
    seating.SEATED_TWICE: lambda names, table, seat: _("%(names)s is seated more than once.", names=names),
    seating.SEAT_TAKEN: lambda names, table, seat: _(
        "Seat %(seat)s at %(table)s is given to more than one person: %(names)s.", seat=seat, table=table,
        names=names),
    seating.TABLE_FULL: lambda names, table, seat: _(
        "%(table)s is full: %(names)s has no seat there (the table has fewer seats now).", table=table, names=names),
    seating.LEFT_OUT: lambda names, table, seat: _("%(names)s has no seat.", names=names),
    seating.NOT_ATTENDING: lambda names, table, seat: _("%(names)s is seated but not listed for this meal.",
                                                        names=names),
    seating.HOST_NOT_AT_HEAD: lambda names, table, seat: _(
        "The host %(names)s does not sit at seat 1 of the top table (%(table)s).", names=names, table=table),
    seating.GUEST_OF_HONOUR_NOT_RIGHT: lambda names, table, seat: _(
        "The guest of honour does not sit at the host's right (seat 2 of %(table)s): %(names)s.", names=names,
        table=table),
    seating.INTERPRETER_NOT_BESIDE: lambda names, table, seat: _(
        "The interpreter does not sit beside the person they interpret for: %(names)s.", names=names),
    seating.NO_COHOST_AT_TABLE: lambda names, table, seat: _("%(table)s has nobody from the city side to host it.",
                                                             table=table),
    seating.NOT_ALTERNATING: lambda names, table, seat: _(
        "At %(table)s hosts and guests do not alternate: %(names)s sit together.", table=table, names=names),
    seating.NO_COMMON_LANGUAGE: lambda names, table, seat: _(
        "%(names)s shares no language with a neighbour at %(table)s.", names=names, table=table),
}

BOOK_PROBLEMS = {
    golden_book.MISSING_TEXT: lambda name: _("The text of the entry is not prepared yet."),
    golden_book.NO_SIGNATORIES: lambda name: _("Nobody is listed to sign."),
    golden_book.NAME_UNCHECKED: lambda name: _("The name “%(name)s” has not been checked yet.", name=name),
    golden_book.NAME_NOT_IN_TEXT: lambda name: _("The text does not contain “%(name)s” exactly as checked.",
                                                 name=name),
}
MENUS = {needs.STANDARD: _l("Standard menu"), needs.VEGETARIAN: _l("Vegetarian"), needs.VEGAN: _l("Vegan"),
         needs.PESCETARIAN: _l("Pescetarian")}
RESTRICTIONS = {needs.HALAL: _l("Halal"), needs.KOSHER: _l("Kosher"), needs.NO_PORK: _l("No pork"),
                needs.GLUTEN_FREE: _l("Gluten-free"), needs.LACTOSE_FREE: _l("Lactose-free"),
                needs.NUT_ALLERGY: _l("Nut allergy"), needs.SHELLFISH_ALLERGY: _l("Shellfish allergy"),
                needs.DIABETIC: _l("Diabetic"), needs.NO_ALCOHOL: _l("No alcohol")}
MODES = {needs.CONSECUTIVE: _l("consecutive"), needs.SIMULTANEOUS: _l("simultaneous (with booth)"),
         needs.WHISPERED: _l("whispered"), needs.NO_INTERPRETING: _l("no interpreting")}


def unseated_reason(item, name_of) -> str:
    text = str(UNSEATED.get(item.reason, item.reason))
    if item.about:
        return f"{text} ({name_of(item.about)})"
    return text


def problem_text(problem: seating.Problem, name_of, table_name_of) -> str:
    wording = PROBLEMS.get(problem.code)
    if wording is None:
        return problem.code
    names = ", ".join(name_of(key) for key in problem.keys)
    return wording(names=names, table=table_name_of(problem.table) if problem.table else "", seat=problem.seat or "")


def book_problem_text(problem) -> str:
    wording = BOOK_PROBLEMS.get(problem.code)
    return wording(name=problem.name) if wording is not None else problem.code


def order_from_positions(positions: dict[str, str], current_order: list[str]) -> tuple[list[str], list[str]]:
    """Keys ordered by the position numbers a planner typed (ties keep the current order), or the problems."""
    problems = []
    numbered = []
    for index, key in enumerate(current_order):
        text = (positions.get(key) or "").strip()
        if not text:
            numbered.append((len(current_order) + 1 + index, index, key))
            continue
        try:
            number = int(text)
        except ValueError:
            problems.append(_("“%(value)s” is not a position number.", value=text))
            continue
        if number < 1:
            problems.append(_("Positions start at 1."))
            continue
        numbered.append((number, index, key))
    numbered.sort()
    return [key for _number, _index, key in numbered], problems
