"""Pages for planning around the principals' diaries: a delegation's conflicts, free slots, the arrangement."""
from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from delegations.auth.access import planner_required
from delegations.constants import ItemStatus, PrincipalKind, ProtocolLevel
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.itinerary import operations
from delegations.itinerary.forms import AcknowledgeForm, ArrangementRequestForm, SlotForm, check_time_window
from delegations.itinerary.panels import delegation_panel
from delegations.itinerary.proposals import propose, side_by_side
from delegations.models import ArrangementRequest, Delegation, Principal, ProgrammeItem
from delegations.planning.loading import deputies_in_order, planning_settings, schedule_for_delegation
from delegations.planning.slots import SlotQuery, find_slots
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.templating import current_locale_code
from delegations.visits import queries
from delegations.zones import to_wall_clock

blueprint = Blueprint("itinerary", __name__)


def delegation_with_items(delegation_id: int) -> Delegation:
    delegation = db.session.scalar(select(Delegation).where(Delegation.id == delegation_id)
                                   .options(selectinload(Delegation.items)))
    return delegation or abort(404)


@blueprint.app_template_filter("wall_clock_text")
def wall_clock_text(instant, zone_name: str) -> str:
    """An instant as the wall-clock value of a date-time field of the place ("2027-05-03T10:00")."""
    return to_wall_clock(instant, zone_name).strftime("%Y-%m-%dT%H:%M")


@blueprint.app_template_filter("iso_day")
def iso_day(text: str) -> str:
    """An ISO date (as stored in a request's allowed days) as a short local day name."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return format_date(day, format="EEE d.M.", locale=current_locale_code())


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


# Conflicts ------------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/conflicts")
def show_conflicts(delegation_id: int):
    delegation = delegation_with_items(delegation_id)
    panel = delegation_panel(delegation)
    template = "planning/_conflicts_panel.html" if is_htmx() else "planning/conflicts.html"
    return render_template(template, delegation=delegation, conflict_panel=panel)


def _after_conflict_action(delegation: Delegation, notice: str, category: str):
    """htmx: the refreshed panel with the notice in it; otherwise back to the delegation's page (PRG)."""
    if is_htmx():
        db.session.expire_all()
        return render_template("planning/_conflicts_panel.html", delegation=delegation,
                               conflict_panel=delegation_panel(delegation_with_items(delegation.id)),
                               notice=notice, notice_category=category)
    flash(notice, category)
    return redirect(url_for("visits.show_delegation", delegation_id=delegation.id, _anchor="conflicts"))


