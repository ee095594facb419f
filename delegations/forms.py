"""Form pieces shared by every blueprint: local date-times, optimistic-lock versions, multi-checkboxes."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from delegations.zones import NonexistentLocalTime, attach_zone


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered as a fieldset by the field macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {value for value, _label in self.choices}
        unknown = [value for value in (self.data or []) if value not in known]
        if unknown:
            raise ValidationError(_l("Unknown choice: %(values)s", values=", ".join(unknown)))


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock date and time in the place's zone; `instant(zone)` gives the UTC instant."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)

    def instant(self, zone_name: str) -> datetime | None:
        if self.data is None:
            return None
        return attach_zone(self.data, zone_name)


def check_local_time_exists(field: LocalDateTimeField, zone_name: str) -> bool:
    """Add an error to the field if its wall-clock time falls into a DST gap of the place."""
    try:
        field.instant(zone_name)
    except NonexistentLocalTime:
        field.errors.append(
            _l("This time does not exist in %(zone)s: the clocks jump forward that night. Choose a time after the change.",
               zone=zone_name))
        return False
    return True


class VersionedForm(FlaskForm):
    """Carries the version of the record the user opened, so a concurrent change is detected."""

    version = HiddenField()

    def opened_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


required = InputRequired(message=_l("Please fill in this field."))


def strip_whitespace(value):
    """Field filter: pasted e-mail addresses and names often carry spaces at either end."""
    return value.strip() if isinstance(value, str) else value
