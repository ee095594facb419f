"""The change summary between two snapshots, alone: wording, whom a change concerns, DST, properties."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegations.releases.diff import ChangeKind, describe, diff, people_concerned
from delegations.releases.snapshot import snapshot_hash
from delegations.zones import attach_zone


def utc(local: str) -> str:
    """'2027-03-28 10:00' in Berlin as the snapshot's UTC text."""
    return attach_zone(datetime.fromisoformat(local), "Europe/Berlin").astimezone(timezone.utc).isoformat(
        timespec="seconds")


def contact(number: int, name: str) -> dict:
    return {"id": number, "name": name, "email": f"{name.split()[0].lower()}@example.org"}


def item(number: int, title: str, start: str, end: str, **values) -> dict:
    return {"id": number, "title": title, "kind": "meeting", "status": "confirmed", "starts_at": utc(start),
            "ends_at": utc(end), "venue": None, "principal": None, "responsible": None, "city_participants": "",
            "participants": [], "dress_code": "", "description": "", "translations": {}, **values}


TOWN_HALL = {"id": 1, "name": "New Town Hall", "room": "Mosaic Hall", "address": "Trammplatz 2"}
GARDENS = {"id": 2, "name": "Herrenhausen Gardens", "room": "", "address": "Herrenhäuser Str. 4"}
MAYOR = {"id": 7, "name": "Lord Mayor Weber", "email": "mayor-office@example.org"}
VOGEL = contact(11, "Katrin Vogel")
ALBRECHT = contact(12, "Jonas Albrecht")
BRANDT = contact(13, "Thomas Brandt")


def programme(*items: dict, **visit) -> dict:
    return {"format": 1, "delegation": {
        "id": 5, "title": "Poznań", "direction": "incoming", "status": "confirmed", "timezone": "Europe/Berlin",
        "arrival_at": utc("2027-03-26 11:00"), "departure_at": utc("2027-03-29 15:00"),
        "hotel": "Kastens Hotel", "languages": ["pl", "en"], "head_name": "Tomasz Kowalczyk",
        "lead_contact": ALBRECHT, "deputy_contact": VOGEL, **visit},
        "members": [{"id": 1, "name": "Tomasz Kowalczyk", "function": "Mayor", "role": "head"}],
        "items": list(items)}


RECEPTION = item(1, "Reception", "2027-03-26 10:00", "2027-03-26 11:00", venue=TOWN_HALL, principal=MAYOR,
                 responsible=VOGEL)
LUNCH = item(2, "Lunch", "2027-03-26 12:30", "2027-03-26 14:00", venue=TOWN_HALL, responsible=ALBRECHT)


def changed(base: dict, item_id: int, **values) -> dict:
    new = copy.deepcopy(base)
    for entry in new["items"]:
        if entry["id"] == item_id:
            entry.update(values)
    return new


@pytest.fixture
def words(app, english):
    return describe


def test_no_changes_between_equal_snapshots():
    assert diff(programme(RECEPTION, LUNCH), programme(RECEPTION, LUNCH)) == []


def test_moved_item_in_the_words_of_the_issue(words):
    old = programme(RECEPTION, LUNCH)
    new = changed(old, 1, starts_at=utc("2027-03-26 11:30"), ends_at=utc("2027-03-26 12:30"))
    [change] = diff(old, new)
    assert change.kind == ChangeKind.MOVED
    assert words(change) == "Reception at New Town Hall moved from 10:00 to 11:30"


def test_moved_to_another_day_names_both_days(words):
    old = programme(RECEPTION)
    new = changed(old, 1, starts_at=utc("2027-03-27 09:00"), ends_at=utc("2027-03-27 10:00"))
    assert words(diff(old, new)[0]) == ("Reception at New Town Hall moved from Fri, Mar 26, 10:00 "
                                        "to Sat, Mar 27, 09:00")


def test_move_across_the_dst_change_reads_in_local_time(words):
    # 27 March 2027 is CET (UTC+1), 28 March CEST (UTC+2): 10:00 local both days, 23 hours apart in UTC.
    old = programme(item(3, "City tour", "2027-03-27 10:00", "2027-03-27 12:00"))
    new = changed(old, 3, starts_at=utc("2027-03-28 10:00"), ends_at=utc("2027-03-28 12:00"))
    assert datetime.fromisoformat(new["items"][0]["starts_at"]) - datetime.fromisoformat(
        old["items"][0]["starts_at"]) == timedelta(hours=23)
    [change] = diff(old, new)
    assert words(change) == "City tour moved from Sat, Mar 27, 10:00 to Sun, Mar 28, 10:00"


