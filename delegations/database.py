"""Connection settings that make SQLite behave: foreign keys, WAL, waiting instead of failing."""
from __future__ import annotations

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from delegations.extensions import db


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            return
        configure_sqlite(engine)

    @app.before_request
    def writes_take_the_lock_first():
        if request.method not in SAFE_METHODS:
            begin_writing()


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself, so that writes can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Checkpoints run every 1000 pages; this truncates the WAL file after one, so it cannot grow unbounded.
            cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A request that writes takes the write lock at the start (IMMEDIATE): a deferred
        # transaction that upgrades from reading to writing would fail with "database is locked".
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


WRITE_OPTION = "delegations_writes"


def begin_writing() -> None:
    """Declare that the current unit of work will write (before its first query)."""
    if db.engine.dialect.name == "sqlite" and not db.session().in_transaction():
        db.session.connection(execution_options={WRITE_OPTION: True})
