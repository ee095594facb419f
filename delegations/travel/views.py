"""Travel pages: members' arrivals and departures, the pick-up plan, transfers, and run sheets by role (page and PDF)."""
from __future__ import annotations


from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import Member, Transfer
from delegations.models.travel import LegDirection, TransferKind, TravelMode
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.travel import operations, pickups, queries, runsheets, wording
from delegations.travel.forms import MemberTravelForm, TransferForm, read_travel
from delegations.travel.printing import RUN_SHEETS
from delegations.zones import to_wall_clock, zone_names

blueprint = Blueprint("travel", __name__)


def plan_settings() -> pickups.PlanSettings:
    return pickups.PlanSettings.from_config(current_app.config)


def travel_delegation(delegation_id: int):
    return queries.delegation_for_travel(delegation_id) or abort(404)


def to_travel(delegation_id: int, anchor: str | None = None):
    return redirect(url_for("travel.overview", delegation_id=delegation_id, _anchor=anchor))


# The travel page -----------------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/travel")
def overview(delegation_id: int):
    delegation = travel_delegation(delegation_id)
    rows = wording.travel_rows(delegation)
    planned = operations.delegation_plan(delegation, queries.venues(), plan_settings())
    return render_template("travel/overview.html", delegation=delegation, rows=rows, planned=planned,
                           sheets=runsheets.SHEETS.values(),
                           double_booked=runsheets.double_booked(list(delegation.transfers)))


# A member's travel -----------------------------------------------------------------------------------------------

def travel_form(delegation, member: Member) -> MemberTravelForm:
    form = MemberTravelForm()
    zones = [(name, name) for name in zone_names()]
    venue_choices = [("", _("– none –"))] + [(str(venue.id), venue.label) for venue in queries.venues()]
    for prefix in ("arrival", "departure"):
        form[f"{prefix}_timezone"].choices = zones
        form[f"{prefix}_venue_id"].choices = venue_choices
    if not form.is_submitted():
        for direction in LegDirection:
            prefix = direction.value
            leg = operations.leg_of(member, direction)
            form[f"{prefix}_timezone"].data = leg.timezone if leg else delegation.timezone
            if leg is None:
                continue
            form[f"{prefix}_version"].data = leg.version
            form[f"{prefix}_mode"].data = leg.mode.value
            form[f"{prefix}_at"].data = to_wall_clock(leg.scheduled_at, leg.timezone)
            for name in ("carrier_number", "venue_id", "place", "terminal", "other_end", "needs_transfer", "notes"):
                form[f"{prefix}_{name}"].data = getattr(leg, name)
    return form


@blueprint.route("/delegations/<int:delegation_id>/travel/members/<int:member_id>", methods=["GET", "POST"])
@planner_required
def edit_member_travel(delegation_id: int, member_id: int):
    delegation = travel_delegation(delegation_id)
    member = next((member for member in delegation.members if member.id == member_id), None) or abort(404)
    form = travel_form(delegation, member)
    if form.validate_on_submit():
        legs = read_travel(form, delegation)
        if legs is not None:
            try:
                operations.save_member_travel(member, *legs, versions=form.opened_versions())
            except operations.TravelConflict:
                form.form_errors.append(_(
                    "Someone else changed this person's travel while you were editing it. Your input is kept "
                    "below; open the page again to see the current travel, then enter your change once more."))
            else:
                flash(_("The travel of %(name)s has been saved.", name=member.name), "success")
                return to_travel(delegation_id, f"member-{member.id}")
    elif form.is_submitted():
        read_travel(form, delegation)  # every problem at once
    return render_template("travel/member_form.html", form=form, delegation=delegation, member=member)


# The pick-up plan ------------------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/travel/plan")
def plan(delegation_id: int):
    delegation = travel_delegation(delegation_id)
    settings = plan_settings()
    planned = operations.delegation_plan(delegation, queries.venues(), settings)
    return render_template("travel/plan.html", delegation=delegation, planned=planned, settings=settings,
                           modes={mode.value: mode.label for mode in TravelMode})