def test_same_wall_clock_on_the_same_instant_is_no_change():
    old = programme(item(3, "City tour", "2027-03-28 10:00", "2027-03-28 12:00"))
    assert diff(old, copy.deepcopy(old)) == []


def test_shortened_item_says_when_it_ends_now(words):
    old = programme(LUNCH)
    new = changed(old, 2, ends_at=utc("2027-03-26 13:30"))
    assert words(diff(old, new)[0]) == "Lunch at New Town Hall now ends at 13:30 instead of 14:00"


def test_venue_change_names_old_and_new_venue(words):
    old = programme(LUNCH)
    new = changed(old, 2, venue=GARDENS)
    [change] = diff(old, new)
    assert change.kind == ChangeKind.VENUE
    assert words(change) == "Lunch: venue changed from New Town Hall, Mosaic Hall to Herrenhausen Gardens"


def test_added_cancelled_and_removed_items(words):
    old = programme(RECEPTION, LUNCH)
    new = programme(changed(old, 1, status="cancelled")["items"][0],
                    item(9, "Press conference", "2027-03-26 15:00", "2027-03-26 15:30"))
    kinds = {change.item_id: change.kind for change in diff(old, new)}
    assert kinds == {1: ChangeKind.CANCELLED, 2: ChangeKind.REMOVED, 9: ChangeKind.ADDED}
    texts = [words(change) for change in diff(old, new)]
    assert "Item cancelled: Reception at New Town Hall (Fri, Mar 26, 10:00–11:00)" in texts
    assert "Item added: Press conference, Fri, Mar 26, 15:00–15:30" in texts
    assert "Item removed from the programme: Lunch at New Town Hall (was Fri, Mar 26, 12:30–14:00)" in texts


def test_cancelled_item_reports_only_the_cancellation():
    old = programme(RECEPTION)
    new = changed(old, 1, status="cancelled", venue=GARDENS, starts_at=utc("2027-03-26 16:00"),
                  ends_at=utc("2027-03-26 17:00"))
    assert [change.kind for change in diff(old, new)] == [ChangeKind.CANCELLED]


def test_responsible_change_concerns_old_and_new_responsible_and_the_principal(words):
    old = programme(RECEPTION)
    new = changed(old, 1, responsible=BRANDT)
    [change] = diff(old, new)
    assert words(change) == ("Reception at New Town Hall: responsible person changed from Katrin Vogel "
                             "to Thomas Brandt")
    assert {person.key for person in change.concerns} == {"contact:11", "contact:13", "principal:7"}
    assert {person.email for person in change.concerns} >= {"mayor-office@example.org", "katrin@example.org"}


def test_principal_change_and_title_and_details(words):
    old = programme(RECEPTION)
    new = changed(old, 1, principal=None, title="Welcome reception", dress_code="Dark suit",
                  participants=[{"id": 4, "name": "Councillor Roth", "function": "", "role": "participant",
                                 "principal": None}])
    texts = {change.kind: words(change) for change in diff(old, new)}
    assert texts[ChangeKind.PRINCIPAL] == "Welcome reception at New Town Hall: Lord Mayor Weber no longer takes part"
    assert texts[ChangeKind.TITLE] == "Title changed from “Reception” to “Welcome reception”"
    assert texts[ChangeKind.DETAILS] == ("Welcome reception at New Town Hall: details changed "
                                         "(dress code, city-side participants)")
    details = next(change for change in diff(old, new) if change.kind == ChangeKind.DETAILS)
    assert "participant:4" in {person.key for person in details.concerns}


def test_visit_level_changes_concern_the_leads_and_everyone_responsible(words):
    old = programme(RECEPTION, LUNCH)
    new = copy.deepcopy(old)
    new["delegation"]["hotel"] = "Hotel Wiesler"
    new["delegation"]["arrival_at"] = utc("2027-03-26 09:00")
    changes = diff(old, new)
    assert [words(change) for change in changes] == [
        "Arrival on Fri, Mar 26 moved from 11:00 to 09:00",
        "Hotel changed from Kastens Hotel to Hotel Wiesler"]
    assert {person.key for person in changes[1].concerns} == {"contact:11", "contact:12"}


def test_a_new_e_mail_address_changes_nothing():
    old = programme(RECEPTION)
    new = changed(old, 1, responsible={**VOGEL, "email": "k.vogel@example.org"})
    assert diff(old, new) == []
    assert snapshot_hash(old) == snapshot_hash(new)


def test_people_concerned_are_listed_once_by_name():
    old = programme(RECEPTION, LUNCH)
    new = changed(changed(old, 1, venue=GARDENS), 2, venue=GARDENS)
    assert [person.name for person in people_concerned(diff(old, new))] == [
        "Jonas Albrecht", "Katrin Vogel", "Lord Mayor Weber"]


