"""Pages for delegations and tours: dashboard, list, detail with day-by-day programme, and their forms."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.constants import Direction, ItemStatus
from delegations.extensions import db
from delegations.i18n import country_choices
from delegations.itinerary import panels
from delegations.itinerary.prefill import prefill_from_slot
from delegations.models import Delegation, Member, MemberImport, ProgrammeItem, utc_now
from delegations.people.forms import language_choices
from delegations.planning.timeline import build_timeline
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.templating import current_locale_code
from delegations.partners.queries import partner_choices, visit_defaults
from delegations.partners.views import dashboard_panel
from delegations.visits import operations, queries
from delegations.visits.forms import DelegationForm, DelegationSearchForm, MemberForm, MemberImportForm
from delegations.visits.member_import import MemberFileError, parse_member_file
from delegations.workload.room import lead_room_for_form
from delegations.zones import to_wall_clock, zone, zone_names

blueprint = Blueprint("visits", __name__)


def get_delegation(delegation_id: int) -> Delegation:
    return db.session.get(Delegation, delegation_id) or abort(404)


@blueprint.route("/")
def dashboard():
    now = utc_now()
    visits, items, item_total = queries.upcoming(now, days=14)
    home_zone = current_app.config["HOME_TIMEZONE"]
    return render_template("visits/dashboard.html", visits=visits, items=items, item_total=item_total,
                           home_zone=home_zone, now=now,
                           upcoming_conflicts=panels.upcoming_panel(now), partners_panel=dashboard_panel())


@blueprint.route("/delegations/")
def list_delegations():
    form = DelegationSearchForm(request.args)
    form.validate()
    def valid(field):  # a filter value the form refused (a stale bookmark, a typo) is ignored
        return field.data if field.data and not field.errors else None

    statement = queries.search_delegations(
        text=(form.q.data or "").strip(), direction=valid(form.direction) or "", status=valid(form.status) or "",
        date_from=valid(form.date_from), date_to=valid(form.date_to),
        locale=current_locale_code(), home_zone=current_app.config["HOME_TIMEZONE"])
    page = db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    filters = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("visits/list.html", form=form, page=page, filters=filters)


def delegation_form(delegation: Delegation | None = None, **kwargs) -> DelegationForm:
    form = DelegationForm(obj=delegation, **kwargs)
    locale = current_locale_code()
    form.country_code.choices = [("", _("– choose –"))] + country_choices(locale)
    form.timezone.choices = [("", _("– from the country –"))] + [(name, name) for name in zone_names()]
    form.languages.choices = language_choices(locale)
    for select_field, current in ((form.lead_contact_id, delegation and delegation.lead_contact_id),
                                  (form.deputy_contact_id, delegation and delegation.deputy_contact_id)):
        select_field.choices = [("", _("– none –"))] + queries.contact_choices(include_id=current)
    form.partner_city_id.choices = [("", _("– none –"))] + partner_choices(delegation and delegation.partner_city_id)
    travelling = delegation.travelling_principals if delegation is not None else []
    form.travelling_principal_ids.choices = queries.principal_choices() + [
        (str(principal.id), principal.label) for principal in travelling if not principal.active]
    if delegation is not None and request.method == "GET":
        form.arrival_at.data = to_wall_clock(delegation.arrival_at, delegation.timezone)
        form.departure_at.data = to_wall_clock(delegation.departure_at, delegation.timezone)
        form.travelling_principal_ids.data = [str(principal.id) for principal in travelling]
    return form


def lead_room_of(form: DelegationForm, delegation: Delegation | None):
    """Who has room in the weeks of the visit: shown beside the lead contact select (workload board)."""
    home_zone = current_app.config["HOME_TIMEZONE"]
    return lead_room_for_form(form, delegation, home_zone, utc_now().astimezone(zone(home_zone)).date())


@blueprint.route("/delegations/new", methods=["GET", "POST"])
@planner_required
def new_delegation():
    direction = request.args.get("direction", Direction.INCOMING.value)
    # "Plan a visit" on a partner's dossier opens this form with the partner's city filled in.
    form = delegation_form(direction=direction if direction in Direction._value2member_map_ else "incoming",
                           **visit_defaults(request.args.get("partner_city_id", type=int)))
    if form.validate_on_submit():
        changes = operations.delegation_changes(form, current_app.config["HOME_TIMEZONE"])
        if changes is not None:
            delegation = Delegation(**changes)
            db.session.add(delegation)
            db.session.commit()
            flash(_("“%(title)s” has been created.", title=delegation.title), "success")
            return redirect(url_for("visits.show_delegation", delegation_id=delegation.id))
    elif form.is_submitted():
        operations.stay_instants(form, current_app.config["HOME_TIMEZONE"])  # every problem at once
    return render_template("visits/delegation_form.html", form=form, delegation=None,
                           lead_room=lead_room_of(form, None))


@blueprint.route("/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_delegation(delegation_id: int):
    delegation = get_delegation(delegation_id)
    form = delegation_form(delegation)
    if form.validate_on_submit():
        changes = operations.delegation_changes(form, current_app.config["HOME_TIMEZONE"])
        if changes is not None and save_or_report_conflict(delegation, form, changes):
            stray = operations.items_outside_stay(delegation, delegation.arrival_at, delegation.departure_at)
            if stray:
                flash(_("Saved. %(count)s programme items now lie outside the stay; they are marked in the programme.",
                        count=len(stray)), "warning")
            else:
                flash(_("“%(title)s” has been saved.", title=delegation.title), "success")
            return redirect(url_for("visits.show_delegation", delegation_id=delegation.id))
    elif form.is_submitted():
        operations.stay_instants(form, current_app.config["HOME_TIMEZONE"])  # every problem at once
    return render_template("visits/delegation_form.html", form=form, delegation=delegation,
                           lead_room=lead_room_of(form, delegation))


@blueprint.route("/delegations/<int:delegation_id>/delete", methods=["POST"])
@planner_required
def delete_delegation(delegation_id: int):
    delegation = get_delegation(delegation_id)
    title = delegation.title
    if problem := delete_unless_changed(delegation, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("visits.edit_delegation", delegation_id=delegation_id))
    flash(_("“%(title)s” and its programme have been deleted.", title=title), "success")
    return redirect(url_for("visits.list_delegations"))


@blueprint.route("/delegations/<int:delegation_id>")
def show_delegation(delegation_id: int):
    delegation = queries.delegation_for_page(delegation_id) or abort(404)
    days = build_timeline(delegation.items, delegation.arrival_at, delegation.departure_at, delegation.timezone,
                          is_active=lambda item: item.status != ItemStatus.CANCELLED)
    return render_template("visits/delegation.html", delegation=delegation, days=days,
                           home_zone=current_app.config["HOME_TIMEZONE"],
                           conflict_panel=panels.delegation_panel(delegation))


# Members ---------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/members/new", methods=["GET", "POST"])
@planner_required
def new_member(delegation_id: int):
    delegation = get_delegation(delegation_id)
    form = MemberForm()
    if form.validate_on_submit():
        position = max((member.position for member in delegation.members), default=0) + 1
        member = Member(delegation=delegation, position=position, **operations.member_changes(form))
        db.session.add(member)
        db.session.commit()
        flash(_("%(name)s has been added.", name=member.name), "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("visits.new_member", delegation_id=delegation.id))
        return redirect(url_for("visits.show_delegation", delegation_id=delegation.id, _anchor="members"))
    return render_template("visits/member_form.html", form=form, delegation=delegation, member=None)


def get_member(delegation_id: int, member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None or member.delegation_id != delegation_id:
        abort(404)
    return member


@blueprint.route("/delegations/<int:delegation_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_member(delegation_id: int, member_id: int):
    member = get_member(delegation_id, member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit() and save_or_report_conflict(member, form, operations.member_changes(form)):
        flash(_("%(name)s has been saved.", name=member.name), "success")
        return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="members"))
    return render_template("visits/member_form.html", form=form, delegation=member.delegation, member=member)


@blueprint.route("/delegations/<int:delegation_id>/members/<int:member_id>/delete", methods=["POST"])
@planner_required
def delete_member(delegation_id: int, member_id: int):
    member = get_member(delegation_id, member_id)
    name = member.name
    if problem := delete_unless_changed(member, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("visits.edit_member", delegation_id=delegation_id, member_id=member_id))
    flash(_("%(name)s has been removed from the delegation.", name=name), "success")
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="members"))


@blueprint.route("/delegations/<int:delegation_id>/members/import", methods=["GET", "POST"])
@planner_required
def import_members(delegation_id: int):
    delegation = get_delegation(delegation_id)
    form = MemberImportForm()
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        try:
            parsed = parse_member_file(upload.filename or "", upload.read(),
                                       max_rows=current_app.config["IMPORT_MAX_ROWS"])
        except MemberFileError as error:
            form.spreadsheet.errors.append(str(error))
        else:
            pending = MemberImport(delegation_id=delegation.id, created_by_id=current_user.id,
                                   filename=upload.filename or "", rows=parsed.rows)
            db.session.add(pending)
            db.session.commit()
            return render_template("visits/member_import_preview.html", delegation=delegation, parsed=parsed,
                                   pending=pending)
    return render_template("visits/member_import.html", form=form, delegation=delegation)


@blueprint.route("/delegations/<int:delegation_id>/members/import/<int:import_id>", methods=["POST"])
@planner_required
def confirm_member_import(delegation_id: int, import_id: int):
    pending = db.session.get(MemberImport, import_id)
    if pending is None or pending.delegation_id != delegation_id:
        flash(_("This import was already completed or discarded. Upload the file again if needed."), "warning")
        return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="members"))
    delegation = get_delegation(delegation_id)
    if request.form.get("decision") == "import":
        added = operations.import_members(delegation, pending.rows)
        flash(_("%(count)s members have been imported.", count=len(added)), "success")
    else:
        flash(_("The import has been discarded; nothing was changed."), "info")
    db.session.delete(pending)
    db.session.commit()
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="members"))


# Programme items -------------------------------------------------------------------------------

def item_form(delegation: Delegation, item: ProgrammeItem | None = None):
    form_class = operations.item_form_class(delegation, current_locale_code())
    form = form_class(obj=item)
    form.venue_id.choices = [("", _("– none –"))] + queries.venue_choices()
    form.principal_id.choices = [("", _("– none –"))] + queries.principal_choices()
    form.responsible_id.choices = [("", _("– none –"))] + queries.contact_choices(
        include_id=item.responsible_id if item else None)
    if request.method == "GET":
        if item is not None:
            form.starts_at.data = to_wall_clock(item.starts_at, delegation.timezone)
            form.ends_at.data = to_wall_clock(item.ends_at, delegation.timezone)
            operations.fill_translation_fields(form, item, delegation)
        else:
            start = suggested_start(delegation, request.args.get("day"))
            form.starts_at.data, form.ends_at.data = start, start + timedelta(hours=1)
        prefill_from_slot(form, request.args)  # a slot chosen on the slot page (itinerary)
    return form


def suggested_start(delegation: Delegation, day_text: str | None) -> datetime:
    """10:00 on the chosen day of the stay, or on the first day."""
    try:
        day = date.fromisoformat(day_text) if day_text else None
    except ValueError:
        day = None
    arrival = to_wall_clock(delegation.arrival_at, delegation.timezone)
    return datetime.combine(day or arrival.date(), time(10, 0))


@blueprint.route("/delegations/<int:delegation_id>/items/new", methods=["GET", "POST"])
@planner_required
def new_item(delegation_id: int):
    delegation = get_delegation(delegation_id)
    form = item_form(delegation)
    if form.validate_on_submit():
        changes = operations.item_changes(form, delegation)
        if changes is not None:
            item = ProgrammeItem(delegation=delegation, **changes)
            operations.apply_translations(item, form, delegation)
            db.session.add(item)
            db.session.commit()
            flash(_("“%(title)s” has been added to the programme.", title=item.title), "success")
            panels.flash_conflicts_of(item)
            return redirect(url_for("visits.show_delegation", delegation_id=delegation.id, _anchor=f"item-{item.id}"))
    elif form.is_submitted():
        operations.item_instants(form, delegation)  # every problem at once
    return render_template("visits/item_form.html", form=form, delegation=delegation, item=None)


def get_item(delegation_id: int, item_id: int) -> ProgrammeItem:
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.delegation_id != delegation_id:
        abort(404)
    return item


@blueprint.route("/delegations/<int:delegation_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_item(delegation_id: int, item_id: int):
    item = get_item(delegation_id, item_id)
    delegation = item.delegation
    form = item_form(delegation, item)
    if form.validate_on_submit():
        changes = operations.item_changes(form, delegation)
        if changes is not None:
            operations.apply_translations(item, form, delegation)
            if save_or_report_conflict(item, form, changes):
                flash(_("“%(title)s” has been saved.", title=item.title), "success")
                panels.flash_conflicts_of(item)
                return redirect(url_for("visits.show_delegation", delegation_id=delegation.id, _anchor=f"item-{item.id}"))
            db.session.rollback()
    elif form.is_submitted():
        operations.item_instants(form, delegation)  # every problem at once
    return render_template("visits/item_form.html", form=form, delegation=delegation, item=item)


@blueprint.route("/delegations/<int:delegation_id>/items/<int:item_id>/delete", methods=["POST"])
@planner_required
def delete_item(delegation_id: int, item_id: int):
    item = get_item(delegation_id, item_id)
    title = item.title
    if problem := delete_unless_changed(item, request.form.get("version")):
        flash(problem, "error")
        return redirect(url_for("visits.edit_item", delegation_id=delegation_id, item_id=item_id))
    flash(_("“%(title)s” has been removed from the programme.", title=title), "success")
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="programme"))
