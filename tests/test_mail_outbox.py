"""The outbox against a real SMTP server on 127.0.0.1: what arrives, retries, never twice, TLS, the commands."""
from __future__ import annotations

import hashlib
import io
import shutil
import ssl
import threading
from datetime import timedelta

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from delegations.config import settings_from_environment
from delegations.extensions import db
from delegations.mail import outbox
from delegations.mail.outbox import Attachment, OutboxError, acknowledgement_url, deliver_due, enqueue
from delegations.mail.settings import MailSettingsError, mail_configured, smtp_settings
from delegations.models import OutboxFile, OutboxMessage, OutboxState, utc_now
from tests.factories import make_delegation
from tests.mail_server import MailServer, free_port, self_signed_certificate


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


def configure(app, server: MailServer | None = None, **overrides) -> None:
    app.config.update((server.settings() if server else {}) | overrides)


def settings_of(app):
    return smtp_settings(app.config)


def programme_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Programm, Version 3"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def queue_notice(key: str = "notice:1", **values) -> OutboxMessage:
    queued = enqueue(**{"recipients": ["fahrer@hannover-stadt.example"], "subject": "Programmänderung",
                        "body": "Empfang im Neuen Rathaus: von 10:00 auf 11:30 verschoben.", "dedupe_key": key,
                        **values})
    db.session.commit()
    return queued[0]


def test_a_notice_arrives_with_recipients_subject_summary_and_the_pdf(app, mail_server):
    configure(app, mail_server, MAIL_REPLY_TO="international@hannover-stadt.example")
    delegation = make_delegation(title="Delegation aus Poznań")
    pdf = programme_pdf()
    message, token = enqueue(
        recipients=["anna.schmidt@hannover-stadt.example", "buero-ob@hannover-stadt.example"],
        subject="Änderung: Besuch aus Poznań, Version 3",
        body="Guten Tag,\n\nEmpfang im Neuen Rathaus: von 10:00 auf 11:30 verschoben.\n",
        dedupe_key="release:1:v3:contact:7", recipient_name="Anna Schmidt", delegation_id=delegation.id,
        purpose="change-notice", attachments=[Attachment("programm-v3.pdf", "application/pdf", pdf)])
    db.session.commit()
    assert token is None

    report = deliver_due(settings_of(app))

    assert [sent.id for sent in report.sent] == [message.id] and report.ok
    [received] = mail_server.received
    assert received.rcpt_tos == ["anna.schmidt@hannover-stadt.example", "buero-ob@hannover-stadt.example"]
    assert received.mail_from == "international@hannover-stadt.example"
    email = received.message
    assert email["Subject"] == "Änderung: Besuch aus Poznań, Version 3"
    assert email["From"] == "Internationale Angelegenheiten <international@hannover-stadt.example>"
    assert email["Reply-To"] == "international@hannover-stadt.example"
    assert "anna.schmidt@hannover-stadt.example" in email["To"]
    assert email["Message-ID"] == message.message_id
    assert email["Auto-Submitted"] == "auto-generated"
    assert "Empfang im Neuen Rathaus: von 10:00 auf 11:30 verschoben." in email.get_body(("plain",)).get_content()
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == "programm-v3.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf
    assert PdfReader(io.BytesIO(attachment.get_content())).metadata.title == "Programm, Version 3"

    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.SENT and stored.attempts == 1 and stored.sent_at is not None
    assert stored.last_error is None and stored.delegation_id == delegation.id


def test_one_recipient_with_a_name_is_addressed_by_name(app, mail_server):
    configure(app, mail_server)
    queue_notice(recipient_name="Jürgen Müller")
    deliver_due(settings_of(app))
    assert mail_server.received[0].message["To"].addresses[0].display_name == "Jürgen Müller"


