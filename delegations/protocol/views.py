"""Protocol pages: a visit's protocol (precedence, receiving, items, plans, gifts, Golden Book, checklist,
needs), ranks and forms of address of members, city participants and the order of an event, ranking rules.

Table plans, gifts, the Golden Book and the checklist have their own modules on this blueprint.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from delegations.auth.access import planner_required
from delegations.constants import COMMON_LANGUAGES, MemberRole
from delegations.extensions import db
from delegations.i18n import language_name
from delegations.models import CityParticipant, FormOfAddress, Member, OfficeLevel, Principal, ProgrammeItem
from delegations.models.protocol import CityRole, Salutation
from delegations.people.forms import language_choices
from delegations.protocol import address, operations, queries, wording
from delegations.protocol.forms import (FormOfAddressForm, InterpretingForm, OfficeLevelForm, OverrideForm,
                                        ParticipantForm, PlanForm, RankForm, ReceiverForm)
from delegations.protocol.people import event_people, member_key, participant_key
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.templating import current_locale_code

blueprint = Blueprint("protocol", __name__)


def home_zone() -> str:
    return current_app.config["HOME_TIMEZONE"]


def today() -> date:
    return operations.home_today(home_zone())


def protocol_delegation(delegation_id: int):
    return queries.delegation_for_protocol(delegation_id) or abort(404)


def delegation_member(delegation, member_id: int) -> Member:
    member = next((member for member in delegation.members if member.id == member_id), None)
    return member or abort(404)


def delegation_item(delegation_id: int, item_id: int) -> ProgrammeItem:
    item = queries.item_for_protocol(item_id)
    if item is None or item.delegation_id != delegation_id:
        abort(404)
    return item


def to_visit(delegation_id: int, anchor: str | None = None):
    return redirect(url_for("protocol.visit", delegation_id=delegation_id, _anchor=anchor))


# The protocol of a visit --------------------------------------------------------------------------------------

@blueprint.route("/protocol/")
def index():
    return render_template("protocol/index.html", overdue=queries.overdue_tasks(today()),
                           signings=queries.planned_signings(), today=today(),
                           rules_missing=not queries.office_levels())


@blueprint.route("/delegations/<int:delegation_id>/protocol")
def visit(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    offices = queries.offices_by_key()
    people = event_people(delegation, offices_by_key=offices)
    receiving, reception_item = operations.propose_receiving(delegation, home_zone())
    items = operations.active_items(delegation)
    return render_template(
        "protocol/visit.html", delegation=delegation, people=people, receiving=receiving,
        reception_item=reception_item, items=items, gifts=queries.gifts_of_delegation(delegation.id),
        signing=queries.signing_of(delegation.id), meals=operations.meal_counts(delegation),
        interpreting=operations.interpreting_needs(delegation), today=today(),
        greetings=address.greetings([person.record for person in people.in_order], today()),
        arrival_day=operations.arrival_day(delegation), wording=wording, receiver_form=ReceiverForm())


@blueprint.route("/delegations/<int:delegation_id>/protocol/receiver", methods=["POST"])
@planner_required
def assign_receiver(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    form = ReceiverForm()
    form.principal_id.choices = [(principal.id, principal.label) for principal in
                                 db.session.scalars(select(Principal).where(Principal.active.is_(True)))]
    item = operations.reception_item(delegation)
    if item is None or not form.validate_on_submit():
        flash(_("There is no reception in the programme to assign a principal to."), "warning")
        return to_visit(delegation_id, "receiving")
    principal = db.session.get(Principal, form.principal_id.data)
    operations.assign_receiver(item, principal)
    db.session.commit()
    flash(_("%(name)s now receives the delegation at “%(item)s”.", name=principal.label, item=item.title), "success")
    return to_visit(delegation_id, "receiving")


# Ranks and forms of address ---------------------------------------------------------------------------------------

def language_select(locale: str, include: str = "") -> list[tuple[str, str]]:
    choices = language_choices(locale)
    if include and include not in COMMON_LANGUAGES:
        choices.append((include, language_name(include, locale)))
    return choices


def rank_form_for(delegation, member: Member) -> RankForm:
    rank = member.protocol_rank
    form = RankForm(obj=rank)
    locale = current_locale_code()
    form.office_level_id.choices = [("", _("– by role –"))] + queries.office_choices(
        rank.office_level_id if rank else None, locale)
    form.languages.choices = language_select(locale)
    form.native_language.choices = [("", _("– Latin script –"))] + language_select(
        locale, rank.native_language if rank else "")
    form.interprets_for_id.choices = [("", _("– nobody –"))] + [
        (str(other.id), other.name) for other in delegation.members if other.id != member.id]
    if rank is None and request.method == "GET":
        form.languages.data = list(delegation.languages or ())
    return form


@blueprint.route("/delegations/<int:delegation_id>/protocol/members/<int:member_id>", methods=["GET", "POST"])
def member(delegation_id: int, member_id: int):
    delegation = protocol_delegation(delegation_id)
    person = delegation_member(delegation, member_id)
    form = rank_form_for(delegation, person)
    if request.method == "POST":
        if not current_user.may("planner"):
            abort(403)
        if form.validate_on_submit():
            changes = {"office_level_id": form.office_level_id.data, "accredited_on": form.accredited_on.data,
                       "serving_since": form.serving_since.data, "ordinal": form.ordinal.data,
                       "salutation": Salutation(form.salutation.data), "languages": form.languages.data or [],
                       "native_name": (form.native_name.data or "").strip(),
                       "native_language": form.native_language.data or "",
                       "interprets_for_id": form.interprets_for_id.data}
            rank = operations.rank_for(person)
            if rank.id is None:
                for name, value in changes.items():
                    setattr(rank, name, value)
                db.session.commit()
                saved = True
            else:
                saved = save_or_report_conflict(rank, form, changes)
            if saved:
                flash(_("The protocol rank of %(name)s has been saved.", name=person.name), "success")
                return to_visit(delegation_id, "precedence")
    people = event_people(delegation, offices_by_key=queries.offices_by_key())
    return render_template("protocol/member.html", delegation=delegation, member=person, form=form,
                           position=people.order.position(member_key(person.id)), today=today(),
                           suggestion_languages=address.SUGGESTION_LANGUAGES)


def address_form_for(member: Member, form_of_address: FormOfAddress | None) -> FormOfAddressForm:
    form = FormOfAddressForm(obj=form_of_address)
    locale = current_locale_code()
    taken = {form.language for form in member.forms_of_address if form is not form_of_address}
    include = form_of_address.language if form_of_address else request.args.get("language", "")
    form.language.choices = [(code, label) for code, label in language_select(locale, include) if code not in taken]
    return form


def suggested_values(member: Member, language: str) -> dict:
    rank = member.protocol_rank
    office_key = rank.office_level.key if rank is not None and rank.office_level is not None else None
    salutation = Salutation(rank.salutation).value if rank is not None else "neutral"
    suggestion = address.suggest_form(office_key, language, salutation, member.name, member.function)
    if suggestion is None:
        return {}
    return {"title": suggestion.title, "name": member.name, "function": member.function,
            "spoken": suggestion.spoken, "salutation": suggestion.salutation,
            "address_block": suggestion.address_block}


@blueprint.route("/delegations/<int:delegation_id>/protocol/members/<int:member_id>/address/new",
                 methods=["GET", "POST"])
@planner_required
def new_address(delegation_id: int, member_id: int):
    delegation = protocol_delegation(delegation_id)
    person = delegation_member(delegation, member_id)
    form = address_form_for(person, None)
    language = request.args.get("language", "")
    if request.method == "GET":
        if language:
            form.language.data = language
        if language and request.args.get("suggest"):
            for name, value in suggested_values(person, language).items():
                form[name].data = value
        elif person.protocol_rank is not None and language and \
                person.protocol_rank.native_language == language:
            form.name.data = person.protocol_rank.native_name
    if form.validate_on_submit():
        values = {name: form[name].data for name in ("language", "title", "name", "function", "spoken", "salutation",
                                                      "address_block", "last_checked_on", "checked_with")}
        db.session.add(FormOfAddress(member=person, **values))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash(_("A form of address in this language exists already."), "warning")
        else:
            flash(_("The form of address has been saved."), "success")
            return redirect(url_for("protocol.member", delegation_id=delegation_id, member_id=member_id,
                                    _anchor="forms-of-address"))
    return render_template("protocol/address_form.html", delegation=delegation, member=person, form=form,
                           form_of_address=None, suggestion_languages=address.SUGGESTION_LANGUAGES)


def member_address(person: Member, address_id: int) -> FormOfAddress:
    found = next((form for form in person.forms_of_address if form.id == address_id), None)
    return found or abort(404)


@blueprint.route("/delegations/<int:delegation_id>/protocol/members/<int:member_id>/address/<int:address_id>",
                 methods=["GET", "POST"])
@planner_required
def edit_address(delegation_id: int, member_id: int, address_id: int):
    delegation = protocol_delegation(delegation_id)
    person = delegation_member(delegation, member_id)
    form_of_address = member_address(person, address_id)
    form = address_form_for(person, form_of_address)
    if form.validate_on_submit():
        changes = ["language", "title", "name", "function", "spoken", "salutation", "address_block",
                   "last_checked_on", "checked_with"]
        if save_or_report_conflict(form_of_address, form, changes):
            flash(_("The form of address has been saved."), "success")
            return redirect(url_for("protocol.member", delegation_id=delegation_id, member_id=member_id,
                                    _anchor="forms-of-address"))
    return render_template("protocol/address_form.html", delegation=delegation, member=person, form=form,
                           form_of_address=form_of_address, suggestion_languages=address.SUGGESTION_LANGUAGES)


@blueprint.route("/delegations/<int:delegation_id>/protocol/members/<int:member_id>/address/<int:address_id>/checked",
                 methods=["POST"])
@planner_required
def address_checked(delegation_id: int, member_id: int, address_id: int):
    delegation = protocol_delegation(delegation_id)
    form_of_address = member_address(delegation_member(delegation, member_id), address_id)
    form_of_address.last_checked_on = today()
    db.session.commit()
    flash(_("Marked as checked today."), "success")
    return redirect(url_for("protocol.member", delegation_id=delegation_id, member_id=member_id,
                            _anchor="forms-of-address"))


@blueprint.route("/delegations/<int:delegation_id>/protocol/members/<int:member_id>/address/<int:address_id>/delete",
                 methods=["POST"])
@planner_required
def delete_address(delegation_id: int, member_id: int, address_id: int):
    delegation = protocol_delegation(delegation_id)
    form_of_address = member_address(delegation_member(delegation, member_id), address_id)
    if problem := delete_unless_changed(form_of_address, request.form.get("version")):
        flash(problem, "error")
    else:
        flash(_("The form of address has been removed."), "success")
    return redirect(url_for("protocol.member", delegation_id=delegation_id, member_id=member_id,
                            _anchor="forms-of-address"))


# One programme item: city participants, the order of precedence, interpreting, table plans ---------------------------

@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>")
def item(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    people = event_people(programme_item.delegation, programme_item, queries.offices_by_key())
    interpreting = InterpretingForm(mode=operations.interpreting_mode(programme_item),
                                    note=programme_item.interpreting.note if programme_item.interpreting else "")
    principals = list(db.session.scalars(select(Principal).where(Principal.active.is_(True))
                                         .order_by(Principal.kind.desc(), Principal.rank)))
    listed = {participant.principal_id for participant in programme_item.protocol_participants}
    return render_template("protocol/item.html", delegation=programme_item.delegation, item=programme_item,
                           people=people, interpreting=interpreting, plan_form=PlanForm(),
                           principals=[principal for principal in principals if principal.id not in listed],
                           wording=wording)


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/interpreting", methods=["POST"])
@planner_required
def set_interpreting(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    form = InterpretingForm()
    if form.validate_on_submit():
        operations.set_interpreting(programme_item, form.mode.data, form.note.data or "")
        db.session.commit()
        flash(_("The interpreting of “%(title)s” has been saved.", title=programme_item.title), "success")
    else:
        flash(_("Please choose how this item is interpreted."), "error")
    return redirect(url_for("protocol.item", delegation_id=delegation_id, item_id=item_id, _anchor="interpreting"))


def participant_form(programme_item: ProgrammeItem, participant: CityParticipant | None) -> ParticipantForm:
    form = ParticipantForm(obj=participant)
    locale = current_locale_code()
    form.principal_id.choices = [("", _("– not a principal –"))] + [
        (str(principal.id), principal.label) for principal in
        db.session.scalars(select(Principal).order_by(Principal.kind.desc(), Principal.rank))]
    form.office_level_id.choices = [("", _("– by role –"))] + queries.office_choices(
        participant.office_level_id if participant else None, locale)
    form.languages.choices = language_select(locale)
    form.native_language.choices = [("", _("– Latin script –"))] + language_select(
        locale, participant.native_language if participant else "")
    others = [(participant_key(other.id), other.name) for other in programme_item.protocol_participants
              if participant is None or other.id != participant.id]
    members = [(member_key(member.id), member.name) for member in programme_item.delegation.members]
    form.interprets_for.choices = [("", _("– nobody –"))] + others + members
    if request.method == "GET":
        if participant is not None:
            form.interprets_for.data = (member_key(participant.interprets_for_member_id)
                                        if participant.interprets_for_member_id else
                                        participant_key(participant.interprets_for_participant_id)
                                        if participant.interprets_for_participant_id else "")
        else:
            form.languages.data = ["de"]
    return form


def participant_changes(form: ParticipantForm) -> dict:
    principal = db.session.get(Principal, form.principal_id.data) if form.principal_id.data else None
    target = form.interprets_for.data or ""
    kind, _sep, number = target.partition(":")
    return {"principal_id": principal.id if principal else None,
            "name": (form.name.data or "").strip() or (principal.name if principal else ""),
            "function": (form.function.data or "").strip() or (principal.title if principal else ""),
            "role": CityRole(form.role.data), "office_level_id": form.office_level_id.data,
            "accredited_on": form.accredited_on.data, "serving_since": form.serving_since.data,
            "ordinal": form.ordinal.data, "native_name": (form.native_name.data or "").strip(),
            "native_language": form.native_language.data or "",
            "languages": form.languages.data or [], "dietary_needs": form.dietary_needs.data or "",
            "accessibility_needs": form.accessibility_needs.data or "",
            "interprets_for_member_id": int(number) if kind == "member" and number.isdigit() else None,
            "interprets_for_participant_id": int(number) if kind == "city" and number.isdigit() else None}


def to_item(delegation_id: int, item_id: int, anchor: str = "participants"):
    return redirect(url_for("protocol.item", delegation_id=delegation_id, item_id=item_id, _anchor=anchor))


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/participants/new",
                 methods=["GET", "POST"])
@planner_required
def new_participant(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    form = participant_form(programme_item, None)
    if form.validate_on_submit():
        participant = CityParticipant(item=programme_item, position=len(programme_item.protocol_participants) + 1,
                                      **participant_changes(form))
        db.session.add(participant)
        db.session.commit()
        flash(_("%(name)s has been added on the city side.", name=participant.name), "success")
        if request.form.get("next_action") == "another":
            return redirect(url_for("protocol.new_participant", delegation_id=delegation_id, item_id=item_id))
        return to_item(delegation_id, item_id)
    return render_template("protocol/participant_form.html", delegation=programme_item.delegation,
                           item=programme_item, form=form, participant=None)


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/participants/from-principal",
                 methods=["POST"])
@planner_required
def participant_from_principal(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    principal = db.session.get(Principal, request.form.get("principal_id", type=int) or 0) or abort(404)
    has_host = any(CityRole(p.role) == CityRole.HOST for p in programme_item.protocol_participants)
    role = CityRole.CO_HOST if has_host else CityRole.HOST
    operations.participant_from_principal(programme_item, principal, role)
    db.session.commit()
    flash(_("%(name)s has been added as %(role)s.", name=principal.label, role=role.label), "success")
    return to_item(delegation_id, item_id)


def item_participant(programme_item: ProgrammeItem, participant_id: int) -> CityParticipant:
    found = next((p for p in programme_item.protocol_participants if p.id == participant_id), None)
    return found or abort(404)


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/participants/<int:participant_id>",
                 methods=["GET", "POST"])
@planner_required
def edit_participant(delegation_id: int, item_id: int, participant_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    participant = item_participant(programme_item, participant_id)
    form = participant_form(programme_item, participant)
    if form.validate_on_submit() and save_or_report_conflict(participant, form, participant_changes(form)):
        flash(_("%(name)s has been saved.", name=participant.name), "success")
        return to_item(delegation_id, item_id)
    return render_template("protocol/participant_form.html", delegation=programme_item.delegation,
                           item=programme_item, form=form, participant=participant)


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/participants/<int:participant_id>/delete",
                 methods=["POST"])
@planner_required
def delete_participant(delegation_id: int, item_id: int, participant_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    participant = item_participant(programme_item, participant_id)
    name = participant.name
    if problem := delete_unless_changed(participant, request.form.get("version")):
        flash(problem, "error")
    else:
        flash(_("%(name)s has been removed from this item.", name=name), "success")
    return to_item(delegation_id, item_id)


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/order", methods=["GET", "POST"])
@planner_required
def override(delegation_id: int, item_id: int):
    """Decide the order of precedence for this event by hand: a position for each person, and the reason."""
    programme_item = delegation_item(delegation_id, item_id)
    people = event_people(programme_item.delegation, programme_item, queries.offices_by_key())
    existing = programme_item.precedence_override
    form = OverrideForm(obj=existing)
    positions = {person.key: str(index) for index, person in enumerate(people.in_order, start=1)}
    problems = []
    if form.validate_on_submit():
        wanted, problems = wording.order_from_positions(
            {key: request.form.get(f"position-{key}", "") for key in people.people}, people.order.keys)
        positions.update({key: request.form.get(f"position-{key}", "") for key in people.people})
        if not problems:
            operations.set_override(programme_item, wanted, form.reason.data.strip(), current_user)
            db.session.commit()
            flash(_("The order of precedence for “%(title)s” has been set by hand.", title=programme_item.title),
                  "success")
            return to_item(delegation_id, item_id, "precedence")
    return render_template("protocol/override.html", delegation=programme_item.delegation, item=programme_item,
                           people=people, form=form, positions=positions, problems=problems,
                           computed=event_people(programme_item.delegation, programme_item,
                                                 queries.offices_by_key(), use_override=False))


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/order/delete", methods=["POST"])
@planner_required
def delete_override(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    if programme_item.precedence_override is not None:
        db.session.delete(programme_item.precedence_override)
        db.session.commit()
        flash(_("The order of precedence follows the ranking rules again."), "success")
    return to_item(delegation_id, item_id, "precedence")


@blueprint.route("/delegations/<int:delegation_id>/protocol/items/<int:item_id>/plans", methods=["POST"])
@planner_required
def new_plan(delegation_id: int, item_id: int):
    programme_item = delegation_item(delegation_id, item_id)
    form = PlanForm()
    if not form.validate_on_submit():
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
        return to_item(delegation_id, item_id, "plans")
    plan = operations.create_plan(programme_item, (form.title.data or "").strip() or programme_item.title,
                                  form.tables.data, form.seats.data, form.shape.data)
    db.session.commit()
    flash(_("The table plan has been created. Seat the guests automatically, then adjust by hand."), "success")
    return redirect(url_for("protocol.plan", plan_id=plan.id))


# Ranking rules ----------------------------------------------------------------------------------------------------

@blueprint.route("/protocol/ranking-rules")
def office_levels():
    return render_template("protocol/office_levels.html", levels=queries.office_levels())


@blueprint.route("/protocol/ranking-rules/defaults", methods=["POST"])
@planner_required
def default_office_levels():
    added = operations.ensure_default_office_levels()
    db.session.commit()
    flash(_("%(count)s ranking rules have been added.", count=len(added)), "success")
    return redirect(url_for("protocol.office_levels"))


def save_office_level(level: OfficeLevel | None, form: OfficeLevelForm) -> OfficeLevel | None:
    names = ["key", "name", "name_en", "level", "tie_breaker", "notes", "active"]
    taken = db.session.scalar(select(OfficeLevel.id).where(OfficeLevel.key == form.key.data))
    if taken is not None and (level is None or taken != level.id):
        form.key.errors.append(_("Another ranking rule has this key."))
        return None
    if level is None:
        level = OfficeLevel(**{name: form[name].data for name in names})
        db.session.add(level)
        db.session.commit()
        return level
    return level if save_or_report_conflict(level, form, names) else None


@blueprint.route("/protocol/ranking-rules/new", methods=["GET", "POST"])
@planner_required
def new_office_level():
    form = OfficeLevelForm()
    if form.validate_on_submit() and save_office_level(None, form) is not None:
        flash(_("The ranking rule has been added."), "success")
        return redirect(url_for("protocol.office_levels"))
    return render_template("protocol/office_level_form.html", form=form, level=None)


@blueprint.route("/protocol/ranking-rules/<int:level_id>", methods=["GET", "POST"])
@planner_required
def edit_office_level(level_id: int):
    level = db.session.get(OfficeLevel, level_id) or abort(404)
    form = OfficeLevelForm(obj=level)
    if form.validate_on_submit() and save_office_level(level, form) is not None:
        flash(_("The ranking rule has been saved."), "success")
        return redirect(url_for("protocol.office_levels"))
    return render_template("protocol/office_level_form.html", form=form, level=level)


# Pieces other pages include ----------------------------------------------------------------------------------------

@blueprint.app_context_processor
def protocol_helpers():
    def overdue_protocol_tasks(limit: int = 10):
        """For the dashboard: open protocol tasks past their due date (one query)."""
        return queries.overdue_tasks(today(), limit=limit)

    def protocol_briefing(delegation):
        """For the Mayor's briefing: the guests in order of precedence with their forms of address."""
        loaded = queries.delegation_for_protocol(delegation.id)
        if loaded is None:
            return []
        people = event_people(loaded, offices_by_key=queries.offices_by_key())
        guests = [person.record for person in people.in_order
                  if MemberRole(person.record.role) in (MemberRole.HEAD, MemberRole.MEMBER)]
        return address.greetings(guests, today())

    def protocol_panel(delegation):
        """For the visit's page: the order of precedence, who receives, plans, gifts, Golden Book, tasks."""
        loaded = queries.delegation_for_protocol(delegation.id)
        if loaded is None:
            return None
        people = event_people(loaded, offices_by_key=queries.offices_by_key())
        receiving, reception_item = operations.propose_receiving(loaded, home_zone())
        plans = [plan for item in operations.active_items(loaded) for plan in item.table_plans]
        tasks = loaded.checklist_tasks
        open_tasks = [task for task in tasks if task.done_at is None]
        return {"people": people.in_order, "receiving": receiving, "reception_item": reception_item,
                "plans": plans, "gifts": queries.gifts_of_delegation(loaded.id),
                "signing": queries.signing_of(loaded.id), "open_tasks": len(open_tasks),
                "overdue_tasks": sum(1 for task in open_tasks if task.due_on is not None and task.due_on < today()),
                "done_tasks": len(tasks) - len(open_tasks)}

    return {"overdue_protocol_tasks": overdue_protocol_tasks, "protocol_briefing": protocol_briefing,
            "protocol_panel": protocol_panel}


def register_history() -> None:
    """Changes to protocol records are written to the audit trail like every other record's."""
    from delegations.history.timeline import track_records
    from delegations.models import (ChecklistTask, DiningTable, Gift, GoldenBookSigning, ItemInterpreting,
                                    PrecedenceOverride, ProtocolRank, TablePlan)

    tracked = {OfficeLevel: "office_level", ProtocolRank: "protocol_rank", FormOfAddress: "form_of_address",
               CityParticipant: "city_participant", PrecedenceOverride: "precedence_override",
               ItemInterpreting: "item_interpreting", TablePlan: "table_plan", DiningTable: "dining_table",
               Gift: "gift", GoldenBookSigning: "golden_book_signing", ChecklistTask: "checklist_task"}
    track_records(tracked, wording.HISTORY_KINDS)


register_history()

from delegations.protocol import book_views, gift_views, plan_views  # noqa: E402,F401  routes on this blueprint
