"""Sessions as a careful bank keeps them, tried the way an attacker would: planted, replayed, tampered, kept alive.

(tests/test_hardening.py covers the everyday behaviour: messages, returning to the page, keep-alive.)
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from delegations import create_app
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import UserSession
from tests.accounts import make_account
from tests.conftest import log_in

COOKIE = "session"


def cookie_of(client) -> str:
    found = client.get_cookie(COOKIE)
    return found.value if found else ""


def replay(app, value: str):
    thief = app.test_client()
    thief.set_cookie(COOKIE, value)
    return thief.get("/")


def logged_in(response) -> bool:
    return response.status_code == 200


@pytest.fixture
def user(app):
    return make_account(Role.PLANNER)


def test_a_session_planted_before_login_is_not_the_one_after_it(app, client, user):
    """Session fixation: the attacker gives the victim a session, waits for the login, then uses it."""
    client.get("/login")
    with client.session_transaction() as session:
        session["_sid"] = "chosen-by-the-attacker"
        session["_started"] = session["_seen"] = 2_000_000_000
    planted = cookie_of(client)
    assert log_in(client, user.email).status_code == 302
    after = cookie_of(client)
    assert after != planted
    with client.session_transaction() as session:
        assert session["_sid"] != "chosen-by-the-attacker"
        assert session["_started"] < 2_000_000_000
    assert not logged_in(replay(app, planted))
    assert logged_in(replay(app, after))


def test_the_server_keeps_only_a_hash_of_the_session_token(app, client, user):
    log_in(client, user.email)
    with client.session_transaction() as session:
        token = session["_sid"]
    rows = db.session.scalars(select(UserSession)).all()
    assert len(rows) == 1 and rows[0].ended_at is None
    assert token not in rows[0].id and len(rows[0].id) == 64


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, client, user):
    log_in(client, user.email)
    stolen = cookie_of(client)
    assert logged_in(replay(app, stolen))
    client.post("/logout")
    response = replay(app, stolen)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_tampered_cookie_is_not_accepted(app, client, user):
    """The timestamps that enforce the limits live in a signed cookie: moving them invalidates it."""
    log_in(client, user.email)
    value = cookie_of(client)
    payload, _dot, signature = value.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    assert not logged_in(replay(app, forged))


@pytest.mark.parametrize("setting, seconds", [("SESSION_IDLE_MINUTES", 60), ("SESSION_ABSOLUTE_HOURS", 3600)])
def test_both_limits_are_settings_and_end_a_stolen_session(app, client, user, setting, seconds):
    app.config[setting] = 1
    log_in(client, user.email)
    with client.session_transaction() as session:
        key = "_seen" if setting == "SESSION_IDLE_MINUTES" else "_started"
        session[key] -= seconds + 1
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    # and the login ended for good: the same cookie does not work again
    assert not logged_in(client.get("/"))


def test_https_cookies_are_host_prefixed_secure_and_httponly(database_url, _schema_app):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32, "SECURE_COOKIES": True,
                      "WTF_CSRF_ENABLED": False})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_DOMAIN"] is None and app.config["SESSION_COOKIE_PATH"] == "/"
    assert app.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    plain = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32, "SECURE_COOKIES": False})
    assert plain.config["SESSION_COOKIE_NAME"] == "session"  # over plain HTTP a __Host- cookie would be dropped
