"""History pages: a visit's timeline (also as a fragment for the visit page), everything for admins,
and restoring a deleted programme item or member."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from delegations.auth.access import admin_required, planner_required
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.history import recorder
from delegations.history.operations import RestoreError, all_history, delegation_history, restore_deleted
from delegations.history.recorder import ENTITY_CLASSES
from delegations.history.timeline import (ENTITY_KINDS, build_history, delegation_zones, field_label,
                                          restorable_entry_ids)
from delegations.models import AuditEntry, Delegation

blueprint = Blueprint("history", __name__)
RECENT_COUNT = 5
PAGE_SIZE = 50


@blueprint.record_once
def install_recorder(_state) -> None:
    recorder.install(db.session)


def _delegation(delegation_id: int) -> Delegation:
    return db.session.get(Delegation, delegation_id) or abort(404)


@blueprint.route("/delegations/<int:delegation_id>/history")
def delegation_page(delegation_id: int):
    delegation = _delegation(delegation_id)
    page = db.paginate(delegation_history(delegation.id), per_page=PAGE_SIZE, error_out=False)
    entries = list(page.items)
    timeline = build_history(entries, lambda entry: delegation.timezone, restorable_entry_ids(entries))
    return render_template("history/delegation.html", delegation=delegation, page=page, timeline=timeline,
                           field_label=field_label)


@blueprint.route("/delegations/<int:delegation_id>/history/recent")
def recent_fragment(delegation_id: int):
    """The latest changes, loaded into the visit page (htmx) so that page stays as fast as before."""
    delegation = _delegation(delegation_id)
    entries = list(db.session.scalars(delegation_history(delegation.id).limit(RECENT_COUNT)))
    timeline = build_history(entries, lambda entry: delegation.timezone)
    return render_template("history/_recent.html", delegation=delegation, timeline=timeline)


@blueprint.route("/delegations/<int:delegation_id>/history/<int:entry_id>/restore", methods=["POST"])
@planner_required
def restore(delegation_id: int, entry_id: int):
    begin_writing()
    entry = db.session.get(AuditEntry, entry_id)
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        flash(_("The visit no longer exists, so nothing can be restored into it."), "error")
        return redirect(url_for("visits.list_delegations"))
    if entry is None or entry.delegation_id != delegation.id:
        abort(404)
    try:
        result = restore_deleted(entry, delegation)
    except RestoreError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("history.delegation_page", delegation_id=delegation_id))
    db.session.commit()
    if result.dropped_references:
        flash(_("“%(name)s” has been restored. It referred to things deleted since (%(fields)s); please check it.",
                name=entry.summary, fields=", ".join(field_label(name) for name in result.dropped_references)),
              "warning")
    else:
        flash(_("“%(name)s” has been restored.", name=entry.summary), "success")
    anchor = f"item-{entry.entity_id}" if entry.entity_type == "programme_item" else "members"
    return redirect(url_for("visits.show_delegation", delegation_id=delegation_id, _anchor=anchor))


@blueprint.route("/history/")
@admin_required
def everything():
    """Every change, also to venues, contact persons and user accounts (administrators)."""
    entity_type = request.args.get("type", "")
    if entity_type and entity_type not in ENTITY_CLASSES:
        entity_type = ""
    page = db.paginate(all_history(entity_type), per_page=PAGE_SIZE, error_out=False)
    entries = list(page.items)
    home_zone = current_app.config["HOME_TIMEZONE"]
    zones = delegation_zones(entries, home_zone)
    timeline = build_history(entries, lambda entry: zones.get(entry.delegation_id, home_zone))
    kinds = [(name, label) for name, label in ENTITY_KINDS.items()]
    return render_template("history/everything.html", page=page, timeline=timeline, kinds=kinds,
                           entity_type=entity_type, home_zone=home_zone)
