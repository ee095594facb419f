"""Default-deny access: every view needs a logged-in user unless marked public, and roles gate edits."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from delegations.constants import Role
from delegations.extensions import db, login_manager
from delegations.models import User


def public(view):
    """Mark a view that anonymous visitors may open (login, feeds, guest links)."""
    view.is_public = True
    return view


def role_required(role: Role):
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.may(role):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_role = role
        return guarded

    return decorate


planner_required = role_required(Role.PLANNER)
admin_required = role_required(Role.ADMIN)


def init_access(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.login_message_category = "info"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to open this page.")

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, nonce = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_nonce != nonce:
            return None
        return user

    @app.before_request
    def require_login():
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "is_public", False):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None
