"""Printing in a real browser: the Print and Guest link panels, the guest page on a phone (axe-core, reflow
at 320 CSS pixels, right to left in Arabic), the week picker, and a PDF download."""
from __future__ import annotations

import pytest

from delegations.constants import Role
from delegations.extensions import db
from tests.accounts import make_account
from tests.browser.test_planning_flow import log_in
from tests.printing_data import make_visit

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def print_config(csrf_app, tmp_path):
    csrf_app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))


def test_planner_creates_a_guest_link_and_a_guest_reads_the_programme_on_a_phone(live_server, browser, page, axe):
    make_account(Role.PLANNER, "planner@example.org")
    visit = make_visit("ar")
    db.session.commit()
    log_in(page, live_server, "planner@example.org")
    page.goto(f"{live_server}/delegations/{visit.delegation.id}")
    page.get_by_role("button", name="Create guest link").click()
    page.wait_for_url(f"{live_server}/delegations/{visit.delegation.id}#guest-link")
    axe.check(page, "delegation page with print panels")
    guest_url = page.locator("#guest-link .guest-url a").inner_text()
    assert guest_url.startswith(f"{live_server}/p/")

    with page.expect_response(lambda response: response.url.endswith("programme.pdf?lang=ar")) as download:
        page.evaluate("url => fetch(url)", f"{live_server}/delegations/{visit.delegation.id}/programme.pdf?lang=ar")
    assert download.value.headers["content-type"] == "application/pdf"

    phone = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True, locale="ar")
    guest = phone.new_page()
    guest.goto(guest_url)
    assert guest.locator("html").get_attribute("dir") == "rtl"
    assert guest.get_by_role("heading", name="استقبال رسمي من رئيس البلدية").is_visible()
    overflow = guest.evaluate("""() => [...document.querySelectorAll('body *')].filter(element => {
        const box = element.getBoundingClientRect();
        return box.width && (box.right > window.innerWidth + 1 || box.left < -1) && getComputedStyle(element).position !== 'absolute';
    }).map(element => element.tagName + '.' + element.className + ' ' + element.textContent.slice(0, 40))""")
    assert overflow == [], overflow
    assert guest.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    axe.check(guest, "guest page (Arabic, 320 px)")
    guest.get_by_role("link", name="English").click()
    assert guest.locator("html").get_attribute("lang") == "en"
    axe.check(guest, "guest page (English, 320 px)")
    phone.close()
    axe.assert_clean()


def test_the_week_picker_is_accessible(live_server, page, axe):
    make_account(Role.VIEWER, "viewer@example.org")
    make_visit("zh")
    db.session.commit()
    log_in(page, live_server, "viewer@example.org")
    page.get_by_role("link", name="Week overview").click()
    page.get_by_role("textbox", name="Week").fill("2027-W19")
    page.get_by_role("button", name="Show week").click()
    assert "Empfang durch den Oberbürgermeister" in page.locator("main").inner_text()
    axe.check(page, "week overview")
    page.get_by_role("textbox", name="Week").fill("whenever")
    page.get_by_role("button", name="Show week").click()
    assert page.locator("[data-error-summary]").is_visible()
    axe.check(page, "week overview with an error")
    axe.assert_clean()
