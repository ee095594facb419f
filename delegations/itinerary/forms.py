"""Forms for finding a slot, requesting items for the arrangement and acknowledging a conflict."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, NumberRange, Optional

from delegations.constants import ItemKind
from delegations.forms import MultiCheckboxField, VersionedForm, required
from delegations.visits.forms import optional_id

PRIORITY_CHOICES = [("3", _l("High")), ("2", _l("Normal")), ("1", _l("Low"))]
ORDER_CHOICES = [("", _l("No order")), ("before", _l("Before")), ("after", _l("After"))]
DURATION_RANGE = NumberRange(min=5, max=720, message=_l("Please enter between 5 and 720 minutes."))


def check_time_window(form) -> bool:
    """The latest time of day must come after the earliest (added to the form as an error)."""
    if form.earliest.data and form.latest.data and form.latest.data <= form.earliest.data:
        form.latest.errors.append(_l("The latest time must be after the earliest time."))
        return False
    return True


class SlotForm(FlaskForm):
    """What to find a slot for (read from the query string: a search changes nothing)."""

    class Meta:
        csrf = False

    item_id = SelectField(_l("Programme item"), coerce=optional_id, validators=[Optional()])
    title = StringField(_l("Title of the new item"), validators=[Optional(), Length(max=300)])
    duration = IntegerField(_l("Duration in minutes"), default=60, validators=[Optional(), DURATION_RANGE])
    principal_id = SelectField(_l("Principal taking part"), coerce=optional_id, validators=[Optional()])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, validators=[Optional()])
    responsible_id = SelectField(_l("Responsible contact person"), coerce=optional_id, validators=[Optional()])
    days = MultiCheckboxField(_l("Allowed days"))
    earliest = TimeField(_l("Earliest start"), validators=[Optional()])
    latest = TimeField(_l("Latest end"), validators=[Optional()])


class ArrangementRequestForm(VersionedForm):
    title = StringField(_l("Title"), validators=[required, Length(max=300)])
    kind = SelectField(_l("Kind"), choices=ItemKind.choices)
    duration_minutes = IntegerField(_l("Duration in minutes"), default=60, validators=[required, DURATION_RANGE])
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES, default="2")
    principal_id = SelectField(_l("Principal taking part"), coerce=optional_id, validators=[Optional()])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, validators=[Optional()])
    responsible_id = SelectField(_l("Responsible contact person"), coerce=optional_id, validators=[Optional()])
    earliest = TimeField(_l("Earliest start"), validators=[Optional()])
    latest = TimeField(_l("Latest end"), validators=[Optional()])
    days = MultiCheckboxField(_l("Allowed days"))
    order_relation = SelectField(_l("Order"), choices=ORDER_CHOICES, validators=[Optional()])
    relative = SelectField(_l("Relative to"), validators=[Optional()])

    def validate_order(self) -> bool:
        if self.order_relation.data and not self.relative.data:
            self.relative.errors.append(_l("Choose the item it must come before or after."))
            return False
        return True


class AcknowledgeForm(FlaskForm):
    key = HiddenField(validators=[required])
    fingerprint = HiddenField(validators=[required])
    reason = TextAreaField(_l("Why this is acceptable"), validators=[required, Length(max=1000)])
