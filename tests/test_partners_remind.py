"""`flask partners remind`: a reminder e-mail to the unit per round anniversary and reminder stage, queued once in
the outbox, delivered by `flask outbox send` to a real SMTP server on 127.0.0.1."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import OutboxMessage, PartnerCity
from delegations.models.partners import PartnershipKind
from tests.mail_server import MailServer

UNIT = "international@hannover-stadt.example"


@pytest.fixture
def partners(app):
    db.session.add_all([
        PartnerCity(name="Leipzig", country_code="DE", kind=PartnershipKind.TWINNING, since=date(1987, 6, 20),
                    since_day_known=True),
        PartnerCity(name="Poznań", country_code="PL", kind=PartnershipKind.TWINNING, since=date(1979, 10, 29),
                    since_day_known=True),  # 50 years in October 2029: not yet
    ])
    db.session.commit()


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_without_a_unit_address_the_command_fails_and_says_what_to_set(app, runner, partners):
    app.config["UNIT_EMAIL"] = ""
    result = runner.invoke(args=["partners", "remind", "--today", "2026-12-03"])
    assert result.exit_code != 0 and "UNIT_EMAIL is not set" in result.output
    assert messages() == []


def test_each_anniversary_and_stage_is_queued_once(app, runner, partners, english):
    app.config["UNIT_EMAIL"] = UNIT
    first = runner.invoke(args=["partners", "remind", "--today", "2026-12-03"])
    assert first.exit_code == 0, first.output
    assert "Leipzig: 40 years on 2027-06-20, 12-month reminder queued" in first.output
    [message] = messages()
    assert message.recipients == [UNIT] and message.purpose == "partner-anniversary"
    assert message.subject == "Reminder: 40th anniversary of the twinning with Leipzig, 1987–2027"
    assert message.dedupe_key.endswith(":40:12m")
    assert "/partners/" in message.body

    again = runner.invoke(args=["partners", "remind", "--today", "2026-12-04"])
    assert "already in the outbox" in again.output and "0 reminder(s) queued" in again.output
    assert len(messages()) == 1

    later = runner.invoke(args=["partners", "remind", "--today", "2026-12-20"])  # six months before
    assert "6-month reminder queued" in later.output
    assert [message.dedupe_key[-3:] for message in messages()] == ["12m", ":6m"]


def test_a_bad_unit_address_is_refused_without_queuing(app, runner, partners):
    app.config["UNIT_EMAIL"] = "not an address"
    result = runner.invoke(args=["partners", "remind", "--today", "2026-12-03"])
    assert result.exit_code != 0 and "UNIT_EMAIL" in result.output
    assert messages() == []


def test_the_reminder_reaches_the_unit_through_the_outbox(app, runner, partners, mail_server, english):
    app.config.update(mail_server.settings() | {"UNIT_EMAIL": UNIT, "PUBLIC_BASE_URL": "https://delegationen.example"})
    assert runner.invoke(args=["partners", "remind", "--today", "2027-03-25"]).exit_code == 0
    sent = runner.invoke(args=["outbox", "send"])
    assert sent.exit_code == 0, sent.output
    [received] = mail_server.received
    assert received.rcpt_tos == [UNIT]
    # (Python's e-mail parser unfolds an encoded word with one extra space: compare words.)
    assert received.message["Subject"].split() == "Reminder: 40th anniversary of the twinning with Leipzig, 1987–2027".split()
    body = received.message.get_body(("plain",)).get_content()
    assert "falls on June 20, 2027, in about 3 months" in body
    leipzig = db.session.scalars(select(PartnerCity).where(PartnerCity.name == "Leipzig")).one()
    assert f"https://delegationen.example/partners/{leipzig.id}" in body


def test_a_partnership_known_only_by_its_year_is_reminded_without_a_day(app, runner, english):
    db.session.add(PartnerCity(name="Bristol", country_code="GB", kind=PartnershipKind.TWINNING,
                               since=date(1947, 1, 1), since_day_known=False))
    db.session.commit()
    app.config["UNIT_EMAIL"] = UNIT
    result = runner.invoke(args=["partners", "remind", "--today", "2026-07-15"])  # < 6 months before 2027
    assert "Bristol: 80 years on 2027-01-01, 6-month reminder queued" in result.output
    [message] = messages()
    assert message.body.startswith("80th anniversary of the twinning with Bristol, 1947–2027 falls in 2027; "
                                   "the day is not on record.")
