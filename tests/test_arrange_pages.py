"""Arranging on the pages and the command line: items to place, the proposal beside today's programme, accepting
it whole or item by item (one transaction, optimistic locks), who may do it, and `flask arrange`."""
from __future__ import annotations

import html
import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from delegations.constants import ItemKind, ItemStatus, PrincipalKind, ProtocolLevel, Role
from delegations.extensions import db
from delegations.models import ArrangementRequest, BusyBlock, ProgrammeItem
from delegations.models.calendars import BusySource
from tests.accounts import sign_in
from tests.factories import berlin, make_delegation, make_item, make_principal, make_venue


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def one_day_visit(**values):
    visit = make_delegation(title="Poznań partners", arrival_at=berlin("2027-05-04 08:00"), **values)
    visit.departure_at = berlin("2027-05-04 18:00")
    db.session.flush()
    return visit


def add_request(visit, title="City walk", minutes=60, **values) -> ArrangementRequest:
    row = ArrangementRequest(delegation_id=visit.id, title=title, duration_minutes=minutes, **values)
    db.session.add(row)
    db.session.flush()
    return row


def proposal_form(html: str) -> dict:
    """The accept form as the browser would post it (all hidden fields, every box ticked)."""
    form = re.search(r'<form method="post" action="[^"]*/arrange/accept">(.*?)</form>', html, re.S).group(1)
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)
    data["accept"] = re.findall(r'type="checkbox" name="accept" value="([^"]+)"', form)
    return data


# Permissions ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/arrange"), ("get", "/arrange/proposal"), ("get", "/arrange/requests/new"),
    ("post", "/arrange/requests/new"), ("post", "/arrange/accept"),
])
def test_a_viewer_cannot_arrange(client, method, path):
    sign_in(client, Role.VIEWER)
    visit = one_day_visit()
    db.session.commit()
    response = getattr(client, method)(f"/delegations/{visit.id}{path}")
    assert response.status_code == 403


# Items to place ---------------------------------------------------------------------------------------

def test_a_planner_adds_an_item_to_place_with_a_lunch_window(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/arrange/requests/new", data={
        "title": "Lunch", "kind": "meal", "duration_minutes": "60", "priority": "3", "earliest": "12:00",
        "latest": "14:00", "principal_id": "", "venue_id": "", "responsible_id": "", "order_relation": "",
        "relative": ""})
    assert response.status_code == 302
    row = db.session.scalar(select(ArrangementRequest))
    assert (row.title, row.kind, row.priority, row.earliest_time, row.latest_time) == (
        "Lunch", ItemKind.MEAL, 3, time(12), time(14))
    page = text_of(client.get(f"/delegations/{visit.id}/arrange").text)
    assert "Lunch" in page and "between 12:00 and 14:00" in page and "High" in page


