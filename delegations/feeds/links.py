"""The addresses of a feed (https:// to copy, webcal:// to subscribe with one tap), its QR code, and
keeping its token out of log files."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import segno

FEED_PATH = "/feeds/{token}.ics"


@dataclass(frozen=True)
class FeedLinks:
    https: str
    webcal: str

    def qr_data_uri(self) -> str:
        """An SVG QR code of the webcal:// address as a data: URI (the CSP allows img-src data:).

        Phone cameras open webcal:// in the calendar app, which subscribes instead of importing once.
        """
        return segno.make(self.webcal, error="m").svg_data_uri(scale=5, border=4)


def feed_links(base_url: str, token: str) -> FeedLinks:
    """`base_url` is the app's public root, such as https://planner.example.org (or with a path prefix)."""
    https = base_url.rstrip("/") + FEED_PATH.format(token=token)
    scheme, _sep, rest = https.partition("://")
    return FeedLinks(https=https, webcal=f"webcal://{rest}" if rest else https)


FEED_ROUTE = "/feeds/<token>.ics"
_TOKEN_IN_PATH = re.compile(r"(/feeds/)[A-Za-z0-9_-]{16,}(\.ics)")


def redact_feed_tokens(text: str) -> str:
    """'/feeds/<secret>.ics' -> '/feeds/[token].ics' (for log lines)."""
    return _TOKEN_IN_PATH.sub(r"\1[token]\2", text)


class FeedTokenLogFilter(logging.Filter):
    """Keeps feed tokens out of the access logs of the development server and gunicorn."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/feeds/" in message:
            redacted = redact_feed_tokens(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install_log_filter() -> None:
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, FeedTokenLogFilter) for existing in logger.filters):
            logger.addFilter(FeedTokenLogFilter())
