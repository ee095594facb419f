"""The gift register: gifts given and received per visit, approval, photo, what became of them, the year's
export for the council's annual report, and a warning before the same counterpart gets the same gift again."""
from __future__ import annotations

import os
from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from delegations.auth.access import planner_required
from delegations.extensions import db
from delegations.models import Delegation, Gift
from delegations.models.protocol import GiftApproval, GiftDirection, GiftFate
from delegations.protocol import operations, queries
from delegations.protocol.forms import GiftDecisionForm, GiftForm
from delegations.protocol.gifts import GiftFacts, GiftRules, write_csv, write_xlsx
from delegations.protocol.views import blueprint
from delegations.records import delete_unless_changed, save_or_report_conflict

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_PHOTO_MAX_BYTES = 3 * 1024 * 1024


def rules() -> GiftRules:
    return GiftRules.from_config(current_app.config)


def photo_folder() -> str:
    return current_app.config.get("GIFT_PHOTO_DIR") or os.path.join(current_app.instance_path, "gift-photos")


def photo_limit() -> int:
    return int(current_app.config.get("GIFT_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES))


def this_year() -> int:
    return operations.home_today(current_app.config["HOME_TIMEZONE"]).year


@blueprint.route("/protocol/gifts")
def gifts():
    year = request.args.get("year", type=int) or this_year()
    listed = queries.gifts_of_year(year)
    given = queries.gifts_given()
    repeats = {gift.id: operations.earlier_same_gifts(gift, given) for gift in listed
               if gift.direction == GiftDirection.GIVEN}
    years = sorted(set(queries.gift_years()) | {this_year(), year}, reverse=True)
    return render_template("protocol/gifts.html", gifts=listed, year=year, years=years, rules=rules(),
                           repeats=repeats, decision_form=GiftDecisionForm())


def gift_form(gift: Gift | None = None) -> GiftForm:
    form = GiftForm(obj=gift)
    visits = db.session.execute(select(Delegation.id, Delegation.title).order_by(Delegation.arrival_at.desc())).all()
    form.delegation_id.choices = [("", _("– no visit –"))] + [(str(row.id), row.title) for row in visits]
    if request.method == "GET":
        if gift is not None:
            form.value.data = gift.estimated_value
        else:
            delegation_id = request.args.get("delegation_id", type=int)
            delegation = db.session.get(Delegation, delegation_id) if delegation_id else None
            if delegation is not None:
                form.delegation_id.data = delegation.id
                form.counterpart_organisation.data = delegation.organisation or delegation.city
                form.recipient.data = delegation.head_name
                form.occasion.data = delegation.title
                form.given_on.data = operations.arrival_day(delegation)
            else:
                form.given_on.data = operations.home_today(current_app.config["HOME_TIMEZONE"])
            form.fate.data = GiftFate.UNDECIDED.value
    return form


FIELDS = ("delegation_id", "direction", "article", "description", "giver", "recipient", "counterpart_organisation",
          "occasion", "given_on", "location", "fate", "fate_note")


def gift_changes(form: GiftForm) -> dict:
    changes = {name: form[name].data for name in FIELDS}
    changes["direction"] = GiftDirection(changes["direction"])
    changes["fate"] = GiftFate(changes["fate"])
    changes["value_cents"] = operations.euro_to_cents(form.value.data)
    for name in ("article", "giver", "recipient", "counterpart_organisation", "occasion", "location"):
        changes[name] = (changes[name] or "").strip()
    delegation = db.session.get(Delegation, changes["delegation_id"]) if changes["delegation_id"] else None
    changes["visit_title"] = delegation.title if delegation is not None else ""
    return changes


def repeats_for(gift_id: int | None, changes: dict) -> list[Gift]:
    if changes["direction"] != GiftDirection.GIVEN:
        return []
    facts = GiftFacts(gift_id, changes["article"], changes["recipient"], changes["counterpart_organisation"],
                      changes["given_on"])
    return operations.earlier_same_gifts(facts, queries.gifts_given())


def take_photo(form: GiftForm) -> tuple[str, str, int] | None:
    """The uploaded photo stored (name, type, size), None without one; errors go to the form."""
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    data = upload.stream.read(photo_limit() + 1)
    try:
        return operations.store_photo(data, photo_folder(), photo_limit())
    except operations.PhotoError as error:
        form.photo.errors = [str(error)]
        raise


def back_to(gift: Gift):
    if request.form.get("back") == "visit" and gift.delegation_id:
        return redirect(url_for("protocol.visit", delegation_id=gift.delegation_id, _anchor="gifts"))
    return redirect(url_for("protocol.gifts", year=gift.given_on.year, _anchor=f"gift-{gift.id}"))


@blueprint.route("/protocol/gifts/new", methods=["GET", "POST"])
@planner_required
def new_gift():
    form = gift_form()
    repeats = []
    if form.validate_on_submit():
        changes = gift_changes(form)
        repeats = repeats_for(None, changes)
        if not repeats or request.form.get("confirm_repeat"):
            try:
                photo = take_photo(form)
            except operations.PhotoError:
                photo = False
            if photo is not False:
                gift = Gift(**changes, created_by_id=current_user.id)
                if photo:
                    gift.photo_file, gift.photo_type, gift.photo_bytes = photo
                operations.apply_gift_rules(gift, rules())
                db.session.add(gift)
                db.session.commit()
                flash(_("The gift “%(article)s” has been recorded.", article=gift.article), "success")
                if gift.approval == GiftApproval.PENDING:
                    flash(_("Its value is above %(amount)s euros or unknown: it needs approval.",
                            amount=rules().approval_threshold), "warning")
                return back_to(gift)
    return render_template("protocol/gift_form.html", form=form, gift=None, repeats=repeats, rules=rules(),
                           limit_mb=photo_limit() / 1024 / 1024)


def get_gift(gift_id: int) -> Gift:
    return db.session.get(Gift, gift_id) or abort(404)


@blueprint.route("/protocol/gifts/<int:gift_id>", methods=["GET", "POST"])
@planner_required
def edit_gift(gift_id: int):
    gift = get_gift(gift_id)
    form = gift_form(gift)
    repeats = []
    if form.validate_on_submit():
        changes = gift_changes(form)
        repeats = repeats_for(gift.id, changes)
        if not repeats or request.form.get("confirm_repeat"):
            old_photo = gift.photo_file
            try:
                photo = take_photo(form)
            except operations.PhotoError:
                photo = False
            if photo is not False:
                if photo:
                    changes.update(photo_file=photo[0], photo_type=photo[1], photo_bytes=photo[2])
                elif form.remove_photo.data:
                    changes.update(photo_file="", photo_type="", photo_bytes=0)
                changes["approval"] = operations.approval_for(gift.approval, changes["value_cents"], rules())
                if save_or_report_conflict(gift, form, changes):
                    if old_photo and old_photo != gift.photo_file:
                        operations.remove_photo(photo_folder(), old_photo)
                    flash(_("The gift “%(article)s” has been saved.", article=gift.article), "success")
                    return back_to(gift)
                if photo:  # not saved: the new file is not needed
                    operations.remove_photo(photo_folder(), photo[0])
    return render_template("protocol/gift_form.html", form=form, gift=gift, repeats=repeats, rules=rules(),
                           limit_mb=photo_limit() / 1024 / 1024)


@blueprint.route("/protocol/gifts/<int:gift_id>/decision", methods=["POST"])
@planner_required
def decide_gift(gift_id: int):
    gift = get_gift(gift_id)
    form = GiftDecisionForm()
    if form.validate_on_submit() and form.decision.data in ("approve", "refuse"):
        operations.decide_gift(gift, form.decision.data == "approve", form.note.data or "", current_user)
        db.session.commit()
        flash(_("The decision on “%(article)s” has been recorded: %(state)s.", article=gift.article,
                state=gift.approval.label), "success")
    return back_to(gift)


@blueprint.route("/protocol/gifts/<int:gift_id>/delete", methods=["POST"])
@planner_required
def delete_gift(gift_id: int):
    gift = get_gift(gift_id)
    year, photo, article = gift.given_on.year, gift.photo_file, gift.article
    if problem := delete_unless_changed(gift, request.form.get("version")):
        flash(problem, "error")
    else:
        if photo:
            operations.remove_photo(photo_folder(), photo)
        flash(_("The gift “%(article)s” has been removed from the register.", article=article), "success")
    return redirect(url_for("protocol.gifts", year=year))


@blueprint.route("/protocol/gifts/<int:gift_id>/photo")
def gift_photo(gift_id: int):
    gift = get_gift(gift_id)
    path = operations.photo_path(photo_folder(), gift.photo_file)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=gift.photo_type or "application/octet-stream", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.route("/protocol/gifts/<int:year>.csv")
def export_gifts_csv(year: int):
    header, rows = operations.gift_export_table(queries.gifts_of_year(year), rules())
    return send_file(BytesIO(write_csv(header, rows)), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name=f"gifts-{year}.csv", max_age=0)


@blueprint.route("/protocol/gifts/<int:year>.xlsx")
def export_gifts_xlsx(year: int):
    header, rows = operations.gift_export_table(queries.gifts_of_year(year), rules())
    return send_file(BytesIO(write_xlsx(header, rows, title=f"{_('Gifts')} {year}")), mimetype=XLSX_TYPE,
                     as_attachment=True, download_name=f"gifts-{year}.xlsx", max_age=0)
