"""State changes of planning: acknowledging conflicts, keeping requests, accepting a proposal.

Functions here flush but never commit: the view (or command) commits once, so one action is one transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from delegations.constants import ItemKind, ItemStatus
from delegations.extensions import db
from delegations.models import (ArrangementRequest, ConflictAcknowledgement, Delegation, ProgrammeItem, User,
                                utc_now)
from delegations.itinerary.panels import delegation_panel
from delegations.planning.conflicts import ConflictFinder
from delegations.planning.loading import schedule_for_delegation
from delegations.zones import local_days


class PlanningRefused(Exception):
    """The change cannot be made; `messages` say why, one sentence each."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# Acknowledgements --------------------------------------------------------------------------------

def acknowledge(delegation: Delegation, key: str, fingerprint: str, reason: str, user: User) -> ConflictAcknowledgement:
    """Silence a conflict of the delegation while its data stays as it is (`fingerprint`)."""
    current = next((entry.conflict for entry in delegation_panel(delegation).entries if entry.conflict.key == key),
                   None)
    if current is None:
        raise PlanningRefused([_("This conflict no longer exists.")])
    if current.fingerprint != fingerprint:
        raise PlanningRefused([_("This conflict changed while you were looking at it; read it again before "
                                 "acknowledging it.")])
    acknowledgement = db.session.scalar(select(ConflictAcknowledgement).where(
        ConflictAcknowledgement.delegation_id == delegation.id, ConflictAcknowledgement.conflict_key == key))
    if acknowledgement is None:
        acknowledgement = ConflictAcknowledgement(delegation_id=delegation.id, conflict_key=key)
        db.session.add(acknowledgement)
    acknowledgement.fingerprint = fingerprint
    acknowledgement.reason = reason.strip()
    acknowledgement.acknowledged_by_id = user.id
    acknowledgement.acknowledged_at = utc_now()
    db.session.flush()
    return acknowledgement


def withdraw_acknowledgement(key: str) -> int:
    """Let a conflict shout again (every acknowledgement of it, from any delegation's page)."""
    found = list(db.session.scalars(select(ConflictAcknowledgement).where(ConflictAcknowledgement.conflict_key == key)))
    for acknowledgement in found:
        db.session.delete(acknowledgement)
    db.session.flush()
    return len(found)


# Requests -------------------------------------------------------------------------------------------

def request_changes(form) -> dict:
    relation = form.order_relation.data or ""
    kind, _sep, number = (form.relative.data or "").partition(":")
    return {
        "title": form.title.data.strip(),
        "kind": ItemKind(form.kind.data),
        "duration_minutes": form.duration_minutes.data,
        "priority": int(form.priority.data),
        "principal_id": form.principal_id.data,
        "venue_id": form.venue_id.data,
        "responsible_id": form.responsible_id.data,
        "earliest_time": form.earliest.data,
        "latest_time": form.latest.data,
        "days": sorted(form.days.data or []),
        "order_relation": relation,
        "relative_item_id": int(number) if relation and kind == "item" and number.isdigit() else None,
        "relative_request_id": int(number) if relation and kind == "request" and number.isdigit() else None,
    }


def add_request(delegation: Delegation, changes: dict) -> ArrangementRequest:
    position = (db.session.scalar(select(db.func.max(ArrangementRequest.position))
                                  .where(ArrangementRequest.delegation_id == delegation.id)) or 0) + 1
    row = ArrangementRequest(delegation_id=delegation.id, position=position, **changes)
    db.session.add(row)
    db.session.flush()
    return row


def set_fixed(item: ProgrammeItem, fixed: bool) -> None:
    item.fixed = fixed
    db.session.flush()


# Accepting a proposal ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chosen:
    """One placement the planner accepts, as it was shown: the key, the start, the version it was based on."""

    key: str
    starts_at: datetime
    version: int | None


