"""Principals' pages: the list and form with office hours, busy times by hand, the week view, tours that block."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from sqlalchemy import event, select

from delegations.constants import Direction, PrincipalKind, Role
from delegations.extensions import db
from delegations.models import BusyBlock, Delegation, OfficeHours, Principal, PrincipalCalendar
from delegations.models.calendars import BusySource
from delegations.planning.availability import REASON_TOUR, load_availability
from tests.accounts import sign_in
from tests.factories import berlin, make_delegation, make_item, make_principal


@pytest.fixture
def planner(client):
    return sign_in(client, Role.PLANNER)


def office_hours(principal) -> list[tuple[int, time, time]]:
    return [(row.weekday, row.start_time, row.end_time) for row in db.session.scalars(
        select(OfficeHours).where(OfficeHours.principal_id == principal.id)
        .order_by(OfficeHours.weekday, OfficeHours.start_time))]


def principal_data(**values) -> dict:
    data = {"name": "Belit Onay", "title": "Oberbürgermeister", "kind": "mayor", "rank": "1",
            "office_email": "ob@hannover-stadt.de", "active": "y",
            "office_hours-0-weekday": "weekdays", "office_hours-0-start": "08:00", "office_hours-0-end": "19:00",
            "office_hours-1-weekday": "5", "office_hours-1-start": "10:00", "office_hours-1-end": "12:00",
            "office_hours-2-weekday": "", "office_hours-2-start": "", "office_hours-2-end": ""}
    data.update(values)
    return data


def test_planner_creates_a_principal_with_office_hours(client, planner):
    form = client.get("/principals/new").text
    assert 'selected value="weekdays"' in form and 'value="08:00"' in form  # Mon-Fri 08:00-19:00 proposed
    response = client.post("/principals/new", data=principal_data())
    assert response.status_code == 302
    principal = db.session.scalar(select(Principal))
    assert (principal.label, principal.kind, principal.active) == ("Oberbürgermeister Belit Onay", PrincipalKind.MAYOR, True)
    assert office_hours(principal) == [(day, time(8), time(19)) for day in range(5)] + [(5, time(10), time(12))]
    calendar = db.session.scalar(select(PrincipalCalendar))
    assert calendar.show_subjects is False
    page = client.get(response.location).text
    assert "Mon–Fri 08:00–19:00" in page and "Sat 10:00–12:00" in page
    listing = client.get("/principals/").text
    assert "Oberbürgermeister Belit Onay" in listing and "Mon–Fri 08:00–19:00" in listing


def test_planner_edits_office_hours_and_the_subject_setting(client, planner):
    principal = make_principal(name="Monica Plate", kind=PrincipalKind.DEPUTY_MAYOR)
    db.session.commit()
    form = client.get(f"/principals/{principal.id}/edit").text
    assert 'name="office_hours-0-weekday"' in form
    response = client.post(f"/principals/{principal.id}/edit", data=principal_data(
        name="Monica Plate", kind="deputy_mayor", rank="2", show_subjects="y", version="1",
        **{"office_hours-0-weekday": "0", "office_hours-0-start": "09:00", "office_hours-0-end": "12:30",
           "office_hours-1-weekday": "0", "office_hours-1-start": "13:30", "office_hours-1-end": "18:00"}))
    assert response.status_code == 302
    db.session.expire_all()
    assert office_hours(principal) == [(0, time(9), time(12, 30)), (0, time(13, 30), time(18))]
    assert db.session.scalar(select(PrincipalCalendar)).show_subjects is True
    assert db.session.get(Principal, principal.id).rank == 2
    edit = client.get(f"/principals/{principal.id}/edit").text
    assert edit.count('selected value="0"') == 2


@pytest.mark.parametrize("row, message", [
    ({"office_hours-0-weekday": "0", "office_hours-0-start": "19:00", "office_hours-0-end": "08:00"},
     "The end must be after the start."),
    ({"office_hours-0-weekday": "", "office_hours-0-start": "08:00", "office_hours-0-end": "19:00"},
     "Choose the day these hours are for"),
    ({"office_hours-0-weekday": "2", "office_hours-0-start": "", "office_hours-0-end": "19:00"},
     "Enter the time the office hours begin."),
])
def test_office_hours_mistakes_are_explained(client, planner, row, message):
    response = client.post("/principals/new", data=principal_data(**row))
    assert response.status_code == 200
    assert message in response.text
    assert re.search(r'<a class="kern-link" href="#office_hours-0-(weekday|start|end)">Office hours, row 1, ', response.text)
    assert "{'" not in response.text
    assert db.session.scalar(select(Principal)) is None


def test_viewers_see_principals_but_cannot_change_them(client):
    principal = make_principal()
    db.session.add(BusyBlock(principal_id=principal.id, source=BusySource.MANUAL, key="m1",
                             starts_at=berlin("2030-01-07 10:00"), ends_at=berlin("2030-01-07 11:00"), subject="x"))
    db.session.commit()
    block_id = db.session.scalar(select(BusyBlock.id))
    sign_in(client, Role.VIEWER)
    assert client.get("/principals/").status_code == 200
    assert client.get(f"/principals/{principal.id}").status_code == 200
    assert client.get(f"/principals/{principal.id}/week").status_code == 200
    assert "New principal" not in client.get("/principals/").text
    assert "Import calendar file" not in client.get(f"/principals/{principal.id}").text
    assert client.get("/principals/new").status_code == 403
    assert client.post("/principals/new", data=principal_data()).status_code == 403
    assert client.get(f"/principals/{principal.id}/edit").status_code == 403
    assert client.post(f"/principals/{principal.id}/busy", data={}).status_code == 403
    assert client.post(f"/principals/{principal.id}/busy/{block_id}/delete").status_code == 403
    assert db.session.get(BusyBlock, block_id) is not None


def test_anonymous_visitors_are_sent_to_the_login(client):
    principal = make_principal()
    db.session.commit()
    for url in ("/principals/", f"/principals/{principal.id}", f"/principals/{principal.id}/week"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_main_navigation_links_to_the_principals(client, planner):
    assert 'href="/principals/"' in client.get("/principals/").text


def test_planner_adds_and_deletes_a_busy_time_by_hand(client, planner):
    principal = make_principal()
    db.session.commit()
    response = client.post(f"/principals/{principal.id}/busy", data={
        "starts_at": "2030-03-25T09:00", "ends_at": "2030-03-25T11:30", "label": "Landtag"})
    assert response.status_code == 302
    block = db.session.scalar(select(BusyBlock))
    assert (block.source, block.subject, block.starts_at, block.ends_at) == (
        BusySource.MANUAL, "Landtag", berlin("2030-03-25 09:00"), berlin("2030-03-25 11:30"))
    page = client.get(f"/principals/{principal.id}").text
    assert "Landtag" in page
    response = client.post(f"/principals/{principal.id}/busy/{block.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(BusyBlock)) is None


@pytest.mark.parametrize("data, message", [
    ({"starts_at": "2030-03-25T11:00", "ends_at": "2030-03-25T09:00"}, "The end must be after the start."),
    ({"starts_at": "2030-03-31T02:30", "ends_at": "2030-03-31T04:00"}, "This time does not exist"),
    ({"starts_at": "", "ends_at": "2030-03-25T09:00"}, "Please fill in this field."),
])
def test_busy_time_mistakes_are_explained(client, planner, data, message):
    principal = make_principal()
    db.session.commit()
    response = client.post(f"/principals/{principal.id}/busy", data=data)
    assert response.status_code == 200 and message in response.text
    assert db.session.scalar(select(BusyBlock)) is None


def test_imported_busy_times_cannot_be_deleted_by_hand(client, planner):
    principal = make_principal()
    db.session.add(BusyBlock(principal_id=principal.id, source=BusySource.IMPORTED, key="uid",
                             starts_at=berlin("2030-01-07 10:00"), ends_at=berlin("2030-01-07 11:00")))
    db.session.commit()
    block_id = db.session.scalar(select(BusyBlock.id))
    assert client.post(f"/principals/{principal.id}/busy/{block_id}/delete").status_code == 404
    other = make_principal()
    db.session.commit()
    assert client.post(f"/principals/{other.id}/busy/{block_id}/delete").status_code == 404


# The week -----------------------------------------------------------------------------------------------

def _week_fixture(size: int):
    """The Mayor's week of 29 March 2027 (summer time from the Sunday before) with `size` blocks and items."""
    mayor = make_principal(name="Belit Onay")
    for day in range(5):
        db.session.add(OfficeHours(principal_id=mayor.id, weekday=day, start_time=time(8), end_time=time(19)))
    db.session.add(PrincipalCalendar(principal_id=mayor.id, show_subjects=True))
    for number in range(size):
        start = berlin("2027-03-29 08:00") + timedelta(minutes=97 * number)
        db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.IMPORTED, key=f"k{number}",
                                 starts_at=start, ends_at=start + timedelta(minutes=30), subject=f"Termin {number}"))
    visit = make_delegation(title="Delegation from Poznań", arrival_at=berlin("2027-03-30 10:00"))
    for number in range(size):
        make_item(visit, berlin("2027-03-30 12:00") + timedelta(minutes=61 * number), 30, principal=mayor,
                  title=f"Meeting {number}")
    tour = make_delegation(direction=Direction.OUTGOING, title="Tour to Hiroshima", timezone="Asia/Tokyo",
                           arrival_at=berlin("2027-04-03 07:00"))
    tour.travelling_principals.append(mayor)
    for number in range(size):
        make_delegation(title=f"Other visit {number}", arrival_at=berlin("2027-03-29 09:00") + timedelta(hours=number))
    db.session.commit()
    return mayor, visit, tour


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_week_shows_busy_time_programmes_tours_and_free_time_in_local_time(client, planner):
    mayor, visit, tour = _week_fixture(3)
    page = client.get(f"/principals/{mayor.id}/week?day=2027-03-31").text
    assert "Week 13" in page
    rows = re.findall(r'<tr class="kern-table__row[^"]*">(.*?)</tr>', page, re.S)[1:]
    assert len(rows) == 7
    monday, tuesday, saturday = rows[0], rows[1], rows[5]
    # 08:00 summer time is 06:00 UTC: shown in local time
    assert "08:00–08:30" in monday and "Termin 0" in monday and "Office hours 08:00–19:00" in monday
    assert "09:37–10:07" in monday and "11:14–11:44" in monday
    assert "12:00–12:30" in tuesday and f'href="/delegations/{visit.id}"' in tuesday and "Meeting 0" in tuesday
    assert "Delegation from Poznań" in tuesday and "arrives 10:00" in tuesday
    assert "Tour to Hiroshima" in saturday and "not available (outside office hours)" in saturday
    assert "10:07–11:14" in monday  # free between two calendar blocks
    assert f'day=2027-03-22' in page and f'day=2027-04-05' in page  # previous and next week


