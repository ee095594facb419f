"""A contact person's subscription feed carries their open protocol tasks as to-dos (VTODO): due date, summary
with the visit, status, overdue ones marked; adding, completing or reassigning a task, or a task becoming
overdue, changes the feed and its ETag, and nothing else does."""
from __future__ import annotations

from datetime import date, timedelta

import icalendar
from ical.calendar_stream import IcsCalendarStream

from delegations.extensions import db
from delegations.feeds.exporters import FeedPolicy, exporter
from delegations.models import ChecklistTask, FeedScope, utc_now
from tests.factories import make_contact, make_delegation, make_item
from tests.test_feeds_http import counted_queries, issue


def add_task(visit, owner, title, due_on) -> ChecklistTask:
    task = ChecklistTask(delegation_id=visit.id, owner_id=owner.id, title=title, due_on=due_on)
    db.session.add(task)
    db.session.commit()
    return task


def todos(body: bytes) -> dict[str, icalendar.Todo]:
    IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))  # the strict parser accepts it
    return {str(todo["UID"]): todo for todo in icalendar.Calendar.from_ical(body).walk("VTODO")}


def person_with_a_visit():
    anna = make_contact(name="Anna Schmidt")
    visit = make_delegation(title="Partner city Poznań", arrival_at=utc_now() + timedelta(days=20),
                            lead_contact_id=anna.id)
    make_item(visit, responsible=anna, title="Reception")
    db.session.commit()
    return anna, visit


def test_the_persons_feed_holds_their_open_tasks_as_todos(client):
    anna, visit = person_with_a_visit()
    today = utc_now().date()
    letter = add_task(visit, anna, "Invitation letter", today + timedelta(days=10))
    hotel = add_task(visit, anna, "Hotel rooms", today - timedelta(days=3))
    someone_else = add_task(visit, make_contact(), "Flags", today + timedelta(days=2))
    url, _feed = issue(FeedScope.PERSON, anna.id, label="Anna")

    found = todos(client.get(url).data)

    assert set(found) == {f"protocol-task-{letter.id}@delegation-planner.invalid",
                          f"protocol-task-{hotel.id}@delegation-planner.invalid"}
    assert f"protocol-task-{someone_else.id}@delegation-planner.invalid" not in found
    todo = found[f"protocol-task-{letter.id}@delegation-planner.invalid"]
    assert str(todo["SUMMARY"]) == "Invitation letter – Partner city Poznań"
    assert todo.decoded("DUE") == today + timedelta(days=10)
    assert str(todo["STATUS"]) == "NEEDS-ACTION"
    overdue = found[f"protocol-task-{hotel.id}@delegation-planner.invalid"]
    assert str(overdue["SUMMARY"]).startswith("Overdue: Hotel rooms")
    assert int(overdue["PRIORITY"]) == 1
    # The events are still there beside the to-dos.
    assert len(icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")) == 2


def test_adding_or_completing_a_task_changes_the_feed_and_its_etag(client):
    anna, visit = person_with_a_visit()
    url, _feed = issue(FeedScope.PERSON, anna.id, label="Anna")
    before = client.get(url)
    assert todos(before.data) == {}
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    task = add_task(visit, anna, "Press release", date.today() + timedelta(days=5))
    added = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert added.status_code == 200 and added.headers["ETag"] != before.headers["ETag"]
    assert list(todos(added.data)) == [f"protocol-task-{task.id}@delegation-planner.invalid"]
    by_date = client.get(url, headers={"If-Modified-Since": before.headers["Last-Modified"]})
    assert by_date.status_code == 200
    assert client.get(url, headers={"If-None-Match": added.headers["ETag"]}).status_code == 304

    task.title = "Press release (German and Polish)"
    db.session.commit()
    edited = client.get(url, headers={"If-None-Match": added.headers["ETag"]})
    assert edited.status_code == 200 and "Polish" in str(list(todos(edited.data).values())[0]["SUMMARY"])

    task.done_at = utc_now()
    db.session.commit()
    done = client.get(url, headers={"If-None-Match": edited.headers["ETag"]})
    assert done.status_code == 200 and done.headers["ETag"] != edited.headers["ETag"]
    assert todos(done.data) == {}


def test_reassigning_a_task_moves_it_between_feeds_and_other_peoples_tasks_keep_the_304(client):
    anna, visit = person_with_a_visit()
    ben = make_contact(name="Ben Kühn")
    db.session.commit()
    task = add_task(visit, anna, "Golden Book", date.today() + timedelta(days=5))
    anna_url, _ = issue(FeedScope.PERSON, anna.id, label="Anna")
    ben_url, _ = issue(FeedScope.PERSON, ben.id, label="Ben")
    anna_tag, ben_tag = client.get(anna_url).headers["ETag"], client.get(ben_url).headers["ETag"]

    add_task(visit, make_contact(), "Flags", date.today())
    assert client.get(anna_url, headers={"If-None-Match": anna_tag}).status_code == 304

    task.owner_id = ben.id
    db.session.commit()
    assert todos(client.get(anna_url, headers={"If-None-Match": anna_tag}).data) == {}
    moved = client.get(ben_url, headers={"If-None-Match": ben_tag})
    assert moved.status_code == 200 and list(todos(moved.data)) == [f"protocol-task-{task.id}@delegation-planner.invalid"]


def test_a_task_becoming_overdue_overnight_changes_the_fingerprint(app):
    anna, visit = person_with_a_visit()
    now = utc_now()
    add_task(visit, anna, "Thank-you letters", FeedPolicy().today(now) + timedelta(days=1))
    policy, feed = FeedPolicy(), exporter("person")
    assert feed.fingerprint(anna.id, now, policy) == feed.fingerprint(anna.id, now + timedelta(minutes=5), policy)
    assert feed.fingerprint(anna.id, now, policy) != feed.fingerprint(anna.id, now + timedelta(days=2), policy)


def test_a_304_of_the_persons_feed_still_takes_a_few_queries(client):
    anna, visit = person_with_a_visit()
    for number in range(15):
        add_task(visit, anna, f"Task {number}", date.today() + timedelta(days=number))
    url, _feed = issue(FeedScope.PERSON, anna.id, label="Anna")
    etag = client.get(url).headers["ETag"]
    with counted_queries() as statements:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) <= 5
