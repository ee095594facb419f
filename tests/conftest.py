"""Fixtures: an app on a real database (SQLite file by default, PostgreSQL with TEST_DATABASE_URL),
a clean schema for every test, clients logged in by role, and small factories for data."""
from __future__ import annotations

import os
import re
import tempfile

import pytest
from sqlalchemy import text

from delegations import create_app
from delegations.config import normalise_database_url
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import Base

PASSWORD = "correct-horse-battery"


def _database_url(tmp_dir: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + os.path.join(tmp_dir, "test.db")


_PDF_CACHE = tempfile.mkdtemp(prefix="delegations-test-pdf-cache-")


def app_settings(database_url: str, **overrides) -> dict:
    """The configuration of every test app: the test database, CSRF off unless asked, PDFs cached in a temp dir."""
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret", "PDF_CACHE_DIR": _PDF_CACHE, **overrides}


@pytest.fixture(scope="session")
def database_url():
    with tempfile.TemporaryDirectory() as tmp_dir:
        yield _database_url(tmp_dir)


@pytest.fixture(scope="session")
def _schema_app(database_url):
    """One app per session creates the schema once; tests empty the tables instead of rebuilding them."""
    app = create_app(app_settings(database_url))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _fresh_globals_per_request(app) -> None:
    """Start every request with an empty `g`, as in production.

    The fixtures keep an app context pushed for the whole test, and Flask then reuses it (and its `g`)
    for each request of the test client: Flask-Login's user and Flask-Babel's locale would leak from
    one request (and one client) into the next.
    """
    from flask import g, request_started

    def clear_globals(sender, **_extra):
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(clear_globals, app, weak=False)


def _empty_tables(app) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(table.delete())
                if connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'").first():
                    connection.exec_driver_sql("DELETE FROM sqlite_sequence")


@pytest.fixture
def app(_schema_app, database_url):
    app = create_app(app_settings(database_url))
    _fresh_globals_per_request(app)
    _empty_tables(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user_with_role(role: Role | str, email: str | None = None):
    from delegations.auth.operations import create_user

    role = Role(role)
    user = create_user(email or f"{role.value}@example.org", PASSWORD, role, name=f"Test {role.value}")
    db.session.commit()
    return user


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login(client):
    """login("planner") creates a user of that role and logs the test client in as them."""

    def do_login(role: Role | str = Role.PLANNER):
        user = make_user_with_role(role)
        response = log_in(client, user.email)
        assert response.status_code == 302, "login failed"
        return user

    return do_login


@pytest.fixture
def csrf_app(_schema_app, database_url):
    """An app with CSRF protection on, as in production."""
    app = create_app(app_settings(database_url, WTF_CSRF_ENABLED=True))
    _fresh_globals_per_request(app)
    _empty_tables(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def english(request, app):
    """Run a test in English: for modules that check English wording (German is the app's default)."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    if "client" in request.fixturenames:
        request.getfixturevalue("client").environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield
    app.config["BABEL_DEFAULT_LOCALE"] = "de"