def test_the_request_form_refuses_a_window_that_ends_before_it_starts_and_an_order_without_an_item(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    db.session.commit()
    page = client.post(f"/delegations/{visit.id}/arrange/requests/new", data={
        "title": "Lunch", "kind": "meal", "duration_minutes": "60", "priority": "2", "earliest": "14:00",
        "latest": "12:00", "order_relation": "", "relative": ""}).text
    assert "The latest time must be after the earliest time." in page
    page = client.post(f"/delegations/{visit.id}/arrange/requests/new", data={
        "title": "Lunch", "kind": "meal", "duration_minutes": "60", "priority": "2", "order_relation": "after",
        "relative": ""}).text
    assert "Choose the item it must come before or after." in page
    assert db.session.scalar(select(func.count()).select_from(ArrangementRequest)) == 0


def test_a_request_for_a_visit_received_by_the_mayor_asks_for_the_mayor_first(client):
    sign_in(client, Role.PLANNER)
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    make_principal(name="Krueger", title="Deputy", kind=PrincipalKind.DEPUTY_MAYOR)
    visit = one_day_visit(protocol_level=ProtocolLevel.MAYOR)
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/arrange/requests/new").text
    assert re.search(rf'<option selected value="{mayor.id}">|<option value="{mayor.id}" selected>', page)


# The proposal -----------------------------------------------------------------------------------------

def test_the_proposal_shows_todays_programme_beside_the_proposed_one(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    make_item(visit, start=berlin("2027-05-04 09:00"), title="Welcome", status=ItemStatus.CONFIRMED)
    add_request(visit, "City walk", 60)
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/arrange/proposal")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Today" in text and "Proposed" in text
    assert "08:00–09:00 City walk new" in text  # before the fixed welcome, on the first free quarter hour
    assert "09:00–10:00 Welcome fixed" in text
    assert "1 new item, 0 items moved, 0 not placed" in text


def test_accepting_the_whole_proposal_creates_the_items_in_one_go(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    first, second = add_request(visit, "City walk", 90), add_request(visit, "Museum", 60, kind=ItemKind.VISIT)
    second.order_relation, second.relative_request_id = "after", first.id
    third = add_request(visit, "Photo", 30, order_relation="after")
    db.session.flush()
    third.relative_request_id = second.id
    db.session.commit()
    data = proposal_form(client.get(f"/delegations/{visit.id}/arrange/proposal").text)
    response = client.post(f"/delegations/{visit.id}/arrange/accept", data={**data, "scope": "all"})
    assert response.status_code == 302 and response.location.endswith(f"/delegations/{visit.id}#programme")
    items = db.session.scalars(select(ProgrammeItem).order_by(ProgrammeItem.starts_at)).all()
    assert [(item.title, item.status, item.kind) for item in items] == [
        ("City walk", ItemStatus.TENTATIVE, ItemKind.MEETING), ("Museum", ItemStatus.TENTATIVE, ItemKind.VISIT),
        ("Photo", ItemStatus.TENTATIVE, ItemKind.MEETING)]
    assert db.session.scalar(select(func.count()).select_from(ArrangementRequest)) == 0
    assert "Accepted: 3 new items, 0 items moved." in client.get(response.location).text


def test_accepting_item_by_item_keeps_the_rest_for_later_and_repoints_their_order(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    first = add_request(visit, "City walk", 90)
    second = add_request(visit, "Museum", 60, order_relation="after")
    second.relative_request_id = first.id
    db.session.commit()
    data = proposal_form(client.get(f"/delegations/{visit.id}/arrange/proposal").text)
    data["accept"] = [f"request-{first.id}"]
    client.post(f"/delegations/{visit.id}/arrange/accept", data={**data, "scope": "selected"})
    walk = db.session.scalar(select(ProgrammeItem))
    assert walk.title == "City walk"
    left = db.session.scalar(select(ArrangementRequest))
    assert (left.title, left.relative_item_id, left.relative_request_id) == ("Museum", walk.id, None)


def test_a_request_changed_after_the_proposal_is_not_accepted(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    row = add_request(visit, "City walk", 90)
    db.session.commit()
    data = proposal_form(client.get(f"/delegations/{visit.id}/arrange/proposal").text)
    row.duration_minutes = 240  # someone else edits the request meanwhile
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/arrange/accept", data={**data, "scope": "all"},
                           follow_redirects=True)
    assert "“City walk” was changed after the proposal was made; arrange again." in text_of(response.text)
    assert db.session.scalar(select(func.count()).select_from(ProgrammeItem)) == 0


def test_a_proposal_that_now_clashes_is_refused_as_a_whole(client):
    sign_in(client, Role.PLANNER)
    hall = make_venue(name="Town hall")
    visit = one_day_visit()
    add_request(visit, "Reception", 60, venue_id=hall.id)
    add_request(visit, "Walk", 60)
    db.session.commit()
    data = proposal_form(client.get(f"/delegations/{visit.id}/arrange/proposal").text)
    other = make_delegation(title="Hiroshima guests", arrival_at=berlin("2027-05-04 07:00"))
    make_item(other, start=berlin("2027-05-04 07:30"), minutes=180, title="Dinner", venue=hall)  # booked meanwhile
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/arrange/accept", data={**data, "scope": "all"},
                           follow_redirects=True)
    page = text_of(response.text)
    assert "Nothing has been changed:" in page and "Town hall is booked twice" in page
    assert db.session.scalar(select(func.count()).select_from(ProgrammeItem).where(
        ProgrammeItem.delegation_id == visit.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(ArrangementRequest)) == 2


def test_a_tentative_item_moves_when_accepted_and_stays_when_kept_in_place(client):
    sign_in(client, Role.PLANNER)
    visit = one_day_visit()
    museum = make_item(visit, start=berlin("2027-05-04 12:00"), title="Museum", status=ItemStatus.TENTATIVE)
    add_request(visit, "Lunch", 60, earliest_time=time(12), latest_time=time(13))
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/arrange/proposal").text
    assert "will move" in text_of(page)
    data = proposal_form(page)
    client.post(f"/delegations/{visit.id}/arrange/accept", data={**data, "scope": "all"})
    db.session.refresh(museum)
    assert museum.starts_at != berlin("2027-05-04 12:00")
    lunch = db.session.scalar(select(ProgrammeItem).where(ProgrammeItem.title == "Lunch"))
    assert lunch.starts_at == berlin("2027-05-04 12:00")

    # Kept in place, a tentative item does not move: then the lunch cannot be placed, and the page says why.
    other_visit = one_day_visit()
    kept = make_item(other_visit, start=berlin("2027-05-04 12:00"), title="Museum", status=ItemStatus.TENTATIVE)
    add_request(other_visit, "Lunch", 60, earliest_time=time(12), latest_time=time(13))
    db.session.commit()
    client.post(f"/delegations/{other_visit.id}/arrange/items/{kept.id}/fixed", data={"fixed": "1", "version": kept.version})
    db.session.refresh(kept)
    assert kept.fixed
    page = text_of(client.get(f"/delegations/{other_visit.id}/arrange/proposal").text)
    assert "1 item could not be placed" in page
    assert "The delegation's programme (with the way between venues) leaves no 60 minutes" in page


def test_the_mayors_visit_names_a_deputy_when_the_mayor_cannot(client):
    sign_in(client, Role.PLANNER)
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    make_principal(name="Krueger", title="Deputy", kind=PrincipalKind.DEPUTY_MAYOR)
    db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.MANUAL, key="m",
                             starts_at=berlin("2027-05-04 07:00"), ends_at=berlin("2027-05-04 19:00")))
    visit = one_day_visit(protocol_level=ProtocolLevel.MAYOR)
    add_request(visit, "Reception", 60, principal_id=mayor.id)
    db.session.commit()
    page = text_of(client.get(f"/delegations/{visit.id}/arrange/proposal").text)
    assert "Reception : Mayor Weber is not free for 60 minutes at any allowed time." in page
    assert "Deputy Krueger would be free from Tue 4.5. 08:00." in page


def test_the_proposal_page_reads_a_fixed_number_of_queries(client):
    from tests.test_visits_pages import counted_queries

    sign_in(client, Role.PLANNER)
    counts = []
    for size in (2, 12):
        visit = one_day_visit()
        visit.departure_at = berlin("2027-05-07 18:00")
        for number in range(size):
            add_request(visit, f"Item {number}", 45)
            make_item(visit, start=berlin("2027-05-05 08:00") + timedelta(hours=number), minutes=30,
                      status=ItemStatus.TENTATIVE)
        db.session.commit()
        with counted_queries() as statements:
            assert client.get(f"/delegations/{visit.id}/arrange/proposal").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# The command line -------------------------------------------------------------------------------------

def test_flask_arrange_prints_the_proposal_as_text(runner):
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    visit = one_day_visit()
    make_item(visit, start=berlin("2027-05-04 09:00"), title="Welcome", principal=mayor)
    add_request(visit, "City walk", 60)
    add_request(visit, "Gala", 60, earliest_time=time(22), latest_time=time(23))
    db.session.commit()
    result = runner.invoke(args=["arrange", str(visit.id), "--locale", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Proposed programme for “Poznań partners” (local time, Europe/Berlin)"
    assert "Tuesday, May 4, 2027" in lines
    assert "  08:00–09:00  City walk  [new]" in lines
    assert "  09:00–10:00  Welcome  (Mayor Weber)  [fixed]" in lines
    assert "Not placed:" in lines
    assert "  - Gala: No allowed day and time of day leaves 60 minutes within the stay." in lines
    assert db.session.scalar(select(func.count()).select_from(ProgrammeItem)) == 1  # a preview changes nothing


def test_flask_arrange_fails_clearly_for_an_unknown_delegation(runner):
    result = runner.invoke(args=["arrange", "999"])
    assert result.exit_code != 0
    assert "There is no delegation with id 999." in result.output
