"""Principals' pages: the list, the form with office hours, calendar import and subscription, busy blocks, the week."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from delegations.auth.access import planner_required
from delegations.calendars import operations, queries
from delegations.calendars.forms import (CalendarUploadForm, ManualBusyForm, PrincipalForm, SubscriptionForm,
                                         WeekForm)
from delegations.calendars.hours import DEFAULT_OFFICE_HOURS, compress_office_hours, describe_office_hours
from delegations.calendars.reader import CalendarError
from delegations.calendars.week import build_week, monday_of, week_bounds
from delegations.constants import PrincipalKind
from delegations.extensions import db
from delegations.forms import check_local_time_exists
from delegations.models import BusyBlock, Principal
from delegations.models.base import utc_now
from delegations.models.calendars import BusySource, CalendarSourceKind
from delegations.planning.availability import load_availability
from delegations.planning.rules import end_after_start_problem
from delegations.records import save_or_report_conflict
from delegations.templating import current_locale_code
from delegations.zones import to_wall_clock

blueprint = Blueprint("calendars", __name__, url_prefix="/principals")

PRINCIPAL_FIELDS = ("name", "title", "kind", "rank", "office_email", "active")
EXTRA_OFFICE_HOUR_ROWS = 2


def home_zone() -> str:
    return current_app.config["HOME_TIMEZONE"]


def import_settings() -> operations.ImportSettings:
    return operations.ImportSettings.from_config(current_app.config)


def get_principal(principal_id: int) -> Principal:
    return db.session.get(Principal, principal_id) or abort(404)


@blueprint.route("/")
def list_principals():
    rows = queries.principals_with_calendars()
    hours = queries.office_hours_by_principal()
    locale = current_locale_code()
    described = {principal.id: describe_office_hours(hours.get(principal.id, []), locale) for principal, _c in rows}
    return render_template("calendars/principals.html", rows=rows, office_hours=described)


def principal_form(principal: Principal | None = None, hours=None) -> PrincipalForm:
    if request.method == "POST":
        return PrincipalForm()
    rows = compress_office_hours(hours if hours is not None else DEFAULT_OFFICE_HOURS)
    rows += [{"weekday": "", "start": None, "end": None}] * EXTRA_OFFICE_HOUR_ROWS
    calendar = queries.calendar_of(principal.id) if principal else None
    form = PrincipalForm(obj=principal, data={"office_hours": rows,
                                              "show_subjects": bool(calendar and calendar.show_subjects)})
    if principal is not None:
        form.kind.data = principal.kind.value
    return form


def principal_changes(form: PrincipalForm) -> dict:
    return {"name": form.name.data.strip(), "title": (form.title.data or "").strip(),
            "kind": PrincipalKind(form.kind.data), "rank": form.rank.data,
            "office_email": (form.office_email.data or "").strip(), "active": form.active.data}


@blueprint.route("/new", methods=["GET", "POST"])
@planner_required
def new_principal():
    form = principal_form()
    if form.validate_on_submit():
        principal = Principal(**principal_changes(form))
        db.session.add(principal)
        db.session.flush()
        operations.replace_office_hours(principal, form.office_hour_rows())
        operations.set_show_subjects(principal, form.show_subjects.data)
        db.session.commit()
        flash(_("%(name)s has been added.", name=principal.label), "success")
        return redirect(url_for("calendars.show_principal", principal_id=principal.id))
    return render_template("calendars/principal_form.html", form=form, principal=None)


@blueprint.route("/<int:principal_id>/edit", methods=["GET", "POST"])
@planner_required
def edit_principal(principal_id: int):
    principal = get_principal(principal_id)
    form = principal_form(principal, queries.office_hours_by_principal([principal.id]).get(principal.id, []))
    if form.validate_on_submit():
        # Office hours and the subject setting are saved in the same transaction as the principal.
        operations.replace_office_hours(principal, form.office_hour_rows())
        operations.set_show_subjects(principal, form.show_subjects.data)
        if save_or_report_conflict(principal, form, principal_changes(form)):
            flash(_("%(name)s has been saved.", name=principal.label), "success")
            return redirect(url_for("calendars.show_principal", principal_id=principal.id))
        db.session.rollback()
    return render_template("calendars/principal_form.html", form=form, principal=principal)


def render_principal(principal: Principal, *, upload_form=None, subscription_form=None, busy_form=None):
    """The principal's page; forms with errors are shown in place (the others fresh)."""
    now = utc_now()
    calendar = queries.calendar_of(principal.id)
    hours = queries.office_hours_by_principal([principal.id]).get(principal.id, [])
    if subscription_form is None:
        subscription_form = SubscriptionForm(url=calendar.url if calendar else "")
    return render_template(
        "calendars/principal.html", principal=principal, calendar=calendar,
        office_hours=describe_office_hours(hours, current_locale_code()),
        manual_blocks=queries.upcoming_manual_blocks(principal.id, now),
        imported_counts=queries.imported_block_counts(principal.id, now),
        tours=queries.tours_of(principal.id),
        upload_form=upload_form or CalendarUploadForm(), subscription_form=subscription_form,
        busy_form=busy_form or ManualBusyForm(), zone=home_zone(), settings=import_settings(),
        url_kind=CalendarSourceKind.URL)


