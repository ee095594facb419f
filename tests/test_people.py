"""Contact persons and venues through their forms, and the travel times between venues."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import ContactPerson, Venue, VenueTravelTime
from delegations.people.operations import set_travel_minutes, travel_minutes_between
from tests.accounts import sign_in
from tests.factories import make_contact, make_delegation, make_item, make_venue


@pytest.fixture
def planner(client):
    return sign_in(client, Role.PLANNER)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_planner_creates_edits_and_deletes_a_contact_person(client, planner):
    response = client.post("/contacts/new", data={
        "name": "Mei Lin Schröder", "function": "Referentin Asien", "phone": "+49 511 168-41003",
        "email": " meilin@example.org", "languages": ["de", "zh"], "active": "y"})
    assert response.status_code == 302
    contact = db.session.scalar(select(ContactPerson))
    assert (contact.name, contact.email, contact.languages, contact.active, contact.version) == (
        "Mei Lin Schröder", "meilin@example.org", ["de", "zh"], True, 1)
    page = client.get("/contacts/").text
    assert "Mei Lin Schröder" in page and "Chinese" in page and 'href="tel:+49511168-41003"' in page

    response = client.post(f"/contacts/{contact.id}/edit", data={
        "name": "Mei Lin Schröder", "function": "Leiterin Asien", "languages": ["zh"], "version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    contact = db.session.get(ContactPerson, contact.id)
    assert (contact.function, contact.languages, contact.active) == ("Leiterin Asien", ["zh"], False)
    assert "not available" in client.get("/contacts/").text

    response = client.post(f"/contacts/{contact.id}/delete", follow_redirects=True)
    assert "has been deleted" in response.text
    assert count(ContactPerson) == 0


def test_contact_search_finds_by_name_and_function(client, planner):
    make_contact(name="Katrin Vogel", function="Leiterin")
    make_contact(name="Thomas Brandt", function="Fahrdienst")
    db.session.commit()
    page = client.get("/contacts/?q=fahr").text
    assert "Thomas Brandt" in page and "Katrin Vogel" not in page
    page = client.get("/contacts/?q=VOGEL").text
    assert "Katrin Vogel" in page and "Thomas Brandt" not in page


def test_contact_in_use_is_not_deleted(client, planner):
    contact = make_contact(name="Jonas Albrecht")
    make_delegation(lead_contact_id=contact.id)
    db.session.commit()
    response = client.post(f"/contacts/{contact.id}/delete", follow_redirects=True)
    assert "still assigned" in response.text
    assert count(ContactPerson) == 1


def test_inactive_contacts_are_not_offered_unless_already_assigned(client, planner):
    gone = make_contact(name="Former Colleague", active=False)
    make_contact(name="Present Colleague")
    visit = make_delegation()
    other = make_delegation(lead_contact_id=gone.id)
    db.session.commit()
    assert "Former Colleague" not in client.get(f"/delegations/{visit.id}/edit").text
    assert "Former Colleague" in client.get(f"/delegations/{other.id}/edit").text


def test_contact_needs_a_name_and_a_valid_email(client, planner):
    response = client.post("/contacts/new", data={"name": "", "email": "nope"})
    assert response.status_code == 200
    assert "Please fill in this field." in response.text and "Please enter a valid e-mail address." in response.text
    response = client.post("/contacts/new", data={"name": "X", "languages": ["klingon"]})
    assert "Unknown choice: klingon" in response.text
    assert count(ContactPerson) == 0


def test_planner_creates_edits_and_deletes_a_venue(client, planner):
    response = client.post("/venues/new", data={"name": "Neues Rathaus", "room": "Mosaiksaal",
                                                "address": "Trammplatz 2\n30159 Hannover",
                                                "notes": "Barrierefreier Zugang Seiteneingang"})
    assert response.status_code == 302
    venue = db.session.scalar(select(Venue))
    assert response.location == f"/venues/{venue.id}"
    assert venue.label == "Neues Rathaus, Mosaiksaal" and venue.version == 1
    page = client.get(response.location).text
    assert "Trammplatz 2" in page and "Barrierefreier Zugang" in page
    response = client.post(f"/venues/{venue.id}/edit", data={"name": "Neues Rathaus", "room": "Hodlersaal",
                                                             "address": "", "notes": "", "version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).room == "Hodlersaal"
    response = client.post(f"/venues/{venue.id}/delete", follow_redirects=True)
    assert "has been deleted" in response.text and count(Venue) == 0


def test_venue_of_programme_items_is_not_deleted(client, planner):
    venue = make_venue(name="Sprengel Museum")
    make_item(make_delegation(), venue=venue)
    db.session.commit()
    response = client.post(f"/venues/{venue.id}/delete", follow_redirects=True)
    assert "is the venue of 1 programme items" in response.text and count(Venue) == 1


def test_second_save_of_a_venue_is_refused(app, client, planner):
    venue = make_venue(name="Sprengel Museum")
    db.session.commit()
    other = app.test_client()
    sign_in(other, Role.PLANNER, email="colleague@example.org")
    other.post(f"/venues/{venue.id}/edit", data={"name": "Sprengel Museum Hannover", "version": "1"})
    response = client.post(f"/venues/{venue.id}/edit", data={"name": "Sprengel", "room": "Foyer", "version": "1"})
    assert "Someone else saved this record" in response.text and 'value="Foyer"' in response.text


def test_planner_records_travel_times_in_both_directions(client, planner):
    town_hall, gardens, museum = make_venue(name="Rathaus"), make_venue(name="Herrenhausen"), make_venue(name="Museum")
    db.session.commit()
    response = client.post(f"/venues/{gardens.id}/travel-times", data={"other_venue": str(town_hall.id), "minutes": "20"})
    assert response.status_code == 302
    assert "Herrenhausen" in client.get(f"/venues/{town_hall.id}").text
    assert "20 minutes" in client.get(f"/venues/{town_hall.id}").text
    client.post(f"/venues/{town_hall.id}/travel-times", data={"other_venue": str(gardens.id), "minutes": "25"})
    assert count(VenueTravelTime) == 1
    assert travel_minutes_between({town_hall.id, gardens.id, museum.id}) == {
        (town_hall.id, gardens.id): 25, (gardens.id, town_hall.id): 25}


def test_bad_travel_times_are_refused(client, planner):
    first, second = make_venue(), make_venue()
    db.session.commit()
    response = client.post(f"/venues/{first.id}/travel-times", data={"other_venue": str(second.id), "minutes": "-5"})
    assert response.status_code == 200 and "between 0 and 1440 minutes" in response.text
    response = client.post(f"/venues/{first.id}/travel-times", data={"other_venue": str(first.id), "minutes": "5"})
    assert "Not a valid choice" in response.text
    response = client.post(f"/venues/{first.id}/travel-times", data={"other_venue": "x", "minutes": "5"})
    assert 'id="other_venue-error"' in response.text
    assert count(VenueTravelTime) == 0
    with pytest.raises(ValueError):
        set_travel_minutes(first, first, 3)


def test_rooms_of_one_building_are_told_apart(client, planner):
    hall = make_venue(name="Neues Rathaus", room="Mosaiksaal")
    other_hall = make_venue(name="Neues Rathaus", room="Hodlersaal")
    db.session.commit()
    page = client.get(f"/venues/{hall.id}").text
    assert "<h1" in page and "Neues Rathaus, Mosaiksaal</h1>" in page
    assert f'<option value="{other_hall.id}">Neues Rathaus, Hodlersaal</option>' in page
    client.post(f"/venues/{hall.id}/travel-times", data={"other_venue": str(other_hall.id), "minutes": "5"})
    assert "Neues Rathaus, Hodlersaal</a>: 5 minutes" in client.get(f"/venues/{hall.id}").text
