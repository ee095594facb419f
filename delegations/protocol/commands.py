"""`flask --app delegations protocol ...`: load the default ranking rules, export the year's gift register."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from delegations.extensions import db


@click.group("protocol")
def protocol_group() -> None:
    """Protocol: ranking rules and the gift register."""


@protocol_group.command("ranking-rules")
@with_appcontext
def ranking_rules_command() -> None:
    """Add the default ranking rules that are missing (changed or retired ones are left alone)."""
    from delegations.protocol.operations import ensure_default_office_levels

    added = ensure_default_office_levels()
    db.session.commit()
    click.echo(f"Added {len(added)} ranking rules." if added else "All default ranking rules are present.")


@protocol_group.command("export-gifts")
@click.option("--year", type=int, default=lambda: date.today().year, show_default="this year")
@click.option("--format", "kind", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The file to write, e.g. gifts-2027.xlsx.")
@with_appcontext
def export_gifts_command(year: int, kind: str, output: str) -> None:
    """Write the year's gift register for the council's annual report (formula-like cells neutralised)."""
    from flask_babel import force_locale

    from delegations.protocol.gifts import GiftRules, write_csv, write_xlsx
    from delegations.protocol.operations import gift_export_table
    from delegations.protocol.queries import gifts_of_year

    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "de")):
        header, rows = gift_export_table(gifts_of_year(year), GiftRules.from_config(current_app.config))
        data = write_xlsx(header, rows, title=str(year)) if kind == "xlsx" else write_csv(header, rows)
    Path(output).write_bytes(data)
    click.echo(f"Wrote {len(rows)} gifts of {year} to {output}.")
