"""SQLite under several writers: saving never meets "database is locked", not even when reads turn into writes."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from delegations.constants import Role
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.feeds import tokens
from delegations.models import ContactPerson, FeedDetail, FeedScope, FeedToken
from tests.accounts import make_account
from tests.conftest import log_in
from tests.factories import make_delegation, make_item


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def test_sqlite_connections_wait_use_wal_and_bound_the_log(app):
    if not is_sqlite():
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 5000
        assert 0 < pragma("journal_size_limit") <= 256 * 1024 * 1024
        assert pragma("wal_autocheckpoint") > 0
        assert pragma("foreign_keys") == 1


def test_read_then_write_transactions_do_not_deadlock(app):
    """Two units of work that read, pause, then write: deferred transactions would make one of them fail at
    once with "database is locked" (a reader cannot upgrade past a newer write); BEGIN IMMEDIATE queues them."""
    if not is_sqlite():
        pytest.skip("SQLite locking")
    failures: list[str] = []
    barrier = threading.Barrier(2)

    def unit_of_work(name: str):
        with app.app_context():
            try:
                barrier.wait(5)
                begin_writing()
                db.session.scalar(select(func.count()).select_from(ContactPerson))
                time.sleep(0.3)
                db.session.add(ContactPerson(name=name))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - any failure is what the test looks for
                failures.append(f"{name}: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=unit_of_work, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert db.session.scalar(select(func.count()).select_from(ContactPerson)) == 2


def test_many_planners_and_feed_readers_at_once_never_meet_a_locked_database(app):
    """Six planners save contacts while four calendar clients poll a feed whose every poll writes."""
    app.config["FEED_LAST_USED_PRECISION_MINUTES"] = 0
    delegation = make_delegation()
    make_item(delegation)
    planners = [make_account(Role.PLANNER, f"planner{number}@example.org") for number in range(6)]
    feed = tokens.issue_feed(FeedScope.ALL, None, FeedDetail.PUBLIC, "All", created_by=planners[0], locale="en")
    db.session.commit()
    saves, polls = 12, 15
    problems: list[str] = []
    start = threading.Barrier(len(planners) + 4)

    def planner(email: str):
        client = app.test_client()
        try:
            assert log_in(client, email).status_code == 302
            start.wait(30)
            for number in range(saves):
                client.get("/contacts/")
                response = client.post("/contacts/new", data={"name": f"{email} {number}", "active": "y"})
                if response.status_code != 302:
                    problems.append(f"{email}: {response.status_code} {response.text[:200]}")
        except Exception as error:  # noqa: BLE001
            problems.append(f"{email}: {type(error).__name__}: {error}")

    def reader():
        client = app.test_client()
        try:
            start.wait(30)
            for _number in range(polls):
                response = client.get(f"/feeds/{feed.token}.ics")
                if response.status_code != 200:
                    problems.append(f"feed: {response.status_code}")
        except Exception as error:  # noqa: BLE001
            problems.append(f"feed: {type(error).__name__}: {error}")

    emails = [user.email for user in planners]
    db.session.rollback()
    threads = [threading.Thread(target=planner, args=(email,)) for email in emails]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert problems == []
    db.session.rollback()  # this thread's read snapshot is older than the threads' writes
    assert db.session.scalar(select(func.count()).select_from(ContactPerson)) == len(planners) * saves
    assert db.session.scalar(select(FeedToken.last_used_at).where(FeedToken.id == feed.feed.id)) is not None
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_without_begin_immediate_the_same_work_would_fail(tmp_path):
    """The control: what BEGIN IMMEDIATE prevents. Two deferred transactions read, one writes and commits,
    the other's write fails at once with "database is locked" although it would wait 10 s for a lock."""
    import sqlite3

    path = tmp_path / "control.db"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    first, second = (sqlite3.connect(path, timeout=10, isolation_level=None) for _ in range(2))
    for connection in (first, second):
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM t").fetchone()
    first.execute("INSERT INTO t VALUES (1)")
    first.execute("COMMIT")
    started = time.perf_counter()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        second.execute("INSERT INTO t VALUES (2)")
    assert time.perf_counter() - started < 5  # no waiting helps a stale reader
    first.close()
    second.close()