@blueprint.route("/delegations/<int:delegation_id>/conflicts/acknowledge", methods=["POST"])
@planner_required
def acknowledge_conflict(delegation_id: int):
    begin_writing()
    delegation = delegation_with_items(delegation_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit() or not form.reason.data.strip():
        return _after_conflict_action(delegation, _("Please say why the conflict is acceptable."), "error")
    try:
        operations.acknowledge(delegation, form.key.data, form.fingerprint.data, form.reason.data, current_user)
        db.session.commit()
    except operations.PlanningRefused as refused:
        db.session.rollback()
        return _after_conflict_action(delegation, " ".join(refused.messages), "warning")
    except IntegrityError:  # acknowledged at the same moment by someone else
        db.session.rollback()
        return _after_conflict_action(delegation, _("Someone acknowledged this conflict at the same moment."),
                                      "info")
    return _after_conflict_action(delegation, _("The conflict is acknowledged. It will be shown again if its "
                                                "items or the busy time change."), "success")


@blueprint.route("/delegations/<int:delegation_id>/conflicts/withdraw", methods=["POST"])
@planner_required
def withdraw_acknowledgement(delegation_id: int):
    begin_writing()
    delegation = delegation_with_items(delegation_id)
    operations.withdraw_acknowledgement(request.form.get("key", ""))
    db.session.commit()
    return _after_conflict_action(delegation, _("The acknowledgement has been withdrawn."), "success")


# Free slots -------------------------------------------------------------------------------------------

def slot_form(delegation: Delegation) -> SlotForm:
    form = SlotForm(request.args)
    active = [item for item in delegation.items if item.status != ItemStatus.CANCELLED]
    form.item_id.choices = [("", _("– a new item –"))] + [
        (str(item.id), f"{item.title} ({to_wall_clock(item.starts_at, delegation.timezone):%d.%m. %H:%M})")
        for item in active]
    form.principal_id.choices = [("", _("– none –"))] + queries.principal_choices()
    form.venue_id.choices = [("", _("– none –"))] + queries.venue_choices()
    form.responsible_id.choices = [("", _("– none –"))] + queries.contact_choices()
    form.days.choices = operations.stay_day_choices(delegation, current_locale_code())
    item = next((item for item in active if item.id == form.item_id.data), None)
    if item is not None and "duration" not in request.args:
        # Starting from an item: look for its length, principal, venue and contact.
        form.duration.data = item.duration_minutes
        form.principal_id.data, form.venue_id.data = item.principal_id, item.venue_id
        form.responsible_id.data = item.responsible_id
        form.title.data = item.title
    return form


@blueprint.route("/delegations/<int:delegation_id>/slots")
def find_slot(delegation_id: int):
    delegation = delegation_with_items(delegation_id)
    form = slot_form(delegation)
    result = schedule = None
    searched = "duration" in request.args or "item_id" in request.args
    if searched and form.validate() and check_time_window(form):
        schedule = schedule_for_delegation(delegation)
        query = SlotQuery(delegation.id, timedelta(minutes=form.duration.data or 60), form.principal_id.data,
                          form.venue_id.data, form.responsible_id.data,
                          operations.parse_days(form.days.data), form.earliest.data, form.latest.data,
                          form.item_id.data, (form.title.data or "").strip())
        principal = schedule.principals.get(form.principal_id.data)
        deputies = deputies_in_order(schedule) if (
            principal is not None and principal.kind == PrincipalKind.MAYOR.value
            and delegation.protocol_level == ProtocolLevel.MAYOR) else ()
        result = find_slots(query, schedule, grid_minutes=planning_settings()["grid_minutes"], deputies=deputies)
    return render_template("planning/slots.html", delegation=delegation, form=form, result=result,
                           schedule=schedule, searched=searched)


# Arrangement ------------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/arrange")
@planner_required
def arrange_page(delegation_id: int):
    delegation = delegation_with_items(delegation_id)
    rows = db.session.scalars(
        select(ArrangementRequest).where(ArrangementRequest.delegation_id == delegation.id)
        .options(selectinload(ArrangementRequest.principal), selectinload(ArrangementRequest.venue),
                 selectinload(ArrangementRequest.relative_item), selectinload(ArrangementRequest.relative_request))
        .order_by(ArrangementRequest.priority.desc(), ArrangementRequest.position, ArrangementRequest.id)).all()
    movable = [item for item in delegation.items if item.status == ItemStatus.TENTATIVE]
    return render_template("planning/arrange.html", delegation=delegation, rows=rows, movable=movable)


def request_form(delegation: Delegation, row: ArrangementRequest | None = None) -> ArrangementRequestForm:
    form = ArrangementRequestForm(obj=row)
    form.principal_id.choices = [("", _("– none –"))] + queries.principal_choices()
    form.venue_id.choices = [("", _("– none –"))] + queries.venue_choices()
    form.responsible_id.choices = [("", _("– none –"))] + queries.contact_choices(
        include_id=row.responsible_id if row else None)
    form.days.choices = operations.stay_day_choices(delegation, current_locale_code())
    others = db.session.scalars(select(ArrangementRequest).where(
        ArrangementRequest.delegation_id == delegation.id, ArrangementRequest.id != (row.id if row else -1))
        .order_by(ArrangementRequest.position)).all()
    form.relative.choices = [("", _("– none –"))] + [
        (f"item:{item.id}", f"{item.title} ({to_wall_clock(item.starts_at, delegation.timezone):%d.%m. %H:%M})")
        for item in delegation.items if item.status != ItemStatus.CANCELLED] + [
        (f"request:{other.id}", _("%(title)s (to be placed)", title=other.title)) for other in others]
    if row is not None and request.method == "GET":
        form.earliest.data, form.latest.data = row.earliest_time, row.latest_time
        form.priority.data = str(row.priority)
        form.days.data = list(row.days or [])
        if row.relative_item_id:
            form.relative.data = f"item:{row.relative_item_id}"
        elif row.relative_request_id:
            form.relative.data = f"request:{row.relative_request_id}"
    elif row is None and request.method == "GET":
        if delegation.protocol_level == ProtocolLevel.MAYOR:  # received by the Mayor: ask for the Mayor first
            form.principal_id.data = db.session.scalar(select(Principal.id).where(
                Principal.kind == PrincipalKind.MAYOR, Principal.active.is_(True)).order_by(Principal.rank))
    return form


@blueprint.route("/delegations/<int:delegation_id>/arrange/requests/new", methods=["GET", "POST"])
@planner_required
def new_request(delegation_id: int):
    delegation = delegation_with_items(delegation_id)
    form = request_form(delegation)
    if form.validate_on_submit() and check_time_window(form) and form.validate_order():
        row = operations.add_request(delegation, operations.request_changes(form))
        db.session.commit()
        flash(_("“%(title)s” is among the items to place.", title=row.title), "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("itinerary.new_request", delegation_id=delegation.id))
        return redirect(url_for("itinerary.arrange_page", delegation_id=delegation.id))
    return render_template("planning/request_form.html", form=form, delegation=delegation, row=None)


def get_request(delegation_id: int, request_id: int) -> ArrangementRequest:
    row = db.session.get(ArrangementRequest, request_id)
    if row is None or row.delegation_id != delegation_id:
        abort(404)
    return row


@blueprint.route("/delegations/<int:delegation_id>/arrange/requests/<int:request_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_request(delegation_id: int, request_id: int):
    row = get_request(delegation_id, request_id)
    delegation = delegation_with_items(delegation_id)
    form = request_form(delegation, row)
    if form.validate_on_submit() and check_time_window(form) and form.validate_order():
        if save_or_report_conflict(row, form, operations.request_changes(form)):
            flash(_("“%(title)s” has been saved.", title=row.title), "success")
            return redirect(url_for("itinerary.arrange_page", delegation_id=delegation_id))
    return render_template("planning/request_form.html", form=form, delegation=delegation, row=row)


@blueprint.route("/delegations/<int:delegation_id>/arrange/requests/<int:request_id>/delete", methods=["POST"])
@planner_required
def delete_request(delegation_id: int, request_id: int):
    row = get_request(delegation_id, request_id)
    title = row.title
    if problem := delete_unless_changed(row, request.form.get("version")):
        flash(problem, "error")
    else:
        flash(_("“%(title)s” is no longer among the items to place.", title=title), "success")
    return redirect(url_for("itinerary.arrange_page", delegation_id=delegation_id))


@blueprint.route("/delegations/<int:delegation_id>/arrange/items/<int:item_id>/fixed", methods=["POST"])
@planner_required
def set_item_fixed(delegation_id: int, item_id: int):
    begin_writing()
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.delegation_id != delegation_id:
        abort(404)
    fixed = request.form.get("fixed") == "1"
    opened = request.form.get("version", "")
    if opened.isdigit() and int(opened) != item.version:
        flash(_("Someone else changed “%(title)s” meanwhile; look again.", title=item.title), "warning")
    else:
        operations.set_fixed(item, fixed)
        db.session.commit()
        flash(_("“%(title)s” stays where it is.", title=item.title) if fixed else
              _("“%(title)s” may be moved by the arrangement.", title=item.title), "success")
    return redirect(url_for("itinerary.arrange_page", delegation_id=delegation_id, _anchor="movable"))


@blueprint.route("/delegations/<int:delegation_id>/arrange/proposal")
@planner_required
def show_proposal(delegation_id: int):
    delegation = delegation_with_items(delegation_id)
    arrangement = propose(delegation)
    return render_template("planning/proposal.html", delegation=delegation, arrangement=arrangement,
                           days=side_by_side(arrangement), schedule=arrangement.schedule,
                           proposal=arrangement.proposal)


@blueprint.route("/delegations/<int:delegation_id>/arrange/accept", methods=["POST"])
@planner_required
def accept_proposal(delegation_id: int):
    begin_writing()
    delegation = delegation_with_items(delegation_id)
    every_key = request.form.getlist("key")
    keys = every_key if request.form.get("scope") == "all" else [
        key for key in request.form.getlist("accept") if key in every_key]
    chosen = operations.parse_chosen(request.form, keys)
    if not chosen:
        flash(_("Nothing was chosen, so nothing has changed."), "info")
        return redirect(url_for("itinerary.show_proposal", delegation_id=delegation_id))
    try:
        created, moved = operations.accept(delegation, chosen)
        db.session.commit()
    except operations.PlanningRefused as refused:
        db.session.rollback()
        flash(_("Nothing has been changed:"), "error")
        for message in refused.messages[:6]:
            flash(message, "error")
        return redirect(url_for("itinerary.show_proposal", delegation_id=delegation_id))
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed the programme at the same moment; nothing has been changed. Arrange again."),
              "error")
        return redirect(url_for("itinerary.show_proposal", delegation_id=delegation_id))
    flash(_("Accepted: %(created)s new items, %(moved)s items moved.", created=len(created), moved=len(moved)),
          "success")
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="programme"))
