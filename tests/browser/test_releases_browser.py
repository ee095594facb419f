"""Releasing programme versions in a real browser: release version 1, move an item, see the version out of
date with the change on the visit page, release version 2 and read the change summary; axe on every page."""
from __future__ import annotations

import re

import pytest

from delegations.constants import Role
from delegations.extensions import db
from tests.accounts import make_account
from tests.browser.test_planning_flow import log_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_venue

pytestmark = pytest.mark.browser


def test_planner_releases_two_versions_and_reads_the_change_summary(live_server, page, axe):
    make_account(Role.PLANNER, "planner@example.org")
    vogel = make_contact(name="Katrin Vogel", email="katrin.vogel@example.org")
    town_hall = make_venue(name="New Town Hall", room="")
    visit = make_delegation(title="Delegation from Poznań", arrival_at=berlin("2027-03-26 09:00"))
    reception = make_item(visit, berlin("2027-03-26 10:00"), 60, title="Reception", venue=town_hall,
                          responsible=vogel)
    db.session.commit()

    log_in(page, live_server, "planner@example.org")
    page.goto(f"{live_server}/delegations/{visit.id}")
    panel = page.locator("#versions")
    assert "No version of this programme has been released yet" in panel.inner_text()
    axe.check(page, "visit page before the first release")
    panel.get_by_role("link", name="Release version 1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Release version 1"
    axe.check(page, "release preview, first version")
    page.get_by_role("button", name="Release version 1").click()
    page.wait_for_url(re.compile(r"/versions/1$"))
    assert "Version 1 released" in page.locator(".flashes").inner_text()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Version 1, ")
    axe.check(page, "version 1")

    # Move the reception by an hour and a half.
    page.goto(f"{live_server}/delegations/{visit.id}/items/{reception.id}/edit")
    page.get_by_label("Start").fill("2027-03-26T11:30")
    page.get_by_label("End").fill("2027-03-26T12:30")
    page.get_by_role("button", name="Save item").click()
    page.wait_for_url(re.compile(r"/delegations/\d+#item-\d+$"))
    panel = page.locator("#versions")
    assert "Out of date with the data: changed since version 1" in panel.inner_text()
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in panel.inner_text()
    axe.check(page, "visit page, out of date")

    panel.get_by_role("link", name="Release version 2").click()
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in page.locator(".change-list").inner_text()
    notices = page.locator("table.notice-preview")
    assert "Katrin Vogel" in notices.inner_text() and "katrin.vogel@example.org" in notices.inner_text()
    axe.check(page, "release preview with notices")
    page.get_by_label("Note for the people notified").fill("The Mayor's diary changed.")
    page.get_by_role("button", name="Release version 2 and send the notices").click()
    page.wait_for_url(re.compile(r"/versions/2$"))
    assert "1 change notice is in the outbox" in page.locator(".flashes").inner_text()
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in page.locator("#change-summary").inner_text()
    assert "Katrin Vogel" in page.get_by_role("table").inner_text()
    axe.check(page, "version 2 with its notices")

    page.get_by_role("link", name="All versions").click()
    page.get_by_label("From version").select_option("1")
    page.get_by_label("To version").select_option("2")
    page.get_by_role("button", name="Show the changes").click()
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in page.locator("#change-summary").inner_text()
    axe.check(page, "compare versions")
    page.goto(f"{live_server}/delegations/{visit.id}")
    assert "Up to date with the data" in page.locator("#versions").inner_text()
    axe.assert_clean()
