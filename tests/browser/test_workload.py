"""The workload board and "who has room" in Chromium: axe-clean at desktop and phone width, the chart an image
with a text alternative beside a table, and the lead-room list following the dates typed into a visit form."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import Delegation, utc_now
from tests.browser.test_accessibility import demo, sign_in_as  # noqa: F401  (fixture reused)

pytestmark = pytest.mark.browser


def test_the_board_is_accessible_and_the_lead_room_follows_typed_dates(live_server, page, demo, axe):
    sign_in_as(page, live_server, demo, "planner")
    page.goto(f"{live_server}/workload/")
    chart = page.locator("svg[role=img]")
    assert chart.count() == 1
    assert page.locator("#workload-chart-title").count() == 1
    assert page.locator("table.workload-table tbody tr").count() >= 2
    axe.check(page, "workload board")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe.check(page, "workload board at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    visit = db.session.scalars(select(Delegation).where(Delegation.arrival_at > utc_now())
                               .order_by(Delegation.arrival_at)).first()
    page.goto(f"{live_server}/delegations/{visit.id}/edit")
    room = page.locator("#lead-room")
    assert room.locator("li").count() >= 2
    axe.check(page, "visit form with who has room")
    before = room.inner_text()
    # Move the stay a year ahead: nobody has work there yet, so the list changes without a reload.
    later = (visit.arrival_at + timedelta(days=364)).strftime("%Y-%m-%dT%H:%M")
    later_end = (visit.departure_at + timedelta(days=364)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#departure_at").fill(later_end)
    page.locator("#arrival_at").fill(later)
    page.locator("#arrival_at").dispatch_event("change")
    page.wait_for_function("before => document.querySelector('#lead-room').innerText !== before", arg=before)
    assert page.locator("#lead-room li").count() >= 2
    axe.assert_clean()
