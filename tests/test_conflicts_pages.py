"""Conflicts on the pages: the delegation's panel, the dashboard's next 14 days, the flash after saving an item,
acknowledging (and the conflict coming back when its data changes), htmx and no-JS, and who may do what."""
from __future__ import annotations

import html
import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from delegations.constants import ItemStatus, PrincipalKind, ProtocolLevel, Role
from delegations.extensions import db
from delegations.models import BusyBlock, ConflictAcknowledgement, OfficeHours, utc_now
from delegations.models.calendars import BusySource
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_principal, make_venue


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def conflicts_section(html: str) -> str:
    match = re.search(r'<section id="conflicts".*?</section>', html, re.S)
    assert match, "no conflicts panel on the page"
    return match.group(0)


@pytest.fixture
def busy_mayor():
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.MANUAL, key="m1",
                             starts_at=berlin("2027-05-04 10:30"), ends_at=berlin("2027-05-04 12:00"),
                             subject="Council"))
    db.session.flush()
    return mayor


def visit_with_busy_reception(mayor):
    visit = make_delegation(title="Poznań partners", arrival_at=berlin("2027-05-03 09:00"))
    reception = make_item(visit, start=berlin("2027-05-04 10:00"), title="Reception", principal=mayor)
    db.session.commit()
    return visit, reception


def test_the_delegation_page_lists_each_conflict_with_icon_words_and_one_sentence(client, busy_mayor):
    sign_in(client, Role.VIEWER)
    visit, reception = visit_with_busy_reception(busy_mayor)
    panel = conflicts_section(client.get(f"/delegations/{visit.id}").text)
    assert "kern-icon--calendar-today" in panel  # an icon ...
    assert "Principal busy" in text_of(panel)  # ... and words, not colour alone
    assert "Mayor Weber is not free for “Reception” (Tue, May 4, 10:00–11:00): blocked for “Council”" in text_of(panel)
    assert "Acknowledge" not in panel  # a viewer sees, but does not acknowledge


def test_a_viewer_cannot_acknowledge(client, busy_mayor):
    sign_in(client, Role.VIEWER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    response = client.post(f"/delegations/{visit.id}/conflicts/acknowledge",
                           data={"key": "x", "fingerprint": "y", "reason": "fine"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ConflictAcknowledgement)) == 0


def acknowledge_first(client, visit, reason="The Mayor joins after the council.", htmx=False):
    panel = conflicts_section(client.get(f"/delegations/{visit.id}").text)
    key = re.search(r'name="key" value="([^"]+)"', panel).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', panel).group(1)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/delegations/{visit.id}/conflicts/acknowledge", headers=headers,
                       data={"key": key, "fingerprint": fingerprint, "reason": reason})


def test_an_acknowledged_conflict_stops_shouting_and_comes_back_when_its_data_changes(client, busy_mayor):
    planner = sign_in(client, Role.PLANNER)
    visit, reception = visit_with_busy_reception(busy_mayor)
    response = acknowledge_first(client, visit)
    assert response.status_code == 302 and response.location.endswith(f"/delegations/{visit.id}#conflicts")
    panel = text_of(conflicts_section(client.get(f"/delegations/{visit.id}").text))
    assert "Conflicts (0)" in panel and "1 acknowledged conflict" in panel
    assert f"Acknowledged by {planner.display_name}" in panel and "The Mayor joins after the council." in panel

    # The reception moves by a quarter of an hour: still a conflict, but not the one that was acknowledged.
    reception.starts_at += timedelta(minutes=15)
    reception.ends_at += timedelta(minutes=15)
    db.session.commit()
    panel = text_of(conflicts_section(client.get(f"/delegations/{visit.id}").text))
    assert "Conflicts (1)" in panel
    assert "Acknowledged earlier by" in panel and "but its data has changed since" in panel


