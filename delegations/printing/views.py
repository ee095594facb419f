"""PDF downloads (programme, briefing, week overview), the week picker, guest links and the guest page."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from delegations.auth.access import planner_required, public
from delegations.config import public_base_url
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import Delegation, GuestLink, utc_now
from delegations.printing import documents, guest_links, queries
from delegations.printing.documents import (BRIEFING, WEEK, LanguageNotOffered, ProducedPdf,
                                            choose_language, current_settings, filename_stem, guest_url_for,
                                            programme_document_for)
from delegations.printing.forms import WeekForm
from delegations.printing.labels import labels_for, native_name, text_direction
from delegations.printing.pdf import RenderError, RenderTimeout
from delegations.printing.programme import build_programme, format_day
from delegations.printing.week import WeekError, build_week, week_bounds, week_label, week_monday
from delegations.releases.printed import remember_printed_copy
from delegations.releases.stamps import document_stamp

log = logging.getLogger(__name__)
blueprint = Blueprint("printing", __name__)

GUEST_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the address: never pass it on
    "X-Robots-Tag": "noindex, nofollow",
}


def public_root() -> str:
    """The app's public address for QR codes (PUBLIC_BASE_URL behind a proxy, else this request's host)."""
    return (public_base_url(current_app.config) or request.url_root).rstrip("/")


def pdf_response(produced: ProducedPdf, *, guest: bool = False):
    response = send_file(BytesIO(produced.data), mimetype=produced.content_type, download_name=produced.filename,
                         as_attachment=False, etag=produced.key, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-PDF-Cache"] = "hit" if produced.from_cache else "miss"
    if guest:
        response.headers.update(GUEST_HEADERS)
    return response


def produce_or_abort(document, subject, language: str, stem: str, **extra) -> ProducedPdf:
    try:
        return documents.produce(document, subject, language, current_settings(), filename_stem=stem, **extra)
    except RenderTimeout:
        log.error("PDF %s for %s took too long and was stopped", document.name, stem)
        abort(503, description=_("The document took too long to prepare. Please try again in a moment."))
    except RenderError:
        log.exception("PDF %s for %s failed", document.name, stem)
        abort(500)


def large_print_requested() -> bool:
    """?size=large: the large-print version (text of 14 pt or more, issue 11) of a programme or briefing."""
    return request.args.get("size") == "large"


def language_or_404(document, subject) -> str:
    try:
        return choose_language(document, subject, request.args.get("lang"))
    except LanguageNotOffered:
        abort(404, description=_("This document is not offered in that language."))


# Delegation documents ------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/programme.pdf")
def programme_pdf(delegation_id: int):
    delegation = queries.delegation_for_print(delegation_id) or abort(404)
    document = programme_document_for(delegation)
    language = language_or_404(document, delegation)
    large = large_print_requested()
    produced = produce_or_abort(document, delegation, language,
                                filename_stem(document.name, delegation.title, delegation.id) + ("-large" if large else ""),
                                guest_url=guest_url_for(delegation.id, public_root()), large_print=large)
    remember_printed_copy(delegation, kind="programme-large" if large else "programme", language=language,
                          user_id=current_user.id)  # so the planner sees stale printed copies (issue 9)
    return pdf_response(produced)


@blueprint.route("/delegations/<int:delegation_id>/briefing.pdf")
def briefing_pdf(delegation_id: int):
    delegation = queries.delegation_for_print(delegation_id) or abort(404)
    language = language_or_404(BRIEFING, delegation)
    large = large_print_requested()
    produced = produce_or_abort(BRIEFING, delegation, language,
                                filename_stem("briefing", delegation.title, delegation.id) + ("-large" if large else ""),
                                large_print=large)
    return pdf_response(produced)


# The week overview ---------------------------------------------------------------------------------

def load_week(monday: date):
    home_zone = current_app.config["HOME_TIMEZONE"]
    start, end = week_bounds(monday, home_zone)
    items = queries.week_items(start, end)
    visits = queries.week_visits(start, end, {item.delegation_id for item in items})
    return build_week(monday, items, visits, home_zone)


def today_at_home() -> date:
    return utc_now().astimezone(ZoneInfo(current_app.config["HOME_TIMEZONE"])).date()


@blueprint.route("/printing/week.pdf")
def week_pdf():
    try:
        monday = week_monday(request.args.get("week"), today_at_home())
    except WeekError:
        abort(404, description=_("Please give a week as 2027-W19 or a date such as 2027-05-12."))
    language = language_or_404(WEEK, None)
    produced = produce_or_abort(WEEK, load_week(monday), language, f"week-{week_label(monday)}")
    return pdf_response(produced)


@blueprint.route("/printing/week")
def week_page():
    form = WeekForm(request.args)
    today = today_at_home()
    try:
        monday = week_monday(form.week.data, today)
    except WeekError:
        form.week.errors = [_("Please give a week as 2027-W19 or a date such as 2027-05-12.")]
        monday = week_monday("", today)
    week = load_week(monday)
    if not form.week.data or form.week.errors:
        form.week.data = week.label
    upcoming = upcoming_weeks(week_monday("", today), count=8)
    return render_template("printing/week.html", form=form, week=week, upcoming=upcoming,
                           previous_week=week_label(monday - timedelta(days=7)),
                           next_week=week_label(monday + timedelta(days=7)))


@dataclass(frozen=True)
class UpcomingWeek:
    monday: date
    label: str
    appointments: int


def upcoming_weeks(first_monday: date, count: int) -> list[UpcomingWeek]:
    """The next weeks with how many appointments of principals each holds (one query)."""
    home_zone = current_app.config["HOME_TIMEZONE"]
    start, _ = week_bounds(first_monday, home_zone)
    _, end = week_bounds(first_monday + timedelta(days=7 * (count - 1)), home_zone)
    counts: dict[date, int] = {}
    zone = ZoneInfo(home_zone)
    for instant in queries.week_counts(start, end):
        day = instant.astimezone(zone).date()
        monday = day - timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    mondays = [first_monday + timedelta(days=7 * offset) for offset in range(count)]
    return [UpcomingWeek(monday, week_label(monday), counts.get(monday, 0)) for monday in mondays]


# Guest links ---------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/guest-link", methods=["POST"])
@planner_required
def create_guest_link(delegation_id: int):
    begin_writing()
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    try:
        guest_links.create_link(delegation, current_user, current_app.config["SECRET_KEY"])
    except guest_links.GuestLinkError:
        flash(_("This visit has a guest link already. Revoke it first to issue a new one."), "warning")
    else:
        db.session.commit()
        flash(_("The guest link has been created. Printed programmes now carry its QR code."), "success")
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="guest-link"))


@blueprint.route("/delegations/<int:delegation_id>/guest-link/<int:link_id>/revoke", methods=["POST"])
@planner_required
def revoke_guest_link(delegation_id: int, link_id: int):
    begin_writing()
    link = db.session.get(GuestLink, link_id)
    if link is None or link.delegation_id != delegation_id:
        abort(404)
    if guest_links.revoke_link(link):
        db.session.commit()
        flash(_("The guest link has been revoked: it opens nothing any more, also from printed copies."), "success")
    else:
        flash(_("This guest link was revoked already."), "info")
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor="guest-link"))


# The guest page ------------------------------------------------------------------------------------

def guest_link_or_404(token: str) -> int:
    """The delegation id of an active guest link; notes the visit in a short transaction of its own,
    so that rendering later never holds the write lock."""
    begin_writing()
    link = guest_links.find_active(token)
    if link is None:
        db.session.rollback()
        abort(404)
    delegation_id = link.delegation_id
    guest_links.record_use(link)
    db.session.commit()
    return delegation_id


@blueprint.route("/p/<token>")
@public
def guest_programme(token: str):
    delegation = queries.delegation_for_print(guest_link_or_404(token)) or abort(404)
    document = programme_document_for(delegation)
    language = language_or_404(document, delegation)
    settings = current_settings()
    with force_locale(document.locale_for(language)):
        programme = build_programme(delegation, language, settings)
        labels = labels_for(language)
        offered = [(code, native_name(code)) for code in document.languages(delegation)]
        page = render_template("printing/guest.html", programme=programme, L=labels, token=token,
                               language=language, offered=offered, direction=text_direction(labels.language),
                               format_day=format_day, release=document_stamp(delegation))
    response = current_app.make_response(page)
    response.headers.update(GUEST_HEADERS)
    return response


@blueprint.route("/p/<token>/programme.pdf")
@public
def guest_programme_pdf(token: str):
    delegation = queries.delegation_for_print(guest_link_or_404(token)) or abort(404)
    document = programme_document_for(delegation)
    language = language_or_404(document, delegation)
    large = large_print_requested()
    produced = produce_or_abort(document, delegation, language,
                                filename_stem(document.name, delegation.title, delegation.id) + ("-large" if large else ""),
                                guest_url=guest_url_for(delegation.id, public_root()), large_print=large)
    remember_printed_copy(delegation, kind="guest", language=language, user_id=None)
    return pdf_response(produced, guest=True)


# The panels on the delegation page -----------------------------------------------------------------

@dataclass(frozen=True)
class DocumentLink:
    label: str
    url: str
    language: str


@dataclass(frozen=True)
class PrintPanel:
    programme: list[DocumentLink]
    programme_title: str
    briefing: list[DocumentLink]
    links: list[GuestLink]
    active: GuestLink | None
    active_url: str | None


def print_panel(delegation) -> PrintPanel:
    """What the Print and Guest link panels of a delegation page show (two small queries)."""
    document = programme_document_for(delegation)
    programme = [DocumentLink(native_name(code), url_for("printing.programme_pdf", delegation_id=delegation.id,
                                                         lang=code), code)
                 for code in document.languages(delegation)]
    briefing = [DocumentLink(native_name(code), url_for("printing.briefing_pdf", delegation_id=delegation.id,
                                                        lang=code), code)
                for code in BRIEFING.languages(delegation)]
    links = guest_links.links_of(delegation.id) if current_user.may("planner") else []
    active = next((link for link in links if link.is_active), None)
    active_url = None
    if active is not None:
        token = guest_links.token_for(active, current_app.config["SECRET_KEY"])
        if token is not None:
            active_url = public_root() + documents.guest_path(token)
    return PrintPanel(programme, str(document.title), briefing, links, active, active_url)


@blueprint.app_context_processor
def inject_print_panel():
    return {"print_panel": print_panel}
