"""Protocol pages on a real database: who may read and change what, seating a lunch and moving a guest by the
form, errors of a plan, approval, the order of precedence set by hand, forms of address, who receives,
the checklist on the dashboard, needs, the history, and flat query counts."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from delegations.constants import MemberRole, Role
from delegations.extensions import db
from delegations.models import (AuditEntry, BusyBlock, ChecklistTask, FormOfAddress, PrecedenceOverride,
                                SeatAssignment, TablePlan)
from delegations.models.calendars import BusySource
from delegations.protocol import operations, queries
from delegations.protocol.people import member_key, participant_key
from tests.accounts import sign_in
from tests.factories import berlin, make_contact
from tests.protocol_data import state_visit


def new_plan(client, visit, tables=3, seats=8) -> TablePlan:
    response = client.post(f"/delegations/{visit.delegation.id}/protocol/items/{visit.lunch.id}/plans",
                           data={"title": "Mittagessen", "tables": tables, "seats": seats, "shape": "round"})
    assert response.status_code == 302
    return db.session.scalar(select(TablePlan).order_by(TablePlan.id.desc()))


def seat_of(plan_id: int, **person) -> tuple[str, int] | None:
    db.session.expire_all()
    row = db.session.scalar(select(SeatAssignment).filter_by(plan_id=plan_id, **person))
    return (row.table.name, row.seat) if row is not None else None


def test_a_viewer_reads_every_protocol_page_but_changes_nothing(client):
    visit = state_visit()
    plan = operations.create_plan(visit.lunch, "Mittagessen", 3, 8, "round")
    operations.seat_automatically(plan, queries.offices_by_key())
    db.session.commit()
    sign_in(client, Role.VIEWER)
    delegation_id = visit.delegation.id
    for url in (f"/delegations/{delegation_id}/protocol", f"/delegations/{delegation_id}",
                f"/delegations/{delegation_id}/protocol/items/{visit.lunch.id}", f"/protocol/plans/{plan.id}",
                f"/delegations/{delegation_id}/protocol/members/{visit.ambassador.id}", "/protocol/gifts",
                f"/delegations/{delegation_id}/protocol/golden-book", f"/delegations/{delegation_id}/protocol/checklist",
                "/protocol/golden-book", "/protocol/ranking-rules", "/protocol/"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/protocol/plans/{plan.id}").get_data(as_text=True)
    assert "Seat everyone by precedence" not in page and "Move a person" not in page
    for url, data in ((f"/protocol/plans/{plan.id}/seat", {}),
                      (f"/protocol/plans/{plan.id}/move", {"person": member_key(visit.ambassador.id), "target": "1:"}),
                      (f"/protocol/plans/{plan.id}/approve", {}),
                      (f"/delegations/{delegation_id}/protocol/members/{visit.ambassador.id}", {"salutation": "mr"}),
                      ("/protocol/gifts/new", {"article": "Teller", "direction": "given", "given_on": "2027-05-03"}),
                      (f"/delegations/{delegation_id}/protocol/checklist/generate", {}),
                      ("/protocol/ranking-rules/defaults", {})):
        assert client.post(url, data=data).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(client):
    visit = state_visit()
    db.session.commit()
    response = client.get(f"/delegations/{visit.delegation.id}/protocol")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_planner_seats_a_lunch_by_precedence_and_moves_a_guest_with_the_form(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    plan = new_plan(client, visit)
    assert [table.name for table in plan.tables] == ["Herrenhausen", "Leibniz", "Maschsee"]
    response = client.post(f"/protocol/plans/{plan.id}/seat", follow_redirects=True)
    assert "Everyone has been seated by precedence (20 people)" in response.get_data(as_text=True)
    assert seat_of(plan.id, participant_id=visit.host.id) == ("Herrenhausen", 1)
    assert seat_of(plan.id, member_id=visit.ambassador.id) == ("Herrenhausen", 2)
    db.session.refresh(plan)
    revision = plan.revision
    state = operations.plan_state(plan, queries.offices_by_key())
    assert not state.errors and not state.broken_rules

    # The keyboard way: choose a person and a seat; whoever sits there changes places.
    leibniz = next(table for table in plan.tables if table.name == "Leibniz")
    occupant = state.occupant(leibniz.id, 3)
    previous = seat_of(plan.id, member_id=visit.partner_mayor.id)
    response = client.post(f"/protocol/plans/{plan.id}/move", data={
        "person": member_key(visit.partner_mayor.id), "target": f"{leibniz.id}:3"}, follow_redirects=True)
    assert "has been moved" in response.get_data(as_text=True)
    assert seat_of(plan.id, member_id=visit.partner_mayor.id) == ("Leibniz", 3)
    moved_back = seat_of(plan.id, **({"member_id": occupant.record.id} if occupant.is_member
                                     else {"participant_id": occupant.record.id}))
    assert moved_back == previous
    db.session.refresh(plan)
    assert plan.revision == revision + 1
    # The interpreter no longer sits beside the partner mayor: the page says so.
    page = client.get(f"/protocol/plans/{plan.id}").get_data(as_text=True)
    assert "does not sit beside the person they interpret for" in page


def test_a_full_table_a_guest_left_out_and_a_person_seated_twice_are_errors(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    plan = new_plan(client, visit)
    client.post(f"/protocol/plans/{plan.id}/seat")
    db.session.refresh(plan)
    top = plan.tables[0]
    # A table has fewer seats now than people sitting at it.
    response = client.post(f"/protocol/plans/{plan.id}/tables/{top.id}",
                           data={"name": top.name, "shape": "round", "seats": 5}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Herrenhausen is full" in page
    # Moving someone to a table without a free seat is refused.
    elsewhere = db.session.scalar(select(SeatAssignment).where(SeatAssignment.plan_id == plan.id,
                                                              SeatAssignment.table_id != top.id))
    response = client.post(f"/protocol/plans/{plan.id}/move", data={
        "person": elsewhere.person_key, "target": f"{top.id}:"}, follow_redirects=True)
    assert "That table is full" in response.get_data(as_text=True)
    # A guest without a seat.
    client.post(f"/protocol/plans/{plan.id}/unseat", data={"person": member_key(visit.partner_mayor.id)})
    page = client.get(f"/protocol/plans/{plan.id}").get_data(as_text=True)
    assert "Ken&#39;ichi Matsumoto has no seat." in page
    response = client.post(f"/protocol/plans/{plan.id}/approve", follow_redirects=True)
    assert "cannot be approved while it has errors" in response.get_data(as_text=True)
    db.session.refresh(plan)
    assert plan.approved_revision is None
    # The database itself refuses a person seated twice in one plan.
    db.session.add(SeatAssignment(plan_id=plan.id, table_id=plan.tables[1].id, seat=9,
                                  member_id=visit.ambassador.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_approving_marks_the_revision_and_any_change_makes_a_new_draft(client):
    visit = state_visit()
    db.session.commit()
    user = sign_in(client)
    plan = new_plan(client, visit)
    client.post(f"/protocol/plans/{plan.id}/seat")
    response = client.post(f"/protocol/plans/{plan.id}/approve", follow_redirects=True)
    assert "has been approved" in response.get_data(as_text=True)
    db.session.refresh(plan)
    assert plan.is_approved and plan.approved_by_name == user.display_name
    assert "Approved version" in client.get(f"/protocol/plans/{plan.id}").get_data(as_text=True)
    absent = [member_key(visit.interpreter.id)]
    client.post(f"/protocol/plans/{plan.id}/attendance", data={"absent": absent})
    db.session.refresh(plan)
    assert not plan.is_approved and plan.absent_keys == absent
    page = client.get(f"/protocol/plans/{plan.id}").get_data(as_text=True)
    assert "Draft" in page and "is seated but not listed for this meal" in page


def test_the_order_for_one_event_is_set_by_hand_only_with_a_reason(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    url = f"/delegations/{visit.delegation.id}/protocol/items/{visit.lunch.id}/order"
    mayor_key = member_key(visit.partner_mayor.id)
    response = client.post(url, data={f"position-{mayor_key}": "1", "reason": ""})
    assert response.status_code == 200 and db.session.scalar(select(PrecedenceOverride)) is None
    response = client.post(url, data={f"position-{mayor_key}": "1", "reason": "Jubiläum der Partnerschaft"})
    assert response.status_code == 302
    override = db.session.scalar(select(PrecedenceOverride))
    assert override.keys[0] == mayor_key and override.reason == "Jubiläum der Partnerschaft"
    page = client.get(f"/delegations/{visit.delegation.id}/protocol/items/{visit.lunch.id}").get_data(as_text=True)
    assert "Jubiläum der Partnerschaft" in page and "moved by hand" in page
    # The seating follows the event's order: the partner mayor is now the guest of honour.
    plan = new_plan(client, visit)
    client.post(f"/protocol/plans/{plan.id}/seat")
    assert seat_of(plan.id, member_id=visit.partner_mayor.id) == ("Herrenhausen", 2)
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "precedence_override")).all()
    assert history and history[0].changes["reason"] == [None, "Jubiläum der Partnerschaft"]


def test_the_delegation_is_listed_in_order_of_precedence_on_its_pages(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client, Role.VIEWER)
    page = client.get(f"/delegations/{visit.delegation.id}/protocol").get_data(as_text=True)
    names = ["Tarō Yamada", "Ken&#39;ichi Matsumoto", "Akira Nakamura", "Yuki Satō", "Hanako Yamada", "Kenji Itō"]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    visit_page = client.get(f"/delegations/{visit.delegation.id}").get_data(as_text=True)
    assert 'id="protocol"' in visit_page and "Open the protocol" in visit_page


def test_forms_of_address_are_suggested_saved_and_checked(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    base = f"/delegations/{visit.delegation.id}/protocol/members/{visit.partner_mayor.id}"
    client.post(base, data={"office_level_id": str(visit.partner_mayor.protocol_rank.office_level_id),
                            "salutation": "mr", "languages": ["ja"], "native_name": "松本 健一",
                            "native_language": "ja", "version": visit.partner_mayor.protocol_rank.version})
    form_page = client.get(f"{base}/address/new?language=de&suggest=1").get_data(as_text=True)
    assert 'value="Herr Bürgermeister"' in form_page and 'value="Sehr geehrter Herr Bürgermeister,"' in form_page
    response = client.post(f"{base}/address/new", data={
        "language": "de", "title": "", "name": "Herr Ken'ichi Matsumoto", "spoken": "Herr Bürgermeister",
        "salutation": "Sehr geehrter Herr Bürgermeister,", "address_block": "Herrn\nKen'ichi Matsumoto",
        "last_checked_on": "", "checked_with": ""})
    assert response.status_code == 302
    saved = db.session.scalar(select(FormOfAddress).where(FormOfAddress.member_id == visit.partner_mayor.id))
    assert saved.spoken == "Herr Bürgermeister" and saved.last_checked_on is None
    client.post(f"{base}/address/{saved.id}/checked")
    db.session.refresh(saved)
    assert saved.last_checked_on is not None
    briefing_greetings = [greeting.person.name for greeting in
                          __import__("delegations.protocol.address", fromlist=["greetings"]).greetings(
                              [visit.partner_mayor], date.today())]
    assert briefing_greetings == ["Ken'ichi Matsumoto"]


def test_when_the_mayor_is_busy_a_free_deputy_is_proposed_and_can_be_assigned(client):
    visit = state_visit()
    db.session.add(BusyBlock(principal_id=visit.mayor_principal.id, starts_at=berlin("2027-05-03 10:30"),
                             ends_at=berlin("2027-05-03 11:30"), source=BusySource.MANUAL, key="council",
                             subject="Ratssitzung"))
    db.session.commit()
    sign_in(client)
    page = client.get(f"/delegations/{visit.delegation.id}/protocol").get_data(as_text=True)
    assert "Ratssitzung" in page and "proposed deputy" in page
    response = client.post(f"/delegations/{visit.delegation.id}/protocol/receiver",
                           data={"principal_id": visit.deputy_principal.id})
    assert response.status_code == 302
    db.session.refresh(visit.reception)
    assert visit.reception.principal_id == visit.deputy_principal.id


def test_the_checklist_is_generated_and_overdue_tasks_reach_the_dashboard_and_the_owners_calendar(client):
    visit = state_visit()
    owner = make_contact(name="Katrin Vogel")
    visit.delegation.lead_contact = owner
    visit.delegation.arrival_at = operations.utc_now() + timedelta(days=20)
    visit.delegation.departure_at = visit.delegation.arrival_at + timedelta(days=1)
    db.session.commit()
    sign_in(client)
    client.post(f"/delegations/{visit.delegation.id}/protocol/checklist/generate")
    tasks = db.session.scalars(select(ChecklistTask).where(ChecklistTask.delegation_id == visit.delegation.id)).all()
    assert {task.template_key for task in tasks} >= {"invitation", "security", "golden_book", "interpreters"}
    invitation = next(task for task in tasks if task.template_key == "invitation")
    assert invitation.owner_id == owner.id
    assert (operations.arrival_day(visit.delegation) - invitation.due_on).days == 56
    interpreters = next(task for task in tasks if task.template_key == "interpreters")
    assert "Mittagessen: ja, whispered" in interpreters.notes
    dashboard = client.get("/").get_data(as_text=True)
    assert "Overdue protocol tasks" in dashboard and "Send the invitation letter" in dashboard
    client.post(f"/delegations/{visit.delegation.id}/protocol/checklist/{invitation.id}/done", data={"done": "1"})
    db.session.refresh(invitation)
    assert invitation.done
    calendar = client.get(f"/protocol/tasks/{owner.id}.ics").get_data(as_text=True)
    assert "BEGIN:VTODO" in calendar and "Overdue: Book the interpreters" in calendar
    assert "Send the invitation letter" not in calendar  # done
    generated_again = client.post(f"/delegations/{visit.delegation.id}/protocol/checklist/generate",
                                  follow_redirects=True).get_data(as_text=True)
    assert "0 tasks have been added" in generated_again


def test_the_caterer_counts_and_the_interpreters_needed_are_summed_up(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client, Role.VIEWER)
    meals = operations.meal_counts(queries.delegation_for_protocol(visit.delegation.id))
    lunch = next(meal for meal in meals if meal.item.id == visit.lunch.id)
    assert lunch.count.total == 20
    assert lunch.count.menus["vegetarian"] == 1 and lunch.count.menus["vegan"] == 1
    assert lunch.count.restrictions == {"halal": 1, "no_pork": 1, "gluten_free": 1}
    page = client.get(f"/delegations/{visit.delegation.id}/protocol").get_data(as_text=True)
    assert "For the caterer" in page and "20 people" in page and "Japanese" in page


def test_protocol_changes_are_written_to_the_history(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    client.post("/protocol/gifts/new", data={"direction": "given", "article": "Bildband Herrenhausen",
                                             "given_on": "2027-05-03", "value": "45", "fate": "undecided",
                                             "delegation_id": str(visit.delegation.id)})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "gift"))
    assert entry is not None and entry.action == "created" and entry.actor_name == "Test planner"
    assert entry.changes["article"] == [None, "Bildband Herrenhausen"]


def _count_queries(client, url: str) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("page", ["plan", "visit"])
def test_query_counts_stay_flat_as_the_lunch_grows(client, page):
    small = state_visit()
    large = state_visit(extra_guests=12, extra_hosts=12)
    plans = {}
    for visit in (small, large):
        plans[id(visit)] = operations.create_plan(visit.lunch, "Mittagessen", 6, 10, "round")
        operations.seat_automatically(plans[id(visit)], queries.offices_by_key())
    db.session.commit()
    sign_in(client, Role.VIEWER)

    def url(visit):
        if page == "plan":
            return f"/protocol/plans/{plans[id(visit)].id}"
        return f"/delegations/{visit.delegation.id}/protocol"

    _count_queries(client, url(small))  # warm up
    assert _count_queries(client, url(small)) == _count_queries(client, url(large))


def test_members_keep_their_rank_and_forms_when_edited_and_lose_them_when_deleted(client):
    visit = state_visit()
    db.session.commit()
    sign_in(client)
    member_id = visit.ambassador.id
    response = client.post(f"/delegations/{visit.delegation.id}/members/{member_id}/delete",
                           data={"version": visit.ambassador.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(FormOfAddress).where(FormOfAddress.member_id == member_id)) is None
    assert visit.delegation.members and all(member.role != MemberRole.HEAD for member in visit.delegation.members)
    assert participant_key(visit.host.id).startswith("city:")


def test_anonymising_a_member_removes_their_forms_of_address_and_name_in_their_script(app):
    visit = state_visit()
    db.session.commit()
    visit.ambassador.anonymised_at = operations.utc_now()
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(FormOfAddress).where(FormOfAddress.member_id == visit.ambassador.id)) is None
    assert visit.ambassador.protocol_rank.native_name == ""


def test_commands_load_the_ranking_rules_and_export_the_gift_register(runner, tmp_path):
    result = runner.invoke(args=["protocol", "ranking-rules"])
    assert result.exit_code == 0 and "Added 19 ranking rules." in result.output
    assert "All default ranking rules are present." in runner.invoke(args=["protocol", "ranking-rules"]).output
    from delegations.models import Gift
    from delegations.models.protocol import GiftDirection
    db.session.add(Gift(direction=GiftDirection.GIVEN, article="=1+1", given_on=date(2027, 5, 3)))
    db.session.commit()
    target = tmp_path / "gifts.csv"
    result = runner.invoke(args=["protocol", "export-gifts", "--year", "2027", "--format", "csv",
                                 "--output", str(target)])
    assert result.exit_code == 0 and "Wrote 1 gifts of 2027" in result.output
    assert "'=1+1" in target.read_text(encoding="utf-8-sig")