def test_german_wording(app):
    old = programme(RECEPTION)
    new = changed(old, 1, starts_at=utc("2027-03-26 11:30"), ends_at=utc("2027-03-26 12:30"))
    from flask_babel import force_locale
    with force_locale("de"):
        text = describe(diff(old, new)[0])
    assert "10:00" in text and "11:30" in text


# Properties --------------------------------------------------------------------------------------------

BASE = datetime(2027, 3, 25, 8, 0, tzinfo=timezone.utc)
people = st.sampled_from([None, VOGEL, ALBRECHT, BRANDT])
venues = st.sampled_from([None, TOWN_HALL, GARDENS])


@st.composite
def items(draw, number: int) -> dict:
    start = BASE + timedelta(minutes=15 * draw(st.integers(0, 600)))
    end = start + timedelta(minutes=15 * draw(st.integers(1, 16)))
    return {"id": number, "title": draw(st.sampled_from(["Reception", "Lunch", "Tour", "Talks"])),
            "kind": draw(st.sampled_from(["meeting", "meal"])),
            "status": draw(st.sampled_from(["tentative", "confirmed", "cancelled"])),
            "starts_at": start.isoformat(timespec="seconds"), "ends_at": end.isoformat(timespec="seconds"),
            "venue": draw(venues), "principal": draw(st.sampled_from([None, MAYOR])), "responsible": draw(people),
            "city_participants": draw(st.sampled_from(["", "Councillors"])), "participants": [],
            "dress_code": draw(st.sampled_from(["", "Dark suit"])), "description": draw(st.text(max_size=5)),
            "translations": {}}


@st.composite
def snapshots(draw) -> dict:
    numbers = draw(st.sets(st.integers(1, 8), max_size=6))
    return programme(*[draw(items(number)) for number in sorted(numbers)],
                     hotel=draw(st.sampled_from(["Kastens Hotel", "Hotel Wiesler"])))


@settings(max_examples=150, deadline=None)
@given(snapshots())
def test_property_a_snapshot_never_differs_from_itself(snapshot):
    assert diff(snapshot, copy.deepcopy(snapshot)) == []


@settings(max_examples=300, deadline=None)
@given(snapshots(), snapshots())
def test_property_every_changed_item_is_reported_once_per_kind(old, new):
    changes = diff(old, new)
    item_changes = [(change.item_id, change.kind) for change in changes if not change.is_visit_level]
    assert len(item_changes) == len(set(item_changes))
    old_items = {entry["id"]: entry for entry in old["items"]}
    new_items = {entry["id"]: entry for entry in new["items"]}
    differing = {number for number in set(old_items) | set(new_items)
                 if old_items.get(number) != new_items.get(number)}
    assert {number for number, _kind in item_changes} == differing
    assert (snapshot_hash(old) == snapshot_hash(new)) == (changes == [])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snapshots(), snapshots())
def test_property_every_change_has_words(app, old, new):
    from flask_babel import force_locale
    for locale in ("en", "de"):
        with force_locale(locale):
            assert all(describe(change).strip() for change in diff(old, new))


def test_a_venue_named_in_the_title_is_not_repeated(words):
    old = programme(item(4, "Tour of the New Town Hall", "2027-03-26 16:00", "2027-03-26 17:00", venue=TOWN_HALL))
    new = changed(old, 4, starts_at=utc("2027-03-26 16:30"), ends_at=utc("2027-03-26 17:30"))
    assert words(diff(old, new)[0]) == "Tour of the New Town Hall moved from 16:00 to 16:30"


def test_a_hotel_given_or_dropped_reads_as_such(words):
    old = programme(RECEPTION, hotel="")
    new = programme(RECEPTION, hotel="Hotel Wiesler")
    assert [words(change) for change in diff(old, new)] == ["Hotel set: Hotel Wiesler"]
    assert [words(change) for change in diff(new, old)] == ["Hotel no longer given (was Hotel Wiesler)"]


def test_the_version_stamp_is_a_proper_date_in_each_language(app):
    from flask_babel import force_locale

    from delegations.releases.notices import stamp_text

    released = datetime(2027, 3, 12, 13, 5, tzinfo=timezone.utc)
    with force_locale("en"):
        assert stamp_text(3, released, "Europe/Berlin") == "Version 3, 12 March 2027, 14:05"
    with force_locale("de"):
        assert stamp_text(3, released, "Europe/Berlin") == "Version 3, 12. März 2027, 14:05"