@blueprint.route("/<int:principal_id>")
def show_principal(principal_id: int):
    return render_principal(get_principal(principal_id))


@blueprint.route("/<int:principal_id>/calendar/upload", methods=["POST"])
@planner_required
def upload_calendar(principal_id: int):
    principal = get_principal(principal_id)
    form = CalendarUploadForm()
    if not form.validate_on_submit():
        return render_principal(principal, upload_form=form)
    upload = form.calendar_file.data
    try:
        report = operations.import_calendar_data(principal, upload.read(), import_settings(),
                                                 filename=upload.filename or "", source_kind=CalendarSourceKind.UPLOAD)
    except CalendarError as error:
        db.session.commit()  # only the recorded error: the busy blocks are untouched
        form.calendar_file.errors.append(_("The file was not imported: %(problem)s The previous import is kept.",
                                           problem=str(error)))
        return render_principal(principal, upload_form=form)
    db.session.commit()
    flash(report.summary(), "success")
    for warning in report.warnings:
        flash(str(warning), "warning")
    return redirect(url_for("calendars.show_principal", principal_id=principal.id))


@blueprint.route("/<int:principal_id>/calendar/subscription", methods=["POST"])
@planner_required
def subscribe_calendar(principal_id: int):
    principal = get_principal(principal_id)
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return render_principal(principal, subscription_form=form)
    url = (form.url.data or "").strip()
    if not url:
        operations.unsubscribe(principal)
        db.session.commit()
        flash(_("The calendar subscription has been removed; the busy times imported so far are kept."), "success")
        return redirect(url_for("calendars.show_principal", principal_id=principal.id))
    try:
        calendar = operations.subscribe(principal, url)
    except CalendarError as error:
        form.url.errors.append(str(error))
        return render_principal(principal, subscription_form=form)
    db.session.commit()
    return _refresh(principal, calendar)


@blueprint.route("/<int:principal_id>/calendar/refresh", methods=["POST"])
@planner_required
def refresh_calendar(principal_id: int):
    principal = get_principal(principal_id)
    calendar = queries.calendar_of(principal.id)
    if calendar is None or not calendar.url:
        flash(_("No calendar address is set for this principal."), "error")
        return redirect(url_for("calendars.show_principal", principal_id=principal.id))
    return _refresh(principal, calendar)


def _refresh(principal: Principal, calendar):
    try:
        report = operations.refresh_calendar(calendar, import_settings())
    except CalendarError as error:
        db.session.commit()  # the recorded error and refresh time only
        flash(_("The calendar could not be refreshed: %(problem)s The previous import is kept.", problem=str(error)),
              "error")
    else:
        db.session.commit()
        flash(report.summary(), "success")
        for warning in report.warnings:
            flash(str(warning), "warning")
    return redirect(url_for("calendars.show_principal", principal_id=principal.id))


@blueprint.route("/<int:principal_id>/busy", methods=["POST"])
@planner_required
def add_busy_block(principal_id: int):
    principal = get_principal(principal_id)
    form = ManualBusyForm()
    zone = home_zone()
    if form.validate_on_submit() and check_local_time_exists(form.starts_at, zone) & check_local_time_exists(form.ends_at, zone):
        start, end = form.starts_at.instant(zone), form.ends_at.instant(zone)
        if problem := end_after_start_problem(start, end):
            form.ends_at.errors.append(problem)
        else:
            operations.add_manual_block(principal, start, end, form.label.data or "")
            db.session.commit()
            flash(_("The busy time has been added."), "success")
            return redirect(url_for("calendars.show_principal", principal_id=principal.id) + "#manual-busy")
    return render_principal(principal, busy_form=form)


@blueprint.route("/<int:principal_id>/busy/<int:block_id>/delete", methods=["POST"])
@planner_required
def delete_busy_block(principal_id: int, block_id: int):
    block = db.session.get(BusyBlock, block_id)
    if block is None or block.principal_id != principal_id or block.source != BusySource.MANUAL:
        abort(404)
    operations.delete_manual_block(block)
    db.session.commit()
    flash(_("The busy time has been deleted."), "success")
    return redirect(url_for("calendars.show_principal", principal_id=principal_id) + "#manual-busy")


@blueprint.route("/<int:principal_id>/week")
def show_week(principal_id: int):
    principal = get_principal(principal_id)
    zone = home_zone()
    form = WeekForm(request.args)
    form.validate()
    today = to_wall_clock(utc_now(), zone).date()
    chosen = form.day.data if form.day.data and not form.day.errors else today
    monday = monday_of(chosen)
    start, end = week_bounds(monday, zone)
    availability = load_availability([principal.id], start, end, home_zone=zone)[principal.id]
    has_hours = bool(queries.office_hours_by_principal([principal.id]).get(principal.id))
    visits = queries.visits_in(start, end)
    days = build_week(availability, monday, zone, visits=visits, has_office_hours=has_hours,
                      item_delegations=queries.item_delegations(principal.id, start, end))
    calendar = queries.calendar_of(principal.id)
    return render_template("calendars/week.html", principal=principal, days=days, monday=monday, zone=zone,
                           previous_week=monday - timedelta(days=7), next_week=monday + timedelta(days=7),
                           this_week=monday_of(today), today=today, form=form, calendar=calendar,
                           sunday=monday + timedelta(days=6))