def test_the_week_page_runs_the_same_number_of_queries_however_full_the_week(client, app):
    from tests.conftest import _empty_tables

    sign_in(client, Role.VIEWER)
    mayor, _visit, _tour = _week_fixture(4)
    with counted_queries() as small:
        assert client.get(f"/principals/{mayor.id}/week?day=2027-03-29").status_code == 200
    db.session.remove()
    _empty_tables(app)
    sign_in(client, Role.VIEWER, email="viewer2@example.org")
    mayor, _visit, _tour = _week_fixture(40)
    with counted_queries() as large:
        page = client.get(f"/principals/{mayor.id}/week?day=2027-03-29")
    assert page.status_code == 200 and "Termin 39" in page.text
    assert len(small) == len(large) <= 12, (len(small), len(large))


def test_the_week_of_the_october_change_has_a_25_hour_sunday(client, planner):
    mayor = make_principal()
    db.session.add(OfficeHours(principal_id=mayor.id, weekday=6, start_time=time(8), end_time=time(12)))
    db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.MANUAL, key="m",
                             starts_at=berlin("2027-10-31 01:00"), ends_at=berlin("2027-10-31 09:00"), subject="Night"))
    db.session.commit()
    page = client.get(f"/principals/{mayor.id}/week?day=2027-10-31").text
    sunday = re.findall(r'<tr class="kern-table__row[^"]*">(.*?)</tr>', page, re.S)[7]
    assert "Office hours 08:00–12:00" in sunday and "01:00–09:00" in sunday and "09:00–12:00" in sunday


