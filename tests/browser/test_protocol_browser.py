"""A protocol officer in Chromium: creates the table plan of a state lunch, seats everyone by precedence, moves
a guest with the keyboard (the form, not drag and drop), and prints the place cards. axe-core checks the pages."""
from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import SeatAssignment, TablePlan
from tests.accounts import make_account
from tests.browser.test_planning_flow import log_in
from tests.protocol_data import state_visit

pytestmark = pytest.mark.browser


def seats_by_name(plan_id: int) -> dict[str, tuple[str, int]]:
    db.session.rollback()  # end the test's transaction: the server has committed since
    rows = db.session.scalars(select(SeatAssignment).where(SeatAssignment.plan_id == plan_id))
    return {(row.member or row.participant).name: (row.table.name, row.seat) for row in rows}


def test_a_planner_seats_a_lunch_moves_a_guest_by_keyboard_and_prints_the_place_cards(
        live_server, page, axe, csrf_app, tmp_path):
    csrf_app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))
    visit = state_visit()
    make_account(Role.PLANNER, "protocol@example.org")
    db.session.commit()
    delegation_id, lunch_id = visit.delegation.id, visit.lunch.id

    log_in(page, live_server, "protocol@example.org")
    page.goto(f"{live_server}/delegations/{delegation_id}/protocol")
    axe.check(page, "visit protocol")
    page.get_by_role("link", name="Mittagessen").first.click()
    page.wait_for_url(re.compile(rf"/protocol/items/{lunch_id}$"))
    axe.check(page, "item protocol")

    page.get_by_label("Number of tables").fill("3")
    page.get_by_label("Seats per table").fill("8")
    page.get_by_role("button", name="Create the table plan").click()
    page.wait_for_url(re.compile(r"/protocol/plans/\d+$"))
    plan_url = page.url
    page.get_by_role("button", name="Seat everyone by precedence").click()
    page.wait_for_url(plan_url)
    assert "Everyone has been seated by precedence (20 people)" in page.locator(".flashes").inner_text()
    top = page.locator("article.plan-table").first
    assert top.locator("li.seat").nth(0).inner_text().startswith("1")
    assert "Dr. Martin Weber" in top.locator("li.seat").nth(0).inner_text()
    assert "Tarō Yamada" in top.locator("li.seat").nth(1).inner_text()
    axe.check(page, "seated plan")

    # Moving a guest with the keyboard only: focus the person, type to choose, Tab to the seat, type, Enter.
    db.session.rollback()
    plan = db.session.scalar(select(TablePlan))
    before = seats_by_name(plan.id)
    page.get_by_label("Person", exact=True).focus()
    page.keyboard.type("Wang Li")
    assert page.get_by_label("Person", exact=True).evaluate("select => select.selectedOptions[0].text") == "Wang Li"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "target"
    page.keyboard.type("Maschsee, seat 8")
    chosen = page.get_by_label("Move to").evaluate("select => select.selectedOptions[0].text")
    assert chosen.startswith("Maschsee, seat 8")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/protocol/plans/\d+#table-\d+$"))
    assert "Wang Li has been moved." in page.locator(".flashes").inner_text()
    maschsee = page.locator("article.plan-table", has=page.get_by_role("heading", name="Maschsee"))
    assert "Wang Li" in maschsee.locator("li.seat").last.inner_text()
    after = seats_by_name(plan.id)
    assert after["Wang Li"] == ("Maschsee", 8)
    previous = next((name for name, seat in before.items() if seat == ("Maschsee", 8)), None)
    if previous is not None:  # whoever sat there changed places with Wang Li
        assert after[previous] == before["Wang Li"]
    axe.check(page, "plan after the move")

    # Printing the place cards: the link the page offers gives a PDF with the names in the guests' scripts.
    href = page.get_by_role("link", name="Print the place cards (PDF)").get_attribute("href")
    with page.expect_response(lambda response: response.url.endswith("place-cards.pdf")) as download:
        page.evaluate("url => fetch(url)", f"{live_server}{href}")
    response = download.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "山田太郎" in text and "王丽" in text and "Ерлан Нурланов" in text
    axe.assert_clean()


def test_the_protocol_pages_pass_axe(live_server, page, axe, csrf_app):
    visit = state_visit()
    make_account(Role.PLANNER, "protocol@example.org")
    db.session.commit()
    delegation_id = visit.delegation.id
    log_in(page, live_server, "protocol@example.org")
    page.goto(f"{live_server}/delegations/{delegation_id}/protocol/checklist")
    page.get_by_role("button", name=re.compile("Add the .* tasks of this protocol level")).click()
    page.wait_for_url(re.compile(r"/protocol/checklist"))
    page.goto(f"{live_server}/delegations/{delegation_id}/protocol/golden-book")
    page.get_by_role("button", name="Add the delegation's members in order of precedence").click()
    page.wait_for_url(re.compile(r"/golden-book"))
    page.goto(f"{live_server}/protocol/gifts/new?delegation_id={delegation_id}")
    page.get_by_label("What (briefly)").fill("Bildband Herrenhäuser Gärten")
    page.get_by_label("Estimated value in euros").fill("45")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/protocol/gifts"))
    for path, label in ((f"/delegations/{delegation_id}", "visit page with its protocol section"),
                        (f"/delegations/{delegation_id}/protocol/checklist", "checklist"),
                        (f"/delegations/{delegation_id}/protocol/golden-book", "Golden Book"),
                        ("/protocol/golden-book", "Golden Book archive"),
                        (f"/protocol/gifts?year={visit.delegation.arrival_at.year}", "gift register"),
                        ("/protocol/gifts/new", "gift form"),
                        (f"/delegations/{delegation_id}/protocol/members/{visit.ambassador.id}", "rank and forms"),
                        (f"/delegations/{delegation_id}/protocol/members/{visit.ambassador.id}/address/new?language=en&suggest=1",
                         "form of address"),
                        (f"/delegations/{delegation_id}/protocol/items/{visit.lunch.id}/order", "order by hand"),
                        (f"/delegations/{delegation_id}/protocol/items/{visit.lunch.id}/participants/new",
                         "city participant"),
                        ("/protocol/ranking-rules", "ranking rules"), ("/protocol/", "protocol overview"), ("/", "dashboard")):
        page.goto(f"{live_server}{path}")
        axe.check(page, label)
    axe.assert_clean()
