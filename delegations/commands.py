"""Command-line entry points: `flask --app delegations create-user|demo ...`."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from delegations.constants import Role
from delegations.extensions import db
from delegations.passwords import password_problem


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.VIEWER.value, show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option("--locale", type=click.Choice(["de", "en"]), default="de", show_default=True)
@with_appcontext
def create_user_command(email: str, role: str, name: str, locale: str) -> None:
    """Create a user; the password is asked at the prompt, or read from stdin when piped."""
    from delegations.auth.operations import AccountError, create_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if problem := password_problem(password, email):
        raise click.ClickException(f"password too weak: {problem}")
    try:
        user = create_user(email, password, role, name=name, locale=locale)
    except AccountError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Created user {user.email} with role {user.role.value}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data (safe to run again: what exists is left alone)."""
    from delegations.demo import load_demo

    report = load_demo()
    db.session.commit()
    for line in report.lines:
        click.echo(line)


def init_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    from delegations.feeds.commands import feeds_group
    app.cli.add_command(feeds_group)
    from delegations.calendars.commands import calendar_group
    app.cli.add_command(calendar_group)
    from delegations.privacy.commands import retention_group
    app.cli.add_command(retention_group)
    from delegations.backups.commands import backup_command, restore_command
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from delegations.printing.commands import programme_pdf_command
    app.cli.add_command(programme_pdf_command)
    from delegations.protocol.commands import protocol_group
    app.cli.add_command(protocol_group)
    from delegations.itinerary.commands import arrange_command
    app.cli.add_command(arrange_command)
    from delegations.mail.commands import outbox_group
    app.cli.add_command(outbox_group)
    from delegations.partners.commands import partners_group
    app.cli.add_command(partners_group)
