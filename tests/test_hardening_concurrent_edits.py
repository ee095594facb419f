"""Two planners, one record: no silent overwrite on save, and no delete of a record changed meanwhile."""
from __future__ import annotations

import re

import pytest

from delegations.auth.operations import create_user
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import ContactPerson, Delegation, Member, ProgrammeItem, Venue
from tests.conftest import PASSWORD, log_in
from tests.factories import make_contact, make_delegation, make_item, make_member, make_venue

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def two_planners(app):
    clients = []
    for name in ("Pia Planer", "Jonas Albrecht"):
        user = create_user(f"{name.split()[0].lower()}@example.org", PASSWORD, Role.PLANNER, name=name, locale="en")
        db.session.commit()
        client = app.test_client()
        assert log_in(client, user.email).status_code == 302
        clients.append(client)
    return clients


def opened_version(html: str) -> str:
    """The version the page's form carries (what a browser would send back)."""
    match = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(r'value="(\d+)"[^>]*name="version"', html)
    assert match, "no version in the form"
    return match.group(1)


def form_fields(html: str) -> dict:
    """The text inputs, selects and textareas of the page's main form, as the browser would send them."""
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        fields.setdefault(name, value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option value="([^"]*)"[^>]*selected', body)
        if selected:
            fields[name] = selected.group(1) or selected.group(2) or ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = body.strip()
    fields.pop("csrf_token", None)
    return fields


def test_second_save_of_an_item_is_refused_and_keeps_the_input(two_planners):
    first, second = two_planners
    delegation = make_delegation()
    item = make_item(delegation, title="Reception")
    db.session.commit()
    url = f"/delegations/{delegation.id}/items/{item.id}/edit"
    form_a, form_b = form_fields(first.get(url).text), form_fields(second.get(url).text)

    assert first.post(url, data={**form_a, "title": "Reception with the Mayor"}).status_code == 302
    response = second.post(url, data={**form_b, "title": "Reception in the Hodler hall"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    assert "Reception with the Mayor" in response.text          # what the other planner saved
    assert 'value="Reception in the Hodler hall"' in response.text  # the own input, kept
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).title == "Reception with the Mayor"
    # Saving again is a deliberate choice and then wins.
    again = form_fields(response.text)
    assert second.post(url, data=again).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).title == "Reception in the Hodler hall"


def test_second_save_of_a_delegation_is_refused(two_planners):
    first, second = two_planners
    delegation = make_delegation(title="Partner city visit")
    db.session.commit()
    url = f"/delegations/{delegation.id}/edit"
    form_a, form_b = form_fields(first.get(url).text), form_fields(second.get(url).text)
    assert first.post(url, data={**form_a, "hotel": "Kastens Hotel Luisenhof"}).status_code == 302
    response = second.post(url, data={**form_b, "hotel": "Hotel Wiegand"})
    assert response.status_code == 200 and "Someone else saved this record" in response.text
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).hotel == "Kastens Hotel Luisenhof"


@pytest.mark.parametrize("kind", ["item", "member", "delegation", "contact", "venue"])
def test_delete_is_refused_when_the_record_changed_since_the_page_was_opened(two_planners, kind):
    first, second = two_planners
    delegation = make_delegation()
    records = {
        "item": lambda: make_item(delegation),
        "member": lambda: make_member(delegation),
        "delegation": lambda: delegation,
        "contact": lambda: make_contact(),
        "venue": lambda: make_venue(),
    }
    record = records[kind]()
    db.session.commit()
    edit_url, delete_url, change = {
        "item": (f"/delegations/{delegation.id}/items/{record.id}/edit",
                 f"/delegations/{delegation.id}/items/{record.id}/delete", lambda r: setattr(r, "title", "New")),
        "member": (f"/delegations/{delegation.id}/members/{record.id}/edit",
                   f"/delegations/{delegation.id}/members/{record.id}/delete", lambda r: setattr(r, "phone", "+1")),
        "delegation": (f"/delegations/{delegation.id}/edit", f"/delegations/{delegation.id}/delete",
                       lambda r: setattr(r, "hotel", "Elsewhere")),
        "contact": (f"/contacts/{record.id}/edit", f"/contacts/{record.id}/delete",
                    lambda r: setattr(r, "phone", "+49 1")),
        "venue": (f"/venues/{record.id}/edit", f"/venues/{record.id}/delete", lambda r: setattr(r, "notes", "New")),
    }[kind]
    page = first.get(edit_url).text
    version = opened_version(page.split(delete_url)[1])  # the delete form's own hidden field
    assert version == str(record.version)

    change(record)  # the second planner saves a change meanwhile
    db.session.commit()

    response = first.post(delete_url, data={"version": version}, follow_redirects=True)
    assert "was not deleted" in response.text
    model = type(record)
    db.session.expire_all()
    assert db.session.get(model, record.id) is not None

    # Opened again, the page carries the new version and the delete goes through.
    page = first.get(edit_url).text
    response = first.post(delete_url, data={"version": opened_version(page.split(delete_url)[1])})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(model, record.id) is None


def test_a_delete_racing_a_save_is_caught_by_the_versioned_delete(app):
    """The version matched when read, but a commit slipped in before the DELETE: nothing is deleted."""
    from sqlalchemy import update

    from delegations.records import delete_unless_changed

    delegation = make_delegation()
    item = make_item(delegation, title="Lunch")
    db.session.commit()
    opened = item.version
    # This worker holds the row as it read it (no open transaction: SQLite would refuse a stale snapshot anyway).
    db.session.close()
    db.session.add(item)
    with db.engine.begin() as other_connection:  # another worker's committed save
        other_connection.execute(update(ProgrammeItem).where(ProgrammeItem.id == item.id)
                                 .values(title="Lunch at the Ratskeller", version=ProgrammeItem.version + 1))
    problem = delete_unless_changed(item, opened)
    assert problem and "not deleted" in problem
    db.session.expire_all()
    assert db.session.get(ProgrammeItem, item.id).title == "Lunch at the Ratskeller"


def test_contact_and_venue_models_are_versioned():
    for model in (ContactPerson, Venue, Member, ProgrammeItem, Delegation):
        assert model.__mapper__.version_id_col is not None
