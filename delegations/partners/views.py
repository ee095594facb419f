"""Partner pages: the list of partner cities and organisations, each partner's dossier, and the forms that edit
its parts (planners); viewers read. Agreement files are served only to logged-in users, as attachments."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Callable
from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.extensions import db
from delegations.i18n import country_choices
from delegations.models import (Delegation, OfficeHolder, PartnerAgreement, PartnerAssociation, PartnerCity, PartnerCommitment,
                                utc_now)
from delegations.models.partners import AgreementKind, CommitmentStatus, PartnershipKind
from delegations.partners import documents, operations, queries
from delegations.partners.forms import (AgreementForm, AssociationForm, CommitmentForm, OfficeHolderForm,
                                        PartnerCityForm)
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.templating import current_locale_code
from delegations.visits.queries import contact_choices
from delegations.zones import zone_names

blueprint = Blueprint("partners", __name__)


@blueprint.app_context_processor
def partner_helpers():
    return {"part_url": part_url}

DEFAULT_DOCUMENT_MAX_BYTES = 4 * 1024 * 1024  # below the request limit (MAX_CONTENT_LENGTH, 5 MB)


def today() -> date:
    return utc_now().astimezone(ZoneInfo(current_app.config["HOME_TIMEZONE"])).date()


def document_folder() -> str:
    return current_app.config.get("PARTNER_DOCUMENT_DIR") or os.path.join(current_app.instance_path,
                                                                          "partner-documents")


def document_limit() -> int:
    return int(current_app.config.get("PARTNER_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def to_dossier(city_id: int, anchor: str | None = None):
    return redirect(url_for("partners.dossier", city_id=city_id, _anchor=anchor))


# The list and the dossier ----------------------------------------------------------------------------------

@blueprint.route("/partners/")
def index():
    day = today()
    return render_template("partners/index.html", rows=queries.partner_rows(),
                           anniversaries=with_sentences(queries.upcoming(day)),
                           due=queries.commitments_due(day), today=day, kinds=PartnershipKind)


@blueprint.route("/partners/<int:city_id>")
def dossier(city_id: int):
    found = queries.dossier(city_id, today()) or abort(404)
    anniversaries = with_sentences((anniversary, found.city) for anniversary in found.anniversaries)
    return render_template("partners/dossier.html", dossier=found, city=found.city, today=today(),
                           anniversaries=anniversaries)


@blueprint.route("/partners/agreements/<int:agreement_id>/document")
def agreement_document(agreement_id: int):
    agreement = db.session.get(PartnerAgreement, agreement_id) or abort(404)
    path = documents.document_path(document_folder(), agreement.file_name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=agreement.file_type or "application/octet-stream", as_attachment=True,
                         download_name=agreement.file_original_name or os.path.basename(path), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The partner itself ----------------------------------------------------------------------------------------

CITY_FIELDS = ("name", "country_code", "kind", "since", "since_day_known", "ended_on", "timezone", "description")


def city_form(city: PartnerCity | None = None) -> PartnerCityForm:
    form = PartnerCityForm(obj=city)
    form.country_code.choices = [("", _("– choose –"))] + country_choices(current_locale_code())
    form.timezone.choices = [("", _("– none –"))] + [(name, name) for name in zone_names()]
    return form


def city_changes(form: PartnerCityForm, city: PartnerCity | None) -> dict | None:
    changes = {name: form[name].data for name in CITY_FIELDS}
    changes["kind"] = PartnershipKind(changes["kind"])
    changes["country_code"] = (changes["country_code"] or "").upper()
    changes["timezone"] = changes["timezone"] or ""
    changes["description"] = (changes["description"] or "").strip()
    if changes["ended_on"] is not None and changes["ended_on"] < changes["since"]:
        form.ended_on.errors.append(_("The end cannot lie before the start of the relationship."))
        return None
    clash = db.session.scalar(db.select(PartnerCity.id).where(PartnerCity.name == changes["name"]))
    if clash is not None and (city is None or clash != city.id):
        form.name.errors.append(_("There is a partner of this name already."))
        return None
    return changes


@blueprint.route("/partners/new", methods=["GET", "POST"])
@planner_required
def new_city():
    form = city_form()
    if request.method == "GET":
        form.kind.data = PartnershipKind.TWINNING.value
    if form.validate_on_submit() and (changes := city_changes(form, None)) is not None:
        city = PartnerCity(**changes)
        db.session.add(city)
        db.session.commit()
        flash(_("“%(name)s” has been added.", name=city.name), "success")
        return to_dossier(city.id)
    return render_template("partners/city_form.html", form=form, city=None)


@blueprint.route("/partners/<int:city_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_city(city_id: int):
    city = queries.get_city(city_id) or abort(404)
    form = city_form(city)
    if form.validate_on_submit() and (changes := city_changes(form, city)) is not None \
            and save_or_report_conflict(city, form, changes):
        flash(_("“%(name)s” has been saved.", name=city.name), "success")
        return to_dossier(city.id)
    return render_template("partners/city_form.html", form=form, city=city)


@blueprint.route("/partners/<int:city_id>/delete", methods=["POST"])
@planner_required
def delete_city(city_id: int):
    city = queries.get_city(city_id) or abort(404)
    name, files = city.name, [agreement.file_name for agreement in city.agreements if agreement.file_name]
    if problem := delete_unless_changed(city, request.form.get("version")):
        flash(problem, "error")
        return to_dossier(city_id)
    for stored in files:
        documents.remove_document(document_folder(), stored)
    flash(_("“%(name)s” has been deleted. Its visits are kept.", name=name), "success")
    return redirect(url_for("partners.index"))


# The parts of a dossier: agreements, associations, office holders, commitments -------------------------------

@dataclass(frozen=True)
class Part:
    name: str                 # endpoint suffix: new_<name>, edit_<name>, delete_<name>
    slug: str                 # URL segment
    model: type
    form: type
    fields: tuple[str, ...]
    anchor: str
    heading_new: object
    heading_edit: object       # with %(name)s
    label: Callable[[object], str]
    hints: dict = field(default_factory=dict)


def _stripped(form, names) -> dict:
    return {name: (form[name].data.strip() if isinstance(form[name].data, str) else form[name].data)
            for name in names}


def agreement_changes(form, record, city) -> dict:
    changes = _stripped(form, ("title", "kind", "signed_on", "notes"))
    changes["kind"] = AgreementKind(changes["kind"])
    return changes


def plain_changes(part: "Part"):
    return lambda form, record, city: _stripped(form, part.fields)


def commitment_changes(form, record, city) -> dict:
    changes = _stripped(form, ("text", "made_on", "delegation_id", "owner_id", "follow_up", "due_on"))
    changes.update(operations.commitment_status_changes(record, CommitmentStatus(form.status.data),
                                                        current_user.display_name or current_user.email))
    return changes


def setup_commitment_form(form, record, city) -> None:
    form.delegation_id.choices = [("", _("– no visit –"))] + queries.visit_choices(
        city.id, include_id=record.delegation_id if record else None)
    form.owner_id.choices = [("", _("– none –"))] + contact_choices(include_id=record.owner_id if record else None)
    if request.method == "GET" and record is None:
        form.made_on.data = today()
        form.status.data = CommitmentStatus.OPEN.value


def setup_holder_form(form, record, city) -> None:
    if request.method == "GET" and record is None:
        form.since.data = None


PARTS = {
    "agreement": Part("agreement", "agreements", PartnerAgreement, AgreementForm, ("title", "kind", "signed_on", "notes"),
                      "agreements", _l("Add an agreement or memorandum"), _l("Edit “%(name)s”"),
                      lambda record: record.title,
                      {"document": _l("At most %(size)s MB. The file is checked by its content.")}),
    "association": Part("association", "associations", PartnerAssociation, AssociationForm,
                        ("name", "contact", "website", "notes"), "associations", _l("Add a friendship association"),
                        _l("Edit “%(name)s”"), lambda record: record.name,
                        {"contact": _l("Who to call or write to: name, e-mail address, phone.")}),
    "holder": Part("holder", "office-holders", OfficeHolder, OfficeHolderForm,
                   ("name", "office", "since", "form_of_address"), "office-holders", _l("Add an office holder"),
                   _l("Edit “%(name)s”"), lambda record: record.name,
                   {"form_of_address": _l("How letters address them, e.g. “Szanowny Panie Prezydencie”.")}),
    "commitment": Part("commitment", "commitments", PartnerCommitment, CommitmentForm,
                       ("text", "made_on", "delegation_id", "owner_id", "follow_up", "due_on", "status"),
                       "commitments", _l("Record a commitment"), _l("Edit the commitment “%(name)s”"),
                       lambda record: record.title,
                       {"follow_up": _l("The next step as a task: it appears under open tasks until it is done."),
                        "delegation_id": _l("Only visits linked to this partner are offered.")}),
}
CHANGES = {"agreement": agreement_changes, "commitment": commitment_changes}
SETUP = {"commitment": setup_commitment_form, "holder": setup_holder_form}


def part_changes(part: Part, form, record, city) -> dict:
    return CHANGES.get(part.name, plain_changes(part))(form, record, city)


def take_document(form: AgreementForm) -> documents.StoredDocument | None:
    """The uploaded file stored; None without one; raises DocumentError after putting the reason on the field."""
    upload = form.document.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.stream.read(document_limit() + 1)
    try:
        return documents.store_document(data, upload.filename, document_folder(), document_limit())
    except documents.DocumentError as error:
        form.document.errors = [str(error)]
        raise


def document_changes(stored: documents.StoredDocument | None, remove: bool) -> dict:
    if stored is not None:
        return {"file_name": stored.name, "file_original_name": stored.original_name, "file_type": stored.content_type,
                "file_bytes": stored.size}
    if remove:
        return {"file_name": "", "file_original_name": "", "file_type": "", "file_bytes": 0}
    return {}


def render_part(part: Part, form, city, record):
    heading = str(part.heading_edit) % {"name": part.label(record)} if record is not None else str(part.heading_new)
    hints = {name: (str(hint) % {"size": f"{document_limit() / 1024 / 1024:g}"} if "%(size)s" in str(hint)
                    else hint) for name, hint in part.hints.items()}
    return render_template("partners/part_form.html", form=form, city=city, record=record, part=part,
                           heading=heading, hints=hints)


def new_part(part: Part, city_id: int):
    city = queries.get_city(city_id) or abort(404)
    form = part.form()
    SETUP.get(part.name, lambda *args: None)(form, None, city)
    if form.validate_on_submit():
        changes = part_changes(part, form, None, city)
        try:
            stored = take_document(form) if part.name == "agreement" else None
        except documents.DocumentError:
            return render_part(part, form, city, None)
        record = part.model(city=city, **changes, **document_changes(stored, False))
        db.session.add(record)
        db.session.commit()
        flash(_("“%(name)s” has been added.", name=part.label(record)), "success")
        return to_dossier(city.id, part.anchor)
    return render_part(part, form, city, None)


def edit_part(part: Part, record_id: int):
    record = db.session.get(part.model, record_id) or abort(404)
    city = record.city
    form = part.form(obj=record)
    SETUP.get(part.name, lambda *args: None)(form, record, city)
    if form.validate_on_submit():
        changes = part_changes(part, form, record, city)
        stored, old_file = None, getattr(record, "file_name", "")
        if part.name == "agreement":
            try:
                stored = take_document(form)
            except documents.DocumentError:
                return render_part(part, form, city, record)
            changes.update(document_changes(stored, bool(form.remove_document.data)))
        if save_or_report_conflict(record, form, changes):
            if old_file and old_file != getattr(record, "file_name", ""):
                documents.remove_document(document_folder(), old_file)
            flash(_("“%(name)s” has been saved.", name=part.label(record)), "success")
            return to_dossier(city.id, part.anchor)
        if stored is not None:  # not saved: the new file is not needed
            documents.remove_document(document_folder(), stored.name)
    return render_part(part, form, city, record)


def delete_part(part: Part, record_id: int):
    record = db.session.get(part.model, record_id) or abort(404)
    city_id, label, stored = record.city_id, part.label(record), getattr(record, "file_name", "")
    if problem := delete_unless_changed(record, request.form.get("version")):
        flash(problem, "error")
    else:
        if stored:
            documents.remove_document(document_folder(), stored)
        flash(_("“%(name)s” has been deleted.", name=label), "success")
    return to_dossier(city_id, part.anchor)


def _register(part: Part) -> None:
    key = f"{part.name}_id"  # distinct names (agreement_id, holder_id ...) so every URL says what it names

    def create(city_id: int):
        return new_part(part, city_id)

    def edit(**values):
        return edit_part(part, values[key])

    def delete(**values):
        return delete_part(part, values[key])

    for view, name in ((create, f"new_{part.name}"), (edit, f"edit_{part.name}"), (delete, f"delete_{part.name}")):
        view.__name__ = name
    blueprint.add_url_rule(f"/partners/<int:city_id>/{part.slug}/new", view_func=planner_required(create),
                           methods=["GET", "POST"])
    blueprint.add_url_rule(f"/partners/{part.slug}/<int:{key}>/edit", view_func=planner_required(edit),
                           methods=["GET", "POST"])
    blueprint.add_url_rule(f"/partners/{part.slug}/<int:{key}>/delete", view_func=planner_required(delete),
                           methods=["POST"])


def part_url(action: str, part_name: str, record) -> str:
    """URL of a part's edit or delete view (templates: part_url("edit", "holder", holder))."""
    return url_for(f"partners.{action}_{part_name}", **{f"{part_name}_id": record.id})


