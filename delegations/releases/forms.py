"""The release form (preview and confirm) and the comparison picker."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp


class ReleaseForm(FlaskForm):
    note = TextAreaField(_l("Note for the people notified"), validators=[Optional(), Length(max=2000)])
    # Not offered for a first version; an id that is no liaison candidate (any more) means "nobody".
    liaison = SelectField(_l("Also send the whole summary to the delegation's liaison"), choices=[], default="",
                          validate_choice=False)
    # What the preview showed: a second submit, or data changed meanwhile, is refused instead of sent twice.
    expected_number = IntegerField(widget=HiddenField.widget, validators=[DataRequired(), NumberRange(min=1)])
    expected_hash = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])


class CompareForm(FlaskForm):
    class Meta:
        csrf = False  # comparing changes nothing and must be bookmarkable

    older = SelectField(_l("From version"), choices=[], validate_choice=True)
    newer = SelectField(_l("To version"), choices=[], validate_choice=True)