def test_a_principal_page_and_the_list_load_in_few_queries(client, planner):
    def add_principals(count: int, first: int):
        found = []
        for number in range(first, first + count):
            principal = make_principal(name=f"Deputy {number}", kind=PrincipalKind.DEPUTY_MAYOR, rank=number)
            db.session.add(OfficeHours(principal_id=principal.id, weekday=0, start_time=time(8), end_time=time(19)))
            db.session.add(PrincipalCalendar(principal_id=principal.id))
            db.session.add(BusyBlock(principal_id=principal.id, source=BusySource.MANUAL, key=f"m{number}",
                                     starts_at=berlin("2040-01-02 10:00"), ends_at=berlin("2040-01-02 11:00")))
            found.append(principal)
        db.session.commit()
        return found

    def selects(url):
        with counted_queries() as statements:
            assert client.get(url).status_code == 200
        return len([statement for statement in statements if statement.startswith("SELECT")])

    first = add_principals(2, 1)[0]
    small = (selects("/principals/"), selects(f"/principals/{first.id}"))
    add_principals(12, 3)
    assert (selects("/principals/"), selects(f"/principals/{first.id}")) == small
    assert small[0] <= 5 and small[1] <= 10, small


# Tours on which a principal travels ---------------------------------------------------------------------

BLANK_VISIT_FIELDS = {name: "" for name in ("city", "organisation", "head_name", "head_function", "hotel", "purpose",
                                             "notes", "timezone", "lead_contact_id", "deputy_contact_id")}


