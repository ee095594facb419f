"""The outbox page for planners and the public acknowledgement page (/ack/<token>)."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from delegations.extensions import db
from delegations.mail.outbox import enqueue
from delegations.models import OutboxMessage, OutboxState, utc_now
from tests.conftest import csrf_token_from
from tests.factories import make_delegation


def queue(key: str, wants_acknowledgement: bool = False, **values) -> tuple[OutboxMessage, str | None]:
    queued = enqueue(**{"recipients": ["dolmetscherin@hannover-stadt.example"], "recipient_name": "Ewa Nowak",
                        "subject": "Programme change: Poznań delegation", "dedupe_key": key,
                        "body": "Lunch: venue changed from Ratskeller to Leineschloss.\n"
                                "Acknowledge: https://planner.example/ack/...", **values},
                     wants_acknowledgement=wants_acknowledgement)
    db.session.commit()
    return queued


@pytest.fixture
def planner(login):
    """A planner who reads the app in English (the wording tests check English msgids)."""
    user = login("planner")
    user.locale = "en"
    db.session.commit()
    return user


def test_viewers_do_not_see_the_outbox(client, login):
    login("viewer")
    assert client.get("/outbox/").status_code == 403


def test_the_outbox_page_shows_state_attempts_error_and_acknowledgement(client, planner, english):
    delegation = make_delegation(title="Delegation from Poznań")
    waiting, _token = queue("a", delegation_id=delegation.id)
    failed, _token = queue("b", wants_acknowledgement=True)
    failed.state, failed.attempts, failed.last_error = OutboxState.FAILED, 8, "451 4.3.0 Mailbox busy"
    acknowledged, _token = queue("c", wants_acknowledgement=True)
    acknowledged.state, acknowledged.sent_at, acknowledged.attempts = OutboxState.SENT, utc_now(), 1
    acknowledged.acknowledged_at = utc_now()
    db.session.commit()

    page = client.get("/outbox/")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No mail server is configured: messages wait in the outbox." in html
    assert "Ewa Nowak" in html and "dolmetscherin@hannover-stadt.example" in html
    assert "Programme change: Poznań delegation" in html and "Delegation from Poznań" in html
    assert "Failed permanently" in html and "8 attempts" in html and "Last error: 451 4.3.0 Mailbox busy" in html
    assert "acknowledged" in html and "not yet" in html and "not asked" in html
    assert html.count("Send again") == 1  # only the failed message
    assert f"/outbox/{failed.id}/requeue" in html
    assert "Lunch: venue changed from Ratskeller to Leineschloss." in html  # the text, folded away


def test_the_outbox_page_filters_by_state_and_visit(client, planner, english):
    delegation = make_delegation()
    queue("a", delegation_id=delegation.id, subject="For the visit")
    sent, _token = queue("b", subject="Sent elsewhere")
    sent.state, sent.sent_at = OutboxState.SENT, utc_now()
    db.session.commit()
    only_sent = client.get("/outbox/?state=sent").get_data(as_text=True)
    assert "Sent elsewhere" in only_sent and "For the visit" not in only_sent
    only_visit = client.get(f"/outbox/?delegation={delegation.id}").get_data(as_text=True)
    assert "For the visit" in only_visit and "Sent elsewhere" not in only_visit
    assert client.get("/outbox/?state=nonsense&delegation=x&page=abc").status_code == 200


def test_with_a_mail_server_the_banner_is_gone(app, client, planner, english):
    app.config.update(MAIL_SMTP_HOST="smtp.hannover-stadt.example", MAIL_FROM="international@hannover-stadt.example")
    html = client.get("/outbox/").get_data(as_text=True)
    assert "No mail server is configured" not in html
    assert "Messages go out through smtp.hannover-stadt.example" in html
    app.config.update(MAIL_SMTP_SECURITY="carrier pigeon")
    html = client.get("/outbox/").get_data(as_text=True)
    assert "The mail settings cannot work" in html and "carrier pigeon" in html


def test_a_planner_queues_a_failed_message_again(client, planner, english):
    message, _token = queue("a")
    message.state, message.attempts, message.last_error = OutboxState.FAILED, 8, "451 busy"
    db.session.commit()
    response = client.post(f"/outbox/{message.id}/requeue", data={"back": "/outbox/?state=failed"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/outbox/?state=failed")
    db.session.rollback()  # read what the requests committed
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.QUEUED and stored.attempts == 0
    again = client.post(f"/outbox/{message.id}/requeue", data={"back": "https://evil.example/"}, follow_redirects=True)
    assert "Only a failed message, or one waiting for a retry, can be sent again" in again.get_data(as_text=True)
    assert again.request.path == "/outbox/"  # never a redirect off the site


def test_a_message_waiting_for_a_retry_can_go_out_with_the_next_run(client, planner, english):
    from datetime import timedelta

    message, _token = queue("a")
    later = utc_now() + timedelta(hours=3)
    message.attempts, message.next_attempt_at, message.last_error = 4, later, "451 busy"
    fresh, _token = queue("b")  # never tried: nothing to hurry
    db.session.commit()
    html = client.get("/outbox/").get_data(as_text=True)
    assert "Retry with the next run" in html and html.count("Retry with the next run") == 1
    assert client.post(f"/outbox/{message.id}/requeue").status_code == 302
    db.session.rollback()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.QUEUED and stored.attempts == 4 and stored.next_attempt_at < later
    client.post(f"/outbox/{fresh.id}/requeue")
    db.session.rollback()
    assert db.session.get(OutboxMessage, fresh.id).attempts == 0


def test_viewers_cannot_requeue(client, login):
    message, _token = queue("a")
    message.state = OutboxState.FAILED
    db.session.commit()
    login("viewer")
    assert client.post(f"/outbox/{message.id}/requeue").status_code == 403
    db.session.rollback()  # read what the requests committed
    assert db.session.get(OutboxMessage, message.id).state == OutboxState.FAILED


def test_the_outbox_page_query_count_stays_flat(client, planner):
    delegations = [make_delegation() for _ in range(5)]

    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/outbox/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    queue("first", delegation_id=delegations[0].id)
    few = count_queries()
    for number in range(30):
        queue(f"more:{number}", delegation_id=delegations[number % 5].id, wants_acknowledgement=True)
    assert count_queries() == few


# Acknowledgement -----------------------------------------------------------------------------------

def test_a_recipient_acknowledges_a_notice(csrf_app):
    client = csrf_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    delegation = make_delegation(title="Delegation from Poznań")
    message, token = queue("a", wants_acknowledgement=True, delegation_id=delegation.id)

    page = client.get(f"/ack/{token}")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Programme change: Poznań delegation" in html and "Delegation from Poznań" in html
    assert "Lunch: venue changed from Ratskeller to Leineschloss." in html
    assert "I have read this notice" in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"

    assert client.post(f"/ack/{token}").status_code == 400  # no CSRF token: refused
    db.session.rollback()  # read what the requests committed
    assert db.session.get(OutboxMessage, message.id).acknowledged_at is None

    done = client.post(f"/ack/{token}", data={"csrf_token": csrf_token_from(html)}, follow_redirects=True)
    assert done.status_code == 200
    assert "Thank you: you acknowledged this notice" in done.get_data(as_text=True)
    assert "I have read this notice" not in done.get_data(as_text=True)
    db.session.rollback()  # read what the requests committed
    first = db.session.get(OutboxMessage, message.id).acknowledged_at
    assert first is not None

    client.post(f"/ack/{token}", data={"csrf_token": csrf_token_from(html)})  # a second click changes nothing
    db.session.rollback()  # read what the requests committed
    assert db.session.get(OutboxMessage, message.id).acknowledged_at == first
    stored_hash = db.session.scalar(select(OutboxMessage.ack_token_hash).where(OutboxMessage.id == message.id))
    assert stored_hash != token and len(stored_hash) == 64


def test_the_planner_sees_who_has_acknowledged(client, planner, english):
    message, token = queue("a", wants_acknowledgement=True)
    anonymous = client.application.test_client()
    assert anonymous.post(f"/ack/{token}").status_code == 302
    html = client.get("/outbox/").get_data(as_text=True)
    assert "not yet" not in html and "acknowledged" in html


@pytest.mark.parametrize("token", ["A" * 43, "short", "a" * 44, "%00"])
def test_an_unknown_acknowledgement_link_shows_a_helpful_404(client, english, token):
    response = client.get(f"/ack/{token}")
    assert response.status_code == 404
    assert "This acknowledgement link is not valid" in response.get_data(as_text=True)
    assert client.post(f"/ack/{token}").status_code == 404


def test_guessing_acknowledgement_tokens_is_rate_limited(app, client):
    app.config["TOKEN_FAILURE_RATE_LIMIT"] = "3 per minute"
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    _message, token = queue("a", wants_acknowledgement=True)
    for number in range(3):
        assert client.get(f"/ack/{'x' * 42}{number}").status_code == 404
    assert client.get(f"/ack/{token}").status_code == 429


def test_the_acknowledgement_page_needs_no_login_and_is_in_german_by_default(client):
    _message, token = queue("a", wants_acknowledgement=True)
    page = client.get(f"/ack/{token}")
    assert page.status_code == 200 and '<html lang="de">' in page.get_data(as_text=True)


def test_the_token_never_reaches_the_log(app):
    from delegations.security import redact_tokens

    _message, token = queue("a", wants_acknowledgement=True)
    assert redact_tokens(f'"GET /ack/{token} HTTP/1.1" 200') == '"GET /ack/[token] HTTP/1.1" 200'

