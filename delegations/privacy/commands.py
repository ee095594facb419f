"""`flask --app delegations retention run [--apply]`: the GDPR retention job (a dry run unless --apply)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import utc_now
from delegations.privacy.retention import apply_retention, plan_retention


@click.group("retention")
def retention_group() -> None:
    """Remove members' personal details after their visit (GDPR)."""


@retention_group.command("run")
@click.option("--apply", "apply_changes", is_flag=True, help="Change the data (without it: only show what is due).")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep personal details this many days after departure (default: RETENTION_DAYS).")
@with_appcontext
def run_command(apply_changes: bool, days: int | None) -> None:
    """Anonymise members of visits that ended more than RETENTION_DAYS ago."""
    days = current_app.config["RETENTION_DAYS"] if days is None else days
    now = utc_now()
    if apply_changes:
        begin_writing()
    plan = plan_retention(now, days, current_app.config["SESSION_ABSOLUTE_HOURS"])
    verb = "Anonymised" if apply_changes else "Would anonymise"
    click.echo(f"Personal details are kept {days} days after a visit ends: "
               f"due are visits that ended before {plan.cutoff:%Y-%m-%d %H:%M} UTC.")
    if plan.is_empty:
        click.echo("Nothing is due.")
        return
    click.echo(f"{verb} {plan.member_count} members of {len(plan.visits)} visits" + (":" if plan.visits else "."))
    for visit in plan.visits:
        delegation = visit.delegation
        click.echo(f"  #{delegation.id} {delegation.title!r} (departed {delegation.departure_at:%Y-%m-%d}): "
                   f"{len(visit.members)} members")
    click.echo(f"{'Scrubbed' if apply_changes else 'Would scrub'} personal data from "
               f"{len(plan.history_entries)} history entries.")
    if plan.finished_sessions:
        click.echo(f"{'Deleted' if apply_changes else 'Would delete'} {plan.finished_sessions} finished login sessions.")
    if plan.imports:
        click.echo(f"{'Deleted' if apply_changes else 'Would delete'} {len(plan.imports)} unconfirmed "
                   f"participant-list uploads.")
    if not apply_changes:
        click.echo("Dry run: nothing was changed. Run again with --apply to do it.")
        return
    apply_retention(plan, now, current_app.config.get("BABEL_DEFAULT_LOCALE", "de"))
    db.session.commit()
    click.echo("Done.")
