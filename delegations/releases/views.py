"""Programme versions: the panel on the delegation page, releasing (preview, confirm), versions, comparisons."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.config import public_base_url
from delegations.extensions import db
from delegations.models import Delegation, ProgrammeVersion
from delegations.releases import operations, queries
from delegations.releases.diff import Change, describe, diff
from delegations.releases.forms import CompareForm, ReleaseForm
from delegations.releases.notices import liaison_person, plan_notices
from delegations.releases.printed import copies_with_state
from delegations.releases.sending import (NoticeAttachments, liaison_candidates, liaison_language,
                                          notice_previews, planned_notices)
from delegations.releases.stamps import stamp_label

log = logging.getLogger(__name__)
blueprint = Blueprint("releases", __name__)

PANEL_CHANGES = 8  # the panel lists this many pending changes, then links to the whole summary


def delegation_or_404(delegation_id: int) -> Delegation:
    return queries.delegation_for_snapshot(delegation_id) or abort(404)


@dataclass(frozen=True)
class DescribedChange:
    change: Change
    text: str


def described(changes: list[Change]) -> list[DescribedChange]:
    return [DescribedChange(change, describe(change)) for change in changes]


# The panel on the delegation page --------------------------------------------------------------------

@dataclass(frozen=True)
class ReleasePanel:
    latest: ProgrammeVersion | None
    out_of_date: bool
    changes: list[DescribedChange]
    more_changes: int
    copies: list
    stale_copies: int
    next_number: int


def release_panel(delegation) -> ReleasePanel:
    """What the Programme versions panel shows (a fixed number of queries)."""
    pending = operations.pending_release(delegation)
    copies = copies_with_state(delegation.id, pending.snapshot)
    out_of_date = pending.latest is not None and not pending.up_to_date
    changes = described(pending.changes[:PANEL_CHANGES]) if out_of_date else []
    return ReleasePanel(pending.latest, out_of_date, changes, max(len(pending.changes) - PANEL_CHANGES, 0),
                        copies[:6], sum(1 for copy in copies if copy.stale), pending.number)


@blueprint.app_context_processor
def inject_release_helpers():
    return {"release_panel": release_panel, "release_stamp_label": stamp_label}


@blueprint.app_template_filter("release_stamp")
def release_stamp_filter(stamp, zone: str) -> str:
    """`{{ stamp|release_stamp(zone) }}`: a ReleaseStamp (from `release_stamp`) or a ProgrammeVersion in words,
    "Version 3, 12 March 2027, 14:05" (+ "data changed since" for an out-of-date stamp); "" for None."""
    if isinstance(stamp, ProgrammeVersion):
        stamp = queries.ReleaseStamp(stamp.number, stamp.released_at, False)
    return stamp_label(stamp, zone)


# Releasing -------------------------------------------------------------------------------------------

def staff_language() -> str:
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "de") or "de"


def release_form(delegation, pending: operations.PendingRelease, formdata=None) -> ReleaseForm:
    form = ReleaseForm(formdata=formdata) if formdata is not None else ReleaseForm()
    form.liaison.choices = [("", _("No, only the people concerned"))] + [
        (str(member.id), f"{member.name} – {member.function}, {member.email}" if member.function
         else f"{member.name}, {member.email}")
        for member in liaison_candidates(delegation)]
    if formdata is None:
        form.expected_number.data = pending.number
        form.expected_hash.data = pending.snapshot_hash
    return form


def render_release(delegation, pending, form, status: int = 200):
    notices = planned_notices(delegation, pending.changes, form.liaison.data,
                              staff_language=staff_language()) if pending.latest else []
    liaison_notice = None
    candidates = liaison_candidates(delegation)
    if pending.latest is not None and candidates and not form.liaison.data:
        # Show what the liaison would receive if included (the whole summary).
        liaison_notice = notice_previews(delegation, pending.number, plan_notices(
            pending.changes, staff_language=staff_language(), liaison=liaison_person(candidates[0]),
            liaison_language=liaison_language(delegation))[-1:])
    return render_template("releases/release.html", delegation=delegation, pending=pending, form=form,
                           changes=described(pending.changes),
                           previews=notice_previews(delegation, pending.number, notices),
                           liaison_preview=liaison_notice[0] if liaison_notice else None,
                           mail_configured=mail_configured()), status


def mail_configured() -> bool:
    from delegations.mail.settings import mail_configured as configured

    return configured(current_app.config)


@blueprint.route("/delegations/<int:delegation_id>/versions/release", methods=["GET"])
@planner_required
def release_preview(delegation_id: int):
    delegation = delegation_or_404(delegation_id)
    pending = operations.pending_release(delegation)
    if pending.up_to_date:
        flash(_("Version %(number)s is up to date with the data: there is nothing new to release.",
                number=pending.latest.number), "info")
        return redirect(url_for("releases.versions", delegation_id=delegation_id))
    form = release_form(delegation, pending)
    form.liaison.data = request.args.get("liaison", "")
    if form.liaison.data not in {value for value, _label in form.liaison.choices}:
        form.liaison.data = ""
    return render_release(delegation, pending, form)


@blueprint.route("/delegations/<int:delegation_id>/versions/release", methods=["POST"])
@planner_required
def release(delegation_id: int):
    delegation = delegation_or_404(delegation_id)
    pending = operations.pending_release(delegation)
    form = release_form(delegation, pending, formdata=request.form)
    if not form.validate():
        if form.expected_number.errors or form.expected_hash.errors:  # not typed by anyone: a stale or odd form
            flash(_("This release form is out of date. Please check the changes again."), "warning")
            return redirect(url_for("releases.release_preview", delegation_id=delegation_id))
        return render_release(delegation, pending, form, 400)
    try:
        version, pending = operations.release_version(
            delegation, current_user, expected_number=form.expected_number.data,
            expected_hash=form.expected_hash.data, note=form.note.data or "")
    except operations.AlreadyReleased as refused:
        db.session.rollback()
        flash(_("Version %(number)s has been released already (a second click, or another planner). "
                "Nothing was released or sent twice.", number=refused.args[0]), "warning")
        return redirect(url_for("releases.show_version", delegation_id=delegation_id, number=refused.args[0]))
    except operations.ChangedSincePreview:
        db.session.rollback()
        flash(_("The programme changed while you were looking at the preview. Please check the changes again."),
              "warning")
        return redirect(url_for("releases.release_preview", delegation_id=delegation_id))
    except operations.NothingToRelease:
        db.session.rollback()
        flash(_("Nothing changed since the latest version: there is nothing to release."), "info")
        return redirect(url_for("releases.versions", delegation_id=delegation_id))

    notices = planned_notices(delegation, pending.changes, form.liaison.data,
                              staff_language=staff_language()) if pending.latest else []
    attachments = NoticeAttachments(delegation, public_base_url(current_app.config) or request.url_root.rstrip("/"))
    try:
        result = operations.enqueue_notices(delegation, version, notices, attachment_for=attachments.pdf,
                                            home_city=current_app.config["HOME_CITY"])
    except attachments.render_errors:
        db.session.rollback()
        log.exception("the programme PDF for the notices of delegation %s could not be rendered", delegation_id)
        flash(_("The programme PDF for the notices could not be prepared, so nothing was released. "
                "Please try again in a moment."), "error")
        return redirect(url_for("releases.release_preview", delegation_id=delegation_id))
    attachments.note_copies(version.number, current_user.id)
    db.session.commit()
    flash(release_message(version, result), "success")
    if result.unreachable:
        flash(_("Without an e-mail address, these people were not notified: %(names)s. Please tell them yourself.",
                names=", ".join(notice.person.name for notice in result.unreachable)), "warning")
    if result.queued and not mail_configured():
        flash(_("No mail server is configured: the notices wait in the outbox until one is set up "
                "(see the mail settings)."), "warning")
    return redirect(url_for("releases.show_version", delegation_id=delegation_id, number=version.number))


def release_message(version, result) -> str:
    if version.number == 1:
        return _("Version 1 released. Later versions are compared with it; no notices are sent for a first version.")
    return ngettext("Version %(number)s released. %(num)s change notice is in the outbox.",
                    "Version %(number)s released. %(num)s change notices are in the outbox.", len(result.queued),
                    number=version.number)


# Reading versions ------------------------------------------------------------------------------------

@blueprint.route("/delegations/<int:delegation_id>/versions")
def versions(delegation_id: int):
    delegation = delegation_or_404(delegation_id)
    found = queries.versions_of(delegation_id)
    pending = operations.pending_release(delegation)
    form = compare_form(found, request.args or None)
    return render_template("releases/versions.html", delegation=delegation, versions=found, pending=pending,
                           counts=queries.notice_counts(delegation_id), form=form,
                           copies=copies_with_state(delegation_id, pending.snapshot))


def compare_form(found: list[ProgrammeVersion], formdata=None) -> CompareForm:
    form = CompareForm(formdata=formdata)
    choices = [(str(version.number), _("Version %(number)s", number=version.number)) for version in found]
    form.older.choices = choices
    form.newer.choices = [("current", _("Current data"))] + choices
    if formdata is None or not form.older.data:
        form.older.data = str(found[1].number) if len(found) > 1 else (choices[0][0] if choices else "")
        form.newer.data = str(found[0].number) if len(found) > 1 else "current"
    return form


@blueprint.route("/delegations/<int:delegation_id>/versions/compare")
def compare(delegation_id: int):
    delegation = delegation_or_404(delegation_id)
    found = queries.versions_of(delegation_id)
    if not found:
        flash(_("No version of this programme has been released yet."), "info")
        return redirect(url_for("releases.versions", delegation_id=delegation_id))
    form = compare_form(found, request.args or None)  # no choice yet: the latest two versions
    if not form.validate():
        return render_template("releases/compare.html", delegation=delegation, form=form, older=None, newer=None,
                               changes=[]), 400
    by_number = {str(version.number): version for version in found}
    older = by_number[form.older.data]
    if form.newer.data == "current":
        newer, new_snapshot = None, queries.current_snapshot(delegation)
    else:
        newer = by_number[form.newer.data]
        new_snapshot = newer.snapshot
    changes = described(diff(older.snapshot, new_snapshot))
    return render_template("releases/compare.html", delegation=delegation, form=form, older=older, newer=newer,
                           changes=changes)


@blueprint.route("/delegations/<int:delegation_id>/versions/<int:number>")
def show_version(delegation_id: int, number: int):
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    version = queries.version(delegation_id, number) or abort(404)
    previous = queries.version(delegation_id, number - 1) if number > 1 else None
    changes = described(operations.changes_between(previous, version))
    notices = queries.notices_of(delegation_id, number)
    return render_template("releases/version.html", delegation=delegation, version=version, previous=previous,
                           changes=changes, notices=notices, stamp=stamp_label(
                               queries.ReleaseStamp(version.number, version.released_at, False), delegation.timezone))
