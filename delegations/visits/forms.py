"""Forms for delegations, members, programme items and the participant-list upload."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, EmailField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import Email, Length, NumberRange, Optional

from delegations.constants import (DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole,
                                   ProtocolLevel)
from delegations.forms import LocalDateTimeField, MultiCheckboxField, VersionedForm, required, strip_whitespace


def optional_id(value):
    """Select fields with a '– none –' choice: '' becomes None, ids become int."""
    if value in (None, "", "None"):
        return None
    return int(value)


class DelegationForm(VersionedForm):
    direction = SelectField(_l("Kind of visit"), choices=Direction.choices)
    title = StringField(_l("Title"), validators=[required, Length(max=300)])
    country_code = SelectField(_l("Country"), validators=[required])
    city = StringField(_l("City"), validators=[Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=300)])
    is_partner_city = BooleanField(_l("Partner city"))
    partner_city_id = SelectField(_l("Partner city or organisation"), coerce=optional_id, validators=[Optional()])
    head_name = StringField(_l("Head of delegation"), validators=[Length(max=200)])
    head_function = StringField(_l("Function of the head"), validators=[Length(max=300)])
    expected_size = IntegerField(_l("Expected number of people"), default=0, validators=[
        Optional(), NumberRange(min=0, max=1000, message=_l("Please enter a number between 0 and 1000."))])
    arrival_at = LocalDateTimeField(_l("Arrival"), validators=[required])
    departure_at = LocalDateTimeField(_l("Departure"), validators=[required])
    timezone = SelectField(_l("Time zone of the place"), validators=[Optional()])
    languages = MultiCheckboxField(_l("Languages the delegation reads"))
    status = SelectField(_l("Status"), choices=DelegationStatus.choices)
    protocol_level = SelectField(_l("Protocol level"), choices=ProtocolLevel.choices)
    hotel = TextAreaField(_l("Hotel"), validators=[Length(max=2000)])
    purpose = TextAreaField(_l("Purpose of the visit"), validators=[Length(max=5000)])
    notes = TextAreaField(_l("Notes for the team (internal)"), validators=[Length(max=20000)])
    lead_contact_id = SelectField(_l("Lead contact person"), coerce=optional_id, validators=[Optional()])
    deputy_contact_id = SelectField(_l("Deputy contact person"), coerce=optional_id, validators=[Optional()])
    travelling_principal_ids = MultiCheckboxField(_l("Principals who travel"))


class MemberForm(VersionedForm):
    name = StringField(_l("Name"), validators=[required, Length(max=200)])
    function = StringField(_l("Function"), validators=[Length(max=300)])
    organisation = StringField(_l("Organisation"), validators=[Length(max=300)])
    role = SelectField(_l("Role"), choices=MemberRole.choices)
    dietary_needs = StringField(_l("Dietary needs"), validators=[Length(max=500)])
    accessibility_needs = StringField(_l("Accessibility needs"), validators=[Length(max=500)])
    email = EmailField(_l("E-mail address"), filters=[strip_whitespace], validators=[Optional(), Email(message=_l("Please enter a valid e-mail address.")), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=50)])


class ProgrammeItemForm(VersionedForm):
    title = StringField(_l("Title"), validators=[required, Length(max=300)])
    kind = SelectField(_l("Kind"), choices=ItemKind.choices)
    starts_at = LocalDateTimeField(_l("Start"), validators=[required])
    ends_at = LocalDateTimeField(_l("End"), validators=[required])
    venue_id = SelectField(_l("Venue"), coerce=optional_id, validators=[Optional()])
    principal_id = SelectField(_l("Principal taking part"), coerce=optional_id, validators=[Optional()])
    responsible_id = SelectField(_l("Responsible contact person"), coerce=optional_id, validators=[Optional()])
    city_participants = TextAreaField(_l("Participants on the city side"), validators=[Length(max=2000)])
    dress_code = StringField(_l("Dress code"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description for the delegation"), validators=[Length(max=5000)])
    internal_note = TextAreaField(_l("Internal note"), validators=[Length(max=5000)])
    talking_points = TextAreaField(_l("Talking points for the principal"), validators=[Length(max=10000)])
    status = SelectField(_l("Status"), choices=ItemStatus.choices)


class MemberImportForm(FlaskForm):
    spreadsheet = FileField(_l("Participant list"), validators=[FileRequired(message=_l("Please choose a file."))],
                            render_kw={"accept": ".xlsx,.csv,.txt,text/csv,"
                                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})


class DelegationSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search changes nothing and must be bookmarkable

    q = StringField(_l("Search"))
    direction = SelectField(_l("Direction"), choices=lambda: [("", _l("All"))] + Direction.choices(), validators=[Optional()])
    status = SelectField(_l("Status"), choices=lambda: [("", _l("All"))] + DelegationStatus.choices(), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
