"""The slot page: what a viewer and a planner see, the deputies named for a Mayor's visit, and one click from a
slot to the item form, prefilled."""
from __future__ import annotations

import html
import re

from delegations.constants import ItemStatus, PrincipalKind, ProtocolLevel, Role
from delegations.extensions import db
from delegations.models import BusyBlock
from delegations.models.calendars import BusySource
from tests.accounts import sign_in
from tests.factories import berlin, make_delegation, make_item, make_principal, make_venue


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def mayors_visit():
    mayor = make_principal(name="Weber", title="Mayor", kind=PrincipalKind.MAYOR)
    deputy = make_principal(name="Krueger", title="Deputy", kind=PrincipalKind.DEPUTY_MAYOR, rank=1)
    db.session.add(BusyBlock(principal_id=mayor.id, source=BusySource.MANUAL, key="m1",
                             starts_at=berlin("2027-05-04 08:00"), ends_at=berlin("2027-05-04 12:00")))
    visit = make_delegation(arrival_at=berlin("2027-05-04 08:00"), protocol_level=ProtocolLevel.MAYOR)
    visit.departure_at = berlin("2027-05-04 14:00")
    db.session.commit()
    return visit, mayor, deputy


def test_a_viewer_sees_free_slots_but_no_links_to_change_the_programme(client):
    sign_in(client, Role.VIEWER)
    visit, mayor, _deputy = mayors_visit()
    page = client.get(f"/delegations/{visit.id}/slots?duration=60&principal_id={mayor.id}")
    assert page.status_code == 200
    assert "Tue 4.5. 12:00–13:00" in text_of(page.text)
    assert "Use this slot" not in page.text


def test_a_planner_sees_the_mayors_slots_and_the_deputy_who_can_when_the_mayor_cannot(client):
    sign_in(client, Role.PLANNER)
    visit, mayor, deputy = mayors_visit()
    page = text_of(client.get(f"/delegations/{visit.id}/slots?duration=60&principal_id={mayor.id}").text)
    assert "Tue 4.5. 12:00–13:00" in page and "Use this slot" in page
    assert "If the Mayor cannot: a deputy mayor is free" in page
    assert "Tue 4.5. 08:00–09:00" in page and "Deputy Krueger can" in page


def test_use_this_slot_opens_the_new_item_form_prefilled(client):
    sign_in(client, Role.PLANNER)
    visit, mayor, _deputy = mayors_visit()
    page = client.get(f"/delegations/{visit.id}/slots?duration=60&principal_id={mayor.id}&title=Reception").text
    link = re.search(r'href="([^"]*/items/new[^"]*)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).text
    assert 'value="2027-05-04T12:00"' in form and 'value="2027-05-04T13:00"' in form
    assert re.search(rf'<option selected value="{mayor.id}">|<option value="{mayor.id}" selected>', form)
    assert 'value="Reception"' in form


def test_finding_another_time_for_an_item_prefills_its_edit_form(client):
    sign_in(client, Role.PLANNER)
    visit, mayor, _deputy = mayors_visit()
    hall = make_venue(name="Town hall")
    item = make_item(visit, start=berlin("2027-05-04 10:00"), minutes=45, title="Reception", principal=mayor,
                     venue=hall, status=ItemStatus.TENTATIVE)
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/slots?item_id={item.id}").text
    assert 'value="45"' in page  # the item's duration is looked for
    link = re.search(r'href="([^"]*/items/\d+/edit[^"]*)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).text
    assert 'value="2027-05-04T12:00"' in form and 'value="2027-05-04T12:45"' in form


def test_a_wrong_search_is_explained_not_answered_with_an_error_page(client):
    sign_in(client, Role.VIEWER)
    visit, _mayor, _deputy = mayors_visit()
    page = client.get(f"/delegations/{visit.id}/slots?duration=2000&earliest=12:00&latest=10:00")
    assert page.status_code == 200
    assert "Please enter between 5 and 720 minutes." in page.text


def test_slot_page_tells_why_nothing_fits(client):
    sign_in(client, Role.VIEWER)
    visit, mayor, _deputy = mayors_visit()
    page = text_of(client.get(f"/delegations/{visit.id}/slots?duration=60&principal_id={mayor.id}&latest=12:00").text)
    assert "No free slot. Mayor Weber is not free for 60 minutes at any allowed time." in page