def test_a_change_of_the_busy_time_also_brings_the_conflict_back(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    acknowledge_first(client, visit)
    block = db.session.scalar(select(BusyBlock))
    block.ends_at = berlin("2027-05-04 13:00")
    db.session.commit()
    assert "Conflicts (1)" in text_of(conflicts_section(client.get(f"/delegations/{visit.id}").text))


def test_acknowledging_with_htmx_returns_the_refreshed_panel(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    response = acknowledge_first(client, visit, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith("{#") is False and '<section id="conflicts"' in response.text
    assert "<html" not in response.text
    assert "The conflict is acknowledged" in text_of(response.text)


def test_acknowledging_needs_a_reason(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    response = acknowledge_first(client, visit, reason="  ")
    assert response.status_code == 302
    assert "Please say why" in client.get(response.location).text
    assert db.session.scalar(select(func.count()).select_from(ConflictAcknowledgement)) == 0


def test_a_stale_acknowledgement_is_refused(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit, reception = visit_with_busy_reception(busy_mayor)
    panel = conflicts_section(client.get(f"/delegations/{visit.id}").text)
    key = re.search(r'name="key" value="([^"]+)"', panel).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', panel).group(1)
    reception.ends_at += timedelta(minutes=30)  # someone changes the item while the planner reads
    db.session.commit()
    client.post(f"/delegations/{visit.id}/conflicts/acknowledge",
                data={"key": key, "fingerprint": fingerprint, "reason": "ok"})
    assert db.session.scalar(select(func.count()).select_from(ConflictAcknowledgement)) == 0


def test_withdrawing_an_acknowledgement_lets_the_conflict_shout_again(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    acknowledge_first(client, visit)
    key = db.session.scalar(select(ConflictAcknowledgement.conflict_key))
    client.post(f"/delegations/{visit.id}/conflicts/withdraw", data={"key": key})
    assert "Conflicts (1)" in text_of(conflicts_section(client.get(f"/delegations/{visit.id}").text))


def test_the_conflicts_page_works_without_javascript_and_as_an_htmx_fragment(client, busy_mayor):
    sign_in(client, Role.VIEWER)
    visit, _reception = visit_with_busy_reception(busy_mayor)
    page = client.get(f"/delegations/{visit.id}/conflicts")
    assert page.status_code == 200 and "<html" in page.text and "Principal busy" in page.text
    fragment = client.get(f"/delegations/{visit.id}/conflicts", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Principal busy" in fragment.text


def test_saving_an_item_flashes_its_new_conflicts(client):
    sign_in(client, Role.PLANNER)
    hall = make_venue(name="Town hall")
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
    other = make_delegation(title="Hiroshima guests", arrival_at=berlin("2027-05-03 09:00"))
    make_item(other, start=berlin("2027-05-04 10:00"), title="Dinner", venue=hall)
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/new", data={
        "title": "Reception", "kind": "reception", "starts_at": "2027-05-04T10:30", "ends_at": "2027-05-04T11:30",
        "venue_id": str(hall.id), "principal_id": "", "responsible_id": "", "status": "tentative"},
        follow_redirects=True)
    page = text_of(response.text)
    assert "“Reception” has been added to the programme." in page
    assert "Conflict: Town hall is booked twice: “Dinner” (Hiroshima guests, Tue, May 4, 10:00–11:00)" in page


def test_editing_an_item_into_a_busy_time_flashes_the_conflict(client, busy_mayor):
    sign_in(client, Role.PLANNER)
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
    item = make_item(visit, start=berlin("2027-05-04 08:00"), title="Breakfast", principal=busy_mayor,
                     status=ItemStatus.TENTATIVE)
    db.session.commit()
    response = client.post(f"/delegations/{visit.id}/items/{item.id}/edit", data={
        "title": "Breakfast", "kind": "meal", "starts_at": "2027-05-04T11:00", "ends_at": "2027-05-04T12:00",
        "venue_id": "", "principal_id": str(busy_mayor.id), "responsible_id": "", "status": "tentative",
        "version": str(item.version)}, follow_redirects=True)
    assert "Conflict: Mayor Weber is not free for “Breakfast”" in text_of(response.text)


def test_the_dashboard_lists_conflicts_of_the_next_14_days(client):
    sign_in(client, Role.VIEWER)
    now = utc_now()
    contact = make_contact(name="Katrin Vogel")
    soon = make_delegation(title="Soon", arrival_at=now - timedelta(hours=1))
    later = make_delegation(title="Later", arrival_at=now + timedelta(days=20))
    make_item(soon, start=now + timedelta(days=1), title="Walk", responsible=contact)
    make_item(soon, start=now + timedelta(days=1, minutes=30), title="Talk", responsible=contact)
    make_item(later, start=now + timedelta(days=21), title="Far away", responsible=contact)
    make_item(later, start=now + timedelta(days=21, minutes=30), title="Far away too", responsible=contact)
    db.session.commit()
    page = text_of(client.get("/").text)
    assert "Conflicts in the next 14 days (2)" in page  # contact twice, and the overlap in "Soon"
    assert "Katrin Vogel is responsible for two items at once: “Walk”" in page
    assert "Far away" not in page.split("Visits and tours")[0]


def test_outside_office_hours_from_the_principals_office_hours(client):
    sign_in(client, Role.VIEWER)
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    for weekday in range(5):
        db.session.add(OfficeHours(principal_id=mayor.id, weekday=weekday, start_time=time(8), end_time=time(19)))
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"), protocol_level=ProtocolLevel.MAYOR)
    make_item(visit, start=berlin("2027-05-04 19:30"), title="Dinner", principal=mayor)
    db.session.commit()
    panel = text_of(conflicts_section(client.get(f"/delegations/{visit.id}").text))
    assert "“Dinner” (Tue, May 4, 19:30–20:30) lies outside the office hours of Mayor Weber." in panel


def test_the_delegation_page_query_count_does_not_grow_with_conflicts(client, busy_mayor):
    from tests.test_visits_pages import counted_queries

    sign_in(client, Role.VIEWER)
    counts = []
    for size in (2, 12):
        visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
        for number in range(size):
            make_item(visit, start=berlin("2027-05-04 10:00") + timedelta(minutes=20 * number), principal=busy_mayor)
        db.session.commit()
        with counted_queries() as statements:
            assert client.get(f"/delegations/{visit.id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_titles_and_calendar_subjects_in_conflict_sentences_are_escaped(client):
    """Sentences carry data from outside (imported calendar subjects, titles): never as markup."""
    sign_in(client, Role.VIEWER)
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.IMPORTED, key="x",
                             starts_at=utc_now() + timedelta(hours=1), ends_at=utc_now() + timedelta(hours=3),
                             subject="<script>alert(1)</script>"))
    visit = make_delegation(arrival_at=utc_now() - timedelta(hours=1))
    make_item(visit, start=utc_now() + timedelta(hours=2), title="<b>Reception</b>", principal=mayor)
    db.session.commit()
    for page in (client.get(f"/delegations/{visit.id}").text, client.get("/").text):
        assert "<script>alert(1)</script>" not in page and "<b>Reception</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;Reception&lt;/b&gt;" in page
