"""Subscribing in a real browser: from a delegation's "Subscribe" link to a feed link shown once, copied with
the copy button, scanned from the QR code; axe-core checks both pages, and the link works."""
from __future__ import annotations

import re
import urllib.request
from datetime import timedelta

import pytest

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import utc_now
from tests.accounts import make_account
from tests.browser.test_planning_flow import log_in
from tests.factories import make_delegation, make_item

pytestmark = pytest.mark.browser


def test_a_viewer_subscribes_to_a_delegation_and_copies_the_link(live_server, context, axe):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    make_account(Role.VIEWER, "viewer@example.org")
    visit = make_delegation(title="Delegation aus Poznań", arrival_at=utc_now() + timedelta(days=10))
    make_item(visit, title="Empfang im Neuen Rathaus")
    db.session.commit()

    log_in(page, live_server, "viewer@example.org")
    page.goto(f"{live_server}/delegations/{visit.id}")
    page.get_by_role("link", name="Subscribe", exact=True).click()
    assert page.get_by_label("What the feed shows").evaluate("select => select.value") == f"delegation:{visit.id}"
    assert page.get_by_label("Name of the feed").input_value() == "Delegation aus Poznań"
    axe.check(page, "calendar feeds")

    page.get_by_label("Detail").select_option("public")
    page.get_by_role("button", name="Create feed link").click()
    page.wait_for_url(re.compile(r"/feeds/\d+/new$"))
    axe.check(page, "new feed link")
    https_link = page.get_by_label(re.compile("Web link")).input_value()
    assert https_link.startswith(f"{live_server}/feeds/") and https_link.endswith(".ics")
    assert page.get_by_label(re.compile("Subscription link")).input_value().startswith("webcal://127.0.0.1:")
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()

    page.get_by_role("button", name="Copy").last.click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == https_link

    with urllib.request.urlopen(https_link, timeout=10) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert "Empfang im Neuen Rathaus" in response.read().decode()

    page.goto(f"{live_server}/feeds/")
    assert "Delegation aus Poznań" in page.locator("#your-feeds").inner_text()
    assert errors == []
    axe.assert_clean()
