"""Writing and restoring database snapshots: SQLite through its online backup API, PostgreSQL through
pg_dump/pg_restore. Both give a consistent state (one transaction's view) while others keep writing.

Plain functions of a database URL and paths; the commands in backups/commands.py print and ask.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from glob import glob
from pathlib import Path

from sqlalchemy.engine import make_url

BACKUP_NAME = re.compile(r"^delegations-\d{8}T\d{6}Z\.(sqlite3|dump)$")
# A backup must contain the app's tables, so that restoring some other file cannot wipe the database.
REQUIRED_TABLES = ("delegation", "programme_item", "user")


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says what to do."""


@dataclass
class BackupResult:
    path: Path
    size: int
    engine: str


def engine_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {name} databases are not supported (SQLite and PostgreSQL are)")
    return name


def backup_filename(engine: str, now: datetime) -> str:
    return f"delegations-{now:%Y%m%dT%H%M%SZ}.{'sqlite3' if engine == 'sqlite' else 'dump'}"


def write_backup(url: str, directory: Path, now: datetime, pg_bin: str | None = None) -> BackupResult:
    """Write a snapshot into `directory` under a timestamped name (written aside, then renamed)."""
    engine = engine_of(url)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / backup_filename(engine, now)
    if target.exists():
        raise BackupError(f"{target} exists already; wait a second and run the backup again")
    partial = target.with_name(target.name + ".partial")
    try:
        if engine == "sqlite":
            _backup_sqlite(sqlite_path(url), partial)
        else:
            _backup_postgresql(url, partial, pg_bin)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, size=target.stat().st_size, engine=engine)


def restore_backup(url: str, backup: Path, pg_bin: str | None = None) -> None:
    """Replace the database's content by the backup's, in one transaction."""
    engine = engine_of(url)
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file")
    if engine == "sqlite":
        _restore_sqlite(backup, sqlite_path(url))
    else:
        _restore_postgresql(url, backup, pg_bin)


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups this app wrote into `directory`; returns the deleted."""
    ours = sorted(path for path in directory.iterdir() if BACKUP_NAME.match(path.name))
    doomed = ours[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


# SQLite -----------------------------------------------------------------------------------------

def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _backup_sqlite(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist")
    live, copy = sqlite3.connect(source, timeout=30), sqlite3.connect(target)
    try:
        live.execute("PRAGMA busy_timeout=30000")
        # pages=-1: the whole database in one step, inside one read transaction: a consistent snapshot, while
        # the app's writers go on (WAL lets them).
        live.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        _check_sqlite(copy, target)
    finally:
        copy.close()
        live.close()


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise BackupError(f"{path} is not a backup of this app (tables missing: {', '.join(missing)})")


def _restore_sqlite(backup: Path, database: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        _check_sqlite(source, backup)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} is not a SQLite backup ({error})") from error
    database.parent.mkdir(parents=True, exist_ok=True)
    live = sqlite3.connect(database, timeout=30)
    try:
        live.execute("PRAGMA busy_timeout=30000")
        # Copied through SQLite's locks into the live file: running workers see the old or the new state.
        source.backup(live, pages=-1)
    finally:
        live.close()
        source.close()


# PostgreSQL -------------------------------------------------------------------------------------

def pg_tool(name: str, pg_bin: str | None = None) -> str:
    """pg_dump or pg_restore: from PG_BIN, the PATH, or Debian's /usr/lib/postgresql/<version>/bin (newest)."""
    candidates = []
    if pg_bin:
        candidates.append(str(Path(pg_bin) / name))
    if found := shutil.which(name):
        candidates.append(found)
    versions = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda path: [int(part) for part in re.findall(r"\d+", path)], reverse=True)
    candidates.extend(versions)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} was not found. Install the PostgreSQL client tools of the server's version "
                      f"(Debian: apt-get install postgresql-client) or set PG_BIN to the folder that holds {name}.")


def pg_environment(url: str) -> dict[str, str]:
    """libpq's variables for the URL's server and credentials (the password never shows in `ps`)."""
    parsed = make_url(url)
    environment = dict(os.environ)
    for variable, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port), ("PGUSER", parsed.username),
                            ("PGPASSWORD", parsed.password), ("PGDATABASE", parsed.database)):
        if value is not None:
            environment[variable] = str(value)
    for key, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("host", "PGHOST")):
        if key in parsed.query:
            value = parsed.query[key]
            environment[variable] = value if isinstance(value, str) else value[0]
    return environment


def _run(command: list[str], url: str) -> None:
    completed = subprocess.run(command, env=pg_environment(url), capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {completed.stderr.strip() or completed.stdout.strip()}")


def _backup_postgresql(url: str, target: Path, pg_bin: str | None) -> None:
    # -Fc: compressed custom format, restorable table by table; pg_dump reads in one snapshot.
    _run([pg_tool("pg_dump", pg_bin), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], url)


def _restore_postgresql(url: str, backup: Path, pg_bin: str | None) -> None:
    restore = pg_tool("pg_restore", pg_bin)
    listing = subprocess.run([restore, "--list", str(backup)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(f"{backup} is not a pg_dump backup ({listing.stderr.strip()})")
    missing = [name for name in REQUIRED_TABLES
               if not re.search(rf"TABLE (public )?\"?{name}\"? ", listing.stdout)]
    if missing:
        raise BackupError(f"{backup} is not a backup of this app (tables missing: {', '.join(missing)})")
    _run([restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--dbname={make_url(url).database}", str(backup)], url)
