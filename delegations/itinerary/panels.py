"""The conflict lists pages show: a delegation's, the next 14 days', and those of one saved item.

Each reads its schedule and acknowledgements in a fixed number of queries (planning.loading) and pairs every
conflict with the acknowledgement that silences it, if the data it was about is unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import flash
from flask_babel import gettext as _

from delegations.models import ConflictAcknowledgement, Delegation, ProgrammeItem
from delegations.planning.conflicts import Conflict, ConflictFinder, Schedule, find_conflicts
from delegations.planning.loading import WINDOW_MARGIN, acknowledgements_for, load_schedule, schedule_for_delegation

# How many conflicts a flash message names after saving an item; the rest are on the delegation page.
FLASH_AT_MOST = 4


@dataclass
class ConflictEntry:
    conflict: Conflict
    # The acknowledgement that silences it (same data), if any.
    acknowledgement: ConflictAcknowledgement | None = None
    # An acknowledgement given earlier, before the data changed: shown so that nobody wonders where it went.
    outdated: ConflictAcknowledgement | None = None
    # item id -> delegation id, for links to the items concerned.
    item_delegations: dict[int, int] = field(default_factory=dict)

    @property
    def shouting(self) -> bool:
        return self.acknowledgement is None

    def item_of(self, delegation_id: int) -> int | None:
        """The first item of the conflict that belongs to `delegation_id` (to find it another time)."""
        return next((item_id for item_id in self.conflict.item_ids
                     if self.item_delegations.get(item_id) == delegation_id), None)


@dataclass
class ConflictPanel:
    entries: list[ConflictEntry]
    delegation_id: int | None = None
    stays: dict = field(default_factory=dict)

    @property
    def shouting(self) -> list[ConflictEntry]:
        return [entry for entry in self.entries if entry.shouting]

    @property
    def acknowledged(self) -> list[ConflictEntry]:
        return [entry for entry in self.entries if not entry.shouting]

    def visit_title(self, delegation_id: int) -> str:
        stay = self.stays.get(delegation_id)
        return stay.title if stay else ""


def pair_with_acknowledgements(conflicts: list[Conflict], schedule: Schedule) -> list[ConflictEntry]:
    found = acknowledgements_for(conflict.key for conflict in conflicts)
    owners = {item.id: item.delegation_id for item in schedule.items}
    entries = []
    for conflict in conflicts:
        given = found.get(conflict.key, [])
        current = next((ack for ack in given if ack.fingerprint == conflict.fingerprint), None)
        outdated = None if current else max(given, key=lambda ack: ack.acknowledged_at, default=None)
        entries.append(ConflictEntry(conflict, current, outdated, owners))
    return entries


def delegation_panel(delegation: Delegation) -> ConflictPanel:
    """The conflicts of the delegation's items (its items loaded already)."""
    schedule = schedule_for_delegation(delegation)
    own = [item.id for item in schedule.items if item.delegation_id == delegation.id]
    conflicts = find_conflicts(schedule, own)
    return ConflictPanel(pair_with_acknowledgements(conflicts, schedule), delegation.id, schedule.stays)


def upcoming_panel(now: datetime, days: int = 14) -> ConflictPanel:
    """Conflicts of items that start within the next `days` days, across all delegations."""
    horizon = now + timedelta(days=days)
    schedule = load_schedule(now - WINDOW_MARGIN, horizon + WINDOW_MARGIN)
    soon = [item.id for item in schedule.items if now <= item.starts_at < horizon or
            (item.starts_at < now < item.ends_at)]
    conflicts = find_conflicts(schedule, soon)
    return ConflictPanel(pair_with_acknowledgements(conflicts, schedule), None, schedule.stays)


def conflicts_of_item(item: ProgrammeItem) -> list[ConflictEntry]:
    """The conflicts of one saved item, with their acknowledgements."""
    schedule = schedule_for_delegation(item.delegation)
    finder = ConflictFinder(schedule)
    planned = finder.by_id.get(item.id)
    conflicts = finder.conflicts_of(planned) if planned else []
    return pair_with_acknowledgements(conflicts, schedule)


def flash_conflicts_of(item: ProgrammeItem) -> None:
    """After saving an item: say which conflicts it has (acknowledged ones stay quiet)."""
    shouting = [entry for entry in conflicts_of_item(item) if entry.shouting]
    for entry in shouting[:FLASH_AT_MOST]:
        flash(_("Conflict: %(sentence)s", sentence=str(entry.conflict.message)), "warning")
    if len(shouting) > FLASH_AT_MOST:
        flash(_("%(count)s more conflicts are listed on the delegation's page.",
                count=len(shouting) - FLASH_AT_MOST), "warning")
