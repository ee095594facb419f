"""In a real browser (CSP on): the visit page loads its latest changes, the history restores a deleted
item, and a planner near the idle limit is warned and can stay logged in. axe-core checks the pages."""
from __future__ import annotations

import re

import pytest

from delegations.constants import Role
from delegations.extensions import db
from tests.accounts import make_account
from tests.conftest import PASSWORD
from tests.factories import berlin, make_delegation, make_item

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def test_history_on_the_visit_page_and_restoring_a_deleted_item(live_server, page, axe):
    make_account(Role.PLANNER, "planner@example.org")
    delegation = make_delegation(title="Visit from Poznań")
    make_item(delegation, start=berlin("2027-05-03 10:00"), title="Reception at the New Town Hall")
    db.session.commit()
    log_in(page, live_server, "planner@example.org")

    page.goto(f"{live_server}/delegations/{delegation.id}/items/1/edit")
    page.get_by_label("Start").fill("2027-05-03T11:30")
    page.get_by_label("End").fill("2027-05-03T12:30")
    page.get_by_role("button", name="Save item").click()
    page.wait_for_url(re.compile(r"/delegations/\d+#item-\d+$"))
    # The history section fills itself (htmx) with the latest changes.
    history = page.locator("#history")
    history.locator(".history-entry").first.wait_for()
    assert "Test planner moved “Reception at the New Town Hall” from 10:00 to 11:30" in history.inner_text()
    axe.check(page, "visit page with history")

    page.goto(f"{live_server}/delegations/{delegation.id}/items/1/edit")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete item").click()
    page.wait_for_url(re.compile(r"/delegations/\d+#programme$"))
    page.get_by_role("link", name="Show the whole history").click()
    axe.check(page, "history page")
    page.get_by_role("button", name="Restore “Reception at the New Town Hall”").click()
    page.wait_for_url(re.compile(r"/delegations/\d+#item-1$"))
    assert "has been restored" in page.locator(".flashes").inner_text()
    assert page.locator("#item-1").is_visible()


def test_a_planner_near_the_idle_limit_is_warned_and_stays_logged_in(live_server, csrf_app, page, axe):
    csrf_app.config["SESSION_IDLE_MINUTES"] = 5  # the warning shows 5 minutes before the end: at once
    make_account(Role.PLANNER, "planner@example.org")
    db.session.commit()
    log_in(page, live_server, "planner@example.org")
    warning = page.locator(".session-warning")
    warning.wait_for()
    assert "You will be logged out in 5 minutes" in warning.inner_text()
    axe.check(page, "idle warning")
    with page.expect_response(re.compile(r"/session/keep-alive$")) as answer:
        page.get_by_role("button", name="Stay logged in").click()
    assert answer.value.status == 200
    assert answer.value.json()["idle_left"] >= 290


def test_account_page_offers_to_log_out_everywhere(live_server, page, axe):
    make_account(Role.VIEWER, "viewer@example.org")
    db.session.commit()
    log_in(page, live_server, "viewer@example.org")
    page.goto(f"{live_server}/account")
    axe.check(page, "account page")
    page.get_by_role("button", name="Log out everywhere").click()
    page.wait_for_url(re.compile(r"/login"))
    assert "logged out on all devices" in page.locator(".flashes").inner_text()
