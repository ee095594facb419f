"""The week picker: any ISO week (2027-W19) or any date within the week."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class WeekForm(FlaskForm):
    class Meta:
        csrf = False  # choosing a week changes nothing and must be bookmarkable

    week = StringField(_l("Week"), validators=[Optional(), Length(max=20)])
