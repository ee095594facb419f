"""axe-core (WCAG 2.1 A and AA) on every page of the planning app a viewer, a planner and an admin reach
by following links from the overview, with the demo data loaded; plus forms showing errors, and reflow
at 320 CSS pixels without horizontal scrolling."""
from __future__ import annotations

import io
from collections import Counter
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from delegations.demo import DEMO_USERS, load_demo
from delegations.extensions import db
from tests.browser.test_planning_flow import log_in
from tests.test_access import RULES

pytestmark = pytest.mark.browser

PER_ENDPOINT = 1  # pages of one kind share their template: one of each is enough


@pytest.fixture
def demo(live_server):
    load_demo()
    db.session.commit()
    # Demo accounts speak German by default; check the German pages here (the flow test checks English).
    return {role.value: (email, password) for email, password, role, _name in DEMO_USERS}


def sign_in_as(page, base_url, demo, role: str):
    email, password = demo[role]
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


def endpoint_of(app, path: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("127.0.0.1").match(path, method="GET")
    except HTTPException:
        return None
    return endpoint


def crawl(app, page, base_url: str, axe) -> list[str]:
    """Follow same-site links from the overview; check each new page with axe-core."""
    seen_urls: set[str] = set()
    per_endpoint: Counter = Counter()
    queue = [f"{base_url}/"]
    visited = []
    while queue:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        path = urlsplit(url).path
        endpoint = endpoint_of(app, path)
        if endpoint not in RULES or endpoint in ("auth.login", "auth.logout") or per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        response = page.goto(url)
        assert response.status == 200, url
        axe.check(page, path)
        visited.append(endpoint)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            target = href.split("#")[0]
            if target.startswith(base_url) and target not in seen_urls:
                queue.append(target)
    return visited


@pytest.mark.parametrize("role", ["viewer", "planner", "admin"])
def test_every_page_a_role_reaches_is_accessible(csrf_app, live_server, page, axe, demo, role):
    sign_in_as(page, live_server, demo, role)
    visited = set(crawl(csrf_app, page, live_server, axe))
    reads = {"visits.dashboard", "visits.list_delegations", "visits.show_delegation", "people.list_contacts",
             "people.list_venues", "people.show_venue", "auth.account"}
    assert reads <= visited
    if role in ("planner", "admin"):
        assert {"visits.new_delegation", "visits.edit_delegation", "visits.new_item", "visits.edit_item",
                "visits.new_member", "visits.edit_member", "visits.import_members", "people.new_contact",
                "people.edit_contact", "people.new_venue", "people.edit_venue"} <= visited
    if role == "admin":
        assert {"auth.list_users", "auth.new_user", "auth.edit_user"} <= visited
    axe.assert_clean()


def test_login_error_and_status_pages_are_accessible(live_server, context, axe, demo):
    page = context.new_page()  # this test expects the browser to report the 403 and 404 it asks for
    page.goto(f"{live_server}/login")
    axe.check(page, "login")
    page.locator("main form button[type=submit]").click()
    axe.check(page, "login with errors")
    sign_in_as(page, live_server, demo, "viewer")
    assert page.goto(f"{live_server}/users").status == 403
    axe.check(page, "403")
    assert page.goto(f"{live_server}/delegations/9999").status == 404
    axe.check(page, "404")
    axe.assert_clean()


def test_forms_with_errors_and_the_import_preview_are_accessible(live_server, page, axe, demo):
    sign_in_as(page, live_server, demo, "planner")
    page.goto(f"{live_server}/delegations/new")
    page.locator("#departure_at").fill("2020-01-01T10:00")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("[data-error-summary]").is_visible()
    axe.check(page, "delegation form with errors")

    page.goto(f"{live_server}/delegations/1/members/new")
    page.locator("#email").fill("not-an-address")
    page.locator("main form button[type=submit]").first.click()
    axe.check(page, "member form with errors")

    page.goto(f"{live_server}/contacts/new")
    page.locator("main form button[type=submit]").first.click()
    axe.check(page, "contact form with errors")

    page.goto(f"{live_server}/venues/1")
    page.locator("#minutes").fill("-3")
    page.locator("form[action$='travel-times'] button[type=submit]").click()
    axe.check(page, "travel time with errors")

    page.goto(f"{live_server}/delegations/1/members/import")
    page.locator("#spreadsheet").set_input_files(files=[{"name": "notes.pdf", "mimeType": "application/pdf",
                                                         "buffer": b"%PDF-1.7\n"}])
    page.locator("main form button[type=submit]").first.click()
    axe.check(page, "import with a wrong file")
    csv = "Name;Funktion;Rolle;E-Mail\nJan Kowalski;Berater;Mitglied;jan@example.pl\n;Fahrer;;\nEwa;;König;\n"
    page.locator("#spreadsheet").set_input_files(files=[{"name": "liste.csv", "mimeType": "text/csv",
                                                         "buffer": csv.encode("cp1252")}])
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("table").count() == 1
    axe.check(page, "import preview")
    axe.assert_clean()


REFLOW_PAGES = ["/", "/delegations/", "/delegations/1", "/delegations/3", "/delegations/1/items/1/edit",
                "/delegations/new", "/contacts/", "/venues/1", "/account"]


def test_pages_reflow_at_320_pixels_without_horizontal_scrolling(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in_as(page, live_server, demo, "planner")
        too_wide = {}
        for path in ["/login", *REFLOW_PAGES]:
            page.goto(f"{live_server}{path}")
            width, visible = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width > visible:
                too_wide[path] = width
        assert too_wide == {}, f"pages scroll sideways at 320 px: {too_wide}"
    finally:
        context.close()
