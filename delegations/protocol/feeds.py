"""Protocol tasks as iCalendar to-dos (VTODO), for the owner's calendar: due date, visit, overdue marked.

Pure: tasks in, icalendar objects or bytes out. Text goes through the feeds' `clean_text`: no line break in a
title or a note can start a property of its own. `todos_for` is what a subscription feed of a contact person
adds to its calendar (see docs/protocol.md, "In the owner's feed").
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Iterable

from flask_babel import gettext as _
from icalendar import Calendar, Todo, vText

from delegations.feeds.calendar import clean_text

PRODID = "-//International Unit of the Office of the Mayor//Delegation planner//EN"


def task_uid(task_id: int, domain: str) -> str:
    return f"protocol-task-{task_id}@{domain}"


def todos_for(tasks: Iterable, today: date, domain: str) -> list[Todo]:
    found = []
    for task in tasks:
        todo = Todo()
        todo.add("uid", task_uid(task.id, domain))
        overdue = task.due_on is not None and task.due_on < today and task.done_at is None
        summary = task.title if not overdue else _("Overdue: %(title)s", title=task.title)
        visit = task.delegation.title if task.delegation is not None else ""
        todo.add("summary", clean_text(f"{summary} – {visit}" if visit else summary))
        if task.due_on is not None:
            todo.add("due", task.due_on)
        if task.notes:
            todo.add("description", clean_text(task.notes))
        todo.add("status", "COMPLETED" if task.done_at is not None else "NEEDS-ACTION")
        if task.done_at is not None:
            todo.add("completed", task.done_at)
        stamp = task.updated_at or datetime.combine(today, time(0), timezone.utc)
        todo.add("dtstamp", stamp)
        todo.add("last-modified", stamp)
        todo.add("sequence", max((task.version or 1) - 1, 0))
        if overdue:
            todo.add("priority", 1)
        found.append(todo)
    return found


def tasks_calendar(tasks: Iterable, name: str, today: date, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    # vText: icalendar would write an X-WR-CALNAME with a line break unescaped (a forged property).
    calendar.add("x-wr-calname", vText(clean_text(_("Protocol tasks: %(name)s", name=name))))
    for todo in todos_for(tasks, today, domain):
        calendar.add_component(todo)
    return calendar.to_ical()