@blueprint.route("/delegations/<int:delegation_id>/travel/plan/transfers", methods=["POST"])
@planner_required
def create_from_plan(delegation_id: int):
    begin_writing()
    delegation = travel_delegation(delegation_id)
    planned = operations.delegation_plan(delegation, queries.venues(), plan_settings())
    created = operations.create_transfers_from_plan(delegation, planned)
    db.session.commit()
    if created:
        flash(ngettext("%(num)s transfer has been created from the plan. Assign drivers and vehicles next.",
                       "%(num)s transfers have been created from the plan. Assign drivers and vehicles next.",
                       len(created)), "success")
    else:
        flash(_("Every ride of the plan has a transfer already; nothing was created."), "info")
    return redirect(url_for("travel.plan", delegation_id=delegation_id))


# Transfers --------------------------------------------------------------------------------------------------------

def transfer_form(delegation, transfer: Transfer | None = None) -> TransferForm:
    form = TransferForm(obj=transfer)
    form.passengers.choices = [(str(member.id), member.name) for member in delegation.members]
    form.driver_contact_id.choices = [("", _("– none –"))] + queries.driver_choices(
        include_id=transfer.driver_contact_id if transfer else None)
    form.programme_item_id.choices = [("", _("– none –"))] + [
        (str(item.id), wording.item_choice_label(item)) for _id, item in queries.transfer_item_choices(delegation)]
    form.travel_leg_id.choices = [("", _("– none –"))] + wording.leg_choices(delegation)
    if not form.is_submitted():
        if transfer is not None:
            form.pickup_at.data = to_wall_clock(transfer.pickup_at, transfer.timezone)
            form.passengers.data = [str(member.id) for member in transfer.passengers]
        else:
            form.pickup_at.data = to_wall_clock(delegation.arrival_at, delegation.timezone)
            form.destination.data = delegation.hotel
    return form


def transfer_changes(form: TransferForm, delegation) -> dict | None:
    from delegations.forms import check_local_time_exists

    if not check_local_time_exists(form.pickup_at, delegation.timezone):
        return None
    members = {str(member.id): member for member in delegation.members}
    return {"kind": TransferKind(form.kind.data), "pickup_at": form.pickup_at.instant(delegation.timezone),
            "timezone": delegation.timezone, "pickup_address": (form.pickup_address.data or "").strip(),
            "destination": (form.destination.data or "").strip(), "duration_minutes": form.duration_minutes.data,
            "vehicle": (form.vehicle.data or "").strip(), "driver_contact_id": form.driver_contact_id.data,
            "driver_name": (form.driver_name.data or "").strip(), "driver_phone": (form.driver_phone.data or "").strip(),
            "programme_item_id": form.programme_item_id.data, "travel_leg_id": form.travel_leg_id.data,
            "notes": (form.notes.data or "").strip(),
            "passengers": [members[key] for key in form.passengers.data or () if key in members]}


@blueprint.route("/delegations/<int:delegation_id>/transfers/new", methods=["GET", "POST"])
@planner_required
def new_transfer(delegation_id: int):
    delegation = travel_delegation(delegation_id)
    form = transfer_form(delegation)
    if form.validate_on_submit() and (changes := transfer_changes(form, delegation)) is not None:
        transfer = Transfer(delegation=delegation, **changes)
        db.session.add(transfer)
        db.session.commit()
        flash(_("The transfer has been added."), "success")
        return to_travel(delegation_id, "transfers")
    return render_template("travel/transfer_form.html", form=form, delegation=delegation, transfer=None)


def delegation_transfer(delegation, transfer_id: int) -> Transfer:
    return next((transfer for transfer in delegation.transfers if transfer.id == transfer_id), None) or abort(404)


