"""Login, logout, the user's own account and the admin's user list."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from delegations.auth.access import admin_required, public
from delegations.auth.forms import AccountForm, LoginForm, PasswordChangeForm, UserForm
from delegations.auth.operations import create_user, end_sessions, find_user_by_email, normalise_email
from delegations.auth.sessions import end_all_sessions
from delegations.extensions import db
from delegations.hardening import limit_logins
from delegations.models import User, utc_now
from delegations.passwords import password_problem
from delegations.records import save_or_report_conflict

blueprint = Blueprint("auth", __name__)


def is_safe_next(target: str | None) -> bool:
    """Only a relative path on this site: never another host, never a scheme-relative //host."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//") \
        and "\\" not in target


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limit_logins
def login():
    if current_user.is_authenticated:
        return redirect(url_for("visits.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            login_user(user)
            user.last_login_at = utc_now()
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("visits.dashboard"))
        form.form_errors.append(_("E-mail address or password is wrong, or the account is disabled."))
    return render_template("auth/login.html", form=form)


@blueprint.route("/logout", methods=["POST"])
@public
def logout():
    everywhere = request.form.get("everywhere") == "1" and current_user.is_authenticated
    if everywhere:  # "Log out everywhere" on the account page: every device, every session
        end_all_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()  # ends this session on the server too (auth/sessions.py)
    flash(_("You have been logged out on all devices.") if everywhere else _("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account", methods=["GET", "POST"])
def account():
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    if request.method == "POST" and "pw-current_password" in request.form:
        if password_form.validate_on_submit():
            if not current_user.check_password(password_form.current_password.data):
                password_form.current_password.errors.append(_("The current password is wrong."))
            elif problem := password_problem(password_form.new_password.data, current_user.email):
                password_form.new_password.errors.append(_("Password too weak: %(reason)s.", reason=problem))
            else:
                user = current_user._get_current_object()
                user.set_password(password_form.new_password.data)
                end_sessions(user)  # whoever knew the old password is logged out elsewhere
                db.session.commit()
                login_user(user)  # ... but this session goes on with the new nonce
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("auth.account"))
    elif form.validate_on_submit():
        if save_or_report_conflict(current_user._get_current_object(), form, ("name", "locale")):
            flash(_("Your settings have been saved."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, password_form=password_form)


@blueprint.route("/users")
@admin_required
def list_users():
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("auth/users.html", users=users)


@blueprint.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        if find_user_by_email(form.email.data):
            form.email.errors.append(_("A user with this e-mail address exists already."))
        elif not form.password.data:
            form.password.errors.append(_("Please set a first password for the new user."))
        elif problem := password_problem(form.password.data, form.email.data):
            form.password.errors.append(_("Password too weak: %(reason)s.", reason=problem))
        else:
            user = create_user(form.email.data, form.password.data, form.role.data, form.name.data, form.locale.data)
            user.active = form.active.data
            db.session.commit()
            flash(_("User %(email)s has been created.", email=user.email), "success")
            return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=None)


@blueprint.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        other = find_user_by_email(form.email.data)
        if other is not None and other.id != user.id:
            form.email.errors.append(_("A user with this e-mail address exists already."))
        elif form.password.data and (problem := password_problem(form.password.data, form.email.data)):
            form.password.errors.append(_("Password too weak: %(reason)s.", reason=problem))
        elif user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(_("You cannot take away your own administrator rights or disable yourself."))
        else:
            was_active = user.active
            form.email.data = normalise_email(form.email.data)
            if save_or_report_conflict(user, form, ("email", "name", "role", "locale", "active")):
                if form.password.data or (was_active and not user.active):
                    if form.password.data:
                        user.set_password(form.password.data)
                    end_sessions(user)
                    db.session.commit()
                flash(_("User %(email)s has been saved.", email=user.email), "success")
                return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=user)
