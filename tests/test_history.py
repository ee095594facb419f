"""The history of changes: every kind of change is recorded by itself, shown as readable sentences in
the place's time, secrets never enter it, and a deleted item or member can be restored from it."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from delegations.auth.operations import create_user
from delegations.constants import ItemStatus, Role
from delegations.extensions import db
from delegations.models import (AuditEntry, ContactPerson, Delegation, Member, ProgrammeItem,
                                ProgrammeItemTranslation, User, Venue)
from delegations.zones import to_wall_clock
from tests.conftest import PASSWORD, log_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_venue


def sign_in(client, role="planner", name="Pia Planer", email=None):
    user = create_user(email or f"{role}@example.org", PASSWORD, Role(role), name=name, locale="en")
    db.session.commit()
    assert log_in(client, user.email).status_code == 302
    return user


def entries(**filters) -> list[AuditEntry]:
    statement = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in filters.items():
        statement = statement.where(getattr(AuditEntry, key) == value)
    return list(db.session.scalars(statement))


def item_form_data(item: ProgrammeItem, **overrides) -> dict:
    zone = item.delegation.timezone
    data = {
        "title": item.title, "kind": item.kind.value, "status": item.status.value,
        "starts_at": to_wall_clock(item.starts_at, zone).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": to_wall_clock(item.ends_at, zone).strftime("%Y-%m-%dT%H:%M"),
        "venue_id": str(item.venue_id or ""), "principal_id": "", "responsible_id": str(item.responsible_id or ""),
        "city_participants": item.city_participants, "dress_code": item.dress_code,
        "description": item.description, "internal_note": item.internal_note, "version": str(item.version),
    }
    data.update(overrides)
    return data


def test_moving_an_item_reads_as_a_sentence_in_the_place_time(client):
    planner = sign_in(client)
    delegation = make_delegation(timezone="Europe/Berlin")
    item = make_item(delegation, start=berlin("2027-05-03 10:00"), minutes=60,
                     title="Reception at the New Town Hall")
    db.session.commit()

    response = client.post(f"/delegations/{delegation.id}/items/{item.id}/edit",
                           data=item_form_data(item, starts_at="2027-05-03T11:30", ends_at="2027-05-03T12:30"))
    assert response.status_code == 302

    [entry] = entries(entity_type="programme_item", action="updated")
    assert entry.actor_id == planner.id and entry.actor_name == "Pia Planer"
    assert entry.delegation_id == delegation.id and entry.entity_id == item.id
    assert set(entry.changes) == {"starts_at", "ends_at"}
    page = client.get(f"/delegations/{delegation.id}/history")
    assert page.status_code == 200
    assert "Pia Planer moved “Reception at the New Town Hall” from 10:00 to 11:30" in page.text
    # The end moved with the start: the sentence says it all, no separate "End" row.
    shown = page.text.split(f'id="change-{entry.id}"')[1].split("</li>")[0]
    assert ">End<" not in shown


def test_moving_to_another_day_names_the_days(client):
    sign_in(client)
    delegation = make_delegation()
    item = make_item(delegation, start=berlin("2027-05-03 10:00"), title="Harbour tour")
    db.session.commit()
    client.post(f"/delegations/{delegation.id}/items/{item.id}/edit",
                data=item_form_data(item, starts_at="2027-05-04T09:00", ends_at="2027-05-04T10:00"))
    page = client.get(f"/delegations/{delegation.id}/history").text
    assert "moved “Harbour tour” from Mon, May 3, 2027, 10:00 to Tue, May 4, 2027, 09:00" in page


def test_times_are_shown_in_the_zone_of_the_place(client):
    sign_in(client)
    from datetime import datetime
    from delegations.constants import Direction
    from delegations.zones import attach_zone
    arrival = attach_zone(datetime(2027, 5, 10, 8, 0), "Asia/Tokyo")
    tour = make_delegation(direction=Direction.OUTGOING, country_code="JP", timezone="Asia/Tokyo",
                           arrival_at=arrival, departure_at=arrival + timedelta(days=3))
    item = make_item(tour, start=attach_zone(datetime(2027, 5, 10, 10, 0), "Asia/Tokyo"), title="Peace Park")
    db.session.commit()
    client.post(f"/delegations/{tour.id}/items/{item.id}/edit",
                data=item_form_data(item, starts_at="2027-05-10T14:00", ends_at="2027-05-10T15:00"))
    page = client.get(f"/delegations/{tour.id}/history").text
    assert "moved “Peace Park” from 10:00 to 14:00" in page


def test_every_kind_of_change_is_recorded(client):
    planner = sign_in(client)
    venue = make_venue(name="Neues Rathaus", room="Mosaiksaal")
    contact = make_contact(name="Katrin Vogel")
    db.session.commit()

    # Delegation: created, updated, (deleted below)
    delegation = Delegation(title="Partner city Poznań", country_code="PL", arrival_at=berlin("2027-05-03 09:00"),
                            departure_at=berlin("2027-05-06 18:00"), timezone="Europe/Berlin")
    db.session.add(delegation)
    db.session.commit()
    delegation.status = "confirmed"
    delegation.lead_contact_id = contact.id
    db.session.commit()

    member = make_member(delegation, name="Anna Nowak", dietary_needs="vegetarian")
    db.session.commit()
    member.phone = "+48 61 000"
    db.session.commit()

    item = make_item(delegation, title="City tour", venue=venue)
    db.session.commit()
    item.translations.append(ProgrammeItemTranslation(language="pl", title="Zwiedzanie miasta"))
    db.session.commit()
    item.status = ItemStatus.CANCELLED
    item.translations[0].title = "Wycieczka po mieście"
    db.session.commit()

    venue.notes = "Side entrance"
    contact.phone = "+49 511 2"
    db.session.commit()
    user = db.session.get(User, planner.id)
    user.name = "Pia Planer-Schulz"
    user.set_password("another-long-passphrase")
    db.session.commit()

    db.session.delete(member)
    db.session.delete(item)
    db.session.commit()
    db.session.delete(venue)
    db.session.delete(contact)
    db.session.commit()

    recorded = {(entry.entity_type, entry.action) for entry in entries()}
    for expected in [("delegation", "created"), ("delegation", "updated"), ("member", "created"),
                     ("member", "updated"), ("member", "deleted"), ("programme_item", "created"),
                     ("programme_item", "updated"), ("programme_item", "deleted"), ("venue", "created"),
                     ("venue", "updated"), ("venue", "deleted"), ("contact_person", "created"),
                     ("contact_person", "updated"), ("contact_person", "deleted"), ("user", "created"),
                     ("user", "updated")]:
        assert expected in recorded, expected

    delegation_update = entries(entity_type="delegation", action="updated")[0]
    assert delegation_update.changes["status"] == ["planned", "confirmed"] or \
        delegation_update.changes["status"][1] == "confirmed"
    assert delegation_update.changes["lead_contact_id"] == [None, contact.id]
    translation_changes = [entry.changes for entry in entries(entity_type="programme_item", action="updated")]
    assert {"translation.pl.title": [None, "Zwiedzanie miasta"]} in translation_changes
    assert any(changes.get("translation.pl.title") == ["Zwiedzanie miasta", "Wycieczka po mieście"]
               and changes.get("status") == ["confirmed", "cancelled"] for changes in translation_changes)
    deleted_item = entries(entity_type="programme_item", action="deleted")[0]
    assert deleted_item.snapshot["title"] == "City tour"
    assert deleted_item.snapshot["translations"] == [
        {"language": "pl", "title": "Wycieczka po mieście", "description": ""}]
    assert deleted_item.delegation_id == delegation.id


def test_secrets_never_enter_the_history(client):
    planner = sign_in(client)
    user = db.session.get(User, planner.id)
    old_hash, old_nonce = user.password_hash, user.session_nonce
    user.set_password("another-long-passphrase")
    from delegations.auth.operations import end_sessions
    end_sessions(user)
    db.session.commit()
    everything = [str(entry.changes) + str(entry.snapshot) for entry in entries()]
    for text in everything:
        assert old_hash not in text and user.password_hash not in text
        assert old_nonce not in text and user.session_nonce not in text
        assert "password_hash" not in text and "session_nonce" not in text
    [update] = entries(entity_type="user", action="updated")
    assert update.changes == {"password": [None, None]}


def test_a_failed_save_leaves_no_history(client):
    sign_in(client)
    delegation = make_delegation()
    item = make_item(delegation, title="Lunch")
    db.session.commit()
    stale = item_form_data(item, title="Lunch in the Ratskeller")
    item.title = "Lunch at the hotel"
    db.session.commit()
    before = len(entries())
    response = client.post(f"/delegations/{delegation.id}/items/{item.id}/edit", data=stale)
    assert response.status_code == 200  # the conflict is shown
    assert len(entries()) == before


def test_viewer_reads_the_history_but_cannot_restore(client):
    delegation = make_delegation()
    item = make_item(delegation, title="Boat trip")
    db.session.commit()
    db.session.delete(item)
    db.session.commit()
    sign_in(client, "viewer", name="Mayor's office")
    page = client.get(f"/delegations/{delegation.id}/history")
    assert page.status_code == 200
    assert "deleted “Boat trip” from the programme" in page.text
    assert "Restore" not in page.text
    entry = entries(action="deleted")[0]
    response = client.post(f"/delegations/{delegation.id}/history/{entry.id}/restore")
    assert response.status_code == 403


def test_planner_restores_a_deleted_item_with_its_translations(client):
    sign_in(client)
    venue = make_venue(name="Herrenhäuser Gärten")
    delegation = make_delegation()
    item = make_item(delegation, title="Garden walk", venue=venue, description="With the head gardener")
    item.translations.append(ProgrammeItemTranslation(language="pl", title="Spacer po ogrodach"))
    db.session.commit()
    item_id, starts_at = item.id, item.starts_at
    response = client.post(f"/delegations/{delegation.id}/items/{item_id}/delete", data={"version": item.version})
    assert response.status_code == 302
    assert db.session.get(ProgrammeItem, item_id) is None

    page = client.get(f"/delegations/{delegation.id}/history").text
    assert "Restore “Garden walk”" in page
    deleted = entries(action="deleted", entity_type="programme_item")[0]
    response = client.post(f"/delegations/{delegation.id}/history/{deleted.id}/restore")
    assert response.status_code == 302
    db.session.expire_all()
    restored = db.session.get(ProgrammeItem, item_id)
    assert restored is not None and restored.title == "Garden walk"
    assert restored.starts_at == starts_at and restored.venue_id == venue.id
    assert restored.description == "With the head gardener"
    assert [(t.language, t.title) for t in restored.translations] == [("pl", "Spacer po ogrodach")]
    assert entries(action="restored")[0].entity_id == item_id
    page = client.get(f"/delegations/{delegation.id}/history").text
    assert "restored “Garden walk” in the programme" in page
    assert "Restore “Garden walk”" not in page  # the id is taken again: no second restore

    again = client.post(f"/delegations/{delegation.id}/history/{deleted.id}/restore", follow_redirects=True)
    assert "exists already" in again.text
    assert db.session.scalar(select(db.func.count()).select_from(ProgrammeItem)) == 1


def test_restored_item_loses_a_venue_deleted_since(client):
    sign_in(client)
    venue = make_venue(name="Old hall")
    delegation = make_delegation()
    item = make_item(delegation, title="Concert", venue=venue)
    db.session.commit()
    db.session.delete(item)
    db.session.commit()
    db.session.delete(venue)
    db.session.commit()
    deleted = entries(action="deleted", entity_type="programme_item")[0]
    response = client.post(f"/delegations/{delegation.id}/history/{deleted.id}/restore", follow_redirects=True)
    assert "please check it" in response.text
    restored = db.session.get(ProgrammeItem, deleted.entity_id)
    assert restored.venue_id is None


def test_planner_restores_a_removed_member(client):
    sign_in(client)
    delegation = make_delegation()
    member = make_member(delegation, name="Jan Kowalski", email="jan@example.pl", position=2)
    db.session.commit()
    member_id = member.id
    client.post(f"/delegations/{delegation.id}/members/{member_id}/delete", data={"version": member.version})
    assert db.session.get(Member, member_id) is None
    deleted = entries(action="deleted", entity_type="member")[0]
    client.post(f"/delegations/{delegation.id}/history/{deleted.id}/restore")
    restored = db.session.get(Member, member_id)
    assert (restored.name, restored.email, restored.position) == ("Jan Kowalski", "jan@example.pl", 2)


def test_nothing_is_restored_into_a_deleted_visit(client):
    sign_in(client)
    delegation = make_delegation()
    item = make_item(delegation, title="Dinner")
    db.session.commit()
    delegation_id = delegation.id
    db.session.delete(item)
    db.session.commit()
    deleted = entries(action="deleted", entity_type="programme_item")[0]
    db.session.delete(db.session.get(Delegation, delegation_id))
    db.session.commit()
    response = client.post(f"/delegations/{delegation_id}/history/{deleted.id}/restore", follow_redirects=True)
    assert "no longer exists" in response.text
    assert db.session.get(ProgrammeItem, deleted.entity_id) is None


def test_visit_page_links_its_history_and_the_fragment_shows_recent_changes(client):
    sign_in(client)
    delegation = make_delegation(title="Visit from Bristol")
    make_item(delegation, title="Welcome")
    db.session.commit()
    page = client.get(f"/delegations/{delegation.id}").text
    assert f"/delegations/{delegation.id}/history" in page
    fragment = client.get(f"/delegations/{delegation.id}/history/recent")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "added “Welcome” to the programme" in fragment.text
    assert "A command on the server" in fragment.text  # made by the factory, outside a request


def test_history_page_query_count_stays_flat(client, app):
    from sqlalchemy import event

    sign_in(client)
    delegation = make_delegation()
    venues = [make_venue(name=f"Venue {n}") for n in range(6)]
    db.session.commit()

    def count_queries(url):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    first = make_item(delegation, title="One", venue=venues[0])
    db.session.commit()
    first.venue_id = venues[1].id
    db.session.commit()
    db.session.delete(first)
    db.session.commit()
    few = count_queries(f"/delegations/{delegation.id}/history")
    for venue in venues[1:]:
        item = make_item(delegation, title=f"At {venue.name}", venue=venue)
        db.session.commit()
        item.venue_id = venues[0].id
        db.session.commit()
        db.session.delete(item)
        db.session.commit()
    many = count_queries(f"/delegations/{delegation.id}/history")
    assert many == few


def test_admin_sees_changes_to_venues_contacts_and_users(client):
    sign_in(client, "admin", name="Alex Admin")
    contact = ContactPerson(name="Jonas Albrecht")
    db.session.add(contact)
    db.session.commit()
    page = client.get("/history/?type=contact_person")
    assert page.status_code == 200
    assert "created the contact person “Jonas Albrecht”" in page.text
    everything = client.get("/history/").text
    assert "created the user account “Alex Admin”" in everything


def test_planner_cannot_open_the_global_history(client):
    sign_in(client)
    assert client.get("/history/").status_code == 403


def test_venue_change_names_the_venues(client):
    sign_in(client)
    first, second = make_venue(name="Neues Rathaus", room="Mosaiksaal"), make_venue(name="Sprengel Museum")
    delegation = make_delegation()
    item = make_item(delegation, title="Reception", venue=first)
    db.session.commit()
    client.post(f"/delegations/{delegation.id}/items/{item.id}/edit",
                data=item_form_data(item, venue_id=str(second.id)))
    page = client.get(f"/delegations/{delegation.id}/history").text
    assert "Neues Rathaus, Mosaiksaal" in page and "Sprengel Museum" in page
    assert "changed “Reception”" in page
