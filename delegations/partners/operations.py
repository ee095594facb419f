"""State changes of the partner dossiers (flush, never commit: the view or the command commits once)."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _

from delegations.extensions import db
from delegations.models import PartnerCity, PartnerCommitment, utc_now
from delegations.models.partners import CommitmentStatus, PartnershipKind
from delegations.partners.anniversaries import Anniversary, due_reminder_stage, ordinal


def counts_as_partner_city(city: PartnerCity | None) -> bool:
    """A visit linked to a twinning or a city friendship is a partner-city visit (the flag the printed briefing
    and the lists show); a partner organisation is not a city."""
    return city is not None and city.kind in (PartnershipKind.TWINNING, PartnershipKind.FRIENDSHIP)


def commitment_status_changes(commitment: PartnerCommitment | None, status: CommitmentStatus,
                              actor_name: str) -> dict:
    """The done stamp that goes with a status: set when a commitment is done, cleared when reopened."""
    if status == CommitmentStatus.DONE:
        if commitment is not None and commitment.status == CommitmentStatus.DONE and commitment.done_at:
            return {"status": status}
        return {"status": status, "done_at": utc_now(), "done_by_name": actor_name[:254]}
    return {"status": status, "done_at": None, "done_by_name": ""}


def anniversary_sentence(anniversary: Anniversary, kind: PartnershipKind, locale: str) -> str:
    """'40th anniversary of the twinning with Leipzig, 1987–2027' in the current language."""
    return _("%(ordinal)s anniversary of the %(relationship)s with %(name)s, %(span)s",
             ordinal=ordinal(anniversary.years, locale), relationship=kind.in_sentence,
             name=anniversary.partner_name, span=anniversary.span)


def reminder_key(anniversary: Anniversary, stage: int) -> str:
    return f"partners:anniversary:{anniversary.partner_id}:{anniversary.years}:{stage}m"


def enqueue_reminders(cities: list[PartnerCity], anniversaries: list[Anniversary], today: date, unit_email: str,
                      locale: str, dossier_url) -> list[tuple[Anniversary, int, bool]]:
    """Add one reminder per anniversary and due stage to the outbox; returns (anniversary, stage, queued now),
    queued now False when the outbox had it already (never sent twice)."""
    from delegations.mail.outbox import enqueue

    by_id = {city.id: city for city in cities}
    done = []
    for anniversary in anniversaries:
        stage = due_reminder_stage(anniversary, today)
        if stage is None:
            continue
        city = by_id[anniversary.partner_id]
        with force_locale(locale):
            sentence = anniversary_sentence(anniversary, city.kind, locale)
            subject = _("Reminder: %(sentence)s", sentence=sentence)
            if anniversary.day_known:
                months = max(1, round((anniversary.on - today).days / 30.44))
                day = format_date(anniversary.on, format="long", locale=locale)
                when = _("%(sentence)s falls on %(day)s, in about %(months)s months.", sentence=sentence, day=day,
                         months=months)
            else:
                when = _("%(sentence)s falls in %(year)s; the day is not on record.", sentence=sentence,
                         year=anniversary.year)
            body = "\n\n".join([
                when,
                _("Time to plan: a visit, a letter from the Mayor, an invitation, a joint event with the "
                  "friendship associations. The dossier lists agreements, office holders, past visits and "
                  "open commitments:"),
                dossier_url(city.id),
            ])
        queued = enqueue(recipients=[unit_email], subject=subject, body=body,
                         dedupe_key=reminder_key(anniversary, stage), purpose="partner-anniversary")
        done.append((anniversary, stage, queued is not None))
    db.session.flush()
    return done
