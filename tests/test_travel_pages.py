"""Travel pages over HTTP: a member's travel form (validation, DST, conflicts), the pick-up plan, creating
transfers from it, transfer editing with optimistic locking, history and roles."""
from __future__ import annotations

from sqlalchemy import select

from delegations.constants import ItemKind
from delegations.extensions import db
from delegations.models import AuditEntry, Transfer, TravelLeg
from delegations.models.travel import LegDirection, TransferKind
from delegations.people.operations import set_travel_minutes
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_venue


def visit():
    hotel = make_venue(name="Kastens Hotel Luisenhof", address="Luisenstraße 1–3\n30159 Hannover")
    airport = make_venue(name="Flughafen Hannover", room="Terminal C", address="Flughafenstraße 4\n30855 Langenhagen")
    set_travel_minutes(hotel, airport, 30)
    delegation = make_delegation(arrival_at=berlin("2027-05-03 09:00"), hotel="Kastens Hotel Luisenhof, Luisenstraße 1–3")
    head = make_member(delegation, name="Tomasz Kowalczyk")
    press = make_member(delegation, name="Marek Zieliński")
    db.session.commit()
    return delegation, head, press, airport


def travel_data(airport, **overrides):
    data = {"arrival_mode": "flight", "arrival_carrier_number": "LH 2084", "arrival_at": "2027-05-03T09:55",
            "arrival_timezone": "Europe/Berlin", "arrival_venue_id": str(airport.id), "arrival_terminal": "C",
            "arrival_needs_transfer": "y", "departure_mode": "train", "departure_carrier_number": "ICE 553",
            "departure_at": "2027-05-04T18:31", "departure_timezone": "Europe/Berlin", "departure_venue_id": "",
            "departure_place": "Hannover Hbf", "departure_needs_transfer": "y", "arrival_version": "",
            "departure_version": ""}
    data.update(overrides)
    return data


def test_planner_records_a_members_arrival_and_departure_and_sees_who_leaves_early(app, client):
    delegation, _head, press, airport = visit()
    sign_in(client, "planner")
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(airport))
    assert response.status_code == 302
    legs = {leg.direction: leg for leg in db.session.scalars(select(TravelLeg))}
    assert legs[LegDirection.ARRIVAL].carrier_number == "LH 2084"
    assert legs[LegDirection.ARRIVAL].scheduled_at == berlin("2027-05-03 09:55")
    assert legs[LegDirection.DEPARTURE].place == "Hannover Hbf"
    page = client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)
    assert "LH 2084" in page and "ICE 553" in page and "leaves early" in page
    assert any(entry.entity_type == "travel_leg" for entry in db.session.scalars(select(AuditEntry)))


def test_the_travel_form_explains_every_problem_at_once(app, client):
    delegation, _head, press, airport = visit()
    sign_in(client, "planner")
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(
        airport, arrival_carrier_number="", departure_at="2027-05-02T10:00", departure_place=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A flight needs its flight number" in page
    assert "Please name the airport or station" in page
    assert db.session.scalar(select(TravelLeg.id)) is None
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(
        airport, departure_at="2027-05-02T10:00"))
    page = response.get_data(as_text=True)
    assert "The departure must be after the arrival." in page, page[page.find("error-summary"):][:1500]
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(
        airport, arrival_at="2026-05-03T09:55"))
    assert "far from the visit's dates" in response.get_data(as_text=True)
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(
        airport, arrival_at="not a time"))
    assert response.status_code == 200


def test_a_time_in_the_spring_forward_gap_is_refused(app, client):
    hotel = make_venue(name="Hotel")
    delegation = make_delegation(arrival_at=berlin("2027-03-27 09:00"), hotel="Hotel")
    member = make_member(delegation)
    db.session.commit()
    sign_in(client, "planner")
    response = client.post(f"/delegations/{delegation.id}/travel/members/{member.id}", data=travel_data(
        hotel, arrival_at="2027-03-28T02:30", departure_at="2027-03-29T10:00"))
    assert "This time does not exist in Europe/Berlin" in response.get_data(as_text=True)


def test_a_concurrent_change_of_travel_is_never_overwritten(app, client):
    delegation, _head, press, airport = visit()
    sign_in(client, "planner")
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(airport))
    # Both open the form at version 1; the first saves, the second is refused.
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",
                data=travel_data(airport, arrival_carrier_number="LH 2086", arrival_version="1", departure_version="1"))
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",
                           data=travel_data(airport, arrival_carrier_number="LH 9999", arrival_version="1",
                                            departure_version="1"))
    page = response.get_data(as_text=True)
    assert "Someone else changed this person" in page
    db.session.expire_all()
    assert db.session.scalar(select(TravelLeg.carrier_number).where(TravelLeg.direction == "arrival")) == "LH 2086"