def accept(delegation: Delegation, chosen: list[Chosen]) -> tuple[list[ProgrammeItem], list[ProgrammeItem]]:
    """Create the accepted new items and move the accepted ones, all or nothing.

    Refused (PlanningRefused, nothing changed once the view rolls back) when a request or item changed since
    the proposal was made (its version), or when the accepted items would break a rule with things as they are
    now (someone planned something meanwhile, or only part of a proposal is accepted and the rest is in the way).
    """
    request_ids = [int(c.key.split("-", 1)[1]) for c in chosen if c.key.startswith("request-")]
    item_ids = [int(c.key.split("-", 1)[1]) for c in chosen if c.key.startswith("item-")]
    rows = {row.id: row for row in db.session.scalars(select(ArrangementRequest).where(
        ArrangementRequest.id.in_(request_ids), ArrangementRequest.delegation_id == delegation.id))} if request_ids else {}
    items = {item.id: item for item in db.session.scalars(select(ProgrammeItem).where(
        ProgrammeItem.id.in_(item_ids), ProgrammeItem.delegation_id == delegation.id))} if item_ids else {}
    problems: list[str] = []
    created: list[tuple[ArrangementRequest, ProgrammeItem]] = []
    moved: list[ProgrammeItem] = []
    for choice in chosen:
        number = int(choice.key.split("-", 1)[1])
        if choice.key.startswith("request-"):
            row = rows.get(number)
            if row is None:
                problems.append(_("An item to place has been removed or placed meanwhile; arrange again."))
            elif choice.version is not None and row.version != choice.version:
                problems.append(_("“%(title)s” was changed after the proposal was made; arrange again.",
                                  title=row.title))
            else:
                start = choice.starts_at
                item = ProgrammeItem(delegation=delegation, title=row.title, kind=row.kind, starts_at=start,
                                     ends_at=start + timedelta(minutes=row.duration_minutes), venue_id=row.venue_id,
                                     principal_id=row.principal_id, responsible_id=row.responsible_id,
                                     status=ItemStatus.TENTATIVE)
                db.session.add(item)
                created.append((row, item))
        else:
            item = items.get(number)
            if item is None:
                problems.append(_("A programme item of the proposal has been deleted meanwhile; arrange again."))
            elif choice.version is not None and item.version != choice.version:
                problems.append(_("“%(title)s” was changed after the proposal was made; arrange again.",
                                  title=item.title))
            elif item.fixed or item.status != ItemStatus.TENTATIVE:
                problems.append(_("“%(title)s” is now confirmed or fixed and stays where it is; arrange again.",
                                  title=item.title))
            elif item.starts_at != choice.starts_at:
                duration = item.ends_at - item.starts_at
                item.starts_at, item.ends_at = choice.starts_at, choice.starts_at + duration
                moved.append(item)
    if problems:
        raise PlanningRefused(problems)
    db.session.flush()
    became = {row.id: item for row, item in created}
    if became:
        # Requests that were to come before or after an accepted one now refer to the item it became.
        for other in db.session.scalars(select(ArrangementRequest).where(
                ArrangementRequest.relative_request_id.in_(list(became)))):
            if other.id not in became:
                other.relative_item_id = became[other.relative_request_id].id
                other.relative_request_id = None
    db.session.flush()
    for row, _item in created:
        db.session.delete(row)
    db.session.flush()
    db.session.expire(delegation, ["items"])
    touched = [item for _row, item in created] + moved
    finder = ConflictFinder(schedule_for_delegation(delegation))
    broken: list[str] = []
    for item in touched:
        planned = finder.by_id.get(item.id)
        for conflict in (finder.conflicts_of(planned) if planned else ()):
            if str(conflict.message) not in broken:
                broken.append(str(conflict.message))
    if broken:
        raise PlanningRefused(broken)
    return [item for _row, item in created], moved


def parse_chosen(form_data, keys: list[str]) -> list[Chosen]:
    """The accepted placements from the posted form: start and version per key (hidden fields)."""
    chosen = []
    for key in keys:
        start_text = form_data.get(f"start-{key}", "")
        version_text = form_data.get(f"version-{key}", "")
        try:
            start = datetime.fromisoformat(start_text)
        except ValueError:
            continue
        if start.tzinfo is None:
            continue
        chosen.append(Chosen(key, start, int(version_text) if version_text.isdigit() else None))
    return chosen


def stay_day_choices(delegation: Delegation, locale: str) -> list[tuple[str, str]]:
    return [(day.isoformat(), format_date(day, format="EEE d.M.", locale=locale))
            for day in local_days(delegation.arrival_at, delegation.departure_at, delegation.timezone)]


def parse_days(values) -> frozenset[date] | None:
    days = set()
    for value in values or ():
        try:
            days.add(date.fromisoformat(value))
        except ValueError:
            continue
    return frozenset(days) or None