@blueprint.route("/delegations/<int:delegation_id>/transfers/<int:transfer_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_transfer(delegation_id: int, transfer_id: int):
    delegation = travel_delegation(delegation_id)
    transfer = delegation_transfer(delegation, transfer_id)
    form = transfer_form(delegation, transfer)
    if form.validate_on_submit() and (changes := transfer_changes(form, delegation)) is not None:
        if save_or_report_conflict(transfer, form, changes):
            flash(_("The transfer has been saved."), "success")
            return to_travel(delegation_id, f"transfer-{transfer.id}")
        db.session.rollback()
    return render_template("travel/transfer_form.html", form=form, delegation=delegation, transfer=transfer)


@blueprint.route("/delegations/<int:delegation_id>/transfers/<int:transfer_id>/delete", methods=["POST"])
@planner_required
def delete_transfer(delegation_id: int, transfer_id: int):
    delegation = travel_delegation(delegation_id)
    transfer = delegation_transfer(delegation, transfer_id)
    if problem := delete_unless_changed(transfer, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("travel.edit_transfer", delegation_id=delegation_id, transfer_id=transfer_id))
    flash(_("The transfer has been removed."), "success")
    return to_travel(delegation_id, "transfers")


# Run sheets ----------------------------------------------------------------------------------------------------

def run_sheet_or_abort(name: str, delegation_id: int) -> runsheets.RunSheetData:
    sheet = runsheets.SHEETS[name]
    if not current_user.may(sheet.role):
        abort(403)
    return runsheets.build(name, delegation_id, driver=request.args.get("driver", "")) or abort(404)


def sheet_page(name: str, delegation_id: int):
    data = run_sheet_or_abort(name, delegation_id)
    from delegations.protocol import wording as protocol_wording

    return render_template("travel/run_sheet.html", data=data, delegation=data.delegation, sheet=data.sheet,
                           zone=data.zone, menus=protocol_wording.MENUS, restrictions=protocol_wording.RESTRICTIONS,
                           modes=protocol_wording.MODES)


def sheet_pdf(name: str, delegation_id: int):
    from delegations.printing.documents import filename_stem
    from delegations.printing.views import language_or_404, pdf_response, produce_or_abort

    data = run_sheet_or_abort(name, delegation_id)
    document = RUN_SHEETS[name]
    language = language_or_404(document, data)
    stem = filename_stem(document.name, data.delegation.title, data.delegation.id)
    if data.driver_key:
        stem += "-" + "".join(character for character in data.driver_key if character.isalnum())[:20]
    return pdf_response(produce_or_abort(document, data, language, stem))


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/driver")
def driver_sheet(delegation_id: int):
    return sheet_page("driver", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/driver.pdf")
def driver_sheet_pdf(delegation_id: int):
    return sheet_pdf("driver", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/interpreter")
def interpreter_sheet(delegation_id: int):
    return sheet_page("interpreter", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/interpreter.pdf")
def interpreter_sheet_pdf(delegation_id: int):
    return sheet_pdf("interpreter", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/kitchen")
def kitchen_sheet(delegation_id: int):
    return sheet_page("kitchen", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/kitchen.pdf")
def kitchen_sheet_pdf(delegation_id: int):
    return sheet_pdf("kitchen", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/security")
@planner_required
def security_sheet(delegation_id: int):
    return sheet_page("security", delegation_id)


@blueprint.route("/delegations/<int:delegation_id>/run-sheets/security.pdf")
@planner_required
def security_sheet_pdf(delegation_id: int):
    return sheet_pdf("security", delegation_id)


def register_history() -> None:
    """Changes to travel legs and transfers are written to the audit trail like every other record's."""
    from delegations.history.timeline import track_records
    from delegations.models import TravelLeg

    track_records({TravelLeg: "travel_leg", Transfer: "transfer"}, wording.HISTORY_KINDS, wording.FIELD_LABELS,
                  wording.reference_labels())


register_history()