def test_the_plan_becomes_transfers_once_and_shows_when_a_transfer_differs(app, client):
    delegation, head, press, airport = visit()
    item = make_item(delegation, berlin("2027-05-03 10:30"), 45, kind=ItemKind.TRANSFER, title="Ankunft")
    db.session.commit()
    sign_in(client, "planner")
    for member in (head, press):
        client.post(f"/delegations/{delegation.id}/travel/members/{member.id}", data=travel_data(airport))
    plan = client.get(f"/delegations/{delegation.id}/travel/plan").get_data(as_text=True)
    assert "no transfer yet" in plan and "LH 2084" in plan
    client.post(f"/delegations/{delegation.id}/travel/plan/transfers")
    transfers = db.session.scalars(select(Transfer).order_by(Transfer.pickup_at)).all()
    assert [(t.kind, t.pickup_at) for t in transfers] == [
        (TransferKind.PICK_UP, berlin("2027-05-03 10:40")), (TransferKind.DROP_OFF, berlin("2027-05-04 17:46"))]  # 18:31 - 15 - 30 (assumed drive)
    pick_up = transfers[0]
    assert {member.name for member in pick_up.passengers} == {"Tomasz Kowalczyk", "Marek Zieliński"}
    assert pick_up.programme_item_id == item.id and pick_up.duration_minutes == 30
    assert pick_up.travel_leg.carrier_number == "LH 2084"
    assert "Luisenstraße" in pick_up.destination
    client.post(f"/delegations/{delegation.id}/travel/plan/transfers")
    assert len(db.session.scalars(select(Transfer)).all()) == 2  # nothing twice
    # The flight is delayed: the plan now says the transfer differs.
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",
                data=travel_data(airport, arrival_at="2027-05-03T11:10", arrival_version="1", departure_version="1"))
    plan = client.get(f"/delegations/{delegation.id}/travel/plan").get_data(as_text=True)
    assert "transfer differs" in plan


def test_transfer_editing_validates_and_refuses_a_stale_save(app, client):
    delegation, head, _press, _airport = visit()
    driver = make_contact(name="Thomas Brandt", phone="+49 511 168-41005")
    db.session.commit()
    sign_in(client, "planner")
    response = client.post(f"/delegations/{delegation.id}/transfers/new", data={
        "kind": "pick_up", "pickup_at": "2027-05-03T10:40", "pickup_address": "", "destination": "Hotel"})
    assert "Please fill in this field." in response.get_data(as_text=True)
    client.post(f"/delegations/{delegation.id}/transfers/new", data={
        "kind": "pick_up", "pickup_at": "2027-05-03T10:40", "pickup_address": "Flughafen, Terminal C",
        "destination": "Hotel", "passengers": [str(head.id)], "driver_contact_id": str(driver.id)})
    transfer = db.session.scalar(select(Transfer))
    assert transfer.driver_label == "Thomas Brandt" and [m.name for m in transfer.passengers] == ["Tomasz Kowalczyk"]
    edit = f"/delegations/{delegation.id}/transfers/{transfer.id}/edit"
    base = {"kind": "pick_up", "pickup_at": "2027-05-03T10:50", "pickup_address": "Flughafen, Terminal C",
            "destination": "Hotel", "version": "1"}
    assert client.post(edit, data={**base, "vehicle": "VW Multivan"}).status_code == 302
    response = client.post(edit, data={**base, "vehicle": "Bus"})
    assert "Someone else saved this record" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Transfer, transfer.id).vehicle == "VW Multivan"


def test_viewers_read_travel_but_cannot_change_it(app, client):
    delegation, head, _press, airport = visit()
    sign_in(client, "viewer")
    assert client.get(f"/delegations/{delegation.id}/travel").status_code == 200
    assert client.get(f"/delegations/{delegation.id}/travel/plan").status_code == 200
    assert client.get(f"/delegations/{delegation.id}/travel/members/{head.id}").status_code == 403
    assert client.post(f"/delegations/{delegation.id}/travel/plan/transfers").status_code == 403
    assert client.get(f"/delegations/{delegation.id}/transfers/new").status_code == 403


def test_travel_of_another_visits_member_is_not_found(app, client):
    delegation, _head, _press, _airport = visit()
    other = make_member(make_delegation())
    db.session.commit()
    sign_in(client, "planner")
    assert client.get(f"/delegations/{delegation.id}/travel/members/{other.id}").status_code == 404
    assert client.get("/delegations/9999/travel").status_code == 404


