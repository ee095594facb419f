"""`flask --app delegations partners remind`: anniversary reminders to the unit, through the outbox (cron)."""
from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from delegations.extensions import db


@click.group("partners")
def partners_group() -> None:
    """Partner cities: anniversary reminders."""


def dossier_url(city_id: int) -> str:
    from delegations.config import public_base_url

    path = current_app.url_map.bind("localhost").build("partners.dossier", {"city_id": city_id})
    return (public_base_url(current_app.config) or "http://localhost").rstrip("/") + path


@partners_group.command("remind")
@click.option("--today", "today_text", default=None, help="Pretend it is this day (YYYY-MM-DD); for checks.")
@with_appcontext
def remind_command(today_text: str | None) -> None:
    """Queue a reminder e-mail to UNIT_EMAIL for each round anniversary whose reminder stage (18, 12, 6 or 3
    months before) has come. Safe to run daily: each anniversary and stage is queued once; `outbox send`
    delivers."""
    from delegations.history.recorder import act_as
    from delegations.mail.outbox import OutboxError
    from delegations.partners import operations, queries
    from delegations.partners.views import today as home_today

    unit_email = (current_app.config.get("UNIT_EMAIL") or "").strip()
    if not unit_email:
        raise click.ClickException("UNIT_EMAIL is not set: name the unit's mailbox in instance/config.py or the "
                                   "environment (UNIT_EMAIL=international@example.org).")
    try:
        day = date.fromisoformat(today_text) if today_text else home_today()
    except ValueError:
        raise click.ClickException(f"--today: not a date (YYYY-MM-DD): {today_text!r}")
    act_as(db.session, "system:partners-remind")
    pairs = queries.upcoming(day)
    locale = current_app.config.get("BABEL_DEFAULT_LOCALE", "de")
    try:
        done = operations.enqueue_reminders([city for _anniversary, city in pairs],
                                            [anniversary for anniversary, _city in pairs], day, unit_email, locale,
                                            dossier_url)
    except OutboxError as error:
        db.session.rollback()
        raise click.ClickException(f"UNIT_EMAIL: {error}")
    db.session.commit()
    queued = [entry for entry in done if entry[2]]
    for anniversary, stage, now in done:
        state = "queued" if now else "already in the outbox"
        click.echo(f"{anniversary.partner_name}: {anniversary.years} years on {anniversary.on.isoformat()}, "
                   f"{stage}-month reminder {state}")
    click.echo(f"{len(queued)} reminder(s) queued for {unit_email}; "
               f"{len(pairs)} round anniversar{'y' if len(pairs) == 1 else 'ies'} in the next 18 months.")
