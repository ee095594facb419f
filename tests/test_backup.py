"""Backups taken while others write restore to a consistent database; restore asks first and refuses
files that are not backups of this app. SQLite always; PostgreSQL when the suite runs on it and
pg_dump/pg_restore are installed."""
from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from delegations import create_app
from delegations.backups.snapshot import BackupError, pg_tool, prune_backups
from delegations.extensions import db
from delegations.models import Delegation, ProgrammeItem
from tests.factories import berlin, make_delegation, make_item

ITEMS_PER_VISIT = 3


def on_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def pg_tools_or_skip():
    try:
        return pg_tool("pg_dump"), pg_tool("pg_restore")
    except BackupError as error:
        pytest.skip(f"PostgreSQL client tools missing: {error}")


class Writer(threading.Thread):
    """Another worker of the app: commits a visit with exactly three items per transaction, without pause."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine = engine
        self.committed = 0
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self):
        arrival = berlin("2027-05-03 09:00")
        try:
            while not self.stop.is_set():
                with self.engine.begin() as connection:
                    visit_id = connection.execute(insert(Delegation.__table__).values(
                        title=f"Visit {self.committed}", arrival_at=arrival,
                        departure_at=arrival + timedelta(days=2)).returning(Delegation.__table__.c.id)).scalar_one()
                    for number in range(ITEMS_PER_VISIT):
                        start = arrival + timedelta(hours=number + 1)
                        connection.execute(insert(ProgrammeItem.__table__).values(
                            delegation_id=visit_id, title=f"Item {number}", starts_at=start,
                            ends_at=start + timedelta(minutes=30)))
                self.committed += 1
        except Exception as error:  # noqa: BLE001 (reported by the test)
            self.error = error


def counts(connection) -> tuple[int, int]:
    return (connection.execute(text("SELECT count(*) FROM delegation")).scalar_one(),
            connection.execute(text("SELECT count(*) FROM programme_item")).scalar_one())


def back_up_while_writing(runner, directory: Path) -> tuple[Path, int, int]:
    writer = Writer(db.engine)
    writer.start()
    try:
        while writer.committed < 20 and writer.is_alive():
            time.sleep(0.01)
        before = writer.committed
        result = runner.invoke(args=["backup", str(directory)])
        after = writer.committed
        time.sleep(0.05)  # the writer goes on after the backup
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert after > before or writer.committed > before, "the writer must have run during the backup"
    [backup] = list(directory.glob("delegations-*"))
    return backup, before, writer.committed


def test_sqlite_backup_during_concurrent_writes_is_consistent(app, runner, tmp_path, database_url):
    if on_postgres(database_url):
        pytest.skip("SQLite's backup API: the suite runs on PostgreSQL")
    backup, before, after = back_up_while_writing(runner, tmp_path / "backups")
    assert backup.name.endswith(".sqlite3") and backup.stat().st_size > 0
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        visits = copy.execute("SELECT count(*) FROM delegation").fetchone()[0]
        items = copy.execute("SELECT count(*) FROM programme_item").fetchone()[0]
        orphans = copy.execute("SELECT count(*) FROM programme_item WHERE delegation_id NOT IN "
                               "(SELECT id FROM delegation)").fetchone()[0]
    assert items == ITEMS_PER_VISIT * visits, "a transaction was copied halfway"
    assert before <= visits <= after and orphans == 0
    assert not list(backup.parent.glob("*.partial"))


def test_postgresql_backup_during_concurrent_writes_is_consistent(app, runner, tmp_path, database_url):
    if not on_postgres(database_url):
        pytest.skip("pg_dump: set TEST_DATABASE_URL to run the suite on PostgreSQL")
    pg_tools_or_skip()
    backup, before, after = back_up_while_writing(runner, tmp_path / "backups")
    assert backup.name.endswith(".dump")
    with scratch_database(database_url) as scratch_url:
        scratch_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x"})
        with scratch_app.app_context():  # the command acts on the app of the current context
            result = scratch_app.test_cli_runner().invoke(args=["restore", str(backup), "--yes"])
            assert result.exit_code == 0, result.output
            assert "app_test_restore_check" in result.output or "_restore_check" in result.output
            db.engine.dispose()
        engine = create_engine(scratch_url)
        with engine.connect() as connection:
            visits, items = counts(connection)
        engine.dispose()
    assert items == ITEMS_PER_VISIT * visits
    assert before <= visits <= after


class scratch_database:
    """A second, empty PostgreSQL database on the test server, dropped afterwards."""

    def __init__(self, url: str):
        parsed = make_url(url)
        self.name = f"{parsed.database}_restore_check"
        self.url = parsed.set(database=self.name).render_as_string(hide_password=False)
        self.admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *_exc):
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def test_restore_brings_back_the_state_of_the_backup(app, runner, tmp_path, database_url):
    if on_postgres(database_url):
        pg_tools_or_skip()
    kept = make_delegation(title="Visit from Poznań")
    make_item(kept, title="Reception")
    db.session.commit()
    kept_id = kept.id
    assert runner.invoke(args=["backup", str(tmp_path)]).exit_code == 0
    [backup] = list(tmp_path.glob("delegations-*"))

    db.session.delete(db.session.get(Delegation, kept_id))
    make_delegation(title="Made after the backup")
    db.session.commit()
    db.session.remove()

    result = runner.invoke(args=["restore", str(backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    titles = sorted(db.session.scalars(select(Delegation.title)))
    assert titles == ["Visit from Poznań"]
    assert db.session.scalar(select(func.count()).select_from(ProgrammeItem)) == 1


def test_restore_asks_first_and_stops_on_no(app, runner, tmp_path, database_url):
    if on_postgres(database_url):
        pg_tools_or_skip()
    make_delegation(title="Before")
    db.session.commit()
    runner.invoke(args=["backup", str(tmp_path)])
    [backup] = list(tmp_path.glob("delegations-*"))
    make_delegation(title="After")
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    assert "replaces all data" in result.output
    assert sorted(db.session.scalars(select(Delegation.title))) == ["After", "Before"]


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_app(app, runner, tmp_path, database_url):
    make_delegation(title="Still here")
    db.session.commit()
    stranger = tmp_path / "other.sqlite3"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    connection.close()
    garbage = tmp_path / "garbage.dump"
    garbage.write_bytes(b"this is not a database")
    for path in (stranger, garbage):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code != 0
        assert "not a" in result.output
    db.session.remove()
    assert list(db.session.scalars(select(Delegation.title))) == ["Still here"]


def test_backups_get_timestamped_names_and_old_ones_can_be_pruned(tmp_path):
    for stamp in ("20270101T010000Z", "20270102T010000Z", "20270103T010000Z"):
        (tmp_path / f"delegations-{stamp}.sqlite3").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not ours")
    deleted = prune_backups(tmp_path, keep=2)
    assert [path.name for path in deleted] == ["delegations-20270101T010000Z.sqlite3"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "delegations-20270102T010000Z.sqlite3", "delegations-20270103T010000Z.sqlite3", "notes.txt"]


def test_a_missing_pg_dump_is_explained(tmp_path):
    with pytest.raises(BackupError, match="postgresql-client"):
        pg_tool("pg_dump_that_does_not_exist", pg_bin=str(tmp_path))


def test_backup_command_keeps_the_newest(app, runner, tmp_path, database_url):
    if on_postgres(database_url):
        pg_tools_or_skip()
    (tmp_path / "delegations-20200101T000000Z.sqlite3").write_bytes(b"old")
    (tmp_path / "delegations-20200101T000000Z.dump").write_bytes(b"old")
    result = runner.invoke(args=["backup", str(tmp_path), "--keep", "1"])
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("delegations-*"))) == 1
    assert "Deleted the older backup" in result.output
