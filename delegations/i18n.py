"""Which language a page speaks: the user's choice, else the browser's, else German."""
from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request
from flask_login import current_user


def select_locale() -> str:
    supported = current_app.config["SUPPORTED_LOCALES"]
    if not has_request_context():  # commands and scheduled jobs: no browser to ask
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str, in_locale: str) -> str:
    """'zh' -> 'Chinesisch' on a German page; an unknown code is shown as it is."""
    try:
        return Locale.parse(in_locale).languages.get(code, code)
    except (ValueError, TypeError):
        return code


def country_name(code: str, in_locale: str) -> str:
    if not code:
        return ""
    try:
        return Locale.parse(in_locale).territories.get(code.upper(), code)
    except (ValueError, TypeError):
        return code


def country_choices(in_locale: str) -> list[tuple[str, str]]:
    """ISO 3166 countries, named in the page's language, sorted by that name."""
    territories = Locale.parse(in_locale).territories
    countries = [(code, name) for code, name in territories.items() if len(code) == 2 and code.isalpha()
                 and code not in {"ZZ", "XA", "XB", "EU", "EZ", "UN", "QO"}]
    return sorted(countries, key=lambda pair: pair[1])
