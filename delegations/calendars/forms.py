"""Forms for principals, their office hours, manual busy blocks, calendar uploads and subscriptions."""
from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, EmailField, FieldList, Form, FormField, IntegerField, SelectField, StringField,
                     TimeField)
from wtforms.validators import Email, Length, NumberRange, Optional

from delegations.calendars.hours import WEEKDAYS_ALL
from delegations.constants import PrincipalKind
from delegations.forms import LocalDateTimeField, VersionedForm, required



def weekday_choices() -> list[tuple[str, str]]:
    return [
        ("", _l("– no day –")),
        (WEEKDAYS_ALL, _l("Monday to Friday")),
        ("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")), ("3", _l("Thursday")),
        ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday")),
    ]


class OfficeHoursRowForm(Form):
    """One row: a weekday (or Monday to Friday) and the span in which the principal can be booked."""

    weekday = SelectField(_l("Day"), choices=weekday_choices, validators=[Optional()])
    start = TimeField(_l("From"), validators=[Optional()])
    end = TimeField(_l("To"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.weekday.data:
            if self.start.data or self.end.data:
                self.weekday.errors.append(_l("Choose the day these hours are for, or clear the times."))
                return False
            return True
        if self.start.data is None:
            self.start.errors.append(_l("Enter the time the office hours begin."))
        if self.end.data is None:
            self.end.errors.append(_l("Enter the time the office hours end."))
        if self.start.data is not None and self.end.data is not None and self.end.data <= self.start.data:
            self.end.errors.append(_l("The end must be after the start."))
        return not (self.start.errors or self.end.errors)

    def rows(self) -> list[tuple[int, time, time]]:
        if not self.weekday.data:
            return []
        days = range(5) if self.weekday.data == WEEKDAYS_ALL else [int(self.weekday.data)]
        return [(day, self.start.data, self.end.data) for day in days]


class PrincipalForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required, Length(max=200)])
    title = StringField(_l("Title"), validators=[Length(max=200)])
    kind = SelectField(_l("Office"), choices=PrincipalKind.choices)
    rank = IntegerField(_l("Rank"), default=1, validators=[
        required, NumberRange(min=1, max=20, message=_l("Please enter a number between 1 and 20."))])
    office_email = EmailField(_l("E-mail address of the office"), validators=[
        Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    active = BooleanField(_l("In office (offered in programmes)"), default=True)
    show_subjects = BooleanField(_l("Keep the subjects of imported appointments"))
    office_hours = FieldList(FormField(OfficeHoursRowForm), label=_l("Office hours"), min_entries=3)

    def office_hour_rows(self) -> list[tuple[int, time, time]]:
        return [row for entry in self.office_hours for row in entry.form.rows()]


class ManualBusyForm(FlaskForm):
    starts_at = LocalDateTimeField(_l("Busy from"), validators=[required])
    ends_at = LocalDateTimeField(_l("Busy until"), validators=[required])
    label = StringField(_l("What it is"), validators=[Length(max=500)])


class CalendarUploadForm(FlaskForm):
    calendar_file = FileField(_l("Calendar file (.ics)"), validators=[FileRequired(message=_l("Please choose a file."))],
                              render_kw={"accept": ".ics,.ical,.ifb,.icalendar,text/calendar"})


class SubscriptionForm(FlaskForm):
    url = StringField(_l("Calendar address (ICS URL)"), validators=[Length(max=2000)],
                      render_kw={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"})


class WeekForm(FlaskForm):
    class Meta:
        csrf = False  # choosing a week changes nothing and must be bookmarkable

    day = DateField(_l("Show the week of"), validators=[Optional()])
