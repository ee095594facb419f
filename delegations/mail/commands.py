"""`flask --app delegations outbox send|list|requeue|prune`: deliver the outbox (run by a timer), look into it,
keep it small."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from delegations.database import begin_writing
from delegations.extensions import db
from delegations.mail import outbox
from delegations.mail.queries import outbox_listing, state_counts
from delegations.mail.settings import MailSettingsError, smtp_settings
from delegations.models import OutboxMessage, OutboxState, utc_now


@click.group("outbox")
def outbox_group() -> None:
    """E-mail waiting to go out: change notices and reminders."""


def _line(message: OutboxMessage) -> str:
    return f"#{message.id} to {', '.join(message.recipients)}: {message.subject!r}"


@outbox_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send every message that is due (a timer runs this every few minutes)."""
    waiting = state_counts()[OutboxState.QUEUED]
    try:
        settings = smtp_settings(current_app.config)
    except MailSettingsError as error:
        raise click.ClickException(f"the mail settings cannot work: {error}")
    if settings is None:
        click.echo(f"No mail server is configured (MAIL_SMTP_HOST and MAIL_FROM): {waiting} messages wait "
                   f"in the outbox; nothing was sent or changed.")
        return
    report = outbox.deliver_due(settings)
    for message in report.released_stale:
        click.echo(f"Failed (a run was interrupted while sending it; check before queuing again): {_line(message)}")
    for message in report.sent:
        click.echo(f"Sent {_line(message)}" + (f" ({message.last_error})" if message.last_error else ""))
    for message in report.retrying:
        click.echo(f"Not sent, retry after {message.next_attempt_at:%Y-%m-%d %H:%M} UTC "
                   f"(attempt {message.attempts} of {settings.max_attempts}): {_line(message)}: {message.last_error}")
    for message in report.failed:
        click.echo(f"Failed permanently after {message.attempts} attempts: {_line(message)}: {message.last_error}")
    if report.server_error:
        raise click.ClickException(f"mail server unreachable, {report.due - len(report.sent)} messages stay "
                                   f"in the outbox: {report.server_error}")
    if not report.due:
        click.echo(f"Nothing is due ({waiting} messages wait for a later retry)." if waiting else "Nothing is due.")
    else:
        click.echo(f"Done: {len(report.sent)} sent, {len(report.retrying)} to retry, {len(report.failed)} failed "
                   f"(via {settings.server}).")


@outbox_group.command("list")
@click.option("--state", type=click.Choice([state.value for state in OutboxState]), default=None,
              help="Only messages in this state.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@with_appcontext
def list_command(state: str | None, limit: int) -> None:
    """The latest messages with their state, attempts and last error."""
    messages = db.session.scalars(outbox_listing(OutboxState(state) if state else None).limit(limit)).all()
    counts = state_counts()
    click.echo(", ".join(f"{number} {state.value}" for state, number in counts.items()))
    for message in messages:
        details = [f"{message.state.value}", f"attempts {message.attempts}",
                   f"created {message.created_at:%Y-%m-%d %H:%M} UTC"]
        if message.sent_at:
            details.append(f"sent {message.sent_at:%Y-%m-%d %H:%M} UTC")
        elif message.state == OutboxState.QUEUED:
            details.append(f"next attempt {message.next_attempt_at:%Y-%m-%d %H:%M} UTC")
        if message.wants_acknowledgement:
            details.append(f"acknowledged {message.acknowledged_at:%Y-%m-%d %H:%M} UTC" if message.acknowledged_at
                           else "not acknowledged")
        click.echo(f"{_line(message)} [{', '.join(details)}]")
        if message.last_error:
            click.echo(f"    last error: {message.last_error}")


@outbox_group.command("requeue")
@click.argument("message_id", type=int)
@with_appcontext
def requeue_command(message_id: int) -> None:
    """Queue a failed message again (a fresh set of attempts), or send one waiting for a retry with the next run."""
    begin_writing()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id))
    if message is None:
        raise click.ClickException(f"no outbox message #{message_id}")
    if not outbox.requeue(message, utc_now()):
        raise click.ClickException(f"message #{message_id} is {message.state.value}; only failed messages and "
                                   f"messages waiting for a retry are queued again")
    db.session.commit()
    click.echo(f"Queued again: {_line(message)}")


@outbox_group.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep messages this many days (default: MAIL_KEEP_DAYS, 365).")
@with_appcontext
def prune_command(days: int | None) -> None:
    """Delete sent and failed messages older than MAIL_KEEP_DAYS, and attachments nobody uses any more."""
    days = days or int(current_app.config.get("MAIL_KEEP_DAYS") or 365)
    begin_writing()
    result = outbox.prune(utc_now() - timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted {result.messages} sent or failed messages older than {days} days and "
               f"{result.files} attachment files no message uses. Waiting messages are kept.")
