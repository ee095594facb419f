"""Delegations, tours, members and programme items through their forms: create, edit, delete, and the
messages a planner sees for bad input (each beside its field, the input kept)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from delegations.constants import DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole, ProtocolLevel, Role
from delegations.extensions import db
from delegations.models import Delegation, Member, ProgrammeItem
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_principal, make_venue

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def planner(client):
    return sign_in(client, Role.PLANNER)


def visit_form(**values) -> dict:
    form = {
        "direction": "incoming", "title": "Delegation aus Poznań", "country_code": "PL", "city": "Poznań",
        "organisation": "Urząd Miasta Poznania", "is_partner_city": "y", "head_name": "Tomasz Kowalczyk",
        "head_function": "Stadtpräsident", "expected_size": "8", "arrival_at": "2027-05-03T09:00",
        "departure_at": "2027-05-05T18:00", "timezone": "", "languages": ["pl", "en"], "status": "planned",
        "protocol_level": "mayor", "hotel": "Kastens Hotel Luisenhof", "purpose": "Jahresgespräch",
        "notes": "Gastgeschenk: Buch", "lead_contact_id": "", "deputy_contact_id": "",
    }
    form.update(values)
    return form


def item_form(**values) -> dict:
    form = {"title": "Empfang im Rathaus", "kind": "reception", "starts_at": "2027-05-03T14:00",
            "ends_at": "2027-05-03T15:30", "venue_id": "", "principal_id": "", "responsible_id": "",
            "city_participants": "", "dress_code": "", "description": "", "internal_note": "", "status": "confirmed"}
    form.update(values)
    return form


def field_error(html: str, field_id: str) -> str:
    """The message shown beside one field (linked by aria-describedby), '' if none."""
    match = re.search(rf'<p class="kern-error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Delegations and tours ----------------------------------------------------------------------------

def test_planner_records_an_incoming_delegation(client, planner):
    lead, deputy = make_contact(name="Jonas Albrecht"), make_contact(name="Katrin Vogel")
    db.session.commit()
    response = client.post("/delegations/new", data=visit_form(lead_contact_id=str(lead.id),
                                                                deputy_contact_id=str(deputy.id)))
    assert response.status_code == 302
    visit = db.session.scalar(select(Delegation))
    assert response.location == f"/delegations/{visit.id}"
    assert visit.direction == Direction.INCOMING and visit.timezone == "Europe/Berlin"
    assert visit.arrival_at == datetime(2027, 5, 3, 7, 0, tzinfo=timezone.utc)  # 09:00 CEST
    assert visit.departure_at == datetime(2027, 5, 5, 16, 0, tzinfo=timezone.utc)
    assert (visit.country_code, visit.city, visit.is_partner_city, visit.expected_size) == ("PL", "Poznań", True, 8)
    assert visit.languages == ["pl", "en"]
    assert visit.status == DelegationStatus.PLANNED and visit.protocol_level == ProtocolLevel.MAYOR
    assert (visit.lead_contact, visit.deputy_contact) == (lead, deputy)
    page = client.get(response.location).text
    assert "Delegation aus Poznań" in page and "has been created" in page
    assert "Jonas Albrecht" in page and "Kastens Hotel Luisenhof" in page


def test_planner_records_an_outgoing_tour_in_the_destinations_zone(client, planner):
    response = client.post("/delegations/new", data=visit_form(
        direction="outgoing", title="Reise nach Hiroshima", country_code="JP", city="Hiroshima",
        arrival_at="2027-10-04T08:30", departure_at="2027-10-07T12:00", languages=["ja", "en"]))
    assert response.status_code == 302
    tour = db.session.scalar(select(Delegation))
    assert tour.direction == Direction.OUTGOING
    assert tour.timezone == "Asia/Tokyo"  # Japan has one zone: taken from the country
    assert tour.arrival_at == datetime(2027, 10, 4, 8, 30, tzinfo=TOKYO)
    assert tour.arrival_at == datetime(2027, 10, 3, 23, 30, tzinfo=timezone.utc)
    page = client.get(response.location).text
    assert "Asia/Tokyo" in page and "08:30" in page  # the arrival in the local time of the destination


def test_tour_to_a_country_with_several_zones_asks_for_the_zone(client, planner):
    response = client.post("/delegations/new", data=visit_form(direction="outgoing", country_code="US", city="Chicago"))
    assert response.status_code == 200
    assert "several time zones" in field_error(response.text, "timezone")
    assert count(Delegation) == 0
    response = client.post("/delegations/new", data=visit_form(direction="outgoing", country_code="US",
                                                               city="Chicago", timezone="America/Chicago"))
    assert response.status_code == 302
    assert db.session.scalar(select(Delegation.timezone)) == "America/Chicago"


def test_incoming_delegations_plan_in_home_time_whatever_zone_is_chosen(client, planner):
    client.post("/delegations/new", data=visit_form(timezone="Asia/Tokyo"))
    assert db.session.scalar(select(Delegation.timezone)) == "Europe/Berlin"


def test_new_tour_form_is_preset_to_outgoing(client, planner):
    page = client.get("/delegations/new?direction=outgoing").text
    assert "New outgoing tour" in page
    assert re.search(r'<option selected value="outgoing">|<option value="outgoing" selected>', page)
    assert client.get("/delegations/new?direction=sideways").status_code == 200


def test_departure_before_arrival_is_shown_beside_the_departure(client, planner):
    response = client.post("/delegations/new", data=visit_form(departure_at="2027-05-02T18:00"))
    assert response.status_code == 200
    assert field_error(response.text, "departure_at") == "The departure must be after the arrival."
    assert 'href="#departure_at"' in response.text  # the error summary links to the field
    assert 'value="2027-05-02T18:00"' in response.text and 'value="Delegation aus Poznań"' in response.text
    assert count(Delegation) == 0


def test_missing_required_fields_are_named(client, planner):
    response = client.post("/delegations/new", data=visit_form(title="", country_code="", arrival_at=""))
    assert response.status_code == 200
    for field_id in ("title", "country_code", "arrival_at"):
        assert field_error(response.text, field_id) == "Please fill in this field.", field_id
    assert 'aria-invalid="true"' in response.text


def test_nonsense_input_never_gives_a_server_error(client, planner):
    response = client.post("/delegations/new", data=visit_form(
        arrival_at="tomorrow", expected_size="many", status="exploded", country_code="XX", languages=["xx"],
        lead_contact_id="abc", direction="upwards"))
    assert response.status_code == 200
    assert count(Delegation) == 0


def test_dst_gap_arrival_is_refused_with_its_message(client, planner):
    response = client.post("/delegations/new", data=visit_form(arrival_at="2027-03-28T02:30",
                                                               departure_at="2027-03-29T12:00"))
    assert response.status_code == 200
    message = field_error(response.text, "arrival_at")
    assert "does not exist in Europe/Berlin" in message and "clocks jump forward" in message


def test_lead_and_deputy_must_differ(client, planner):
    contact = make_contact()
    db.session.commit()
    response = client.post("/delegations/new", data=visit_form(lead_contact_id=str(contact.id),
                                                               deputy_contact_id=str(contact.id)))
    assert "someone other than the lead" in field_error(response.text, "deputy_contact_id")


def test_edit_form_shows_local_times_and_saves_changes(client, planner):
    visit = make_delegation(title="Alt", arrival_at=berlin("2027-05-03 09:00"), languages=["pl"])
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/edit").text
    assert 'value="2027-05-03T09:00"' in page and 'value="2027-05-06T09:00"' in page
    response = client.post(f"/delegations/{visit.id}/edit", data=visit_form(
        title="Neu", arrival_at="2027-05-03T10:00", departure_at="2027-05-04T20:00", status="confirmed",
        version=str(visit.version)))
    assert response.status_code == 302
    db.session.expire_all()
    visit = db.session.get(Delegation, visit.id)
    assert visit.title == "Neu" and visit.status == DelegationStatus.CONFIRMED
    assert visit.arrival_at == berlin("2027-05-03 10:00") and visit.departure_at == berlin("2027-05-04 20:00")
    assert visit.version == 2


def test_shortening_a_stay_warns_about_items_now_outside(client, planner):
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
    make_item(visit, start=berlin("2027-05-05 10:00"), title="Abschlussgespräch")
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/edit", data=visit_form(
        arrival_at="2027-05-03T09:00", departure_at="2027-05-04T18:00", version=str(visit.version)),
        follow_redirects=True)
    assert "1 programme items now lie outside the stay" in response.text
    assert "Lies outside the stay." in response.text


def test_planner_deletes_a_delegation_with_its_programme(client, planner):
    visit = make_delegation()
    make_item(visit)
    make_member(visit)
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/delete")
    assert response.status_code == 302 and response.location == "/delegations/"
    assert (count(Delegation), count(ProgrammeItem), count(Member)) == (0, 0, 0)


# Members ------------------------------------------------------------------------------------------

def member_form(**values) -> dict:
    form = {"name": "Anna Wiśniewska", "role": "interpreter", "function": "Dolmetscherin",
            "organisation": "Urząd Miasta", "dietary_needs": "vegetarisch", "accessibility_needs": "Rollstuhl",
            "email": " anna@example.pl ", "phone": "+48 61 000"}
    form.update(values)
    return form


def test_planner_adds_edits_and_removes_a_member(client, planner):
    visit = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/members/new", data=member_form())
    assert response.status_code == 302 and response.location.endswith("#members")
    member = db.session.scalar(select(Member))
    assert (member.name, member.role, member.email) == ("Anna Wiśniewska", MemberRole.INTERPRETER, "anna@example.pl")
    assert (member.dietary_needs, member.accessibility_needs) == ("vegetarisch", "Rollstuhl")
    page = client.get(f"/delegations/{visit.id}").text
    assert "Anna Wiśniewska" in page and "vegetarisch" in page and "Interpreter" in page

    response = client.post(f"/delegations/{visit.id}/members/{member.id}/edit",
                           data=member_form(name="Anna Nowak", role="press", version=str(member.version)))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Member, member.id).name == "Anna Nowak"

    response = client.post(f"/delegations/{visit.id}/members/{member.id}/delete", follow_redirects=True)
    assert "Anna Nowak has been removed" in response.text
    assert count(Member) == 0


def test_save_and_add_another_returns_to_an_empty_form_and_keeps_the_order(client, planner):
    visit = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/members/new", data=member_form(name="Erste", next_action="another"))
    assert response.location == f"/delegations/{visit.id}/members/new"
    client.post(f"/delegations/{visit.id}/members/new", data=member_form(name="Zweite"))
    client.post(f"/delegations/{visit.id}/members/new", data=member_form(name="Aaron"))
    db.session.expire_all()
    assert [member.name for member in db.session.get(Delegation, visit.id).members] == ["Erste", "Zweite", "Aaron"]


def test_member_with_bad_email_or_unknown_role_is_refused(client, planner):
    visit = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/members/new", data=member_form(email="anna(at)example"))
    assert field_error(response.text, "email") == "Please enter a valid e-mail address."
    response = client.post(f"/delegations/{visit.id}/members/new", data=member_form(role="king", name=""))
    assert field_error(response.text, "name") == "Please fill in this field."
    assert field_error(response.text, "role") != ""
    assert count(Member) == 0


# Programme items ----------------------------------------------------------------------------------

def test_planner_adds_an_item_with_translations(client, planner):
    visit = make_delegation(languages=["pl", "en"])
    venue, contact, mayor = make_venue(name="Neues Rathaus", room="Mosaiksaal"), make_contact(), make_principal()
    db.session.commit()
    form_page = client.get(f"/delegations/{visit.id}/items/new").text
    assert 'name="title_en"' in form_page and 'name="title_pl"' in form_page and 'lang="pl"' in form_page
    assert 'name="title_de"' not in form_page  # German is the base text
    response = client.post(f"/delegations/{visit.id}/items/new", data=item_form(
        venue_id=str(venue.id), responsible_id=str(contact.id), principal_id=str(mayor.id),
        dress_code="Dunkler Anzug", description="Eintrag in das Goldene Buch", internal_note="Fotograf bestellt",
        city_participants="Fachbereich Umwelt",
        title_en="Reception at the Town Hall", description_en="Signing of the Golden Book",
        title_pl="Przyjęcie w ratuszu", description_pl=""))
    assert response.status_code == 302
    item = db.session.scalar(select(ProgrammeItem))
    assert response.location == f"/delegations/{visit.id}#item-{item.id}"
    assert item.starts_at == berlin("2027-05-03 14:00") and item.ends_at == berlin("2027-05-03 15:30")
    assert (item.kind, item.status, item.venue, item.responsible, item.principal) == (
        ItemKind.RECEPTION, ItemStatus.CONFIRMED, venue, contact, mayor)
    assert item.mayor_participates
    assert {t.language: (t.title, t.description) for t in item.translations} == {
        "en": ("Reception at the Town Hall", "Signing of the Golden Book"), "pl": ("Przyjęcie w ratuszu", "")}
    page = client.get(f"/delegations/{visit.id}").text
    assert "Empfang im Rathaus" in page and "Przyjęcie w ratuszu" in page and "Neues Rathaus, Mosaiksaal" in page


def test_editing_an_item_changes_and_removes_translations(client, planner):
    visit = make_delegation(languages=["pl"])
    db.session.commit()
    client.post(f"/delegations/{visit.id}/items/new", data=item_form(title_en="Reception", title_pl="Przyjęcie"))
    item = db.session.scalar(select(ProgrammeItem))
    page = client.get(f"/delegations/{visit.id}/items/{item.id}/edit").text
    assert 'value="Przyjęcie"' in page and 'value="2027-05-03T14:00"' in page
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/edit", data=item_form(
        title="Empfang (verschoben)", starts_at="2027-05-04T10:00", ends_at="2027-05-04T11:00",
        title_en="Reception (moved)", title_pl="", version=str(item.version)))
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(ProgrammeItem, item.id)
    assert item.title == "Empfang (verschoben)" and item.starts_at == berlin("2027-05-04 10:00")
    assert [(t.language, t.title) for t in item.translations] == [("en", "Reception (moved)")]


def test_planner_deletes_an_item(client, planner):
    visit = make_delegation()
    item = make_item(visit, title="Weg damit")
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/delete", follow_redirects=True)
    assert "“Weg damit” has been removed from the programme." in response.text
    assert count(ProgrammeItem) == 0


def test_new_item_form_suggests_ten_oclock_on_the_chosen_day(client, planner):
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/items/new?day=2027-05-04").text
    assert 'value="2027-05-04T10:00"' in page and 'value="2027-05-04T11:00"' in page
    page = client.get(f"/delegations/{visit.id}/items/new?day=nonsense").text
    assert 'value="2027-05-03T10:00"' in page


def test_end_before_start_is_shown_beside_the_end(client, planner):
    visit = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/new", data=item_form(ends_at="2027-05-03T13:00"))
    assert response.status_code == 200
    assert field_error(response.text, "ends_at") == "The end must be after the start."
    assert 'value="2027-05-03T13:00"' in response.text and 'value="Empfang im Rathaus"' in response.text
    assert count(ProgrammeItem) == 0


def test_item_outside_the_stay_is_refused_with_its_message(client, planner):
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))  # until 2027-05-06 09:00
    db.session.commit()
    for start, end in (("2027-05-03T08:00", "2027-05-03T10:00"), ("2027-05-06T08:30", "2027-05-06T09:30"),
                       ("2027-05-10T10:00", "2027-05-10T11:00")):
        response = client.post(f"/delegations/{visit.id}/items/new", data=item_form(starts_at=start, ends_at=end))
        assert response.status_code == 200
        assert field_error(response.text, "starts_at").startswith("The item lies outside the stay"), start
    assert count(ProgrammeItem) == 0


def test_dst_gap_time_of_an_item_is_refused_with_its_message(client, planner):
    visit = make_delegation(arrival_at=berlin("2027-03-27 09:00"))
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/new",
                           data=item_form(starts_at="2027-03-28T02:30", ends_at="2027-03-28T04:00"))
    assert response.status_code == 200
    assert field_error(response.text, "starts_at") == (
        "This time does not exist in Europe/Berlin: the clocks jump forward that night. Choose a time after the change.")
    assert count(ProgrammeItem) == 0
    response = client.post(f"/delegations/{visit.id}/items/new",
                           data=item_form(starts_at="2027-03-28T03:00", ends_at="2027-03-28T04:00"))
    assert response.status_code == 302


def test_item_in_the_october_fold_means_the_first_occurrence(client, planner):
    visit = make_delegation(arrival_at=berlin("2027-10-30 09:00"))
    db.session.commit()
    client.post(f"/delegations/{visit.id}/items/new", data=item_form(starts_at="2027-10-31T02:30",
                                                                     ends_at="2027-10-31T03:30"))
    item = db.session.scalar(select(ProgrammeItem))
    assert item.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST
    assert item.ends_at - item.starts_at == timedelta(hours=2)  # the clock shows 03:30 CET two hours later


def test_tour_items_are_entered_in_tokyo_time(client, planner):
    tour = make_delegation(direction=Direction.OUTGOING, timezone="Asia/Tokyo", country_code="JP",
                           arrival_at=datetime(2027, 10, 4, 8, 30, tzinfo=TOKYO))
    db.session.commit()
    response = client.post(f"/delegations/{tour.id}/items/new", data=item_form(
        starts_at="2027-10-05T10:00", ends_at="2027-10-05T11:30"))
    assert response.status_code == 302
    item = db.session.scalar(select(ProgrammeItem))
    assert item.starts_at == datetime(2027, 10, 5, 1, 0, tzinfo=timezone.utc)
    page = client.get(f"/delegations/{tour.id}/items/{item.id}/edit").text
    assert 'value="2027-10-05T10:00"' in page and "Asia/Tokyo" in page


# Optimistic locking -------------------------------------------------------------------------------

def test_second_save_of_an_item_is_refused_and_keeps_its_input(app, client, planner):
    visit = make_delegation()
    item = make_item(visit, start=berlin("2027-05-03 14:00"), title="Empfang")
    db.session.commit()
    other = app.test_client()
    sign_in(other, Role.PLANNER, email="colleague@example.org")
    mine = client.get(f"/delegations/{visit.id}/items/{item.id}/edit").text
    theirs = other.get(f"/delegations/{visit.id}/items/{item.id}/edit").text
    version = re.search(r'name="version" type="hidden" value="(\d+)"|type="hidden" name="version" value="(\d+)"|'
                        r'id="version" name="version" type="hidden" value="(\d+)"', mine)
    opened = next(group for group in version.groups() if group)
    assert opened in theirs
    response = other.post(f"/delegations/{visit.id}/items/{item.id}/edit", data=item_form(
        title="Empfang (Kollegin)", version=opened))
    assert response.status_code == 302
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/edit", data=item_form(
        title="Empfang (meine Fassung)", dress_code="Tracht", version=opened))
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it." in response.text
    assert 'value="Empfang (meine Fassung)"' in response.text and 'value="Tracht"' in response.text
    assert "Empfang (Kollegin)" in response.text  # shown as the value saved meanwhile
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).title == "Empfang (Kollegin)"
    # Saving the form again is a deliberate choice and now wins.
    fresh = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', response.text)
    newer = next(group for group in fresh.groups() if group)
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/edit", data=item_form(
        title="Empfang (meine Fassung)", version=newer))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).title == "Empfang (meine Fassung)"


def test_second_save_of_a_delegation_is_refused_and_keeps_its_input(app, client, planner):
    visit = make_delegation(title="Besuch")
    db.session.commit()
    opened = str(visit.version)
    other = app.test_client()
    sign_in(other, Role.PLANNER, email="colleague@example.org")
    assert other.post(f"/delegations/{visit.id}/edit", data=visit_form(title="Besuch (Kollege)",
                                                                       version=opened)).status_code == 302
    response = client.post(f"/delegations/{visit.id}/edit", data=visit_form(title="Besuch (meine Fassung)",
                                                                            hotel="Anderes Hotel", version=opened))
    assert response.status_code == 200
    assert "Someone else saved this record while you were editing it." in response.text
    assert 'value="Besuch (meine Fassung)"' in response.text and "Anderes Hotel" in response.text
    db.session.expire_all()
    assert db.session.get(Delegation, visit.id).title == "Besuch (Kollege)"


def test_a_translation_only_change_also_counts_as_a_change(app, client, planner):
    visit = make_delegation(languages=["pl"])
    item = make_item(visit, start=berlin("2027-05-03 14:00"), minutes=90, title="Empfang im Rathaus",
                     kind=ItemKind.RECEPTION)
    db.session.commit()
    opened = str(item.version)
    base = item_form(version=opened)
    assert client.post(f"/delegations/{visit.id}/items/{item.id}/edit",
                       data={**base, "title_pl": "Przyjęcie"}).status_code == 302
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/edit", data={**base, "title_pl": "Powitanie"})
    assert "Someone else saved this record" in response.text
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).translation("pl").title == "Przyjęcie"


def test_every_problem_of_an_item_is_shown_at_once(client, planner):
    visit = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/new", data=item_form(title="", ends_at="2027-05-03T13:00"))
    assert field_error(response.text, "title") == "Please fill in this field."
    assert field_error(response.text, "ends_at") == "The end must be after the start."


def test_every_problem_of_a_delegation_is_shown_at_once(client, planner):
    response = client.post("/delegations/new", data=visit_form(title="", departure_at="2027-05-01T10:00"))
    assert field_error(response.text, "title") == "Please fill in this field."
    assert field_error(response.text, "departure_at") == "The departure must be after the arrival."
    response = client.post("/delegations/new", data=visit_form(direction="outgoing", country_code="", title=""))
    assert field_error(response.text, "country_code") == "Please fill in this field."
    assert field_error(response.text, "timezone") == ""  # no zone question before the country is known
