"""Precedence, forms of address, who receives, the checklist, needs and gift rules as plain modules."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from delegations.protocol import address, checklist, golden_book, needs, reception
from delegations.protocol.gifts import GiftFacts, GiftRules, neutralise, repeat_warnings, same_thing
from delegations.protocol.precedence import (TIE_ACCREDITATION, TIE_NONE, TIE_ORDINAL, TIE_SERVICE, RankedPerson,
                                             RankingRule, order_of_precedence, rank_key)

AMBASSADOR = RankingRule("ambassador", "Botschafter/in", 40, TIE_ACCREDITATION)
LORD_MAYOR = RankingRule("lord_mayor", "Oberbürgermeister/in", 60)
DEPUTY = RankingRule("mayor", "Bürgermeister/in", 70, TIE_ORDINAL)
COUNCIL = RankingRule("council_member", "Ratsmitglied", 80, TIE_SERVICE)


def person(key, rule=None, **values):
    return RankedPerson(key=key, name=values.pop("name", key.title()), rule=rule, **values)


def test_ambassadors_rank_by_date_of_accreditation_and_before_a_lord_mayor():
    order = order_of_precedence([
        person("mayor", LORD_MAYOR),
        person("late", AMBASSADOR, accredited_on=date(2024, 1, 10)),
        person("unknown", AMBASSADOR),
        person("early", AMBASSADOR, accredited_on=date(2019, 3, 4)),
    ])
    assert order.keys == ["early", "late", "unknown", "mayor"]


def test_deputies_by_order_number_council_members_by_length_of_service_then_the_unranked():
    order = order_of_precedence([
        person("nobody"),
        person("junior", COUNCIL, serving_since=date(2021, 11, 1)),
        person("second", DEPUTY, ordinal=2),
        person("senior", COUNCIL, serving_since=date(2006, 11, 1)),
        person("first", DEPUTY, ordinal=1),
    ])
    assert order.keys == ["first", "second", "senior", "junior", "nobody"]


def test_a_tie_decided_only_by_the_name_is_pointed_out():
    order = order_of_precedence([person("b", COUNCIL, name="Berger"), person("a", COUNCIL, name="Adler"),
                                 person("c", COUNCIL, name="Cramer", serving_since=date(2001, 1, 1))])
    assert order.keys == ["c", "a", "b"]
    assert order.decided_by_name == {"a", "b"}


def test_an_override_for_one_event_keeps_its_reason_and_reports_what_it_left_out():
    people = [person("ambassador", AMBASSADOR, accredited_on=date(2020, 1, 1)), person("mayor", LORD_MAYOR),
              person("deputy", DEPUTY, ordinal=1)]
    order = order_of_precedence(people, override=["mayor", "gone", "ambassador", "mayor"],
                                reason="The partner mayor leads at the wreath laying")
    assert order.keys == ["mayor", "ambassador", "deputy"]
    assert order.overridden and order.reason == "The partner mayor leads at the wreath laying"
    assert order.unknown_in_override == ("gone",)
    assert order.not_in_override == ("deputy",)
    assert order.moved_by_override("mayor") and not order.moved_by_override("deputy")
    assert order.computed_positions == {"ambassador": 1, "mayor": 2, "deputy": 3}


rules = st.sampled_from([None, AMBASSADOR, LORD_MAYOR, DEPUTY, COUNCIL,
                         RankingRule("other", "Other", 50, TIE_NONE)])
people_lists = st.lists(st.builds(
    lambda number, rule, day, ordinal: person(f"p{number}", rule, accredited_on=day, serving_since=day,
                                             ordinal=ordinal),
    st.integers(0, 10_000), rules, st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 1, 1))),
    st.one_of(st.none(), st.integers(1, 9))), unique_by=lambda p: p.key, max_size=30)


@given(people_lists, st.data())
def test_precedence_is_a_permutation_sorted_by_level_and_an_override_leads(people, data):
    order = order_of_precedence(people)
    assert sorted(order.keys) == sorted(p.key for p in people)
    levels = [p.rule.level if p.rule else 10 ** 9 for p in order.people]
    assert levels == sorted(levels)
    assert [rank_key(p) for p in order.people] == sorted(rank_key(p) for p in people)
    chosen = data.draw(st.lists(st.sampled_from([p.key for p in people]), unique=True) if people else st.just([]))
    overridden = order_of_precedence(people, chosen, "reason")
    assert overridden.keys[:len(chosen)] == chosen
    assert sorted(overridden.keys) == sorted(order.keys)


def test_suggested_forms_of_address_for_an_ambassador_and_a_council_member():
    form = address.suggest_form("ambassador", "de", "mr", "Tarō Yamada", "Botschafter von Japan")
    assert (form.title, form.spoken, form.salutation) == ("S. E.", "Herr Botschafter", "Exzellenz,")
    assert form.address_block == "Seiner Exzellenz\nHerrn Tarō Yamada\nBotschafter von Japan"
    council = address.suggest_form("council_member", "de", "ms", "Dr. Petra Sommer")
    assert council.salutation == "Sehr geehrte Frau Ratsfrau Sommer,"
    assert address.suggest_form("council_member", "en", "ms", "Dr. Petra Sommer").spoken == "Councillor Sommer"
    assert address.suggest_form(None, "en", "neutral", "Kim Lee").salutation == "Dear Kim Lee,"
    assert address.suggest_form("ambassador", "ja", "mr", "Tarō Yamada") is None


def _member(name, role="member", function="", forms=(), rank=None):
    return SimpleNamespace(name=name, role=role, function=function, forms_of_address=list(forms),
                           protocol_rank=rank, anonymised_at=None)


def test_the_head_of_delegation_is_named_in_each_language():
    forms = [SimpleNamespace(language="de", title="S. E.", name="Herr Tarō Yamada", function="Botschafter von Japan"),
             SimpleNamespace(language="ja", title="閣下", name="山田太郎", function="駐ドイツ日本国特命全権大使")]
    rank = SimpleNamespace(native_name="山田 太郎", native_language="ja")
    delegation = SimpleNamespace(members=[_member("Yuki Satō"), _member("Tarō Yamada", "head", "Botschafter",
                                                                          forms, rank)],
                                 head_name="Tarō Yamada", head_function="Botschafter von Japan")
    assert address.head_of_delegation_line(delegation, "de") == "S. E. Herr Tarō Yamada, Botschafter von Japan"
    assert address.head_of_delegation_line(delegation, "ja") == "山田太郎閣下, 駐ドイツ日本国特命全権大使"
    assert address.head_of_delegation_line(delegation, "en") == "Tarō Yamada, Botschafter"
    delegation.members[1].forms_of_address = []
    assert address.head_of_delegation(delegation, "ja") == ("山田 太郎", "Botschafter")
    without_members = SimpleNamespace(members=[], head_name="Tomasz Kowalczyk", head_function="Stadtpräsident")
    assert address.head_of_delegation_line(without_members, "pl") == "Tomasz Kowalczyk, Stadtpräsident"


def test_a_form_of_address_is_due_for_checking_after_a_year():
    today = date(2027, 5, 1)
    assert address.needs_checking(None, today)
    assert address.needs_checking(date(2026, 4, 1), today)
    assert not address.needs_checking(date(2026, 12, 1), today)


def test_checklist_templates_depend_on_the_protocol_level_and_count_from_the_arrival():
    arrival = date(2027, 5, 3)
    mayor = {task.key: task for task in checklist.planned_tasks("mayor", arrival)}
    unit = {task.key for task in checklist.planned_tasks("unit", arrival)}
    assert {"security", "golden_book", "flags", "interpreters", "invitation", "thanks"} <= set(mayor)
    assert "security" not in unit and "golden_book" not in unit and "interpreters" in unit
    assert mayor["invitation"].due_on == arrival - timedelta(days=56)
    assert mayor["thanks"].due_on == arrival + timedelta(days=14)
    assert "invitation" not in {task.key for task in checklist.planned_tasks("mayor", arrival, {"invitation"})}
    assert checklist.is_overdue(date(2027, 4, 1), False, date(2027, 4, 2))
    assert not checklist.is_overdue(date(2027, 4, 1), True, date(2027, 4, 2))


def test_the_caterer_gets_menus_restrictions_and_names():
    count = needs.caterer_count([
        needs.Eater("A", "vegetarisch"), needs.Eater("B", "Vegan, keine Nüsse"), needs.Eater("C", "halal"),
        needs.Eater("D", ""), needs.Eater("E", "keine"), needs.Eater("F", "Zöliakie (glutenfrei)"),
        needs.Eater("G", "mag keinen Koriander", "Rollstuhl")])
    assert count.total == 7
    assert count.menus == {"standard": 5, "vegetarian": 1, "vegan": 1}
    assert count.restrictions == {"halal": 1, "gluten_free": 1, "nuts": 1}
    assert ("G", "mag keinen Koriander") in count.by_name and ("B", "Vegan, keine Nüsse") in count.by_name
    assert count.accessibility == [("G", "Rollstuhl")]


def test_interpreters_needed_by_language_and_mode():
    listeners = [needs.Listener("Yamada", ("ja", "en")), needs.Listener("Matsumoto", ("ja",)),
                 needs.Listener("Nakamura", ("ja",)), needs.Listener("Wang", ("zh",)), needs.Listener("Satō", ("de",))]
    interpreters = [needs.Interpreter("Takahashi", frozenset({"ja", "de"}))]
    whispered = needs.interpreting_needs("whispered", 120, listeners, {"de"}, interpreters)
    by_language = {need.language: need for need in whispered}
    assert set(by_language) == {"ja", "zh"}
    assert (by_language["ja"].needed, by_language["ja"].available, by_language["ja"].missing) == (2, ("Takahashi",), 1)
    assert by_language["zh"].missing == 1
    simultaneous = {n.language: n for n in needs.interpreting_needs("simultaneous", 60, listeners, {"de"}, [])}
    assert (simultaneous["ja"].needed, simultaneous["ja"].booths) == (2, 1)
    assert needs.interpreting_needs("consecutive", 60, listeners, {"de", "en"}, [])[0].listeners == (
        "Matsumoto", "Nakamura")
    assert needs.interpreting_needs("none", 60, listeners, {"de"}, [])[0].needed == 0


def _moment(hour):
    start = datetime(2027, 5, 3, hour, tzinfo=timezone.utc)
    return reception.Moment(start, start + timedelta(hours=1))


def test_a_free_deputy_of_matching_rank_is_proposed_when_the_mayor_is_busy():
    principals = [reception.Candidate(1, "OB Weber", "mayor", 1), reception.Candidate(3, "Bgm. Yıldız", "deputy_mayor", 2),
                  reception.Candidate(2, "Bgm. Krüger", "deputy_mayor", 1)]
    busy_at = {1: {9: ["Ratssitzung"]}, 2: {9: ["Termin"]}}

    def busy(principal_id, start, end):
        return busy_at.get(principal_id, {}).get(start.hour, [])

    free_mayor = reception.propose_reception("mayor", principals, busy, _moment(11), _moment(8), _moment(16),
                                             senior_guests=True, lead_contact="Katrin Vogel")
    assert free_mayor.receiver.principal.id == 1 and not free_mayor.needs_deputy
    assert free_mayor.greeter.principal.id == 1 and free_mayor.farewell.principal.id == 1
    busy_mayor = reception.propose_reception("mayor", principals, busy, _moment(9), _moment(9), _moment(16),
                                             lead_contact="Katrin Vogel")
    assert busy_mayor.needs_deputy and busy_mayor.wanted_busy == ("Ratssitzung",)
    assert busy_mayor.receiver.principal.id == 3  # the first deputy is busy too
    assert busy_mayor.greeter.contact == "Katrin Vogel"  # no guest of high rank: the unit greets
    unit = reception.propose_reception("unit", principals, busy, _moment(9), _moment(9), _moment(16),
                                       lead_contact="Katrin Vogel")
    assert unit.receiver.principal is None and unit.receiver.contact == "Katrin Vogel"


def test_a_golden_book_entry_is_ready_when_every_name_is_checked_and_in_the_text():
    checked = SimpleNamespace(name="Anna Wiśniewska", checked_at=datetime.now(timezone.utc))
    unchecked = SimpleNamespace(name="Tomasz Kowalczyk", checked_at=None)
    problems = golden_book.entry_problems("Zum Besuch von Tomasz Kowalczyk und Anna Wisniewska.", [checked, unchecked])
    assert {(p.code, p.name) for p in problems} == {(golden_book.NAME_UNCHECKED, "Tomasz Kowalczyk"),
                                                    (golden_book.NAME_NOT_IN_TEXT, "Anna Wiśniewska")}
    assert golden_book.entry_problems("Anna Wiśniewska", [checked]) == []
    assert {p.code for p in golden_book.entry_problems("", [])} == {golden_book.MISSING_TEXT, golden_book.NO_SIGNATORIES}


def test_gift_thresholds_and_the_repeat_check():
    rules = GiftRules(Decimal("35"), Decimal("150"))
    assert rules.needs_approval(None) and rules.needs_approval(Decimal("35.01")) and not rules.needs_approval(Decimal("35"))
    assert rules.must_be_reported(Decimal("150.01")) and not rules.must_be_reported(None)
    earlier = [GiftFacts(1, "Porzellanteller Fürstenberg mit Stadtwappen", "Kazumi Matsui", "Stadt Hiroshima",
                         date(2025, 8, 6)),
               GiftFacts(2, "Bildband Hannover", "Tomasz Kowalczyk", "Stadt Poznań", date(2024, 5, 1))]
    plate = GiftFacts(None, "porzellanteller  Fürstenberg, mit Stadtwappen", "Ken'ichi Matsumoto", "Stadt Hiroshima")
    assert [gift.id for gift in repeat_warnings(plate, earlier)] == [1]
    book = GiftFacts(None, "Bildband Herrenhäuser Gärten", "Ken'ichi Matsumoto", "Stadt Hiroshima")
    assert repeat_warnings(book, earlier) == []
    assert same_thing("Bildband Hannover", "Bildband  hannover!") and not same_thing("Bildband", "")


def test_cells_that_could_start_a_formula_are_neutralised():
    for dangerous in ("=1+1", "+49 511", "-2", "@SUM(A1)", "\tTab", "\rReturn"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Bildband") == "Bildband" and neutralise(12.5) == 12.5
