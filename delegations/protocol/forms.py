"""Forms of the protocol pages: ranking rules, ranks, forms of address, participants, table plans, gifts,
the Golden Book and the checklist."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from delegations.forms import MultiCheckboxField, VersionedForm, required, strip_whitespace
from delegations.models.protocol import (CityRole, GiftDirection, GiftFate, InterpretingMode, Salutation,
                                         SigningStatus, TableShape, TieBreaker)
from delegations.visits.forms import optional_id


def optional_text(value):
    return value if value not in (None, "None") else ""


class OfficeLevelForm(VersionedForm):
    key = StringField(_l("Key"), filters=[strip_whitespace], validators=[
        required, Length(max=60),
        Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Lower-case letters, digits and underscores, starting with a letter."))])
    name = StringField(_l("Name (German)"), validators=[required, Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    level = IntegerField(_l("Level (smaller ranks higher)"), validators=[
        required, NumberRange(min=1, max=9999, message=_l("Please enter a number between 1 and 9999."))])
    tie_breaker = SelectField(_l("Between two people of this office"), choices=TieBreaker.choices)
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    active = BooleanField(_l("In use"), default=True)


class RankForm(VersionedForm):
    office_level_id = SelectField(_l("Office"), coerce=optional_id, validators=[Optional()])
    accredited_on = DateField(_l("Accredited on"), validators=[Optional()])
    serving_since = DateField(_l("In office since"), validators=[Optional()])
    ordinal = IntegerField(_l("Order number"), validators=[
        Optional(), NumberRange(min=1, max=99, message=_l("Please enter a number between 1 and 99."))])
    salutation = SelectField(_l("Salutation"), choices=Salutation.choices)
    languages = MultiCheckboxField(_l("Languages spoken"))
    native_name = StringField(_l("Name in their own script"), validators=[Length(max=200)])
    native_language = SelectField(_l("Language of that script"), validators=[Optional()])
    interprets_for_id = SelectField(_l("Interprets for"), coerce=optional_id, validators=[Optional()])


class FormOfAddressForm(VersionedForm):
    language = SelectField(_l("Language"), validators=[required])
    title = StringField(_l("Title before the name"), validators=[Length(max=200)])
    name = StringField(_l("Name as written in this language"), validators=[Length(max=200)])
    function = StringField(_l("Function in this language"), validators=[Length(max=300)])
    spoken = StringField(_l("Spoken form"), validators=[Length(max=300)])
    salutation = StringField(_l("Written salutation"), validators=[Length(max=300)])
    address_block = TextAreaField(_l("Address block"), validators=[Length(max=2000)])
    last_checked_on = DateField(_l("Last checked with the guest's office on"), validators=[Optional()])
    checked_with = StringField(_l("Checked with"), validators=[Length(max=200)])


class ParticipantForm(VersionedForm):
    principal_id = SelectField(_l("Principal"), coerce=optional_id, validators=[Optional()])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    function = StringField(_l("Function"), validators=[Length(max=300)])
    role = SelectField(_l("Role at this item"), choices=CityRole.choices)
    office_level_id = SelectField(_l("Office"), coerce=optional_id, validators=[Optional()])
    accredited_on = DateField(_l("Accredited on"), validators=[Optional()])
    serving_since = DateField(_l("In office since"), validators=[Optional()])
    ordinal = IntegerField(_l("Order number"), validators=[
        Optional(), NumberRange(min=1, max=99, message=_l("Please enter a number between 1 and 99."))])
    native_name = StringField(_l("Name in their own script"), validators=[Length(max=200)])
    native_language = SelectField(_l("Language of that script"), validators=[Optional()])
    languages = MultiCheckboxField(_l("Languages spoken"))
    dietary_needs = StringField(_l("Dietary needs"), validators=[Length(max=500)])
    accessibility_needs = StringField(_l("Accessibility needs"), validators=[Length(max=500)])
    interprets_for = SelectField(_l("Interprets for"), validators=[Optional()])

    def validate_name(self, field):
        if not (field.data or "").strip() and not self.principal_id.data:
            raise ValidationError(_l("Please enter a name or choose a principal."))


class OverrideForm(FlaskForm):
    reason = TextAreaField(_l("Why this order"), validators=[required, Length(max=2000)])


class InterpretingForm(FlaskForm):
    mode = SelectField(_l("Interpreting"), choices=InterpretingMode.choices)
    note = StringField(_l("Note"), validators=[Length(max=500)])


class PlanForm(FlaskForm):
    title = StringField(_l("Name of the plan"), validators=[Length(max=200)])
    tables = IntegerField(_l("Number of tables"), default=3, validators=[
        required, NumberRange(min=1, max=30, message=_l("Please enter between 1 and 30 tables."))])
    seats = IntegerField(_l("Seats per table"), default=8, validators=[
        required, NumberRange(min=2, max=60, message=_l("Please enter between 2 and 60 seats."))])
    shape = SelectField(_l("Shape"), choices=TableShape.choices)


class TableForm(FlaskForm):
    name = StringField(_l("Name of the table"), validators=[required, Length(max=100)])
    shape = SelectField(_l("Shape"), choices=TableShape.choices)
    seats = IntegerField(_l("Seats"), default=8, validators=[
        required, NumberRange(min=2, max=60, message=_l("Please enter between 2 and 60 seats."))])


class MoveForm(FlaskForm):
    person = SelectField(_l("Person"), validators=[required])
    target = SelectField(_l("Move to"), validators=[required])


class AttendanceForm(FlaskForm):
    absent = MultiCheckboxField(_l("Not at this meal"))


class GiftForm(VersionedForm):
    delegation_id = SelectField(_l("Visit"), coerce=optional_id, validators=[Optional()])
    direction = SelectField(_l("Direction"), choices=GiftDirection.choices)
    article = StringField(_l("What (briefly)"), validators=[required, Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    giver = StringField(_l("From whom"), validators=[Length(max=300)])
    recipient = StringField(_l("To whom"), validators=[Length(max=300)])
    counterpart_organisation = StringField(_l("Their city or organisation"), validators=[Length(max=300)])
    occasion = StringField(_l("Occasion"), validators=[Length(max=300)])
    given_on = DateField(_l("Date"), validators=[required])
    value = DecimalField(_l("Estimated value in euros"), places=2, validators=[
        Optional(), NumberRange(min=0, max=1_000_000, message=_l("Please enter an amount between 0 and 1,000,000."))])
    location = StringField(_l("Where it is kept"), validators=[Length(max=300)])
    fate = SelectField(_l("What became of it"), choices=GiftFate.choices)
    fate_note = TextAreaField(_l("Note on what became of it"), validators=[Length(max=2000)])
    photo = FileField(_l("Photo (JPEG, PNG or WebP)"))
    remove_photo = BooleanField(_l("Remove the photo"))


class GiftDecisionForm(FlaskForm):
    decision = HiddenField()
    note = StringField(_l("Note on the decision"), validators=[Length(max=500)])


class SigningForm(VersionedForm):
    status = SelectField(_l("Signing"), choices=SigningStatus.choices)
    item_id = SelectField(_l("At which programme item"), coerce=optional_id, validators=[Optional()])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    title = StringField(_l("Title in the archive"), validators=[Length(max=300)])
    prepared_text = TextAreaField(_l("Prepared text of the entry"), validators=[Length(max=10000)])
    book_reference = StringField(_l("Volume and page"), validators=[Length(max=200)])
    archive_note = TextAreaField(_l("Archive note"), validators=[Length(max=5000)])


class SignatoryForm(FlaskForm):
    name = StringField(_l("Name exactly as it will be written"), validators=[required, Length(max=200)])
    function = StringField(_l("Function"), validators=[Length(max=300)])


class TaskForm(VersionedForm):
    title = StringField(_l("Task"), validators=[required, Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=optional_id, validators=[Optional()])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])


class ReceiverForm(FlaskForm):
    principal_id = SelectField(_l("Principal"), coerce=int, validators=[required])
