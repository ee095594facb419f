"""The protocol checklist: task templates by protocol level, each due a number of days from the arrival.

A visit received by the Mayor needs more (security liaison, flags, the Golden Book) and earlier than one
received by the International Unit. Generating a checklist adds the tasks a visit does not have yet;
the owner is the visit's lead contact, or its deputy for the tasks the deputy usually takes.
Pure: the templates are data here; the operations turn them into ChecklistTask rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

MAYOR, DEPUTY_MAYOR, UNIT = "mayor", "deputy_mayor", "unit"
LEAD, DEPUTY = "lead", "deputy"


@dataclass(frozen=True)
class TaskTemplate:
    key: str
    title: object  # lazy text
    owner: str  # LEAD or DEPUTY (falls back to the lead contact)
    offsets: dict  # protocol level -> days relative to the arrival day (negative: before); absent: not needed

    def offset_for(self, level: str) -> int | None:
        return self.offsets.get(level)


TEMPLATES: tuple[TaskTemplate, ...] = (
    TaskTemplate("invitation", _l("Send the invitation letter"), LEAD, {MAYOR: -56, DEPUTY_MAYOR: -42, UNIT: -28}),
    TaskTemplate("hotel", _l("Reserve the hotel rooms"), DEPUTY, {MAYOR: -42, DEPUTY_MAYOR: -35, UNIT: -28}),
    TaskTemplate("interpreters", _l("Book the interpreters (consecutive, simultaneous with booth, or whispered)"),
                 LEAD, {MAYOR: -28, DEPUTY_MAYOR: -21, UNIT: -14}),
    TaskTemplate("security", _l("Brief the security liaison (police, protection of persons)"), DEPUTY,
                 {MAYOR: -21}),
    TaskTemplate("gifts", _l("Choose the gifts and have them approved (check what the guests received before)"),
                 LEAD, {MAYOR: -21, DEPUTY_MAYOR: -14, UNIT: -7}),
    TaskTemplate("flags", _l("Order the flags and table flags"), DEPUTY, {MAYOR: -10, DEPUTY_MAYOR: -7}),
    TaskTemplate("golden_book", _l("Prepare the Golden Book entry and check every name"), LEAD, {MAYOR: -7}),
    TaskTemplate("seating", _l("Approve the table plans and print the place cards"), DEPUTY,
                 {MAYOR: -3, DEPUTY_MAYOR: -3}),
    TaskTemplate("press", _l("Send the press release"), LEAD, {MAYOR: -3, DEPUTY_MAYOR: -3, UNIT: -2}),
    TaskTemplate("thanks", _l("Send the thank-you letters"), LEAD, {MAYOR: 14, DEPUTY_MAYOR: 14, UNIT: 14}),
)
TEMPLATE_KEYS = {template.key: template for template in TEMPLATES}


@dataclass(frozen=True)
class PlannedTask:
    key: str
    title: str
    owner: str
    due_on: date


def planned_tasks(level: str, arrival_day: date, existing_keys: set[str] = frozenset()) -> list[PlannedTask]:
    """The tasks a visit of this protocol level needs and does not have yet, in order of their due date."""
    found = []
    for template in TEMPLATES:
        offset = template.offset_for(level)
        if offset is None or template.key in existing_keys:
            continue
        found.append(PlannedTask(template.key, str(template.title), template.owner,
                                 arrival_day + timedelta(days=offset)))
    return sorted(found, key=lambda task: (task.due_on, task.key))


def is_overdue(due_on: date | None, done: bool, today: date) -> bool:
    return not done and due_on is not None and due_on < today


def days_relative(due_on: date, arrival_day: date) -> int:
    """-14: two weeks before the arrival; 3: three days after it."""
    return (due_on - arrival_day).days
