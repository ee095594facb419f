"""The workload board page (viewers and planners), its chart and table, its choice of weeks, its query count,
and "who has room" beside the lead contact of the visit form (server-rendered and as an htmx fragment)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from delegations.constants import DelegationStatus, ItemStatus, Role
from delegations.extensions import db
from delegations.models import ChecklistTask, ContactPerson, utc_now
from delegations.workload.board import monday_of
from delegations.zones import attach_zone
from tests.accounts import sign_in
from tests.factories import make_contact, make_delegation, make_item
from tests.test_feeds_http import counted_queries

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def login(client):
    """login(role): an English-speaking account of that role, signed in."""
    return lambda role=Role.PLANNER: sign_in(client, role)


def this_monday() -> date:
    return monday_of(utc_now().astimezone(BERLIN).date())


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return attach_zone(datetime.combine(day, time(hour, minute)), "Europe/Berlin")


def task(delegation, owner, due_on, title="Invitation letter", done=False) -> ChecklistTask:
    found = ChecklistTask(delegation_id=delegation.id, title=title, owner_id=owner.id, due_on=due_on,
                          done_at=utc_now() if done else None)
    db.session.add(found)
    db.session.flush()
    return found


def jonas_busy_next_week():
    """Jonas leads a visit next week, is responsible for 6 hours of it, has two open tasks; Maria is free."""
    monday = this_monday() + timedelta(weeks=1)
    jonas = make_contact(name="Jonas Albrecht")
    maria = make_contact(name="Maria Yilmaz")
    visit = make_delegation(title="Partner city Poznań", arrival_at=at(monday, 9), lead_contact_id=jonas.id,
                            deputy_contact_id=maria.id)
    visit.departure_at = at(monday + timedelta(days=2), 18)
    make_item(visit, start=at(monday, 10), minutes=240, responsible=jonas, title="Reception")
    make_item(visit, start=at(monday + timedelta(days=1), 9), minutes=120, responsible=jonas, title="Harbour")
    make_item(visit, start=at(monday + timedelta(days=1), 14), minutes=60, responsible=jonas, title="Dropped",
              status=ItemStatus.CANCELLED)
    task(visit, jonas, monday + timedelta(days=1))
    task(visit, jonas, monday + timedelta(days=2), title="Flags")
    task(visit, jonas, monday + timedelta(days=2), title="Done already", done=True)
    db.session.commit()
    return jonas, maria, visit


def table_row(page: str, person: ContactPerson) -> str:
    match = re.search(rf'<tr class="kern-table__row" id="person-{person.id}">(.*?)</tr>', page, re.S)
    assert match, person.name
    return match.group(1)


def test_viewer_sees_hours_visits_tasks_and_conflicts_per_person_and_week(client, login):
    jonas, maria, visit = jonas_busy_next_week()
    other = make_delegation(title="Bristol", arrival_at=visit.arrival_at, lead_contact_id=maria.id)
    make_item(other, start=visit.arrival_at + timedelta(hours=2), minutes=60, responsible=jonas, title="Clash")
    db.session.commit()
    login(Role.VIEWER)
    response = client.get("/workload/")
    assert response.status_code == 200
    page = response.text
    assert page.count('<th class="kern-table__header" scope="col">Week ') == 8  # this week and the next 7
    row = table_row(page, jonas)
    cells = re.findall(r'<td class="kern-table__cell">(.*?)</td>', row, re.S)
    this_week, next_week = cells[0], cells[1]
    assert "–" in this_week
    assert "7 h in 3 items" in next_week  # 4 + 2 + 1 (the clash); the cancelled one does not count
    assert "1 visit led" in next_week and "2 open tasks" in next_week
    assert "! 1 conflict (1 booked twice)" in next_week
    assert "Jonas Albrecht is responsible for two items at once: “Reception”" in page
    assert "Responsible: Jonas Albrecht" in page and f'href="/delegations/{other.id}#conflicts"' in page
    maria_row = table_row(page, maria)
    assert "deputy on 1 visit" in maria_row and "1 visit led" in maria_row


def test_an_acknowledged_conflict_no_longer_counts(client, login):
    from delegations.itinerary.operations import acknowledge
    from delegations.itinerary.panels import delegation_panel

    jonas, _maria, visit = jonas_busy_next_week()
    other = make_delegation(title="Bristol", arrival_at=visit.arrival_at)
    make_item(other, start=visit.arrival_at + timedelta(hours=2), minutes=60, responsible=jonas, title="Clash")
    db.session.commit()
    user = login(Role.PLANNER)
    assert "! 1 conflict" in table_row(client.get("/workload/").text, jonas)
    [entry] = delegation_panel(other).entries
    acknowledge(other, entry.conflict.key, entry.conflict.fingerprint, "Maria covers the harbour", user)
    db.session.commit()
    page = client.get("/workload/").text
    assert "conflict" not in table_row(page, jonas)
    assert "No open conflicts of contact persons in these weeks." in page


def test_the_chart_is_an_accessible_svg_with_title_description_and_numbers(client, login):
    jonas_busy_next_week()
    login(Role.PLANNER)
    page = client.get("/workload/").text
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="workload-chart-title workload-chart-desc"' in svg
    assert '<title id="workload-chart-title">Hours in programme items per contact person and week</title>' in svg
    assert "The busiest week: Jonas Albrecht, 6 hours in Week" in svg
    assert ">6 h<" in svg and ">L1 T2 <" in svg
    assert "<script" not in svg and "style=" not in svg


def test_cancelled_visits_and_done_tasks_do_not_count(client, login):
    jonas, _maria, visit = jonas_busy_next_week()
    visit.status = DelegationStatus.CANCELLED
    db.session.commit()
    login(Role.VIEWER)
    row = table_row(client.get("/workload/").text, jonas)
    assert "visit led" not in row and " h in " not in row and "open task" not in row


def test_a_chosen_range_of_weeks_and_links_to_earlier_and_later_weeks(client, login):
    jonas, _maria, _visit = jonas_busy_next_week()
    login(Role.VIEWER)
    start = this_monday() + timedelta(weeks=1, days=3)  # any day: the board starts on its Monday
    page = client.get(f"/workload/?start={start.isoformat()}&weeks=2").text
    assert page.count('<th class="kern-table__header" scope="col">Week ') == 2
    assert "6 h in 2 items" in table_row(page, jonas)
    earlier = (this_monday() - timedelta(weeks=1)).isoformat()
    assert f"start={earlier}&amp;weeks=2" in page
    assert "From this week" in page


def test_malformed_choices_explain_and_fall_back_to_the_default_weeks(client, login):
    make_contact(name="Jonas Albrecht")
    db.session.commit()
    login(Role.VIEWER)
    response = client.get("/workload/?start=next-tuesday&weeks=400")
    assert response.status_code == 200
    page = response.text
    assert "Please correct the following" in page
    assert "Choose between 1 and 26 weeks." in page
    assert page.count('<th class="kern-table__header" scope="col">Week ') == 8
    assert 'value="next-tuesday"' in page  # the refused input is kept in its field
    far = client.get("/workload/?start=9999-12-30&weeks=2")
    assert far.status_code == 200 and "Choose a date between 1970 and 2200." in far.text
    assert far.text.count('<th class="kern-table__header" scope="col">Week ') == 2


def test_overdue_tasks_count_in_this_week(client, login):
    jonas, _maria, visit = jonas_busy_next_week()
    task(visit, jonas, this_monday() - timedelta(days=10), title="Hotel rooms")
    db.session.commit()
    login(Role.VIEWER)
    row = table_row(client.get("/workload/").text, jonas)
    first_cell = re.findall(r'<td class="kern-table__cell">(.*?)</td>', row, re.S)[0]
    assert "1 open task (1 overdue)" in first_cell


def test_names_are_escaped_in_the_chart_and_the_table(client, login):
    person = make_contact(name='<script>alert(1)</script> & "Co"')
    visit = make_delegation(arrival_at=at(this_monday(), 9), lead_contact_id=person.id)
    make_item(visit, start=at(this_monday(), 10), responsible=person)
    db.session.commit()
    login(Role.VIEWER)
    page = client.get("/workload/").text
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;") >= 2  # chart and table


def test_everyone_needs_to_log_in(client):
    response = client.get("/workload/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def fill(size: int) -> None:
    monday = this_monday()
    people = [make_contact() for _ in range(3)]
    for number in range(size):
        visit = make_delegation(arrival_at=at(monday + timedelta(days=number % 20), 9),
                                lead_contact_id=people[number % 3].id, deputy_contact_id=people[(number + 1) % 3].id)
        make_item(visit, start=visit.arrival_at + timedelta(hours=1), responsible=people[number % 3])
        make_item(visit, start=visit.arrival_at + timedelta(hours=1, minutes=30), responsible=people[number % 3])
        task(visit, people[number % 3], monday + timedelta(days=number % 30))
    db.session.commit()


def test_query_count_stays_flat_as_data_grows(app, client, login):
    login(Role.VIEWER)
    fill(4)
    with counted_queries() as small:
        assert client.get("/workload/").status_code == 200
    fill(40)
    with counted_queries() as large:
        assert client.get("/workload/").status_code == 200
    assert len(small) == len(large)


# Who has room ----------------------------------------------------------------------------------------

def test_the_visit_form_shows_who_has_room_in_the_weeks_of_the_visit(client, login):
    jonas, maria, _visit = jonas_busy_next_week()
    monday = this_monday() + timedelta(weeks=1)
    planned = make_delegation(title="Hiroshima", arrival_at=at(monday + timedelta(days=3), 9))
    db.session.commit()
    login(Role.PLANNER)
    page = client.get(f"/delegations/{planned.id}/edit").text
    room = re.search(r'<div id="lead-room".*?</div>', page, re.S).group(0)
    assert "Jonas Albrecht</strong>: 6 h in 2 items, 1 visit led, 2 open tasks in these weeks" in room
    assert "Maria Yilmaz</strong>: no programme items, 0 visits led, deputy on 1 visit" in room
    assert room.index("Maria Yilmaz") < room.index("Jonas Albrecht")  # the least busy first
    assert f'hx-get="/workload/lead-room?delegation_id={planned.id}"' in room


def test_the_visit_itself_is_left_out_of_its_lead_room(client, login):
    jonas, _maria, visit = jonas_busy_next_week()
    login(Role.PLANNER)
    room = client.get(f"/delegations/{visit.id}/edit").text
    assert "Jonas Albrecht</strong>: no programme items, 0 visits led, 0 open tasks in these weeks" in room


def test_a_new_visit_without_dates_asks_for_them_and_the_fragment_follows_typed_dates(client, login):
    jonas_busy_next_week()
    login(Role.PLANNER)
    assert "Enter arrival and departure to see" in client.get("/delegations/new").text
    monday = this_monday() + timedelta(weeks=1)
    response = client.get("/workload/lead-room", query_string={
        "direction": "incoming", "arrival_at": f"{monday.isoformat()}T08:00",
        "departure_at": f"{(monday + timedelta(days=1)).isoformat()}T20:00"})
    assert response.status_code == 200
    assert "Jonas Albrecht</strong>: 6 h in 2 items, 1 visit led, 2 open tasks" in response.text
    swapped = client.get("/workload/lead-room", headers={"HX-Request": "true"}, query_string={
        "direction": "incoming", "arrival_at": f"{monday.isoformat()}T08:00",
        "departure_at": f"{(monday + timedelta(days=1)).isoformat()}T20:00"}).text
    assert 'id="lead-room"' not in swapped and "Jonas Albrecht</strong>: 6 h in 2 items" in swapped  # the inside only
    far = client.get("/workload/lead-room", query_string={"arrival_at": "9999-12-31T10:00",
                                                           "departure_at": "9999-12-31T12:00"})
    assert far.status_code == 200 and "Enter arrival and departure" in far.text
    garbled = client.get("/workload/lead-room", query_string={"arrival_at": "tomorrow", "departure_at": ""})
    assert garbled.status_code == 200 and "Enter arrival and departure" in garbled.text


def test_after_a_refused_submit_the_typed_dates_decide(client, login):
    jonas_busy_next_week()
    login(Role.PLANNER)
    monday = this_monday() + timedelta(weeks=1)
    page = client.post("/delegations/new", data={
        "direction": "incoming", "title": "", "country_code": "PL", "status": "planned", "protocol_level": "unit",
        "arrival_at": f"{monday.isoformat()}T08:00",
        "departure_at": f"{(monday + timedelta(days=1)).isoformat()}T20:00"}).text
    assert "Please correct the following" in page
    assert "Jonas Albrecht</strong>: 6 h in 2 items" in page


def test_viewers_do_not_get_the_planners_fragment(client, login):
    login(Role.VIEWER)
    assert client.get("/workload/lead-room").status_code == 403
