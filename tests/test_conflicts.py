"""The conflict rules on plain data: each rule found, explained in one sentence, and nothing found where
nothing is wrong (cancelled items, a principal on the tour's own programme, enough time between venues)."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from delegations.planning.conflicts import (CONTACT_TWICE, OUTSIDE_OFFICE_HOURS, OUTSIDE_STAY, OVERLAP,
                                            PRINCIPAL_BUSY, PRINCIPAL_TRAVEL, PRINCIPAL_TWICE, TRAVEL, VENUE_TWICE,
                                            ConflictFinder, find_conflicts)
from tests.planning_data import (GARDENS, JONAS, KATRIN, MAYOR, MUSEUM, TOWN_HALL, busy, item, schedule, stay)


def one_sentence(text: str) -> bool:
    """A single sentence: it ends with a full stop and has no other sentence end inside."""
    return text.endswith(".") and len(re.findall(r"[.!?](?:\s|$)", text)) == 1


def rules(conflicts) -> list[str]:
    return [conflict.rule for conflict in conflicts]


def only(conflicts, rule: str):
    found = [conflict for conflict in conflicts if conflict.rule == rule]
    assert len(found) == 1, rules(conflicts)
    return found[0]


def test_principal_busy_in_the_calendar_names_the_subject_when_the_owner_allows_it():
    reception = item("2027-05-04 10:00", "2027-05-04 11:00", title="Reception", principal_id=MAYOR)
    found = find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 10:30", "2027-05-04 12:00",
                                                                       label="Budget committee")]}))
    conflict = only(found, PRINCIPAL_BUSY)
    text = str(conflict.message)
    assert one_sentence(text), text
    assert "Mayor Weber is not free for “Reception”" in text and "“Budget committee”" in text
    assert "10:30–12:00" in text
    assert conflict.icon == "calendar-today" and str(conflict.label) == "Principal busy"


def test_principal_busy_without_a_subject_says_only_that_the_principal_is_busy():
    reception = item("2027-05-04 10:00", "2027-05-04 11:00", title="Reception", principal_id=MAYOR)
    text = str(only(find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 09:00", "2027-05-04 10:15")]})),
                    PRINCIPAL_BUSY).message)
    assert one_sentence(text) and "busy in the calendar" in text and "“" not in text.split(":", 1)[1].split("busy")[0]


@pytest.mark.parametrize("reason, label, words", [
    ("manual", "Dentist", "blocked for “Dentist”"),
    ("tour", "Trip to Poznań", "travelling on “Trip to Poznań”"),
])
def test_manual_blocks_and_tours_are_explained_with_their_reason(reason, label, words):
    reception = item("2027-05-04 10:00", "2027-05-04 11:00", title="Reception", principal_id=MAYOR)
    text = str(only(find_conflicts(schedule(stay(), [reception], {MAYOR: [
        busy("2027-05-04 08:00", "2027-05-04 12:00", reason, label, source_id=99)]})), PRINCIPAL_BUSY).message)
    assert one_sentence(text) and words in text


def test_several_busy_times_are_one_conflict_in_one_sentence():
    reception = item("2027-05-04 10:00", "2027-05-04 12:00", title="Reception", principal_id=MAYOR)
    found = find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 10:00", "2027-05-04 10:30"),
                                                                  busy("2027-05-04 11:00", "2027-05-04 11:30"),
                                                                  busy("2027-05-04 11:45", "2027-05-04 13:00")]}))
    text = str(only(found, PRINCIPAL_BUSY).message)
    assert one_sentence(text) and "2 more busy times" in text


def test_outside_office_hours_is_its_own_conflict():
    dinner = item("2027-05-04 19:30", "2027-05-04 21:00", title="Dinner", principal_id=MAYOR)
    found = find_conflicts(schedule(stay(), [dinner], {MAYOR: [busy("2027-05-04 19:00", "2027-05-05 08:00",
                                                                    "outside office hours")]}))
    conflict = only(found, OUTSIDE_OFFICE_HOURS)
    assert rules(found) == [OUTSIDE_OFFICE_HOURS]
    assert str(conflict.message) == ("“Dinner” (Tue, May 4, 19:30–21:00) lies outside the office hours of "
                                     "Mayor Weber.")


def test_a_principal_travelling_on_a_tour_is_not_busy_for_that_tours_own_programme():
    tour = stay(7, "2027-05-03 09:00", "2027-05-08 18:00", zone="Asia/Tokyo", title="Hiroshima")
    meeting = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=7, zone="Asia/Tokyo", principal_id=MAYOR)
    busy_time = {MAYOR: [busy("2027-05-03 09:00", "2027-05-08 18:00", "tour", "Hiroshima", "Asia/Tokyo", source_id=7),
                         busy("2027-05-03 19:00", "2027-05-04 08:00", "outside office hours")]}  # home hours
    assert find_conflicts(schedule(tour, [meeting], busy_time)) == []
    # ... but at home the same trip blocks the Mayor for any other visit.
    home = stay(1)
    visit = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, principal_id=MAYOR)
    assert rules(find_conflicts(schedule([home, tour], [visit], busy_time), [visit.id])) == [PRINCIPAL_BUSY]


def test_programme_busy_time_from_availability_is_ignored_in_favour_of_the_items_themselves():
    reception = item("2027-05-04 10:00", "2027-05-04 11:00", principal_id=MAYOR)
    echo = busy("2027-05-04 10:00", "2027-05-04 11:00", "programme", "Visit 1: Meeting", source_id=reception.id)
    assert find_conflicts(schedule(stay(), [reception], {MAYOR: [echo]})) == []


def test_principal_expected_at_two_places_across_delegations():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, title="Reception", principal_id=MAYOR)
    second = item("2027-05-04 10:30", "2027-05-04 11:30", delegation_id=2, title="Signing", principal_id=MAYOR)
    found = find_conflicts(schedule([stay(1, title="Poznań"), stay(2, title="Hiroshima")], [first, second]))
    conflict = only(found, PRINCIPAL_TWICE)
    text = str(conflict.message)
    assert one_sentence(text)
    assert text.startswith("Mayor Weber is expected at two places at once: “Reception” (Poznań,")
    assert conflict.delegation_ids == (1, 2)


def test_contact_person_in_two_places_at_once_across_delegations():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, title="City walk", responsible_id=KATRIN)
    second = item("2027-05-04 10:45", "2027-05-04 12:00", delegation_id=2, title="Airport", responsible_id=KATRIN)
    other = item("2027-05-04 10:00", "2027-05-04 12:00", delegation_id=2, title="Lunch", responsible_id=JONAS)
    found = find_conflicts(schedule([stay(1), stay(2)], [first, second, other]), [first.id])
    text = str(only(found, CONTACT_TWICE).message)
    assert one_sentence(text) and text.startswith("Katrin Vogel is responsible for two items at once")


def test_two_items_of_one_delegation_overlapping():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", title="Welcome")
    second = item("2027-05-04 10:45", "2027-05-04 11:30", title="Press")
    conflict = only(find_conflicts(schedule(stay(), [first, second])), OVERLAP)
    assert str(conflict.message) == ("“Welcome” (Tue, May 4, 10:00–11:00) and “Press” (Tue, May 4, 10:45–11:30) "
                                     "overlap.")
    assert conflict.key == f"overlap:{first.id}:{second.id}"


def test_items_of_different_delegations_at_the_same_time_do_not_overlap():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1)
    second = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=2)
    assert find_conflicts(schedule([stay(1), stay(2)], [first, second])) == []


def test_item_outside_the_stay():
    early = item("2027-05-03 07:00", "2027-05-03 08:30", title="Breakfast")
    text = str(only(find_conflicts(schedule(stay(), [early])), OUTSIDE_STAY).message)
    assert one_sentence(text)
    assert text == ("“Breakfast” (Mon, May 3, 07:00–08:30) lies outside the stay, which runs from Mon, May 3, 09:00 "
                    "to Thu, May 6, 18:00.")


def test_too_little_time_between_venues_uses_the_recorded_travel_minutes():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", title="Town hall visit", venue_id=TOWN_HALL)
    second = item("2027-05-04 11:10", "2027-05-04 12:00", title="Garden walk", venue_id=GARDENS)
    conflict = only(find_conflicts(schedule(stay(), [first, second], travel={(TOWN_HALL, GARDENS): 20})), TRAVEL)
    assert str(conflict.message) == ("Only 10 minutes from “Town hall visit” at Town hall (ends 11:00) to “Garden "
                                     "walk” at Herrenhausen gardens (starts 11:10), but the way takes 20 minutes.")
    enough = replace(second, starts_at=first.ends_at.replace(minute=20))
    assert find_conflicts(schedule(stay(), [first, enough], travel={(TOWN_HALL, GARDENS): 20})) == []


def test_without_recorded_travel_time_a_default_buffer_applies_between_different_venues():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", title="Town hall visit", venue_id=TOWN_HALL)
    second = item("2027-05-04 11:05", "2027-05-04 12:00", title="Museum", venue_id=MUSEUM)
    text = str(only(find_conflicts(schedule(stay(), [first, second], buffer=15)), TRAVEL).message)
    assert one_sentence(text) and "15 minutes are kept free between different venues" in text
    same_venue = replace(second, venue_id=TOWN_HALL)
    no_venue = replace(second, venue_id=None)
    assert find_conflicts(schedule(stay(), [first, same_venue])) == []
    assert find_conflicts(schedule(stay(), [first, no_venue])) == []


def test_a_principal_needs_the_way_between_items_of_different_delegations_too():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, title="Reception", principal_id=MAYOR,
                 venue_id=TOWN_HALL)
    second = item("2027-05-04 11:05", "2027-05-04 12:00", delegation_id=2, title="Opening", principal_id=MAYOR,
                  venue_id=GARDENS)
    text = str(only(find_conflicts(schedule([stay(1), stay(2)], [first, second], travel={(TOWN_HALL, GARDENS): 20})),
                    PRINCIPAL_TRAVEL).message)
    assert one_sentence(text) and text.startswith("Mayor Weber has only 5 minutes")


def test_venue_booked_twice_across_delegations():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, title="Reception", venue_id=TOWN_HALL)
    second = item("2027-05-04 10:30", "2027-05-04 11:30", delegation_id=2, title="Dinner", venue_id=TOWN_HALL)
    text = str(only(find_conflicts(schedule([stay(1), stay(2)], [first, second])), VENUE_TWICE).message)
    assert one_sentence(text) and text.startswith("Town hall is booked twice")


def test_cancelled_items_and_cancelled_visits_never_conflict():
    first = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, principal_id=MAYOR, venue_id=TOWN_HALL)
    cancelled = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=1, cancelled=True, principal_id=MAYOR)
    in_cancelled_visit = item("2027-05-04 10:00", "2027-05-04 11:00", delegation_id=2, principal_id=MAYOR,
                              venue_id=TOWN_HALL)
    busy_time = {MAYOR: [busy("2027-05-04 10:00", "2027-05-04 12:00")]}
    found = find_conflicts(schedule([stay(1), stay(2, cancelled=True)], [first, cancelled, in_cancelled_visit],
                                    busy_time))
    assert rules(found) == [PRINCIPAL_BUSY]
    assert found[0].item_ids == (first.id,)
    assert ConflictFinder(schedule(stay(), [cancelled], busy_time)).conflicts_of(cancelled) == []


def test_the_fingerprint_changes_with_the_data_and_the_key_stays():
    reception = item("2027-05-04 10:00", "2027-05-04 11:00", principal_id=MAYOR)
    before = only(find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 10:30", "2027-05-04 12:00")]})),
                  PRINCIPAL_BUSY)
    same = only(find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 10:30", "2027-05-04 12:00")]})),
                PRINCIPAL_BUSY)
    longer_busy = only(find_conflicts(schedule(stay(), [reception], {MAYOR: [busy("2027-05-04 10:30",
                                                                                  "2027-05-04 13:00")]})),
                       PRINCIPAL_BUSY)
    moved = only(find_conflicts(schedule(stay(), [replace(reception, starts_at=reception.starts_at.replace(minute=15))],
                                         {MAYOR: [busy("2027-05-04 10:30", "2027-05-04 12:00")]})), PRINCIPAL_BUSY)
    assert before.fingerprint == same.fingerprint
    assert len({before.fingerprint, longer_busy.fingerprint, moved.fingerprint}) == 3
    assert before.key == longer_busy.key == moved.key == f"principal_busy:{reception.id}"


def test_conflicts_are_listed_once_each_in_time_order():
    late = item("2027-05-05 10:00", "2027-05-05 11:00", title="Late", venue_id=TOWN_HALL)
    late_twin = item("2027-05-05 10:30", "2027-05-05 11:00", title="Late twin", venue_id=TOWN_HALL)
    early = item("2027-05-04 10:00", "2027-05-04 11:00", title="Early", principal_id=MAYOR)
    found = find_conflicts(schedule(stay(), [late, late_twin, early], {MAYOR: [busy("2027-05-04 09:00", "2027-05-04 10:30")]}))
    assert rules(found) == [PRINCIPAL_BUSY, OVERLAP]


def test_messages_are_in_german_for_a_german_reader(app):
    """Dates in the sentence follow the reader's language (the sentence itself is translated by the catalog)."""
    from flask_babel import force_locale

    first = item("2027-05-04 10:00", "2027-05-04 11:00", title="Welcome")
    second = item("2027-05-04 10:45", "2027-05-04 11:30", title="Press")
    conflict = only(find_conflicts(schedule(stay(), [first, second])), OVERLAP)
    with app.test_request_context(), force_locale("de"):
        assert "Di., 4. Mai" in str(conflict.message)
