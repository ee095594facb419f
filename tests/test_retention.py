"""GDPR retention: members' personal details go a configurable time after the visit, the visit stays,
the history forgets them too; a dry run changes nothing; a second run finds nothing. And the export."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from delegations.auth.operations import create_user
from delegations.constants import MemberRole, Role
from delegations.extensions import db
from delegations.models import AuditEntry, Delegation, Member, MemberImport, ProgrammeVersion, utc_now
from tests.conftest import PASSWORD, log_in
from tests.factories import make_delegation, make_item, make_member

PERSONAL = {"name": "Anna Nowak", "function": "Deputy Mayor", "organisation": "City of Poznań",
            "email": "anna.nowak@example.pl", "phone": "+48 61 878 5000", "dietary_needs": "no pork",
            "accessibility_needs": "wheelchair"}


def visit_that_ended(days_ago: int, **values) -> Delegation:
    departure = utc_now() - timedelta(days=days_ago)
    return make_delegation(arrival_at=departure - timedelta(days=3), departure_at=departure, **values)


def all_history_text() -> str:
    return json.dumps([[entry.summary, entry.changes, entry.snapshot]
                       for entry in db.session.scalars(select(AuditEntry))], ensure_ascii=False)


def old_visit_with_traces():
    visit = visit_that_ended(400, title="Partner city visit 2025", head_name="Jacek Jaśkowiak")
    head = make_member(visit, role=MemberRole.HEAD, position=1, **PERSONAL)
    interpreter = make_member(visit, role=MemberRole.INTERPRETER, position=2, name="Ewa Lis", email="ewa@example.pl")
    make_item(visit, title="Reception")
    db.session.commit()
    head.dietary_needs = "vegetarian, no pork"  # an update in the history, old and new values personal
    gone = make_member(visit, name="Piotr Zieliński", phone="+48 600 000 000", position=3)
    db.session.commit()
    db.session.delete(gone)  # a deleted member's snapshot in the history
    db.session.add(MemberImport(delegation_id=visit.id, filename="list.xlsx",
                                rows=[{"name": "Unconfirmed Person", "email": "u@example.pl"}]))
    db.session.commit()
    return visit, head, interpreter


def test_dry_run_lists_what_is_due_and_changes_nothing(app, runner):
    visit, head, _interpreter = old_visit_with_traces()
    recent = visit_that_ended(30, title="Recent visit")
    make_member(recent, name="Kept Person")
    db.session.commit()
    history_before = all_history_text()

    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "Would anonymise 2 members of 1 visits" in result.output
    assert "Partner city visit 2025" in result.output and "Recent visit" not in result.output
    assert "Would scrub personal data from" in result.output
    assert "Would delete 1 unconfirmed participant-list uploads" in result.output
    assert "Dry run" in result.output
    db.session.expire_all()
    assert db.session.get(Member, head.id).name == "Anna Nowak"
    assert all_history_text() == history_before
    assert db.session.scalar(select(MemberImport)) is not None


def test_real_run_anonymises_members_keeps_the_visit_and_scrubs_the_history(app, runner):
    visit, head, interpreter = old_visit_with_traces()
    recent = visit_that_ended(30, title="Recent visit")
    kept = make_member(recent, name="Kept Person", email="kept@example.org")
    db.session.commit()

    result = runner.invoke(args=["retention", "run", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Anonymised 2 members of 1 visits" in result.output

    db.session.expire_all()
    head, interpreter = db.session.get(Member, head.id), db.session.get(Member, interpreter.id)
    assert head.name.endswith("1") and interpreter.name.endswith("2")
    assert "Anna" not in head.name
    for member in (head, interpreter):
        assert member.anonymised_at is not None
        assert member.email == member.phone == member.function == member.organisation == ""
        assert member.dietary_needs == member.accessibility_needs == ""
    assert head.role == MemberRole.HEAD and interpreter.role == MemberRole.INTERPRETER  # who came, in which role
    # The visit itself stays for the records, with its programme.
    visit = db.session.get(Delegation, visit.id)
    assert visit.title == "Partner city visit 2025" and len(visit.items) == 1 and len(visit.members) == 2
    # Nothing personal survives in the history, not even of the member deleted before.
    history = all_history_text()
    for value in list(PERSONAL.values()) + ["Ewa Lis", "ewa@example.pl", "Piotr Zieliński", "+48 600 000 000",
                                            "vegetarian"]:
        assert value not in history, value
    anonymised = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymised")).all()
    assert len(anonymised) == 2 and all(entry.actor_name == "system:retention" for entry in anonymised)
    assert db.session.scalar(select(MemberImport)) is None
    # The recent visit is left alone.
    assert db.session.get(Member, kept.id).email == "kept@example.org"
    assert "Kept Person" in history


def test_a_second_run_finds_nothing(app, runner):
    old_visit_with_traces()
    assert runner.invoke(args=["retention", "run", "--apply"]).exit_code == 0
    history = all_history_text()
    result = runner.invoke(args=["retention", "run", "--apply"])
    assert result.exit_code == 0 and "Nothing is due" in result.output
    assert all_history_text() == history


def test_members_added_later_to_an_anonymised_visit_are_caught_next_time(app, runner):
    visit, _head, _interpreter = old_visit_with_traces()
    runner.invoke(args=["retention", "run", "--apply"])
    make_member(db.session.get(Delegation, visit.id), name="Late Entry", email="late@example.org")
    db.session.commit()
    result = runner.invoke(args=["retention", "run"])
    assert "Would anonymise 1 members of 1 visits" in result.output


def test_the_retention_period_is_configurable(app, runner):
    visit_that_ended(100, title="Hundred days ago")
    make_member(db.session.scalar(select(Delegation)), name="Someone")
    db.session.commit()
    assert "Nothing is due" in runner.invoke(args=["retention", "run"]).output  # default: 365 days
    assert "Would anonymise 1 members" in runner.invoke(args=["retention", "run", "--days", "90"]).output
    app.config["RETENTION_DAYS"] = 60
    assert "Would anonymise 1 members" in runner.invoke(args=["retention", "run"]).output


def test_history_of_a_deleted_visit_is_scrubbed_after_the_period(app, runner):
    visit = visit_that_ended(5, title="Deleted visit")
    make_member(visit, name="Marta Wiśniewska", email="marta@example.pl")
    db.session.commit()
    db.session.delete(visit)
    db.session.commit()
    # The entries were written long ago.
    for entry in db.session.scalars(select(AuditEntry)):
        entry.at = utc_now() - timedelta(days=500)
    db.session.commit()
    result = runner.invoke(args=["retention", "run", "--apply"])
    assert "Scrubbed personal data from 1 history entries" in result.output
    assert "Marta" not in all_history_text() and "marta@example.pl" not in all_history_text()


def test_planner_exports_the_personal_data_of_a_visit(client, app):
    planner = create_user("planner@example.org", PASSWORD, Role.PLANNER, name="Pia Planer", locale="en")
    db.session.commit()
    log_in(client, planner.email)
    visit = make_delegation(title="Visit from Bristol", head_name="Marvin Rees")
    member = make_member(visit, **PERSONAL)
    db.session.commit()
    member.phone = "+48 61 000 0000"
    db.session.commit()

    page = client.get(f"/delegations/{visit.id}").text
    assert f"/delegations/{visit.id}/personal-data.json" in page
    response = client.get(f"/delegations/{visit.id}/personal-data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = response.json
    assert document["delegation"]["title"] == "Visit from Bristol"
    assert document["delegation"]["head_name"] == "Marvin Rees"
    [exported] = document["members"]
    assert exported["email"] == PERSONAL["email"] and exported["dietary_needs"] == "no pork"
    assert exported["phone"] == "+48 61 000 0000"
    assert any(entry["changes"].get("phone") == [PERSONAL["phone"], "+48 61 000 0000"] for entry in document["history"])


def test_viewer_cannot_export_personal_data(client):
    viewer = create_user("viewer@example.org", PASSWORD, Role.VIEWER, locale="en")
    db.session.commit()
    log_in(client, viewer.email)
    visit = make_delegation()
    db.session.commit()
    assert client.get(f"/delegations/{visit.id}/personal-data.json").status_code == 403
    assert "personal-data.json" not in client.get(f"/delegations/{visit.id}").text


def test_finished_login_sessions_are_deleted(app, runner, client):
    from delegations.models import UserSession

    planner = create_user("planner@example.org", PASSWORD, Role.PLANNER, locale="en")
    db.session.commit()
    log_in(client, planner.email)
    db.session.add(UserSession(id="0" * 64, user_id=planner.id, created_at=utc_now() - timedelta(days=3)))
    db.session.commit()
    assert "Would delete 1 finished login sessions" in runner.invoke(args=["retention", "run"]).output
    assert "Deleted 1 finished login sessions" in runner.invoke(args=["retention", "run", "--apply"]).output
    assert db.session.scalar(select(UserSession).where(UserSession.id == "0" * 64)) is None
    assert client.get("/").status_code == 200  # the current session is left alone


def test_later_edits_of_an_anonymised_member_keep_personal_values_out_of_the_history(app, runner):
    visit, head, _interpreter = old_visit_with_traces()
    runner.invoke(args=["retention", "run", "--apply"])
    member = db.session.get(Member, head.id)
    member.phone = "+48 000 111 222"
    member.role = MemberRole.MEMBER
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == head.id,
                                                        AuditEntry.action == "updated")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.changes == {"phone": [None, None], "role": ["head", "member"]}


def test_an_edit_flushed_earlier_in_the_same_transaction_is_scrubbed_too(app):
    from delegations.privacy.retention import apply_retention, plan_retention

    visit = visit_that_ended(400)
    member = make_member(visit, **PERSONAL)
    db.session.commit()
    member.phone = "+48 999 999 999"
    db.session.flush()  # recorded as an ordinary edit, with values ...
    apply_retention(plan_retention(utc_now(), 365), utc_now(), "en")
    db.session.commit()  # ... until the anonymisation in the same transaction removes them
    history = all_history_text()
    assert "+48 999 999 999" not in history and PERSONAL["phone"] not in history


def test_retention_removes_members_from_released_versions_which_stay_current(app):
    from delegations.privacy.retention import apply_retention, plan_retention
    from delegations.releases import operations
    from delegations.releases.queries import release_stamp

    visit = visit_that_ended(400, title="Released visit")
    make_member(visit, role=MemberRole.HEAD, position=1, **PERSONAL)
    make_item(visit, title="Reception")
    db.session.commit()
    pending = operations.pending_release(visit)
    operations.release_version(visit, None, expected_number=pending.number, expected_hash=pending.snapshot_hash)
    db.session.commit()
    assert "Anna Nowak" in json.dumps(db.session.scalar(select(ProgrammeVersion.snapshot)), ensure_ascii=False)

    now = utc_now()
    apply_retention(plan_retention(now, days=365), now, "en")
    db.session.commit()
    db.session.expire_all()

    snapshot = db.session.scalar(select(ProgrammeVersion.snapshot))
    assert "Anna Nowak" not in json.dumps(snapshot, ensure_ascii=False)
    assert [item["title"] for item in snapshot["items"]] == ["Reception"]  # the programme stays
    assert not release_stamp(db.session.get(Delegation, visit.id)).out_of_date
