"""axe-core (WCAG 2.1 A and AA) on the principals' pages with the demo diaries loaded, in Chromium."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from delegations.demo import DEMO_USERS, load_demo
from delegations.extensions import db
from delegations.models import Principal

pytestmark = pytest.mark.browser


def test_principals_pages_are_accessible_and_work_without_scripts_failing(csrf_app, live_server, page, axe):
    load_demo()
    db.session.commit()
    mayor_id = db.session.scalar(select(Principal.id).where(Principal.name == "Dr. Martin Weber"))
    email, password = next((email, password) for email, password, role, _ in DEMO_USERS if role.value == "planner")
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")

    page.locator('nav.site-nav a[href="/principals/"]').click()
    page.wait_for_url(f"{live_server}/principals/")
    axe.check(page, "principals list")
    page.goto(f"{live_server}/principals/{mayor_id}")
    axe.check(page, "principal page")
    next_week = date.today() + timedelta(days=7)
    page.goto(f"{live_server}/principals/{mayor_id}/week?day={next_week.isoformat()}")
    assert page.locator("table.week-table tbody tr").count() == 7
    axe.check(page, "week")
    page.locator("a[rel=next]").first.click()
    axe.check(page, "next week")
    page.goto(f"{live_server}/principals/{mayor_id}/edit")
    axe.check(page, "principal form")
    page.locator("#office_hours-0-end").fill("07:00")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("[data-error-summary]").count() == 1
    axe.check(page, "principal form with errors")
    page.goto(f"{live_server}/principals/{mayor_id}")
    page.locator("#starts_at").fill("2030-03-31T02:30")
    page.locator("#ends_at").fill("2030-03-31T04:00")
    page.locator("#manual-busy form button[type=submit]").last.click()
    assert page.locator("[data-error-summary]").count() == 1
    axe.check(page, "busy time with errors")
    axe.assert_clean()
