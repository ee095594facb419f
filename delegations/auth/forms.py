"""Forms for logging in and managing accounts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, Length, Optional

from delegations.constants import Role
from delegations.forms import VersionedForm, required, strip_whitespace
from delegations.passwords import MIN_PASSWORD_LENGTH

LOCALE_CHOICES = [("de", "Deutsch"), ("en", "English")]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), filters=[strip_whitespace],
                       validators=[required, Email(message=_l("Please enter a valid e-mail address."))])
    password = PasswordField(_l("Password"), validators=[required])


class AccountForm(VersionedForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    locale = SelectField(_l("Language of the interface"), choices=LOCALE_CHOICES)


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[required])
    new_password = PasswordField(_l("New password"), validators=[required, Length(min=MIN_PASSWORD_LENGTH, message=_l(
        "Please use at least %(length)s characters.", length=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        required, EqualTo("new_password", message=_l("The two passwords are not the same."))])


class UserForm(VersionedForm):
    email = EmailField(_l("E-mail address"), filters=[strip_whitespace], validators=[
        required, Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=Role.choices)
    locale = SelectField(_l("Language of the interface"), choices=LOCALE_CHOICES)
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, message=_l(
        "Please use at least %(length)s characters.", length=MIN_PASSWORD_LENGTH))])
