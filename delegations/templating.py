"""Filters and globals that templates use to show times, languages and countries."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask import Flask
from flask_babel import get_locale
from flask_babel.speaklater import LazyString

from delegations.constants import MemberRole
from delegations.i18n import country_name, language_name


def current_locale_code() -> str:
    return str(get_locale() or "de")


_locale = current_locale_code


def _in_zone(value: datetime, zone: str | ZoneInfo) -> datetime:
    return value.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))


def local_datetime(value: datetime | None, zone: str, fmt: str = "medium") -> str:
    if value is None:
        return ""
    local = _in_zone(value, zone)
    return format_datetime(local, format=fmt, tzinfo=local.tzinfo, locale=_locale())


def local_time(value: datetime | None, zone: str) -> str:
    if value is None:
        return ""
    local = _in_zone(value, zone)
    return format_time(local, format="HH:mm", tzinfo=local.tzinfo, locale=_locale())


def local_date(value: datetime | date | None, zone: str | None = None, fmt: str = "full") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _in_zone(value, zone or "UTC").date()
    return format_date(value, format=fmt, locale=_locale())


def zone_abbreviation(value: datetime, zone: str) -> str:
    """'CET' or 'CEST' for Berlin, 'JST' for Tokyo: the offset in force at that instant."""
    return _in_zone(value, zone).strftime("%Z")


def display_value(value) -> str:
    """A stored value as a person reads it (used where old and new values are compared)."""
    from flask_babel import gettext as _

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, datetime):
        return local_datetime(value, "Europe/Berlin" if value.tzinfo else "UTC", "short")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(part) for part in value)
    return str(value)


def _plain_lazy_strings(value):
    """Jinja finalizer: a lazy translated string is text, not HTML.

    Flask-Babel's LazyString declares itself HTML-safe (`__html__`), so a message such as
    _l("“%(item)s” overlaps …", item=title) would reach the page unescaped. As plain str it is escaped.
    """
    return str(value) if isinstance(value, LazyString) else value


def init_templating(app: Flask) -> None:
    app.jinja_env.finalize = _plain_lazy_strings
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        local_time=local_time,
        local_date=local_date,
        zone_abbreviation=zone_abbreviation,
        display_value=display_value,
        language_name=lambda code: language_name(code, _locale()),
        country_name=lambda code: country_name(code, _locale()),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_globals():
        return {"current_locale": _locale(), "home_city": app.config["HOME_CITY"],
                "member_role_label": lambda value: MemberRole(value).label}
