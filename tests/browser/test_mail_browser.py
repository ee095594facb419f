"""The outbox and the acknowledgement page in Chromium: axe at desktop and 320 px, and used by keyboard only."""
from __future__ import annotations

import pytest

from delegations.extensions import db
from delegations.mail.outbox import enqueue
from delegations.models import OutboxMessage, OutboxState, utc_now
from tests.conftest import PASSWORD, make_user_with_role
from tests.factories import make_delegation

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def queue(key: str, **values) -> tuple[OutboxMessage, str | None]:
    queued = enqueue(**{"recipients": ["dolmetscherin.nowak@hannover-stadt.example"], "recipient_name": "Ewa Nowak",
                        "subject": "Programmänderung: Delegation aus Poznań, Version 3", "dedupe_key": key,
                        "body": "Guten Tag,\n\nMittagessen: Ort geändert von Ratskeller zu Leineschloss.\n"
                                "Bitte bestätigen: https://delegationen.hannover-stadt.example/ack/"
                                "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE\n", **values})
    db.session.commit()
    return queued


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")


def test_a_planner_reads_the_outbox_and_queues_a_failed_message_again_by_keyboard(csrf_app, live_server, page, axe):
    planner = make_user_with_role("planner")
    delegation = make_delegation(title="Delegation aus Poznań")
    failed, _token = queue("failed", delegation_id=delegation.id, wants_acknowledgement=True)
    failed.state, failed.attempts = OutboxState.FAILED, 8
    failed.last_error = ("451 4.7.1 Service unavailable - try again later: "
                         "mailrelay-01.intern.hannover-stadt.example.very-long-host-name-without-spaces")
    sent, _token = queue("sent", delegation_id=delegation.id, wants_acknowledgement=True)
    sent.state, sent.sent_at, sent.attempts, sent.acknowledged_at = OutboxState.SENT, utc_now(), 1, utc_now()
    db.session.commit()

    sign_in(page, live_server, planner.email)
    page.goto(f"{live_server}/outbox/")
    assert page.locator("h1").count() == 1 and "Ewa Nowak" in page.locator("main").inner_text()
    axe.check(page, "outbox")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the outbox scrolls sideways at 320 px"
    axe.check(page, "outbox at 320 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    requeue = page.locator(f"#message-{failed.id} form button")
    requeue.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator(".flashes").wait_for()
    assert "dolmetscherin.nowak@hannover-stadt.example" in page.locator(".flashes").inner_text()
    db.session.rollback()
    assert db.session.get(OutboxMessage, failed.id).state == OutboxState.QUEUED
    axe.assert_clean()


def test_a_recipient_acknowledges_by_keyboard_on_a_phone(csrf_app, live_server, page, axe):
    delegation = make_delegation(title="Delegation aus Poznań")
    message, token = queue("notice", delegation_id=delegation.id, wants_acknowledgement=True)
    message.state, message.sent_at, message.attempts = OutboxState.SENT, utc_now(), 1
    db.session.commit()

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.goto(f"{live_server}/ack/{token}").status == 200
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"the acknowledgement page scrolls sideways at {width} px"
        axe.check(page, f"acknowledgement at {width} px")

    page.keyboard.press("Tab")  # the skip link first
    button = page.locator("main form button[type=submit]")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator(".kern-alert--success").wait_for()
    assert page.locator("main form button[type=submit]").count() == 0
    axe.check(page, "acknowledged")
    db.session.rollback()
    assert db.session.get(OutboxMessage, message.id).acknowledged_at is not None
    axe.assert_clean()