def test_a_refused_message_stays_queued_with_the_error_and_goes_out_once_later(app, mail_server):
    configure(app, mail_server)
    message = queue_notice()
    mail_server.refuse_next("451 4.3.0 Mailbox temporarily unavailable")
    now = utc_now()

    report = deliver_due(settings_of(app), now)

    assert [waiting.id for waiting in report.retrying] == [message.id] and report.ok
    assert mail_server.received == []
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.QUEUED and stored.attempts == 1
    assert "451" in stored.last_error and "temporarily unavailable" in stored.last_error
    assert now + timedelta(minutes=5) <= stored.next_attempt_at <= utc_now() + timedelta(minutes=5)

    assert deliver_due(settings_of(app), now + timedelta(minutes=4)).due == 0  # waits for its turn
    assert mail_server.received == []
    later = deliver_due(settings_of(app), now + timedelta(minutes=6))
    assert [sent.id for sent in later.sent] == [message.id]
    assert deliver_due(settings_of(app), now + timedelta(minutes=30)).due == 0
    assert len(mail_server.received) == 1
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.SENT and stored.attempts == 2 and stored.last_error is None


def test_a_server_that_closes_the_session_is_dialled_again_for_the_rest(app, mail_server):
    configure(app, mail_server)
    first, second = queue_notice("notice:1"), queue_notice("notice:2")
    mail_server.refuse_next("421 4.7.0 Too many messages in this session, closing")
    report = deliver_due(settings_of(app))
    assert report.ok
    assert [waiting.id for waiting in report.retrying] == [first.id]
    assert [sent.id for sent in report.sent] == [second.id]
    assert [received.message["Message-ID"] for received in mail_server.received] == [second.message_id]


def test_retries_wait_longer_each_time_up_to_a_limit(app):
    configure(app, MAIL_SMTP_HOST="127.0.0.1", MAIL_FROM="a@example.org", MAIL_RETRY_MINUTES=5,
              MAIL_RETRY_MAX_MINUTES=60)
    delays = [settings_of(app).retry_delay(attempt) for attempt in range(1, 7)]
    assert delays == [timedelta(minutes=minutes) for minutes in (5, 10, 20, 40, 60, 60)]


def test_an_unreachable_server_leaves_the_outbox_and_a_later_run_sends_once(app):
    closed_port = free_port()
    configure(app, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=closed_port, MAIL_SMTP_SECURITY="none",
              MAIL_FROM="international@hannover-stadt.example", MAIL_SMTP_TIMEOUT=5)
    first, second = queue_notice("notice:1"), queue_notice("notice:2")

    report = deliver_due(settings_of(app))

    assert not report.ok and f"127.0.0.1:{closed_port}" in report.server_error
    assert report.sent == [] and report.retrying == []
    db.session.expire_all()
    for message in (db.session.get(OutboxMessage, first.id), db.session.get(OutboxMessage, second.id)):
        assert message.state == OutboxState.QUEUED
        assert message.attempts == 0  # an outage does not use up a message's attempts
        assert "ConnectionRefusedError" in message.last_error

    server = MailServer(port=closed_port).start()
    try:
        assert len(deliver_due(settings_of(app)).sent) == 2
        assert deliver_due(settings_of(app)).due == 0
        assert sorted(received.message["Message-ID"] for received in server.received) == sorted(
            [first.message_id, second.message_id])
    finally:
        server.stop()


def test_two_runs_in_a_row_send_each_message_once(app, mail_server):
    configure(app, mail_server)
    for number in range(3):
        queue_notice(f"notice:{number}")
    first, second = deliver_due(settings_of(app)), deliver_due(settings_of(app))
    assert len(first.sent) == 3 and second.due == 0 and second.sent == []
    assert len(mail_server.received) == 3


def test_two_runs_at_the_same_time_send_each_message_once(app, mail_server):
    configure(app, mail_server)
    keys = [f"notice:{number}" for number in range(12)]
    for key in keys:
        queue_notice(key)
    settings, reports, errors = settings_of(app), [], []
    start = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                start.wait()
                reports.append(deliver_due(settings))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 -- reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(len(report.sent) for report in reports) == 12
    message_ids = [received.message["Message-ID"] for received in mail_server.received]
    assert len(message_ids) == 12 and len(set(message_ids)) == 12
    db.session.expire_all()
    states = db.session.scalars(select(OutboxMessage.state)).all()
    assert states == [OutboxState.SENT] * 12


