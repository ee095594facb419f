"""Login sessions with limits: renewed at login, known to the server, ended by logout, by inactivity
(SESSION_IDLE_MINUTES) and after SESSION_ABSOLUTE_HOURS.

Decision (see docs/deployment.md): the cookie carries a random session token whose SHA-256 is kept in the
`user_session` table. Logging out ends that row only, so the user's other devices stay logged in; "Log out
everywhere" ends every row and rotates the user's session nonce (as disabling a user or changing the
password does), which also invalidates cookies made before this table existed.
"""
from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, flash, has_request_context, jsonify, redirect, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from sqlalchemy import update

from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import UserSession, utc_now
from delegations.tokens import token_digest

TOKEN_KEY = "_sid"
STARTED_KEY = "_started"
SEEN_KEY = "_seen"
# Writing the cookie on every request would be wasted; activity is noted once a minute at most.
SEEN_GRANULARITY_SECONDS = 60

blueprint = Blueprint("sessions", __name__)


def _now() -> int:
    return int(time.time())


def _keep_writing() -> None:
    """The request goes on writing after our commit (the login view saves last_login_at): on SQLite take the
    write lock again first, as database.py does at the start of every POST."""
    if has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"):
        begin_writing()


def _end_row(token: str | None) -> None:
    if token:
        db.session.execute(update(UserSession).where(UserSession.id == token_digest(token), UserSession.ended_at.is_(None))
                           .values(ended_at=utc_now()))


def renew_session_at_login(_app, user, **_extra) -> None:
    """Flask-Login has just put the user into the session: start a fresh one around it.

    Nothing the anonymous visitor's session held survives (session fixation, an old CSRF token), and the
    server records the new session so that logout can end it for good.
    """
    kept = {key: session[key] for key in ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds")
            if key in session}
    _end_row(session.get(TOKEN_KEY))
    session.clear()
    session.update(kept)
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=token_digest(token), user_id=user.id,
                               user_agent=(request.user_agent.string or "")[:200] if has_request_context() else ""))
    db.session.commit()
    _keep_writing()
    now = _now()
    session[TOKEN_KEY], session[STARTED_KEY], session[SEEN_KEY] = token, now, now


def end_session_at_logout(_app, user, **_extra) -> None:
    token = session.pop(TOKEN_KEY, None)
    if token and has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"):
        # A session that ran out ends during a GET whose transaction has only read so far: on SQLite take the
        # write lock before the UPDATE (a deferred read that upgrades can fail with "database is locked").
        db.session.rollback()
        begin_writing()
    _end_row(token)
    db.session.commit()
    _keep_writing()
    session.pop(STARTED_KEY, None)
    session.pop(SEEN_KEY, None)


def end_all_sessions(user) -> None:
    """Log the user out on every device (flushes; the caller commits)."""
    from delegations.auth.operations import end_sessions

    db.session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=utc_now()))
    end_sessions(user)
    db.session.flush()


def session_problem(config, now: int) -> str | None:
    """Why the current session may not go on ('idle', 'absolute', 'ended'), or None."""
    token = session.get(TOKEN_KEY)
    if not token:
        return "ended"
    seen, started = session.get(SEEN_KEY, 0), session.get(STARTED_KEY, 0)
    if now - seen > config["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    if now - started > config["SESSION_ABSOLUTE_HOURS"] * 3600:
        return "absolute"
    row = db.session.get(UserSession, token_digest(token))
    if row is None or row.ended_at is not None or row.user_id != current_user.id:
        return "ended"
    return None


def _return_target() -> str:
    """Where to go after logging in again: this page, or for a form sent after the session ended, the form's page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/") and not referrer.path.startswith("//"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("visits.dashboard")


def enforce_session_limits():
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    config = current_app.config
    now = _now()
    problem = session_problem(config, now)
    if problem is None:
        if now - session.get(SEEN_KEY, 0) >= SEEN_GRANULARITY_SECONDS:
            session[SEEN_KEY] = now
        return None
    target = _return_target()
    logout_user()
    session.clear()
    messages = {
        "idle": _("You were logged out after %(minutes)s minutes without activity, to protect the data. "
                  "Please log in again: you will be taken back to the page you were on. "
                  "Input that had not been saved could not be kept.", minutes=config["SESSION_IDLE_MINUTES"]),
        "absolute": _("For security, a login lasts at most %(hours)s hours. Please log in again: you will be "
                      "taken back to the page you were on. Input that had not been saved could not be kept.",
                      hours=config["SESSION_ABSOLUTE_HOURS"]),
        "ended": _("Your session has ended (you logged out, or were logged out elsewhere). Please log in again."),
    }
    flash(messages[problem], "warning")
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False):
        return None
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=target)
        return response
    return redirect(url_for("auth.login", next=target))


def session_timing() -> dict:
    """For the page's idle warning (static/js/session.js): seconds left, and the keep-alive address."""
    if not current_user.is_authenticated or TOKEN_KEY not in session:
        return {}
    config = current_app.config
    now = _now()
    idle_left = config["SESSION_IDLE_MINUTES"] * 60 - (now - session.get(SEEN_KEY, now))
    absolute_left = config["SESSION_ABSOLUTE_HOURS"] * 3600 - (now - session.get(STARTED_KEY, now))
    return {"idle_left": max(idle_left, 0), "absolute_left": max(absolute_left, 0),
            "keep_alive_url": url_for("sessions.keep_alive")}


@blueprint.route("/session/keep-alive", methods=["POST"])
def keep_alive():
    """The user is still there (they answered the warning, or are typing into a form)."""
    session[SEEN_KEY] = _now()
    return jsonify(session_timing())


def init_sessions(app: Flask) -> None:
    app.before_request(enforce_session_limits)
    app.context_processor(lambda: {"session_timing": session_timing})


user_logged_in.connect(renew_session_at_login, weak=False)
user_logged_out.connect(end_session_at_logout, weak=False)
