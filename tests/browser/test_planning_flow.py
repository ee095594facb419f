"""A planner's first morning with the app, in a real browser: log in, record a delegation, plan two items,
see them on the day view, and be told when an item lies outside the stay. axe-core checks every page."""
from __future__ import annotations

import re

import pytest

from delegations.constants import Role
from delegations.extensions import db
from tests.accounts import make_account
from tests.conftest import PASSWORD
from tests.factories import make_contact

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, email: str, axe=None) -> None:
    page.goto(f"{base_url}/login")
    if axe:
        axe.check(page, "login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def add_item(page, title: str, start: str, end: str) -> None:
    page.get_by_role("link", name="Add programme item").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Start").fill(start)
    page.get_by_label("End").fill(end)
    page.get_by_role("button", name="Save item").click()


def test_planner_records_a_delegation_and_plans_its_programme(live_server, page, axe):
    make_account(Role.PLANNER, "planner@example.org")
    make_contact(name="Jonas Albrecht", function="Referent Partnerstädte")
    db.session.commit()

    log_in(page, live_server, "planner@example.org", axe)
    axe.check(page, "dashboard")

    page.get_by_role("link", name="New incoming delegation").first.click()
    axe.check(page, "new delegation form")
    page.get_by_label("Title").fill("Delegation der Partnerstadt Poznań")
    page.get_by_label("Country").select_option("PL")
    page.get_by_role("textbox", name="City").fill("Poznań")
    page.get_by_label("Arrival").fill("2027-05-03T09:00")
    page.get_by_label("Departure").fill("2027-05-05T18:00")
    page.get_by_label("Lead contact person").select_option(label="Jonas Albrecht (Referent Partnerstädte)")
    page.get_by_label("Polish").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/delegations/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Delegation der Partnerstadt Poznań"
    assert "has been created" in page.locator(".flashes").inner_text()
    axe.check(page, "delegation page")

    add_item(page, "Empfang durch den Oberbürgermeister", "2027-05-03T14:00", "2027-05-03T15:30")
    page.wait_for_url(re.compile(r"/delegations/\d+#item-\d+$"))
    add_item(page, "Führung Herrenhäuser Gärten", "2027-05-04T10:00", "2027-05-04T12:00")
    page.wait_for_url(re.compile(r"/delegations/\d+#item-\d+$"))
    axe.check(page, "delegation page with programme")

    first_day = page.locator("section.day", has=page.get_by_role("heading", name=re.compile("May 3, 2027")))
    second_day = page.locator("section.day", has=page.get_by_role("heading", name=re.compile("May 4, 2027")))
    assert "14:00–15:30" in first_day.inner_text() and "Empfang durch den Oberbürgermeister" in first_day.inner_text()
    assert "10:00–12:00" in second_day.inner_text() and "Führung Herrenhäuser Gärten" in second_day.inner_text()
    assert page.locator("section.day").count() == 3

    # An item after the departure is refused, with the message beside the field and in the summary.
    add_item(page, "Abschiedsessen", "2027-05-05T19:00", "2027-05-05T21:00")
    summary = page.locator("[data-error-summary]")
    assert "outside the stay" in summary.inner_text()
    assert summary.evaluate("element => element === document.activeElement")  # focus moved to the summary
    assert "outside the stay" in page.locator("#starts_at-error").inner_text()
    assert page.get_by_label("Start").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Title", exact=True).input_value() == "Abschiedsessen"  # the input is kept
    axe.check(page, "item form with errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "starts_at"

    axe.assert_clean()


def test_deleting_asks_for_confirmation_first(live_server, page):
    from tests.factories import make_delegation, make_item

    make_account(Role.PLANNER, "planner@example.org")
    visit = make_delegation(title="Zu löschen")
    item = make_item(visit, title="Termin")
    db.session.commit()
    log_in(page, live_server, "planner@example.org")
    page.goto(f"{live_server}/delegations/{visit.id}/items/{item.id}/edit")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete item").click()
    assert page.url.endswith("/edit")  # nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete item").click()
    page.wait_for_url(re.compile(r"/delegations/\d+#programme$"))
    assert "has been removed from the programme" in page.locator(".flashes").inner_text()