def test_a_message_another_run_is_sending_is_left_alone_and_never_resent_blindly(app, mail_server):
    configure(app, mail_server)
    message = queue_notice()
    now = utc_now()
    message.state, message.claimed_at, message.attempts = OutboxState.SENDING, now, 1
    db.session.commit()

    assert deliver_due(settings_of(app), now + timedelta(minutes=1)).sent == []
    # The run that claimed it died: after a while the message is marked failed (it may have gone out).
    report = deliver_due(settings_of(app), now + outbox.STALE_CLAIM + timedelta(minutes=1))
    assert [stale.id for stale in report.released_stale] == [message.id] and report.sent == []
    assert mail_server.received == []
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.FAILED and "may have been delivered" in stored.last_error


def test_after_the_last_attempt_a_message_fails_and_a_planner_can_queue_it_again(app, mail_server):
    configure(app, mail_server, MAIL_MAX_ATTEMPTS=2)
    message = queue_notice()
    mail_server.refuse_next("451 busy", "452 still busy")
    now = utc_now()
    assert len(deliver_due(settings_of(app), now).retrying) == 1
    report = deliver_due(settings_of(app), now + timedelta(hours=1))
    assert [failed.id for failed in report.failed] == [message.id]
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.FAILED and stored.attempts == 2 and "452" in stored.last_error
    assert deliver_due(settings_of(app), now + timedelta(days=1)).due == 0  # failed stays failed

    assert outbox.requeue(stored) is True
    db.session.commit()
    assert stored.state == OutboxState.QUEUED and stored.attempts == 0
    assert outbox.requeue(stored) is False  # only failed messages
    assert len(deliver_due(settings_of(app), utc_now() + timedelta(seconds=1)).sent) == 1
    assert len(mail_server.received) == 1


def test_a_permanent_refusal_fails_at_once(app, mail_server):
    configure(app, mail_server)
    mail_server.recorder.refused_recipients["gone@hannover-stadt.example"] = "550 5.1.1 No such user"
    message = queue_notice(recipients=["gone@hannover-stadt.example"])
    report = deliver_due(settings_of(app))
    assert [failed.id for failed in report.failed] == [message.id]
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.FAILED and stored.attempts == 1
    assert "gone@hannover-stadt.example: 550" in stored.last_error


def test_a_refused_recipient_among_others_is_noted_and_the_rest_receive_it(app, mail_server):
    configure(app, mail_server)
    mail_server.recorder.refused_recipients["gone@hannover-stadt.example"] = "550 5.1.1 No such user"
    message = queue_notice(recipients=["gone@hannover-stadt.example", "here@hannover-stadt.example"])
    assert len(deliver_due(settings_of(app)).sent) == 1
    assert mail_server.received[0].rcpt_tos == ["here@hannover-stadt.example"]
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.state == OutboxState.SENT and "gone@hannover-stadt.example: 550" in stored.last_error


def test_the_same_dedupe_key_is_queued_only_once(app):
    configure(app)
    first = queue_notice("release:4:v2:person:9")
    assert enqueue(recipients=["other@example.org"], subject="again", body="again",
                   dedupe_key="release:4:v2:person:9") is None
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage.id)).all() == [first.id]


