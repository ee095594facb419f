"""`flask --app delegations backup DIR` and `flask --app delegations restore FILE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from delegations.backups.snapshot import BackupError, prune_backups, restore_backup, write_backup
from delegations.extensions import db
from delegations.models import utc_now


def _database_label(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Afterwards delete all but the newest KEEP backups in DIRECTORY.")
@with_appcontext
def backup_command(directory: Path, keep: int | None) -> None:
    """Write a consistent snapshot of the database into DIRECTORY (safe while the app is in use)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        result = write_backup(url, directory, utc_now(), current_app.config.get("PG_BIN"))
    except BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Backup of {_database_label(url)} written to {result.path} ({result.size / 1024:.0f} KiB).")
    if keep:
        for path in prune_backups(directory, keep):
            click.echo(f"Deleted the older backup {path}.")


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(backup: Path, yes: bool) -> None:
    """Replace ALL data of the database by the content of BACKUP."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not yes:
        click.confirm(f"This replaces all data in {_database_label(url)} by the backup {backup}. "
                      "Changes made since the backup are lost. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no connection of ours holds a lock or an old snapshot
    try:
        restore_backup(url, backup, current_app.config.get("PG_BIN"))
    except BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Restored {backup} into {_database_label(url)}.")
    click.echo("If the backup comes from an older version of the app, run `flask --app delegations db upgrade` now.")
