"""The Golden Book (the planned signing of a visit, its prepared text, every name checked, the archive) and the
protocol checklist of a visit (tasks from templates by protocol level, owners, due dates, done)."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.extensions import db
from delegations.models import ChecklistTask, ContactPerson, GoldenBookSignatory
from delegations.models.protocol import SigningStatus
from delegations.protocol import checklist, golden_book, operations, queries, wording
from delegations.protocol.feeds import tasks_calendar
from delegations.protocol.forms import SignatoryForm, SigningForm, TaskForm
from delegations.protocol.people import event_people
from delegations.protocol.views import blueprint, protocol_delegation, today
from delegations.records import delete_unless_changed, save_or_report_conflict
from delegations.visits import queries as visit_queries



# The Golden Book ---------------------------------------------------------------------------------------------

def to_book(delegation_id: int, anchor: str | None = None):
    return redirect(url_for("protocol.golden_book_page", delegation_id=delegation_id, _anchor=anchor))


def signing_form(delegation, signing) -> SigningForm:
    form = SigningForm(obj=signing)
    form.item_id.choices = [("", _("– not set –"))] + [(str(item.id), item.title)
                                                        for item in operations.active_items(delegation)]
    if signing is None and request.method == "GET":
        item = operations.reception_item(delegation)
        form.item_id.data = item.id if item is not None else None
        form.title.data = delegation.title
    return form


@blueprint.route("/delegations/<int:delegation_id>/protocol/golden-book", methods=["GET", "POST"])
def golden_book_page(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    signing = queries.signing_of(delegation_id)
    form = signing_form(delegation, signing)
    if request.method == "POST":
        if not current_user.may("planner"):
            abort(403)
        if form.validate_on_submit():
            names = ["status", "item_id", "signed_on", "title", "prepared_text", "book_reference", "archive_note"]
            changes = {name: form[name].data for name in names}
            changes["status"] = SigningStatus(changes["status"])
            if signing is None:
                signing = operations.signing_for(delegation, None)
                for name, value in changes.items():
                    setattr(signing, name, value)
                db.session.commit()
                saved = True
            else:
                saved = save_or_report_conflict(signing, form, changes)
            if saved:
                flash(_("The Golden Book entry has been saved."), "success")
                return to_book(delegation_id)
    problems = golden_book.entry_problems(signing.prepared_text, signing.signatories) if signing else []
    return render_template("protocol/golden_book.html", delegation=delegation, signing=signing, form=form,
                           problems=[wording.book_problem_text(problem) for problem in problems],
                           signatory_form=SignatoryForm())


def current_signing(delegation):
    signing = queries.signing_of(delegation.id)
    return operations.signing_for(delegation, signing)


@blueprint.route("/delegations/<int:delegation_id>/protocol/golden-book/signatories", methods=["POST"])
@planner_required
def add_signatory(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    form = SignatoryForm()
    if form.validate_on_submit():
        operations.add_signatory(current_signing(delegation), form.name.data, form.function.data or "")
        db.session.commit()
        flash(_("%(name)s has been added to sign.", name=form.name.data.strip()), "success")
    else:
        flash(_("Please enter the name exactly as it will be written."), "error")
    return to_book(delegation_id, "signatories")


@blueprint.route("/delegations/<int:delegation_id>/protocol/golden-book/signatories/from-members", methods=["POST"])
@planner_required
def signatories_from_members(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    people = event_people(delegation, offices_by_key=queries.offices_by_key())
    added = operations.add_delegation_signatories(current_signing(delegation), people.in_order)
    db.session.commit()
    flash(_("%(count)s members of the delegation have been added to sign, in order of precedence.", count=added),
          "success")
    return to_book(delegation_id, "signatories")


def signing_signatory(delegation_id: int, signatory_id: int) -> GoldenBookSignatory:
    signatory = db.session.get(GoldenBookSignatory, signatory_id)
    if signatory is None or signatory.signing.delegation_id != delegation_id:
        abort(404)
    return signatory


@blueprint.route("/delegations/<int:delegation_id>/protocol/golden-book/signatories/<int:signatory_id>/check",
                 methods=["POST"])
@planner_required
def check_signatory(delegation_id: int, signatory_id: int):
    signatory = signing_signatory(delegation_id, signatory_id)
    checked = request.form.get("checked") == "1"
    operations.set_checked(signatory, checked, current_user)
    db.session.commit()
    if checked:
        flash(_("The name “%(name)s” is marked as checked.", name=signatory.name), "success")
    else:
        flash(_("The name “%(name)s” needs checking again.", name=signatory.name), "info")
    return to_book(delegation_id, "signatories")


@blueprint.route("/delegations/<int:delegation_id>/protocol/golden-book/signatories/<int:signatory_id>/delete",
                 methods=["POST"])
@planner_required
def delete_signatory(delegation_id: int, signatory_id: int):
    signatory = signing_signatory(delegation_id, signatory_id)
    name = signatory.name
    db.session.delete(signatory)
    db.session.commit()
    flash(_("%(name)s no longer signs.", name=name), "success")
    return to_book(delegation_id, "signatories")


@blueprint.route("/protocol/golden-book")
def golden_book_archive():
    return render_template("protocol/golden_book_archive.html", signed=queries.signed_archive(),
                           planned=queries.planned_signings())


# The checklist -------------------------------------------------------------------------------------------------

def to_checklist(delegation_id: int, anchor: str | None = None):
    return redirect(url_for("protocol.checklist_page", delegation_id=delegation_id, _anchor=anchor))


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist")
def checklist_page(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    arrival = operations.arrival_day(delegation)
    level = delegation.protocol_level.value
    missing = checklist.planned_tasks(level, arrival, {task.template_key for task in delegation.checklist_tasks
                                                       if task.template_key})
    return render_template("protocol/checklist.html", delegation=delegation, tasks=delegation.checklist_tasks,
                           today=today(), arrival=arrival, missing=missing, checklist=checklist)


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist/generate", methods=["POST"])
@planner_required
def generate_checklist(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    added = operations.generate_checklist(delegation)
    db.session.commit()
    flash(_("%(count)s tasks have been added for the protocol level “%(level)s”.", count=len(added),
            level=delegation.protocol_level.label), "success")
    return to_checklist(delegation_id)


def task_form(task: ChecklistTask | None) -> TaskForm:
    form = TaskForm(obj=task)
    form.owner_id.choices = [("", _("– nobody yet –"))] + visit_queries.contact_choices(
        include_id=task.owner_id if task else None)
    return form


def delegation_task(delegation, task_id: int) -> ChecklistTask:
    task = next((task for task in delegation.checklist_tasks if task.id == task_id), None)
    return task or abort(404)


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist/new", methods=["GET", "POST"])
@planner_required
def new_task(delegation_id: int):
    delegation = protocol_delegation(delegation_id)
    form = task_form(None)
    if request.method == "GET":
        form.owner_id.data = delegation.lead_contact_id
    if form.validate_on_submit():
        task = ChecklistTask(delegation=delegation, title=form.title.data.strip(), owner_id=form.owner_id.data,
                             due_on=form.due_on.data, notes=form.notes.data or "")
        db.session.add(task)
        db.session.commit()
        flash(_("The task has been added."), "success")
        return to_checklist(delegation_id)
    return render_template("protocol/task_form.html", delegation=delegation, form=form, task=None)


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist/<int:task_id>", methods=["GET", "POST"])
@planner_required
def edit_task(delegation_id: int, task_id: int):
    delegation = protocol_delegation(delegation_id)
    task = delegation_task(delegation, task_id)
    form = task_form(task)
    if form.validate_on_submit() and save_or_report_conflict(task, form, ["title", "owner_id", "due_on", "notes"]):
        flash(_("The task has been saved."), "success")
        return to_checklist(delegation_id, f"task-{task.id}")
    return render_template("protocol/task_form.html", delegation=delegation, form=form, task=task)


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist/<int:task_id>/done", methods=["POST"])
@planner_required
def task_done(delegation_id: int, task_id: int):
    delegation = protocol_delegation(delegation_id)
    task = delegation_task(delegation, task_id)
    done = request.form.get("done") == "1"
    operations.set_done(task, done, current_user)
    db.session.commit()
    flash(_("“%(title)s” is done.", title=task.title) if done else _("“%(title)s” is open again.", title=task.title),
          "success")
    if request.form.get("back") == "dashboard":
        return redirect(url_for("visits.dashboard"))
    return to_checklist(delegation_id, f"task-{task.id}")


@blueprint.route("/delegations/<int:delegation_id>/protocol/checklist/<int:task_id>/delete", methods=["POST"])
@planner_required
def delete_task(delegation_id: int, task_id: int):
    delegation = protocol_delegation(delegation_id)
    task = delegation_task(delegation, task_id)
    if problem := delete_unless_changed(task, request.form.get("version")):
        flash(problem, "error")
    else:
        flash(_("The task has been removed."), "success")
    return to_checklist(delegation_id)


@blueprint.route("/protocol/tasks/<int:contact_id>.ics")
def owner_tasks_ics(contact_id: int):
    """A contact person's open protocol tasks as to-dos (overdue ones marked), for their calendar program."""
    contact = db.session.get(ContactPerson, contact_id) or abort(404)
    body = tasks_calendar(queries.open_tasks_of(contact.id), contact.name, today(),
                          current_app.config.get("FEED_UID_DOMAIN", "delegation-planner.invalid"))
    return Response(body, mimetype="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="protocol-tasks-{contact.id}.ics"',
                             "Cache-Control": "private, no-cache"})