for _part in PARTS.values():
    _register(_part)


@blueprint.route("/partners/commitments/<int:commitment_id>/done", methods=["POST"])
@planner_required
def commitment_done(commitment_id: int):
    """Tick a commitment off (or reopen it) from the dossier, without opening its form."""
    commitment = db.session.get(PartnerCommitment, commitment_id) or abort(404)
    status = CommitmentStatus.OPEN if request.form.get("reopen") else CommitmentStatus.DONE
    try:
        opened = int(request.form.get("version", ""))
    except ValueError:
        opened = None
    if opened is not None and opened != commitment.version:
        flash(_("Someone else changed this commitment after you opened the page. Check it and try again."), "error")
        return to_dossier(commitment.city_id, "commitments")
    for name, value in operations.commitment_status_changes(
            commitment, status, current_user.display_name or current_user.email).items():
        setattr(commitment, name, value)
    db.session.commit()
    flash(_("The commitment is done.") if status == CommitmentStatus.DONE else _("The commitment is open again."),
          "success")
    return to_dossier(commitment.city_id, "commitments")


# Dashboard and history ------------------------------------------------------------------------------------

def with_sentences(pairs) -> list[tuple]:
    """(anniversary, partner, '40th anniversary of the twinning with Leipzig, 1987–2027')."""
    locale = current_locale_code()
    return [(anniversary, city, operations.anniversary_sentence(anniversary, city.kind, locale))
            for anniversary, city in pairs]


