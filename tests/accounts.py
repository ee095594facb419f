"""Signing test clients in by role, with English pages so that assertions read the English messages."""
from __future__ import annotations

from delegations.auth.operations import create_user
from delegations.constants import Role
from delegations.extensions import db
from tests.conftest import PASSWORD, log_in


def make_account(role: Role | str, email: str | None = None, locale: str = "en"):
    role = Role(role)
    user = create_user(email or f"{role.value}@example.org", PASSWORD, role, name=f"Test {role.value}",
                       locale=locale)
    db.session.commit()
    return user


def english(client):
    """Let `client` ask for English pages while nobody is logged in (the login page, its messages)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_in(client, role: Role | str = Role.PLANNER, email: str | None = None, locale: str = "en"):
    """Create an account of `role` and log `client` in with it; returns the user."""
    english(client)
    user = make_account(role, email, locale)
    response = log_in(client, user.email)
    assert response.status_code == 302, "login failed"
    return user
