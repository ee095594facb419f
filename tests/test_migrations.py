"""The Alembic migrations build exactly the schema the models describe (the `flask db check` of CI)."""
from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from delegations import create_app
from delegations.models import Base
from tests.conftest import app_settings


def _scratch_url(database_url: str, tmp_path) -> str:
    if database_url.startswith("sqlite"):
        return "sqlite:///" + os.path.join(tmp_path, "migrated.db")
    return database_url


def test_migrations_match_the_models(database_url, tmp_path):
    url = _scratch_url(database_url, tmp_path)
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        # Migrate into a schema of its own, so that the test tables in `public` are untouched.
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            connection.execute(text("CREATE SCHEMA migration_check"))
        url = url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dmigration_check"
        engine.dispose()
        engine = create_engine(url)
    app = create_app(app_settings(url))
    try:
        with app.app_context():
            upgrade()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == [], f"models and migrations differ; run `flask db migrate`: {differences}"
        tables = set(inspect(engine).get_table_names())
        assert {table.name for table in Base.metadata.sorted_tables} <= tables
    finally:
        with app.app_context():
            from delegations.extensions import db
            db.engine.dispose()
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        engine.dispose()
