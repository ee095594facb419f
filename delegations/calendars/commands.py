"""`flask --app delegations calendar import|refresh`: principals' calendars from the command line or a timer."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from delegations.calendars import operations, queries
from delegations.calendars.fetch import normalise_url
from delegations.calendars.reader import CalendarError
from delegations.extensions import db
from delegations.models import Principal, PrincipalCalendar
from delegations.models.calendars import CalendarSourceKind


@click.group("calendar")
def calendar_group() -> None:
    """Import and refresh the principals' calendars."""


def _principal(reference: str) -> Principal:
    found = queries.find_principal(reference)
    if not found:
        raise click.ClickException(f"no principal matches {reference!r} (give the id or the name)")
    if len(found) > 1:
        names = ", ".join(f"{principal.id}: {principal.label}" for principal in found)
        raise click.ClickException(f"{reference!r} matches several principals ({names}); give the id")
    return found[0]


def _print_report(principal: Principal, report: operations.ImportReport) -> None:
    click.echo(f"{principal.label}: {report.summary()}")
    for warning in report.warnings:
        click.echo(f"  warning: {warning}")


@calendar_group.command("import")
@click.argument("principal")
@click.argument("source")
@with_appcontext
def import_command(principal: str, source: str) -> None:
    """Import PRINCIPAL's calendar from a file or an http(s)/webcal URL (a URL is kept as the subscription).

    PRINCIPAL is the principal's id or name.
    """
    settings = operations.ImportSettings.from_config(current_app.config)
    who = _principal(principal)
    try:
        if "://" in source:
            calendar = operations.subscribe(who, normalise_url(source))
            report = operations.refresh_calendar(calendar, settings, force=True)
        else:
            path = Path(source)
            if not path.is_file():
                raise click.ClickException(f"no such file: {source}")
            if path.stat().st_size > settings.limits.max_bytes:
                raise CalendarError(f"the file is larger than {settings.limits.max_bytes} bytes; it is refused")
            report = operations.import_calendar_data(who, path.read_bytes(), settings, filename=path.name,
                                                     source_kind=CalendarSourceKind.UPLOAD)
    except CalendarError as error:
        db.session.commit()  # keeps the recorded error; the busy times of the previous import are untouched
        retry = " The address is kept: `calendar refresh` tries it again." if "://" in source else ""
        raise click.ClickException(f"{who.label}: not imported: {error} The previous import is kept.{retry}")
    db.session.commit()
    _print_report(who, report)


@calendar_group.command("refresh")
@click.argument("principals", nargs=-1)
@click.option("--force", is_flag=True, help="Download and import even if the server says nothing changed.")
@with_appcontext
def refresh_command(principals: tuple[str, ...], force: bool) -> None:
    """Refresh every subscribed calendar (or those of PRINCIPALS); for a timer such as cron or systemd.

    Each calendar is its own transaction: one failing server does not hold up the others.
    Exits with status 1 if any refresh failed.
    """
    settings = operations.ImportSettings.from_config(current_app.config)
    statement = (select(PrincipalCalendar).join(Principal, Principal.id == PrincipalCalendar.principal_id)
                 .where(PrincipalCalendar.source_kind == CalendarSourceKind.URL, PrincipalCalendar.url != "")
                 .order_by(Principal.id))
    if principals:
        ids = [_principal(reference).id for reference in principals]
        statement = statement.where(PrincipalCalendar.principal_id.in_(ids))
    else:
        statement = statement.where(Principal.active.is_(True))
    calendar_ids = list(db.session.scalars(statement.with_only_columns(PrincipalCalendar.id)))
    if not calendar_ids:
        click.echo("No subscribed calendars to refresh.")
        return
    failures = 0
    for calendar_id in calendar_ids:
        calendar = db.session.get(PrincipalCalendar, calendar_id)
        principal = calendar.principal
        try:
            report = operations.refresh_calendar(calendar, settings, force=force)
        except CalendarError as error:
            db.session.commit()
            failures += 1
            click.echo(f"{principal.label}: not refreshed: {error} The previous import is kept.", err=True)
            continue
        db.session.commit()
        _print_report(principal, report)
    if failures:
        raise SystemExit(1)

