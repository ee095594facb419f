"""Forms for contact persons and venues."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, NumberRange, Optional

from delegations.forms import MultiCheckboxField, VersionedForm, required, strip_whitespace
from delegations.i18n import language_name
from delegations.constants import COMMON_LANGUAGES
from flask_wtf import FlaskForm


def language_choices(in_locale: str) -> list[tuple[str, str]]:
    return [(code, language_name(code, in_locale)) for code in COMMON_LANGUAGES]


class ContactPersonForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required, Length(max=200)])
    function = StringField(_l("Function"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=50)])
    email = EmailField(_l("E-mail address"), filters=[strip_whitespace], validators=[Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    languages = MultiCheckboxField(_l("Languages spoken"))
    active = BooleanField(_l("Available for new assignments"), default=True)


class VenueForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required, Length(max=200)])
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)])
    room = StringField(_l("Room"), validators=[Length(max=200)])
    notes = TextAreaField(_l("Notes (accessibility, parking, ...)"), validators=[Length(max=5000)])


class TravelTimeForm(FlaskForm):
    other_venue = SelectField(_l("To venue"), coerce=int, validators=[required])
    minutes = IntegerField(_l("Travel time in minutes"), validators=[
        required, NumberRange(min=0, max=24 * 60, message=_l("Please enter between 0 and 1440 minutes."))])
