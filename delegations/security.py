"""Response headers every page carries: no inline scripts, no framing, no leaking referrers."""
from __future__ import annotations

import logging
import re

from flask import Flask, abort, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


# Secrets that travel in URL paths: calendar feeds (/feeds/<token>.ics), guest links (/p/<token>...)
# and acknowledgement links of e-mailed notices (/ack/<token>).
_TOKEN_PATHS = re.compile(r"(/feeds/|/p/|/ack/)[A-Za-z0-9_-]{16,}")


def redact_tokens(text: str) -> str:
    """'/feeds/<secret>.ics' -> '/feeds/[token].ics', '/p/<secret>/programme.pdf' -> '/p/[token]/programme.pdf'."""
    return _TOKEN_PATHS.sub(r"\1[token]", text)


class TokenRedactingFilter(logging.Filter):
    """Keeps feed and guest-link tokens out of every log line that passes (access logs, "Exception on ..."),
    whatever logs it: the development server, gunicorn or Flask's own error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to judge
            return True
        if "/feeds/" in message or "/p/" in message or "/ack/" in message:
            redacted = redact_tokens(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


LOGGERS_WITH_URLS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install_token_redaction(app: Flask) -> None:
    """On the loggers that write request paths, and on the handlers that write the app's log records
    (a logger's filter does not see records its children hand up; a handler's filter does)."""
    loggers = [app.logger, *(logging.getLogger(name) for name in LOGGERS_WITH_URLS), logging.getLogger()]
    for logger in loggers:
        for target in (logger, *logger.handlers):
            if not any(isinstance(existing, TokenRedactingFilter) for existing in target.filters):
                target.addFilter(TokenRedactingFilter())


# The addresses that carry a secret token; failed lookups there count against the caller's address.
TOKEN_ENDPOINTS = frozenset({"feeds.feed", "printing.guest_programme", "printing.guest_programme_pdf",
                             "mail.acknowledge"})
TOKEN_FAILURE_SCOPE = "token-failures"


def limit_token_guessing(app: Flask) -> None:
    """An address that asks for unknown or revoked tokens TOKEN_FAILURE_RATE_LIMIT times gets 429 on every
    tokened address until the window passes. Working links never use up the allowance (only 404s count)."""
    from flask_limiter.util import get_remote_address
    from limits import parse

    from delegations.extensions import limiter

    app.config.setdefault("TOKEN_FAILURE_RATE_LIMIT", "30 per minute")

    def allowance():
        enabled = app.config.get("RATELIMIT_ENABLED", True) and app.config.get("TOKEN_FAILURE_RATE_LIMIT")
        return parse(app.config["TOKEN_FAILURE_RATE_LIMIT"]) if enabled else None

    @app.before_request
    def refuse_token_guessers():
        if request.endpoint in TOKEN_ENDPOINTS and (item := allowance()) is not None:
            if not limiter.limiter.test(item, TOKEN_FAILURE_SCOPE, get_remote_address()):
                abort(429)

    @app.after_request
    def count_failed_lookups(response):
        if request.endpoint in TOKEN_ENDPOINTS and response.status_code == 404 and (item := allowance()) is not None:
            limiter.limiter.hit(item, TOKEN_FAILURE_SCOPE, get_remote_address())
        return response


def init_security_headers(app: Flask) -> None:
    install_token_redaction(app)
    limit_token_guessing(app)

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
