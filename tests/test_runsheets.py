"""Run sheets by role: pages and tagged PDFs from the current data, the release stamp, roles, flat query counts."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from delegations.constants import ItemKind
from delegations.demo import load_demo
from delegations.extensions import db
from delegations.models import Delegation, Transfer
from delegations.models.travel import TransferKind
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_venue
from tests.test_accessibility_pdfs import check_tagged

SHEETS = ("driver", "interpreter", "kitchen", "security")


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()
    visits = {d.title: d for d in db.session.scalars(select(Delegation))}
    return visits["Delegation der Partnerstadt Poznań"], visits["Wirtschaftsdelegation aus Shenzhen"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_run_sheet_of_the_demo_shows_real_data_as_page_and_tagged_pdf(app, client, demo):
    poznan, shenzhen = demo
    sign_in(client, "planner", "rs-planner@example.org")
    expected = {"driver": ["LH 2084", "ICE 645", "Thomas Brandt", "Hauptbahnhof", "Luisenhof"],
                "interpreter": ["Empfang durch den Oberbürgermeister", "Polish"],
                "kitchen": ["Mittagessen mit dem Partnerschaftsverein", "Vegetarian"],
                "security": ["Herrenhäuser Gärten", "Drop-off", "Stefan Meier"]}
    for name in SHEETS:
        page = client.get(f"/delegations/{poznan.id}/run-sheets/{name}")
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        for text in expected[name]:
            assert text in html, (name, text)
        response = client.get(f"/delegations/{poznan.id}/run-sheets/{name}.pdf?lang=en")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        check_tagged(response.data, "en")
        text = pdf_text(response.data)
        for expected_text in expected[name][:2]:
            assert expected_text.split()[0] in text, (name, expected_text)
    interpreter = client.get(f"/delegations/{poznan.id}/run-sheets/interpreter").get_data(as_text=True)
    assert "Ankunft und Transfer zum Hotel" not in interpreter  # a transfer is not interpreted
    assert "Anna Wiśniewska" in interpreter
    german = client.get(f"/delegations/{shenzhen.id}/run-sheets/driver.pdf?lang=de")
    check_tagged(german.data, "de")
    assert "LH 2080" in pdf_text(german.data) and "ICE 577" in pdf_text(german.data)


def test_the_driver_sheet_follows_the_current_data_and_filters_by_driver(app, client, demo):
    poznan, _shenzhen = demo
    sign_in(client, "viewer", "rs-viewer@example.org")
    path = f"/delegations/{poznan.id}/run-sheets/driver"
    before = client.get(path + ".pdf?lang=en").data
    transfer = db.session.scalars(select(Transfer).where(Transfer.delegation_id == poznan.id,
                                                         Transfer.kind == TransferKind.PICK_UP)).first()
    transfer.pickup_at += timedelta(minutes=20)
    transfer.vehicle = "Kleinbus H-XY 99"
    db.session.commit()
    after = client.get(path + ".pdf?lang=en")
    assert after.headers["X-PDF-Cache"] == "miss" and after.data != before
    assert "Kleinbus H-XY 99" in pdf_text(after.data)
    only_brandt = client.get(path + f"?driver=c{transfer.driver_contact_id}").get_data(as_text=True)
    assert "Thomas Brandt" in only_brandt and "LH 2087" not in only_brandt  # the drop-offs are Stefan Meier's


def test_the_security_sheet_is_for_planners_only(app, client, demo):
    poznan, _shenzhen = demo
    sign_in(client, "viewer", "rs-viewer@example.org")
    assert client.get(f"/delegations/{poznan.id}/run-sheets/security").status_code == 403
    assert client.get(f"/delegations/{poznan.id}/run-sheets/security.pdf").status_code == 403
    assert client.get(f"/delegations/{poznan.id}/run-sheets/driver").status_code == 200
    travel = client.get(f"/delegations/{poznan.id}/travel").get_data(as_text=True)
    assert "run-sheets/driver" in travel and "run-sheets/security" not in travel


def test_run_sheets_name_the_released_version_and_say_when_the_data_changed_since(app, client):
    from delegations.releases.operations import pending_release, release_version

    delegation = make_delegation(hotel="Hotel")
    item = make_item(delegation, title="Empfang", kind=ItemKind.RECEPTION)
    db.session.commit()
    sign_in(client, "planner", "rs-planner@example.org")
    path = f"/delegations/{delegation.id}/run-sheets/security"
    assert "No programme version released yet" in client.get(path).get_data(as_text=True)
    pending = pending_release(delegation)
    release_version(delegation, None, expected_number=pending.number, expected_hash=pending.snapshot_hash)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Programme: Version 1," in page and "changed since" not in page
    assert "Version 1," in pdf_text(client.get(path + ".pdf?lang=en").data)
    item.starts_at += timedelta(minutes=30)
    item.ends_at += timedelta(minutes=30)
    db.session.commit()
    assert "data changed since" in client.get(path).get_data(as_text=True)


def test_a_run_sheet_shows_local_time_across_the_dst_change(app, client):
    hotel = make_venue(name="Hotel am Maschsee")
    delegation = make_delegation(arrival_at=berlin("2027-10-30 09:00"), hotel="Hotel am Maschsee")
    guest = make_member(delegation, name="Rie Takahashi")
    transfer = Transfer(delegation=delegation, kind=TransferKind.DROP_OFF, pickup_at=berlin("2027-10-31 09:15"),
                        timezone="Europe/Berlin", pickup_address="Hotel am Maschsee", destination="Flughafen",
                        passengers=[guest])
    db.session.add(transfer)
    db.session.commit()
    sign_in(client, "viewer", "rs-viewer@example.org")
    html = client.get(f"/delegations/{delegation.id}/run-sheets/driver").get_data(as_text=True)
    assert "09:15" in html and "08:15" not in html  # 08:15 UTC on the first day of winter time


def test_run_sheet_pages_keep_their_query_count_as_data_grows(app, client):
    delegation = make_delegation(hotel="Hotel")
    driver = make_contact(name="Driver")
    venue = make_venue()

    def add(number: int):
        members = [make_member(delegation, name=f"Guest {number}-{index}", dietary_needs="vegan") for index in range(3)]
        make_item(delegation, delegation.arrival_at + timedelta(hours=number), 60, kind=ItemKind.MEAL, venue=venue)
        db.session.add(Transfer(delegation=delegation, kind=TransferKind.PICK_UP, timezone="Europe/Berlin",
                                pickup_at=delegation.arrival_at + timedelta(minutes=number), pickup_address="Airport",
                                destination="Hotel", passengers=members, driver_contact=driver))
        db.session.commit()

    add(1)
    sign_in(client, "planner", "rs-planner@example.org")
    paths = [f"/delegations/{delegation.id}/run-sheets/{name}" for name in SHEETS] + [
        f"/delegations/{delegation.id}/travel", f"/delegations/{delegation.id}/travel/plan"]

    def count(path):
        db.session.commit()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200, path
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for path in paths:
        count(path)
    before = {path: count(path) for path in paths}
    for number in range(2, 8):
        add(number)
    assert {path: count(path) for path in paths} == before


def _leg(member, direction, at, mode="flight", number="LH 1"):
    from delegations.models import TravelLeg
    from delegations.models.travel import LegDirection, TravelMode

    leg = TravelLeg(member=member, delegation_id=member.delegation_id, direction=LegDirection(direction),
                    mode=TravelMode(mode), carrier_number=number, scheduled_at=at, timezone="Europe/Berlin",
                    place="Flughafen Hannover", terminal="Terminal C")
    db.session.add(leg)
    return leg


def test_kitchen_and_interpreter_sheets_do_not_count_a_member_who_has_left_or_not_arrived(app, client, english):
    delegation = make_delegation(arrival_at=berlin("2027-05-03 09:00"), hotel="Hotel", languages=["pl"])
    host = make_member(delegation, name="Stays Throughout", dietary_needs="vegetarian")
    early = make_member(delegation, name="Leaves Early", dietary_needs="gluten-free")
    late = make_member(delegation, name="Comes Late", dietary_needs="vegan")
    _leg(early, "departure", berlin("2027-05-04 16:00"))
    _leg(late, "arrival", berlin("2027-05-04 21:00"))
    make_item(delegation, berlin("2027-05-04 12:30"), 90, kind=ItemKind.MEAL, title="Lunch on day two")
    make_item(delegation, berlin("2027-05-04 19:00"), 120, kind=ItemKind.MEAL, title="Farewell dinner")
    db.session.commit()
    sign_in(client, "viewer", "rs-viewer@example.org")
    html = client.get(f"/delegations/{delegation.id}/run-sheets/kitchen").get_data(as_text=True)
    lunch, dinner = html.split("Farewell dinner", 1)
    assert "Leaves Early" in lunch and "Gluten-free" in lunch and "Comes Late" not in lunch
    assert "Leaves Early" not in dinner and "Gluten-free" not in dinner and "Comes Late" not in dinner
    assert "<strong>1</strong>" in dinner  # only the member who stays eats at the farewell dinner
    interpreter = client.get(f"/delegations/{delegation.id}/run-sheets/interpreter").get_data(as_text=True)
    _lunch, dinner = interpreter.split("Farewell dinner", 1)
    assert "1 listener," in dinner


def test_the_driver_sheet_gives_passenger_phones_and_warns_when_a_flight_is_now_due_after_the_pick_up(
        app, client, english):
    delegation = make_delegation(arrival_at=berlin("2027-05-03 09:00"), hotel="Hotel")
    guest = make_member(delegation, name="Rie Takahashi", phone="+81 90 1234 5678")
    other = make_member(delegation, name="Ken Sato")
    arrival = _leg(guest, "arrival", berlin("2027-05-03 09:55"), number="LH 2084")
    _leg(other, "arrival", berlin("2027-05-03 09:55"), number="LH 2084")
    transfer = Transfer(delegation=delegation, kind=TransferKind.PICK_UP, pickup_at=berlin("2027-05-03 10:40"),
                        timezone="Europe/Berlin", pickup_address="Flughafen", destination="Hotel",
                        passengers=[guest, other])
    db.session.add(transfer)
    db.session.commit()
    sign_in(client, "viewer", "rs-viewer@example.org")
    path = f"/delegations/{delegation.id}/run-sheets/driver"
    html = client.get(path).get_data(as_text=True)
    assert "+81 90 1234 5678" in html
    assert "after this pick-up" not in html
    arrival.scheduled_at = berlin("2027-05-03 11:30")  # the flight is delayed
    db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert "LH 2084 is now due at 11:30, after this pick-up" in html
    assert "LH 2084 is now due at 11:30" in pdf_text(client.get(path + ".pdf?lang=en").data)


def test_no_demo_driver_is_booked_for_two_rides_at_once(app, demo):
    from delegations.travel.runsheets import driver_key

    for delegation in demo:
        rides: dict[str, list[Transfer]] = {}
        for transfer in db.session.scalars(select(Transfer).where(Transfer.delegation_id == delegation.id)):
            rides.setdefault(driver_key(transfer), []).append(transfer)
        for key, transfers in rides.items():
            transfers.sort(key=lambda transfer: transfer.pickup_at)
            for before, after in zip(transfers, transfers[1:]):
                assert before.pickup_at + timedelta(minutes=before.duration_minutes or 0) <= after.pickup_at, key


def test_a_driver_booked_for_two_rides_at_once_is_flagged_on_the_sheet_and_the_travel_page(app, client, english):
    delegation = make_delegation(arrival_at=berlin("2027-05-03 09:00"), hotel="Hotel")
    driver = make_contact(name="Thomas Brandt")
    guest, other = make_member(delegation, name="Rie Takahashi"), make_member(delegation, name="Ken Sato")

    def ride(at, member, minutes=30, **values):
        transfer = Transfer(delegation=delegation, kind=TransferKind.PICK_UP, pickup_at=berlin(at),
                            timezone="Europe/Berlin", pickup_address="Flughafen", destination="Hotel",
                            duration_minutes=minutes, passengers=[member], **values)
        db.session.add(transfer)
        return transfer

    ride("2027-05-03 10:40", guest, driver_contact=driver)
    ride("2027-05-03 10:48", other, driver_contact=driver)
    ride("2027-05-03 10:45", other, driver_name="Stefan Meier")  # another driver: no clash
    db.session.commit()
    sign_in(client, "planner", "rs-planner@example.org")
    sheet = client.get(f"/delegations/{delegation.id}/run-sheets/driver").get_data(as_text=True)
    assert sheet.count("Thomas Brandt has another ride at this time") == 2
    travel = client.get(f"/delegations/{delegation.id}/travel").get_data(as_text=True)
    assert travel.count("driver booked twice") == 2
    later = db.session.scalars(select(Transfer).where(Transfer.pickup_at == berlin("2027-05-03 10:48"))).one()
    later.pickup_at = berlin("2027-05-03 11:10")  # after the first ride reaches the hotel
    db.session.commit()
    assert "has another ride" not in client.get(f"/delegations/{delegation.id}/run-sheets/driver").get_data(as_text=True)


def test_the_security_sheet_says_who_rides_when_a_transfer_names_no_passengers(app, client, english):
    delegation = make_delegation(hotel="Hotel")
    for name in ("A", "B", "C"):
        make_member(delegation, name=f"Guest {name}")
    db.session.add(Transfer(delegation=delegation, kind=TransferKind.LOCAL, pickup_at=delegation.arrival_at,
                            timezone="Europe/Berlin", pickup_address="Hotel", destination="Rathaus"))
    db.session.commit()
    sign_in(client, "planner", "rs-planner@example.org")
    html = client.get(f"/delegations/{delegation.id}/run-sheets/security").get_data(as_text=True)
    route = html.split("Route and times", 2)[-1]
    assert "3 members in the delegation</td>" in route
