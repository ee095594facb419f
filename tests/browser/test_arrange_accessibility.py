"""The planning pages in a real browser: axe-core (WCAG 2.1 A/AA) on the conflict panel, the slot search, the items
to place and the proposal; acknowledging a conflict with htmx (the panel is swapped in place), and finding slots
without a page reload."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import Delegation, ProgrammeItem
from tests.browser.test_accessibility import demo, sign_in_as  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def poznan() -> Delegation:
    return db.session.scalar(select(Delegation).where(Delegation.title == "Delegation der Partnerstadt Poznań"))


def add_overlap(visit: Delegation) -> None:
    first = db.session.scalars(select(ProgrammeItem).where(ProgrammeItem.delegation_id == visit.id)
                               .order_by(ProgrammeItem.starts_at)).first()
    db.session.add(ProgrammeItem(delegation_id=visit.id, title="Fototermin", starts_at=first.starts_at,
                                 ends_at=first.starts_at + timedelta(minutes=30)))
    db.session.commit()


def test_planning_pages_are_accessible_and_htmx_swaps_the_conflict_panel(live_server, page, axe, demo):
    visit = poznan()
    add_overlap(visit)
    sign_in_as(page, live_server, demo, "planner")

    page.goto(f"{live_server}/delegations/{visit.id}")
    assert page.locator("#conflicts .conflict--open").count() >= 1
    axe.check(page, "delegation page with conflicts")
    open_before = page.locator("#conflicts .conflict--open").count()
    page.locator("#conflicts .conflict__acknowledge summary").first.click()
    page.locator("#conflicts textarea[name=reason]").first.fill("Der Fototermin findet während der Ankunft statt.")
    page.locator("#conflicts .conflict__acknowledge button[type=submit]").first.click()
    page.wait_for_selector("#conflicts .kern-alert--success")
    assert page.url.endswith(f"/delegations/{visit.id}")  # swapped in place, no reload
    assert page.locator("#conflicts .conflict--open").count() == open_before - 1
    axe.check(page, "conflict panel after acknowledging")

    page.goto(f"{live_server}/delegations/{visit.id}/slots")
    axe.check(page, "slot search")
    page.locator("#duration").fill("45")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#slot-results .slot")
    axe.check(page, "slot results")

    page.goto(f"{live_server}/delegations/{visit.id}/arrange")
    axe.check(page, "items to place")
    page.goto(f"{live_server}/delegations/{visit.id}/arrange/requests/new")
    page.locator("#earliest").fill("14:00")
    page.locator("#latest").fill("12:00")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("[data-error-summary]").is_visible()
    axe.check(page, "request form with errors")
    page.goto(f"{live_server}/delegations/{visit.id}/arrange/proposal")
    assert page.locator("input[name=accept]").count() >= 1
    axe.check(page, "proposal")
    axe.assert_clean()
