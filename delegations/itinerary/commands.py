"""`flask --app delegations arrange DELEGATION_ID`: the arrangement as a text preview (changes nothing)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from delegations.extensions import db
from delegations.models import Delegation


@click.command("arrange")
@click.argument("delegation_id", type=int)
@click.option("--locale", type=click.Choice(["de", "en"]), default=None,
              help="Language of the preview (default: the app's default language).")
@with_appcontext
def arrange_command(delegation_id: int, locale: str | None) -> None:
    """Propose a programme for a delegation and print it: day, local time, title, principal; then what could
    not be placed and why. Nothing is saved."""
    from delegations.itinerary.proposals import propose, proposal_as_text

    delegation = db.session.scalar(select(Delegation).where(Delegation.id == delegation_id)
                                   .options(selectinload(Delegation.items)))
    if delegation is None:
        raise click.ClickException(f"There is no delegation with id {delegation_id}.")
    with force_locale(locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):
        click.echo(proposal_as_text(propose(delegation)))
