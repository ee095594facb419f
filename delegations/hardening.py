"""Production hardening in one place: cookie policy, proxy headers, login rate limits, session limits.

Called by create_app after the extensions are bound; nothing here changes how a view is written, except the
`limit_logins` decorator on the login view.
"""
from __future__ import annotations

import os

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from delegations.extensions import limiter

HSTS = "max-age=31536000; includeSubDomains"


def is_production(app: Flask) -> bool:
    return os.environ.get("DELEGATIONS_ENV", app.config.get("ENV_NAME", "development")) == "production"


def uses_secure_cookies(app: Flask) -> bool:
    setting = app.config.get("SECURE_COOKIES")
    if setting is not None:
        return bool(setting)
    return is_production(app) or app.config.get("PREFERRED_URL_SCHEME") == "https"


def apply_cookie_policy(app: Flask) -> None:
    """HttpOnly and SameSite=Lax always; over HTTPS also Secure and the __Host- prefix (no Domain, Path=/),
    so that neither a sibling subdomain nor plain HTTP can set or read the session cookie."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax")
    if uses_secure_cookies(app):
        app.config.update(
            SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session", SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None, REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_NAME="__Host-remember",
            REMEMBER_COOKIE_PATH="/", REMEMBER_COOKIE_DOMAIN=None, PREFERRED_URL_SCHEME="https")


def _login_account_key() -> str:
    from flask_limiter.util import get_remote_address

    return f"{get_remote_address()}|{(request.form.get('email') or '').strip().lower()}"


def _login_failed(response) -> bool:
    # A successful login redirects; only failures (the form shown again) use up the allowance.
    return response.status_code != 302


def limit_logins(view):
    """Failed logins per IP address and e-mail address (LOGIN_RATE_LIMIT) and per address (…_PER_ADDRESS)."""
    view = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"], methods=["POST"],
                         deduct_when=_login_failed, scope="login-address")(view)
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_login_account_key,
                         methods=["POST"], deduct_when=_login_failed, scope="login-account")(view)


def init_hardening(app: Flask) -> None:
    from delegations.auth.sessions import init_sessions

    apply_cookie_policy(app)
    if app.config.get("TRUSTED_PROXIES"):
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    limiter.init_app(app)
    init_sessions(app)

    @app.errorhandler(RateLimitExceeded)
    def too_many_attempts(error):
        message = _("Too many failed attempts to log in from here. To protect the accounts, logging in is paused "
                    "for a moment: please wait a minute, then try again. If you forgot your password, ask an "
                    "administrator to set a new one.")
        response = current_app.make_response((render_template(
            "errors/error.html", code=429, title=_("Please wait a moment"), message=message), 429))
        response.headers["Retry-After"] = "60"
        return response

    if uses_secure_cookies(app):
        @app.after_request
        def strict_transport(response):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
            return response
