"""Table plans and place cards as PDFs, through the printing registry: the same path, print stylesheet, fonts,
cache and time limit as the programmes (delegations/printing/documents.py).

Place cards name each guest in their own script (Chinese, Japanese, Russian, Arabic, Turkish...) with the
title of their form of address; the plan and the cards say whether they show the approved revision.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from delegations.models import Member
from delegations.printing.documents import PrintDocument, register
from delegations.printing.labels import text_direction
from delegations.protocol import address, drawing, operations, queries, wording
from delegations.protocol.people import Person


@dataclass(frozen=True)
class PlaceCard:
    title: str          # the title of their form of address ("S. E.", "閣下"), may be empty
    name: str           # the name as the card shows it, in the guest's script where known
    language: str       # the language of `name` (for fonts and glyph shapes), "" when Latin script
    direction: str      # "rtl" for Arabic, Persian, Hebrew
    latin_name: str     # the name in Latin script, when `name` is in another script
    function: str
    table: str
    seat: int
    side: str


def card_language(person: Person, delegation) -> str:
    """The language a guest's card speaks: their own script's, else their delegation's first language."""
    member = person.record
    if not isinstance(member, Member):
        return "de"
    rank = member.protocol_rank
    if rank is not None and rank.native_language:
        return rank.native_language
    return next(iter(delegation.languages or ()), "de")


def place_card(person: Person, delegation, table: str, seat: int) -> PlaceCard:
    record = person.record
    if not isinstance(record, Member):  # the city's people and guests: the name (in their script), the function
        native = record.native_name if record.native_name and record.native_language else ""
        language = record.native_language if native else ""
        return PlaceCard("", native or record.name, language, text_direction(language) if native else "ltr",
                         record.name if native and native != record.name else "", record.function, table, seat,
                         person.side)
    language = card_language(person, delegation)
    rank = record.protocol_rank
    form = address.form_in(record, language)
    native = (form.name if form is not None and form.name else "") or \
        (rank.native_name if rank is not None and rank.native_language == language else "")
    title = form.title if form is not None else ""
    if not title:
        german = address.form_in(record, "de")
        title = german.title if german is not None else ""
    name = native or record.name
    in_script = bool(native) and native != record.name
    if native and title and language.split("-")[0] in address.SUFFIX_LANGUAGES:
        name, title = f"{native} {title}", ""  # 山田太郎 閣下: the honorific follows the name
    return PlaceCard(title=title, name=name, language=language if native else "",
                     direction=text_direction(language) if native else "ltr",
                     latin_name=record.name if in_script else "",
                     function=(form.function if form is not None and form.function else ""),
                     table=table, seat=seat, side=person.side)


def place_cards(state: operations.PlanState) -> list[PlaceCard]:
    """One card per seated person, table by table, seat by seat."""
    tables = {str(table.id): table for table in state.plan.tables}
    order = {str(table.id): index for index, table in enumerate(state.plan.tables)}
    cards = []
    for key, seat in sorted(state.seats.items(), key=lambda pair: (order.get(pair[1].table, 99), pair[1].number)):
        person = state.people.people.get(key)
        table = tables.get(seat.table)
        if person is None or table is None:
            continue
        cards.append(place_card(person, state.plan.item.delegation, table.name, seat.number))
    return cards


def _plan_context(plan, language: str, settings, **_ignored) -> dict:
    state = operations.plan_state(plan, queries.offices_by_key())
    tables = {str(table.id): table.name for table in plan.tables}
    return {"plan": plan, "state": state, "item": plan.item, "delegation": plan.item.delegation,
            "drawings": {table.id: drawing.draw_table(table.shape.value, table.seats, state.walking_order(table))
                         for table in plan.tables},
            "messages": [wording.problem_text(problem, state.name, lambda key: tables.get(key, key))
                         for problem in state.problems if not problem.is_notice],
            "native": lambda person: place_card(person, plan.item.delegation, "", 0)}


def _cards_context(plan, language: str, settings, **_ignored) -> dict:
    state = operations.plan_state(plan, queries.offices_by_key())
    return {"plan": plan, "state": state, "item": plan.item, "cards": place_cards(state)}


TABLE_PLAN = register(PrintDocument(
    name="table-plan", title=_l("Table plan"), template="protocol/print/table_plan.html",
    build_context=_plan_context, default_language=lambda plan: "de", guest_facing=False))
PLACE_CARDS = register(PrintDocument(
    name="place-cards", title=_l("Place cards"), template="protocol/print/place_cards.html",
    build_context=_cards_context, default_language=lambda plan: "de", guest_facing=False))


def pdf_of(document: PrintDocument, plan):
    """The plan as the PDF `document`, in the language asked for (?lang=de|en), through the printing views."""
    from delegations.printing.documents import filename_stem
    from delegations.printing.views import language_or_404, pdf_response, produce_or_abort

    language = language_or_404(document, plan)
    produced = produce_or_abort(document, plan, language, filename_stem(document.name, plan.name, plan.id))
    return pdf_response(produced)
