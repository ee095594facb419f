"""Forms of the partner dossiers: the partner itself, agreements, associations, office holders, commitments."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from delegations.forms import VersionedForm, required, strip_whitespace
from delegations.models.partners import AgreementKind, CommitmentStatus, PartnershipKind
from delegations.visits.forms import optional_id



class PartnerCityForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[required, Length(max=200)])
    country_code = SelectField(_l("Country"), validators=[required])
    kind = SelectField(_l("Kind of relationship"), choices=PartnershipKind.choices)
    since = DateField(_l("Since"), validators=[required], render_kw={"autocomplete": "off"})
    since_day_known = BooleanField(_l("The exact day is on record"))
    ended_on = DateField(_l("Ended or suspended on"), validators=[Optional()])
    timezone = SelectField(_l("Time zone of the place"), validators=[Optional()])
    description = TextAreaField(_l("About the relationship"), validators=[Length(max=20000)])


class AgreementForm(VersionedForm):
    title = StringField(_l("Title"), filters=[strip_whitespace], validators=[required, Length(max=300)])
    kind = SelectField(_l("Kind of document"), choices=AgreementKind.choices)
    signed_on = DateField(_l("Date of signature"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10000)])
    document = FileField(_l("Signed document (PDF, DOCX, ODT or a scan as JPEG, PNG, WebP)"),
                         render_kw={"accept": ".pdf,.docx,.odt,.jpg,.jpeg,.png,.webp,application/pdf,image/*"})
    remove_document = BooleanField(_l("Remove the stored document"))


class AssociationForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[required, Length(max=300)])
    contact = TextAreaField(_l("Contact"), validators=[Length(max=2000)])
    website = StringField(_l("Website"), filters=[strip_whitespace], validators=[
        Optional(), Length(max=500),
        Regexp(r"^https?://[^\s/$.?#][^\s]*$", message=_l("Please enter an address starting with https://"))])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10000)])


class OfficeHolderForm(VersionedForm):
    name = StringField(_l("Name"), filters=[strip_whitespace], validators=[required, Length(max=200)])
    office = StringField(_l("Office"), filters=[strip_whitespace], validators=[required, Length(max=300)])
    since = DateField(_l("In office since"), validators=[Optional()])
    form_of_address = StringField(_l("Form of address"), validators=[Length(max=300)])


class CommitmentForm(VersionedForm):
    text = TextAreaField(_l("What was promised"), validators=[required, Length(max=5000)])
    made_on = DateField(_l("Made on"), validators=[required])
    delegation_id = SelectField(_l("During the visit"), coerce=optional_id, validators=[Optional()])
    owner_id = SelectField(_l("Responsible contact person"), coerce=optional_id, validators=[Optional()])
    follow_up = TextAreaField(_l("Follow-up task"), validators=[Length(max=5000)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=CommitmentStatus.choices)