def test_a_notice_to_a_principal_greets_their_office(app):
    from delegations.releases.diff import Person
    from delegations.releases.notices import PlannedNotice, compose

    changes = diff(programme(RECEPTION), changed(programme(RECEPTION), 1, starts_at=utc("2027-03-26 11:30"),
                                                  ends_at=utc("2027-03-26 12:30")))
    office = Person("principal:7", "Lord Mayor Weber", "mayor-office@example.org", "principal")
    text = compose(PlannedNotice(office, tuple(changes), "en"), delegation_title="Poznań", number=2,
                   released_at=datetime(2027, 3, 12, 13, 5, tzinfo=timezone.utc), zone="Europe/Berlin", note="",
                   home_city="Hannover").body
    assert text.startswith("Dear colleagues in the office of Lord Mayor Weber,\n\nThere is a new version of the "
                           "programme “Poznań”: Version 2, 12 March 2027, 14:05.\n")
    assert "- Reception at New Town Hall moved from 10:00 to 11:30" in text


def test_arrival_and_departure_moved_to_another_day_name_both_days(words):
    old = programme(RECEPTION)
    new = programme(RECEPTION, arrival_at=utc("2027-03-25 18:00"), departure_at=utc("2027-03-29 09:30"))
    assert [words(change) for change in diff(old, new)] == [
        "Arrival moved from Fri, Mar 26, 11:00 to Thu, Mar 25, 18:00",
        "Departure on Mon, Mar 29 moved from 15:00 to 09:30"]


# Rides ------------------------------------------------------------------------------------------------

def ride(number: int, pickup: str, **values) -> dict:
    return {"id": number, "kind": "pick_up", "pickup_at": utc(pickup), "timezone": "Europe/Berlin",
            "pickup_address": "Flughafen Hannover\nTerminal C", "destination": "Kastens Hotel Luisenhof\nLuisenstr. 1",
            "vehicle": "Van 1", "driver": BRANDT, "driver_phone": "", "passengers": [1], "notes": "", **values}


def with_rides(*rides: dict) -> dict:
    return {**programme(RECEPTION), "transfers": list(rides)}


def test_a_moved_pick_up_reaches_its_driver_in_words(words):
    changes = diff(with_rides(ride(1, "2027-03-26 10:40")), with_rides(ride(1, "2027-03-26 11:30")))
    assert [change.kind for change in changes] == [ChangeKind.TRANSFER_MOVED]
    assert words(changes[0]) == "Pick-up → Kastens Hotel Luisenhof: pick-up moved from 10:40 to 11:30"
    assert changes[0].concerns_key("contact:13")  # the driver, Thomas Brandt
    assert changes[0].concerns_key("contact:12")  # and the visit's lead, who organises the rides


def test_a_new_pick_up_address_and_a_new_driver_are_named(words):
    before = ride(1, "2027-03-26 10:40", driver={"id": None, "name": "Taxi Hallo", "email": ""})
    after = ride(1, "2027-03-26 10:40", pickup_address="Hauptbahnhof Hannover\nErnst-August-Platz", driver=BRANDT)
    changes = diff(with_rides(before), with_rides(after))
    texts = [words(change) for change in changes]
    assert texts == ["Pick-up → Kastens Hotel Luisenhof: pick-up address changed from Flughafen Hannover "
                     "to Hauptbahnhof Hannover",
                     "Pick-up → Kastens Hotel Luisenhof: driver changed from Taxi Hallo to Thomas Brandt"]
    # A driver known by name only is named among those concerned, with no address to write to.
    taxi = [person for person in people_concerned(changes) if person.kind == "driver"]
    assert [(person.name, person.email) for person in taxi] == [("Taxi Hallo", "")]


def test_added_and_cancelled_rides(words):
    added = diff(with_rides(), with_rides(ride(2, "2027-03-29 12:00", kind="drop_off",
                                               destination="Flughafen Hannover")))
    assert words(added[0]) == "Ride added: Drop-off → Flughafen Hannover, Mon, Mar 29, 12:00 from Flughafen Hannover"
    assert added[0].kind == ChangeKind.TRANSFER_ADDED and added[0].concerns_key("contact:13")
    removed = diff(with_rides(ride(1, "2027-03-26 10:40")), with_rides())
    assert words(removed[0]) == ("Ride cancelled: Pick-up → Kastens Hotel Luisenhof "
                                 "(was Fri, Mar 26, 10:40 from Flughafen Hannover)")


def test_rides_change_the_version_but_not_the_printed_programme():
    from delegations.releases.snapshot import printed_hash

    before, after = with_rides(ride(1, "2027-03-26 10:40")), with_rides(ride(1, "2027-03-26 11:30"))
    assert snapshot_hash(before) != snapshot_hash(after)  # the released version is out of date
    assert printed_hash(before) == printed_hash(after)  # printed programmes do not show rides: not stale