def test_removing_a_member_removes_their_travel_and_seat_but_keeps_the_transfer(app, client):
    delegation, head, press, airport = visit()
    sign_in(client, "planner")
    for member in (head, press):
        client.post(f"/delegations/{delegation.id}/travel/members/{member.id}", data=travel_data(airport))
    client.post(f"/delegations/{delegation.id}/travel/plan/transfers")
    client.post(f"/delegations/{delegation.id}/members/{press.id}/delete", data={"version": "1"})
    db.session.expire_all()
    assert {leg.member_id for leg in db.session.scalars(select(TravelLeg))} == {head.id}
    transfers = db.session.scalars(select(Transfer)).all()
    assert len(transfers) == 2 and all([m.name for m in t.passengers] == ["Tomasz Kowalczyk"] for t in transfers)
    kinds = {entry.entity_type for entry in db.session.scalars(select(AuditEntry))}
    assert {"travel_leg", "transfer"} <= kinds
    history = client.get(f"/delegations/{delegation.id}/history")
    assert history.status_code == 200


def test_the_travel_forms_carry_a_csrf_token_and_refuse_a_post_without_one(csrf_app):
    from tests.conftest import csrf_token_from

    client = csrf_app.test_client()
    from tests.accounts import make_account
    from tests.conftest import PASSWORD

    delegation, head, _press, airport = visit()
    user = make_account("planner", "csrf-planner@example.org")
    login_token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": login_token})
    form = client.get(f"/delegations/{delegation.id}/travel/members/{head.id}").get_data(as_text=True)
    token = csrf_token_from(form)
    refused = client.post(f"/delegations/{delegation.id}/travel/members/{head.id}", data=travel_data(airport))
    assert refused.status_code == 400
    assert db.session.scalar(select(TravelLeg.id)) is None
    response = client.post(f"/delegations/{delegation.id}/travel/members/{head.id}",
                           data={**travel_data(airport), "csrf_token": token})
    assert response.status_code == 302 and db.session.scalar(select(TravelLeg.id)) is not None
    plan = client.get(f"/delegations/{delegation.id}/travel/plan").get_data(as_text=True)
    assert client.post(f"/delegations/{delegation.id}/travel/plan/transfers").status_code == 400
    assert client.post(f"/delegations/{delegation.id}/travel/plan/transfers",
                       data={"csrf_token": csrf_token_from(plan)}).status_code == 302
    assert db.session.scalar(select(Transfer.id)) is not None


def test_emptying_the_time_removes_that_leg_only(app, client):
    delegation, _head, press, airport = visit()
    sign_in(client, "planner")
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(airport))
    response = client.post(f"/delegations/{delegation.id}/travel/members/{press.id}", data=travel_data(
        airport, departure_at="", arrival_version="1", departure_version="1"))
    assert response.status_code == 302
    db.session.expire_all()
    assert [leg.direction for leg in db.session.scalars(select(TravelLeg))] == [LegDirection.ARRIVAL]
    assert "leaves early" not in client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)


def test_the_terminal_is_named_once_when_the_venue_already_names_it(app, client):
    delegation, _head, press, airport = visit()
    sign_in(client, "planner")
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",
                data=travel_data(airport, arrival_terminal="Terminal C"))
    page = client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)
    assert "Flughafen Hannover, Terminal C" in page and "Terminal C, Terminal C" not in page


def test_the_plan_names_members_whose_arrival_or_departure_is_not_recorded(app, client, english):
    delegation, head, press, airport = visit()
    sign_in(client, "planner")
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",
                data=travel_data(airport, departure_at="", departure_carrier_number=""))
    plan = client.get(f"/delegations/{delegation.id}/travel/plan").get_data(as_text=True)
    assert "No arrival recorded (not in this plan): Tomasz Kowalczyk" in plan
    assert "No departure recorded (not in this plan): Tomasz Kowalczyk, Marek Zieliński" in plan


def test_the_travel_page_says_when_the_plan_and_the_transfers_disagree(app, client, english):
    delegation, head, press, airport = visit()
    sign_in(client, "planner")
    for member in (head, press):
        client.post(f"/delegations/{delegation.id}/travel/members/{member.id}", data=travel_data(airport))
    client.post(f"/delegations/{delegation.id}/travel/plan/transfers")
    page = client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)
    assert "not carried out as planned" not in page
    client.post(f"/delegations/{delegation.id}/travel/members/{press.id}",  # the flight is delayed
                data=travel_data(airport, arrival_at="2027-05-03T11:10", arrival_version="1", departure_version="1"))
    page = client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)
    assert "2 rides of the plan are not carried out as planned" in page


def test_the_plan_names_a_ride_without_a_number_by_its_translated_mode(app, client):
    delegation, head, _press, airport = visit()
    sign_in(client, "planner")
    client.post(f"/delegations/{delegation.id}/travel/members/{head.id}",
                data=travel_data(airport, arrival_mode="car", arrival_carrier_number="", departure_at=""))
    plan = client.get(f"/delegations/{delegation.id}/travel/plan").get_data(as_text=True)
    assert "Tomasz Kowalczyk: Car " in plan and "Tomasz Kowalczyk: car" not in plan
