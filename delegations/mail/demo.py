"""Demo data for the outbox: messages in every state, so the page shows what planners will see."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from delegations.extensions import db
from delegations.mail.outbox import acknowledge, enqueue
from delegations.models import Delegation, OutboxMessage, OutboxState, utc_now

POZNAN = "Delegation der Partnerstadt Poznań"


def ensure_demo_outbox(lines: list[str]) -> None:
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key.startswith("demo:")).limit(1)):
        return
    delegation = db.session.scalar(select(Delegation).where(Delegation.title == POZNAN))
    visit_id = delegation.id if delegation is not None else None
    now = utc_now()
    body = ("Guten Tag,\n\nfür den Besuch der Delegation aus Poznań hat sich geändert:\n"
            "- Arbeitsgespräch Klimapartnerschaft: beginnt 30 Minuten später.\n\n"
            "Mit freundlichen Grüßen\nInternationale Angelegenheiten\n")
    examples = [
        ("demo:reminder:driver", "fahrdienst@hannover-stadt.example", "Fahrdienst", OutboxState.SENT, 1, None, True),
        ("demo:reminder:interpreter", "dolmetscherdienst@hannover-stadt.example", "Dolmetscherdienst",
         OutboxState.SENT, 1, None, False),
        ("demo:reminder:kitchen", "kueche.rathaus@hannover-stadt.example", "Ratsküche", OutboxState.FAILED, 1,
         "550 5.1.1 <kueche.rathaus@hannover-stadt.example>: Recipient address rejected: User unknown", False),
        ("demo:reminder:security", "sicherheit@hannover-stadt.example", "Sicherheitsbeauftragte", OutboxState.QUEUED,
         0, None, False),
    ]
    for key, address, name, state, attempts, error, acknowledged in examples:
        queued = enqueue(recipients=[address], recipient_name=name, subject="Erinnerung: Besuch aus Poznań",
                         body=body, dedupe_key=key, delegation_id=visit_id, purpose="reminder",
                         wants_acknowledgement=state == OutboxState.SENT)
        if queued is None:
            continue
        message, _token = queued
        message.created_at = now - timedelta(days=2)
        message.state, message.attempts, message.last_error = state, attempts, error
        if state == OutboxState.SENT:
            message.sent_at = now - timedelta(days=2) + timedelta(minutes=3)
        if acknowledged:
            acknowledge(message, now - timedelta(days=1))
    db.session.flush()
    lines.append("Added outbox messages: sent, acknowledged, failed and waiting")
