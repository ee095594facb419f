"""Configuration defaults; instance/config.py and environment variables override them."""
from __future__ import annotations

import os
from datetime import timedelta


class DefaultConfig:
    # A development key only: create_app refuses to start with it in production.
    SECRET_KEY = "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI: str | None = None  # set in create_app (instance folder)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_TIME_LIMIT = None  # a planner may keep a form open all morning
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    SUPPORTED_LOCALES = ("de", "en")
    HOME_TIMEZONE = "Europe/Berlin"
    HOME_CITY = "Hannover"
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads: participant lists, calendars
    IMPORT_MAX_ROWS = 2000
    PAGE_SIZE = 20
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)


# Environment variables read at start (prefix-free names, as operators expect them).
ENVIRONMENT_KEYS = ("SECRET_KEY", "DATABASE_URL", "HOME_TIMEZONE", "HOME_CITY")


def settings_from_environment() -> dict:
    found = {key: os.environ[key] for key in ENVIRONMENT_KEYS if os.environ.get(key)}
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(found.pop("DATABASE_URL"))
    return found


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// URLs hosting tools print and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
