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
    # Hardening and operations (issue 6); see docs/deployment.md.
    RETENTION_DAYS = 365  # members' personal details are anonymised this long after the visit ends
    SESSION_IDLE_MINUTES = 120  # a session without a request for this long ends (the page warns first)
    SESSION_ABSOLUTE_HOURS = 10  # and every session ends this long after the login
    SECURE_COOKIES: bool | None = None  # None: Secure cookies (and the __Host- prefix) in production
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-* headers count
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"  # per process; use redis://... when several workers must share counts
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"  # failed logins per IP address and e-mail address
    LOGIN_RATE_LIMIT_PER_ADDRESS = "50 per minute"  # failed logins per IP address, whatever the e-mail
    PG_BIN: str | None = None  # folder of pg_dump/pg_restore when not on PATH
    # Principals' calendars (delegations/calendars): the import window around today, limits, subscriptions.
    CALENDAR_WINDOW_DAYS_BEFORE = 90
    CALENDAR_WINDOW_DAYS_AFTER = 400
    CALENDAR_MAX_BYTES = 5 * 1024 * 1024
    CALENDAR_MAX_EVENTS = 20_000
    CALENDAR_MAX_DEPTH = 5
    CALENDAR_MAX_OCCURRENCES = 100_000
    CALENDAR_FETCH_TIMEOUT = 20  # seconds
    # Subscriptions to servers inside the private network are refused (server-side request forgery);
    # set True only where the Mayor's office publishes its calendar on an intranet server.
    CALENDAR_ALLOW_PRIVATE_ADDRESSES = False
    # Printed documents (delegations/printing): the address printed in QR codes, the unit's phone, limits.
    # The app's public address, printed in QR codes, feed links and e-mails; else the request's host.
    PUBLIC_BASE_URL: str | None = None  # e.g. "https://delegationen.example.org"
    UNIT_PHONE = ""  # the International Unit's office, printed under "Practical information"
    UNIT_EMAIL = ""  # the International Unit's shared mailbox: `flask partners remind` writes to it
    PARTNER_DOCUMENT_MAX_BYTES = 4 * 1024 * 1024  # agreement files (below MAX_CONTENT_LENGTH)
    HOME_COUNTRY = "DE"  # which emergency numbers an incoming delegation's programme prints
    PDF_RENDER_TIMEOUT = 20  # seconds; a render that takes longer is stopped
    PDF_RENDER_ISOLATED = True  # render in a worker process (the time limit needs it)
    PDF_CACHE_DIR: str | None = None  # default: <instance>/pdf-cache
    PDF_CACHE_MAX_FILES = 500
    # The accessibility statement's feedback contact (NBGG § 9b; delegations/pages, docs/accessibility.md).
    ACCESSIBILITY_CONTACT_EMAIL = "barrierefreiheit@hannover-stadt.de"
    ACCESSIBILITY_CONTACT_PHONE = "+49 511 168-0"


# Environment variables read at start (prefix-free names, as operators expect them).
ENVIRONMENT_KEYS = ("SECRET_KEY", "DATABASE_URL", "HOME_TIMEZONE", "HOME_CITY")
# Typed settings an operator may give as environment variables too (issue 6).
TYPED_ENVIRONMENT_KEYS = {
    "RETENTION_DAYS": int, "SESSION_IDLE_MINUTES": int, "SESSION_ABSOLUTE_HOURS": int, "TRUSTED_PROXIES": int,
    "RATELIMIT_STORAGE_URI": str, "LOGIN_RATE_LIMIT": str, "PG_BIN": str, "PUBLIC_BASE_URL": str,
    "ACCESSIBILITY_CONTACT_EMAIL": str, "ACCESSIBILITY_CONTACT_PHONE": str,  # issue 11
    "SECURE_COOKIES": lambda value: value.strip().lower() in ("1", "true", "yes", "on"),
    # Mail (issue 9, delegations/mail/settings.py): the outbox's SMTP server and sender.
    "MAIL_SMTP_HOST": str, "MAIL_SMTP_PORT": int, "MAIL_SMTP_SECURITY": str, "MAIL_SMTP_USER": str,
    "MAIL_SMTP_PASSWORD": str, "MAIL_SMTP_TIMEOUT": float, "MAIL_SMTP_CA_FILE": str, "MAIL_FROM": str,
    "MAIL_REPLY_TO": str,
    "UNIT_EMAIL": str,  # partner anniversaries are reminded to this address (delegations/partners)
}


def public_base_url(config) -> str | None:
    """The app's public root without a trailing slash, or None when only the request can tell.

    FEED_BASE_URL is the older name of the same setting, still read so existing configurations keep working.
    """
    configured = config.get("PUBLIC_BASE_URL") or config.get("FEED_BASE_URL") or ""
    return configured.rstrip("/") or None


def settings_from_environment() -> dict:
    found = {key: os.environ[key] for key in ENVIRONMENT_KEYS if os.environ.get(key)}
    found.update({key: convert(os.environ[key]) for key, convert in TYPED_ENVIRONMENT_KEYS.items()
                  if os.environ.get(key)})
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(found.pop("DATABASE_URL"))
    return found


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// URLs hosting tools print and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
