"""Table plan pages: the plan with its tables, automatic seating, moving a person (a form: the keyboard way;
drag and drop only adds to it), who attends, tables, approval, and the plan and place cards as PDFs."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from delegations.auth.access import planner_required
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.models import DiningTable
from delegations.models.protocol import TableShape
from delegations.protocol import drawing, operations, queries, seating, wording
from delegations.protocol.printing import PLACE_CARDS, TABLE_PLAN, pdf_of
from delegations.protocol.forms import AttendanceForm, MoveForm, TableForm
from delegations.protocol.views import blueprint

MOVE_ERRORS = {
    seating.MOVE_TABLE_FULL: lambda: _("That table is full. Choose a seat to change places with someone there."),
    seating.MOVE_NO_SUCH_SEAT: lambda: _("That table has no such seat."),
    seating.MOVE_NO_SUCH_TABLE: lambda: _("That table is not part of this plan."),
}


def load_plan(plan_id: int):
    return queries.plan_for_page(plan_id) or abort(404)


def to_plan(plan_id: int, anchor: str | None = None):
    return redirect(url_for("protocol.plan", plan_id=plan_id, _anchor=anchor))


def move_form(state: operations.PlanState) -> MoveForm:
    """The keyboard way to move someone: a person, and a seat (or a table's first free seat)."""
    form = MoveForm()
    form.person.choices = [(person.key, person.name) for person in state.attending]
    targets = []
    for table in state.plan.tables:
        targets.append((f"{table.id}:", _("%(table)s – first free seat", table=table.name)))
        for number, person in state.table_rows(table):
            label = (_("%(table)s, seat %(seat)s (change places with %(name)s)", table=table.name, seat=number,
                       name=person.name) if person else _("%(table)s, seat %(seat)s (free)", table=table.name,
                                                           seat=number))
            targets.append((f"{table.id}:{number}", label))
    form.target.choices = targets
    return form


def attendance_form(state: operations.PlanState) -> AttendanceForm:
    form = AttendanceForm()
    form.absent.choices = [(person.key, person.name) for person in state.people.in_order]
    if request.method == "GET":
        form.absent.data = [person.key for person in state.absent]
    return form


@blueprint.route("/protocol/plans/<int:plan_id>")
def plan(plan_id: int):
    table_plan = load_plan(plan_id)
    state = operations.plan_state(table_plan, queries.offices_by_key())
    tables = {str(table.id): table.name for table in table_plan.tables}
    messages = [(problem, wording.problem_text(problem, state.name, lambda key: tables.get(key, key)))
                for problem in state.problems]
    return render_template("protocol/plan.html", plan=table_plan, item=table_plan.item,
                           delegation=table_plan.item.delegation, state=state, messages=messages,
                           move_form=move_form(state), attendance=attendance_form(state), table_form=TableForm(),
                           drawings={table.id: drawing.draw_table(table.shape.value, table.seats,
                                                                  state.walking_order(table))
                                     for table in table_plan.tables},
                           wording=wording)


def commit_or_report(plan_id: int) -> bool:
    """Commit; when someone else changed the plan meanwhile, say so instead of failing."""
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash(_("Someone else changed this plan at the same moment. Please look at it again and repeat your change."),
              "error")
        return False
    return True


@blueprint.route("/protocol/plans/<int:plan_id>/seat", methods=["POST"])
@planner_required
def seat_automatically(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    result = operations.seat_automatically(table_plan, queries.offices_by_key())
    if commit_or_report(plan_id):
        if result.unseated:
            flash(_("Seated %(seated)s people by precedence; %(count)s could not be seated – see why below.",
                    seated=len(result.seats), count=len(result.unseated)), "warning")
        else:
            flash(_("Everyone has been seated by precedence (%(count)s people).", count=len(result.seats)), "success")
    return to_plan(plan_id)


@blueprint.route("/protocol/plans/<int:plan_id>/move", methods=["POST"])
@planner_required
def move(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    state = operations.plan_state(table_plan, queries.offices_by_key())
    form = move_form(state)
    if not form.validate_on_submit():
        flash(_("Please choose a person and where they should sit."), "error")
        return to_plan(plan_id, "move")
    table_text, _sep, seat_text = form.target.data.partition(":")
    try:
        operations.move_person(table_plan, form.person.data, int(table_text), int(seat_text) if seat_text else None)
    except seating.MoveError as error:
        db.session.rollback()
        flash(MOVE_ERRORS.get(error.code, lambda: error.code)(), "error")
        return to_plan(plan_id, "move")
    if commit_or_report(plan_id):
        name = state.name(form.person.data)
        flash(_("%(name)s has been moved.", name=name), "success")
    return to_plan(plan_id, f"table-{table_text}")


@blueprint.route("/protocol/plans/<int:plan_id>/unseat", methods=["POST"])
@planner_required
def unseat(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    key = request.form.get("person", "")
    if operations.unseat_person(table_plan, key) and commit_or_report(plan_id):
        flash(_("The seat has been cleared."), "success")
    return to_plan(plan_id)


@blueprint.route("/protocol/plans/<int:plan_id>/attendance", methods=["POST"])
@planner_required
def attendance(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    state = operations.plan_state(table_plan, queries.offices_by_key())
    form = attendance_form(state)
    if form.validate_on_submit():
        operations.set_attendance(table_plan, form.absent.data or [])
        if commit_or_report(plan_id):
            flash(_("Who attends has been saved."), "success")
    return to_plan(plan_id, "attendance")


@blueprint.route("/protocol/plans/<int:plan_id>/approve", methods=["POST"])
@planner_required
def approve(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    state = operations.plan_state(table_plan, queries.offices_by_key())
    errors = operations.approve_plan(table_plan, state, current_user)
    if errors:
        flash(_("The plan cannot be approved while it has errors (%(count)s): someone seated twice, a table "
                "over its seats or a guest without a seat.", count=len(errors)), "error")
    elif commit_or_report(plan_id):
        flash(_("Revision %(revision)s of the plan has been approved.", revision=table_plan.revision), "success")
    return to_plan(plan_id)


@blueprint.route("/protocol/plans/<int:plan_id>/tables", methods=["POST"])
@planner_required
def add_table(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    form = TableForm()
    if not form.validate_on_submit():
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
        return to_plan(plan_id, "tables")
    if any(table.name == form.name.data.strip() for table in table_plan.tables):
        flash(_("This plan has a table called “%(name)s” already.", name=form.name.data.strip()), "error")
        return to_plan(plan_id, "tables")
    table_plan.tables.append(DiningTable(name=form.name.data.strip(), shape=TableShape(form.shape.data),
                                         seats=form.seats.data, position=len(table_plan.tables)))
    operations.changed(table_plan)
    if commit_or_report(plan_id):
        flash(_("The table “%(name)s” has been added.", name=form.name.data.strip()), "success")
    return to_plan(plan_id, "tables")


@blueprint.route("/protocol/plans/<int:plan_id>/tables/<int:table_id>", methods=["GET", "POST"])
@planner_required
def edit_table(plan_id: int, table_id: int):
    table_plan = load_plan(plan_id)
    table = next((table for table in table_plan.tables if table.id == table_id), None) or abort(404)
    form = TableForm(obj=table)
    if form.validate_on_submit():
        name = form.name.data.strip()
        if any(other.name == name and other.id != table.id for other in table_plan.tables):
            form.name.errors.append(_("This plan has a table called “%(name)s” already.", name=name))
        else:
            table.name, table.shape, table.seats = name, TableShape(form.shape.data), form.seats.data
            operations.changed(table_plan)
            if commit_or_report(plan_id):
                flash(_("The table “%(name)s” has been saved.", name=name), "success")
                return to_plan(plan_id, f"table-{table.id}")
    return render_template("protocol/table_form.html", plan=table_plan, table=table, form=form,
                           delegation=table_plan.item.delegation)


@blueprint.route("/protocol/plans/<int:plan_id>/tables/<int:table_id>/up", methods=["POST"])
@planner_required
def table_up(plan_id: int, table_id: int):
    """Move a table one place up: the first table is the top table (the host's)."""
    begin_writing()
    table_plan = load_plan(plan_id)
    tables = list(table_plan.tables)
    index = next((index for index, table in enumerate(tables) if table.id == table_id), None)
    if index is None:
        abort(404)
    if index > 0:
        tables[index - 1], tables[index] = tables[index], tables[index - 1]
        for position, table in enumerate(tables):
            table.position = position
        operations.changed(table_plan)
        commit_or_report(plan_id)
    return to_plan(plan_id, "tables")


@blueprint.route("/protocol/plans/<int:plan_id>/tables/<int:table_id>/delete", methods=["POST"])
@planner_required
def delete_table(plan_id: int, table_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    table = next((table for table in table_plan.tables if table.id == table_id), None) or abort(404)
    name = table.name
    for row in [row for row in table_plan.seats if row.table_id == table.id]:
        table_plan.seats.remove(row)
        db.session.delete(row)
    table_plan.tables.remove(table)
    db.session.delete(table)
    operations.changed(table_plan)
    if commit_or_report(plan_id):
        flash(_("The table “%(name)s” has been removed; whoever sat there has no seat now.", name=name), "success")
    return to_plan(plan_id, "tables")


@blueprint.route("/protocol/plans/<int:plan_id>/delete", methods=["POST"])
@planner_required
def delete_plan(plan_id: int):
    begin_writing()
    table_plan = load_plan(plan_id)
    delegation_id, item_id = table_plan.item.delegation_id, table_plan.item_id
    db.session.delete(table_plan)
    db.session.commit()
    flash(_("The table plan has been deleted."), "success")
    return redirect(url_for("protocol.item", delegation_id=delegation_id, item_id=item_id, _anchor="plans"))


@blueprint.route("/protocol/plans/<int:plan_id>/plan.pdf")
def plan_pdf(plan_id: int):
    return pdf_of(TABLE_PLAN, load_plan(plan_id))


@blueprint.route("/protocol/plans/<int:plan_id>/place-cards.pdf")
def place_cards_pdf(plan_id: int):
    return pdf_of(PLACE_CARDS, load_plan(plan_id))