def dashboard_panel(day: date | None = None) -> dict:
    """What the dashboard shows of the partners: round anniversaries and commitments falling due (two queries)."""
    day = day or today()
    return {"anniversaries": with_sentences(queries.upcoming(day)), "commitments": queries.commitments_due(day),
            "today": day}


def register_history() -> None:
    """Changes to partner records go into the audit trail like every other record's."""
    from delegations.history import timeline

    timeline.track_records(
        {PartnerCity: "partner_city", PartnerAgreement: "partner_agreement",
         PartnerAssociation: "partner_association", OfficeHolder: "partner_office_holder",
         PartnerCommitment: "partner_commitment"},
        {"partner_city": _l("Partner"), "partner_agreement": _l("Agreement"),
         "partner_association": _l("Friendship association"), "partner_office_holder": _l("Office holder"),
         "partner_commitment": _l("Commitment")},
        HISTORY_FIELDS,
        {"partner_city": (PartnerCity, lambda city: city.name), "delegation": (Delegation, lambda visit: visit.title)})


HISTORY_FIELDS = {
    "partner_city_id": _l("Partner city or organisation"), "country_code": _l("Country"),
    "since": _l("Since"), "since_day_known": _l("The exact day is on record"),
    "ended_on": _l("Ended or suspended on"), "description": _l("About the relationship"),
    "signed_on": _l("Date of signature"), "notes": _l("Notes"), "file_name": _l("Signed document"),
    "file_original_name": _l("File name"), "file_type": _l("File type"), "file_bytes": _l("File size"),
    "contact": _l("Contact"), "website": _l("Website"), "office": _l("Office"), "form_of_address": _l("Form of address"),
    "text": _l("What was promised"), "made_on": _l("Made on"),
    "owner_id": _l("Responsible contact person"), "follow_up": _l("Follow-up task"), "due_on": _l("Due on"),
    "done_at": _l("Done"), "done_by_name": _l("Done by"),
}


register_history()