def test_a_tour_form_records_who_travels_and_blocks_them_for_the_whole_trip(client, planner, app):
    mayor = make_principal(name="Belit Onay")
    deputy = make_principal(name="Monica Plate", kind=PrincipalKind.DEPUTY_MAYOR)
    db.session.commit()
    form = client.get("/delegations/new?direction=outgoing").text
    assert "Principals who travel" in form and "Belit Onay" in form
    response = client.post("/delegations/new?direction=outgoing", data={
        "direction": "outgoing", "title": "Tour to Hiroshima", "country_code": "JP", **BLANK_VISIT_FIELDS,
        "arrival_at": "2027-04-05T09:00", "departure_at": "2027-04-09T18:00", "status": "planned",
        "protocol_level": "mayor", "travelling_principal_ids": [str(mayor.id)]})
    assert response.status_code == 302, response.text
    tour = db.session.scalar(select(Delegation))
    assert [principal.id for principal in tour.travelling_principals] == [mayor.id]
    edit = client.get(f"/delegations/{tour.id}/edit").text
    assert re.search(rf'value="{mayor.id}" checked', edit)
    found = load_availability([mayor.id, deputy.id], tour.arrival_at - timedelta(days=1),
                              tour.departure_at + timedelta(days=1))
    assert [(i.reason, i.starts_at, i.ends_at) for i in found[mayor.id].busy] == [
        (REASON_TOUR, tour.arrival_at, tour.departure_at)]
    assert found[deputy.id].busy == []
    # Turned into an incoming visit, nobody travels.
    response = client.post(f"/delegations/{tour.id}/edit", data={
        "direction": "incoming", "title": "Visit from Hiroshima", "country_code": "JP", **BLANK_VISIT_FIELDS,
        "arrival_at": "2027-04-05T09:00", "departure_at": "2027-04-09T18:00", "status": "planned",
        "protocol_level": "mayor", "travelling_principal_ids": [str(mayor.id)], "version": str(tour.version)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegation, tour.id).travelling_principals == []