def test_the_database_itself_refuses_a_second_message_with_the_same_key(app):
    configure(app)
    queue_notice("release:4:v2:person:9")
    db.session.add(OutboxMessage(recipients=["x@example.org"], subject="s", body="b", message_id="<x@y>",
                                 dedupe_key="release:4:v2:person:9"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_line_break_in_a_subject_cannot_add_a_header_or_a_recipient(app, mail_server):
    configure(app, mail_server)
    queue_notice(subject="Änderung\r\nBcc: attacker@evil.example", recipient_name="Anna\nBcc: x@evil.example")
    deliver_due(settings_of(app))
    [received] = mail_server.received
    assert received.rcpt_tos == ["fahrer@hannover-stadt.example"]
    assert received.message["Bcc"] is None
    assert received.message["Subject"] == "Änderung Bcc: attacker@evil.example"


@pytest.mark.parametrize("recipients", [[], ["not an address"], ["a@example.org", "b@@example.org"]])
def test_a_message_needs_valid_recipients(app, recipients):
    with pytest.raises(OutboxError):
        enqueue(recipients=recipients, subject="s", body="b", dedupe_key="k")


def test_the_acknowledgement_token_is_stored_only_as_its_hash(app):
    configure(app, PUBLIC_BASE_URL="https://delegationen.hannover-stadt.example/")
    message, token = enqueue(recipients=["a@example.org"], subject="s", body="b", dedupe_key="k",
                             wants_acknowledgement=True)
    db.session.commit()
    assert len(token) == 43
    assert message.ack_token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = db.session.execute(select(OutboxMessage.__table__)).one()
    assert not any(token in str(value) for value in row)
    assert acknowledgement_url(token) == f"https://delegationen.hannover-stadt.example/ack/{token}"
    assert outbox.find_by_ack_token(token).id == message.id
    assert outbox.find_by_ack_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_the_token_goes_into_the_link_only_when_the_message_is_sent(app, mail_server):
    configure(app, mail_server, PUBLIC_BASE_URL="https://delegationen.hannover-stadt.example")
    message, token = enqueue(recipients=["a@example.org"], subject="s", body="b", dedupe_key="k",
                             wants_acknowledgement=True)
    message.body = f"Bitte bestätigen: {outbox.acknowledgement_link(token)}\n"
    db.session.commit()
    assert token not in message.body and token not in message.shown_body
    assert message.shown_body == "Bitte bestätigen: https://delegationen.hannover-stadt.example/ack/…\n"
    report = deliver_due(settings_of(app))
    assert len(report.sent) == 1
    [received] = mail_server.received
    assert f"https://delegationen.hannover-stadt.example/ack/{token}" in received.message.get_content()
    assert outbox.find_by_ack_token(token).id == message.id


def test_a_link_that_cannot_be_rebuilt_fails_with_the_reason(app, mail_server):
    configure(app, mail_server)
    message, token = enqueue(recipients=["a@example.org"], subject="s", body="b", dedupe_key="k",
                             wants_acknowledgement=True)
    message.body = f"Bitte bestätigen: {outbox.acknowledgement_link(token)}\n"
    db.session.commit()
    app.config["SECRET_KEY"] = "rotated-since-it-was-queued"
    report = deliver_due(settings_of(app))
    assert [m.id for m in report.failed] == [message.id] and not mail_server.received
    assert "SECRET_KEY changed" in db.session.get(OutboxMessage, message.id).last_error


def test_starttls_with_login_against_a_self_signed_certificate(app, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = MailServer(tls_context=context, credentials=("planner-app", "s3cret-pass")).start()
    try:
        configure(app, server, MAIL_SMTP_SECURITY="starttls", MAIL_SMTP_USER="planner-app",
                  MAIL_SMTP_PASSWORD="s3cret-pass")
        queue_notice("notice:1")
        # The certificate is not trusted yet: nothing goes out in clear, the message waits.
        report = deliver_due(settings_of(app))
        assert not report.ok and "CERTIFICATE_VERIFY_FAILED" in report.server_error
        assert server.received == []

        configure(app, MAIL_SMTP_CA_FILE=str(cert))
        assert len(deliver_due(settings_of(app)).sent) == 1
        assert server.recorder.logins == ["planner-app"] and len(server.received) == 1

        configure(app, MAIL_SMTP_PASSWORD="wrong")
        queue_notice("notice:2")
        report = deliver_due(settings_of(app))
        assert not report.ok and "login refused" in report.server_error and "wrong" not in report.server_error
    finally:
        server.stop()


def test_implicit_tls(app, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = MailServer(tls_context=context, implicit_tls=True).start()
    try:
        configure(app, server, MAIL_SMTP_SECURITY="tls", MAIL_SMTP_CA_FILE=str(cert))
        queue_notice()
        assert len(deliver_due(settings_of(app)).sent) == 1 and len(server.received) == 1
    finally:
        server.stop()


def test_settings_are_checked_and_read_from_the_environment(app, monkeypatch):
    assert not mail_configured(app.config) and smtp_settings(app.config) is None
    monkeypatch.setenv("MAIL_SMTP_HOST", "smtp.hannover-stadt.example")
    monkeypatch.setenv("MAIL_SMTP_PORT", "2525")
    monkeypatch.setenv("MAIL_SMTP_SECURITY", "tls")
    monkeypatch.setenv("MAIL_FROM", "International <international@hannover-stadt.example>")
    monkeypatch.setenv("MAIL_SMTP_PASSWORD", "top-secret")
    found = settings_from_environment()
    assert found["MAIL_SMTP_PORT"] == 2525 and found["MAIL_SMTP_HOST"] == "smtp.hannover-stadt.example"
    configure(app, **found)
    settings = settings_of(app)
    assert (settings.host, settings.port, settings.security, settings.sender_address) == (
        "smtp.hannover-stadt.example", 2525, "tls", "international@hannover-stadt.example")
    assert "top-secret" not in repr(settings)
    configure(app, MAIL_SMTP_PORT=None, MAIL_SMTP_SECURITY="starttls")
    assert settings_of(app).port == 587
    configure(app, MAIL_SMTP_SECURITY="ssl3")
    with pytest.raises(MailSettingsError):
        settings_of(app)


def test_notices_with_the_same_pdf_store_it_once_and_pruning_keeps_what_waits(app, mail_server):
    configure(app, mail_server)
    pdf = programme_pdf()
    for number in range(3):
        queue_notice(f"notice:{number}", attachments=[Attachment(f"programm-{number}.pdf", "application/pdf", pdf)])
    assert db.session.scalar(select(func.count()).select_from(OutboxFile)) == 1
    deliver_due(settings_of(app))
    assert [received.message.get_payload()[1].get_content() for received in mail_server.received] == [pdf] * 3
    waiting = queue_notice("notice:later", attachments=[Attachment("andere.pdf", "application/pdf", b"%PDF-1.4 other")])

    result = outbox.prune(utc_now() + timedelta(days=1))  # everything sent is "old" here
    db.session.commit()

    assert (result.messages, result.files) == (3, 1)
    assert db.session.scalars(select(OutboxMessage.id)).all() == [waiting.id]  # the queued one stays
    assert db.session.scalars(select(OutboxFile.size)).all() == [len(b"%PDF-1.4 other")]
    assert outbox.prune(utc_now() - timedelta(days=1)) == outbox.PruneResult(0, 0)


# The commands -------------------------------------------------------------------------------------

def test_send_without_a_server_says_so_and_leaves_the_outbox_untouched(app, runner):
    message = queue_notice()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0
    assert "No mail server is configured" in result.output and "1 messages wait" in result.output
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert (stored.state, stored.attempts, stored.last_error) == (OutboxState.QUEUED, 0, None)


def test_send_reports_what_it_did(app, runner, mail_server):
    configure(app, mail_server)
    message = queue_notice()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert f"Sent #{message.id} to fahrer@hannover-stadt.example" in result.output
    assert "Done: 1 sent, 0 to retry, 0 failed" in result.output
    again = runner.invoke(args=["outbox", "send"])
    assert again.exit_code == 0 and "Nothing is due." in again.output
    assert len(mail_server.received) == 1


def test_send_exits_non_zero_when_the_server_is_unreachable(app, runner):
    configure(app, MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=free_port(), MAIL_SMTP_SECURITY="none",
              MAIL_FROM="international@hannover-stadt.example")
    queue_notice()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "mail server unreachable, 1 messages stay in the outbox" in result.output


def test_send_refuses_settings_that_cannot_work(app, runner):
    configure(app, MAIL_SMTP_HOST="smtp.example.org", MAIL_FROM="no address here")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and "MAIL_FROM" in result.output


def test_list_and_requeue_commands(app, runner, mail_server):
    configure(app, mail_server, MAIL_MAX_ATTEMPTS=1)
    message = queue_notice(wants_acknowledgement=True)
    mail_server.refuse_next("451 busy")
    runner.invoke(args=["outbox", "send"])
    listed = runner.invoke(args=["outbox", "list", "--state", "failed"])
    assert listed.exit_code == 0
    assert f"#{message.id} to fahrer@hannover-stadt.example" in listed.output
    assert "failed, attempts 1" in listed.output and "not acknowledged" in listed.output
    assert "last error: 451 busy" in listed.output

    assert runner.invoke(args=["outbox", "requeue", str(message.id)]).exit_code == 0
    assert runner.invoke(args=["outbox", "requeue", str(message.id)]).exit_code == 1  # queued, not failed
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    assert len(mail_server.received) == 1


def test_prune_command_keeps_recent_messages(app, runner, mail_server):
    configure(app, mail_server)
    queue_notice()
    deliver_due(settings_of(app))
    result = runner.invoke(args=["outbox", "prune", "--days", "30"])
    assert result.exit_code == 0 and "Deleted 0 sent or failed messages older than 30 days" in result.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
