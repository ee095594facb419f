"""Running the arrangement for a delegation and laying the proposal out beside today's programme."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import gettext as _

from delegations.models import ArrangementRequest, Delegation
from delegations.planning.arrange import Placement, Proposal, arrange
from delegations.planning.conflicts import PlannedItem, Schedule, When, current_locale_name, local_day
from delegations.planning.loading import (deputies_in_order, engine_requests, load_requests, planning_settings,
                                          schedule_for_delegation)
from delegations.zones import local_days


@dataclass
class Arrangement:
    delegation: Delegation
    schedule: Schedule
    rows: list[ArrangementRequest]
    proposal: Proposal


def propose(delegation: Delegation) -> Arrangement:
    """Load what the arrangement needs (fixed number of queries), run it, return everything a page shows."""
    schedule = schedule_for_delegation(delegation)
    rows = load_requests(delegation)
    settings = planning_settings()
    proposal = arrange(schedule, delegation.id, engine_requests(delegation, rows, schedule),
                       grid_minutes=settings["grid_minutes"], node_limit=settings["node_limit"],
                       time_limit=settings["time_limit"], deputies=deputies_in_order(schedule))
    return Arrangement(delegation, schedule, rows, proposal)


@dataclass
class Line:
    """One entry of a day column."""

    starts_at: datetime
    ends_at: datetime
    title: str
    principal_id: int | None
    venue_id: int | None
    state: str  # "fixed", "stays", "new", "moved", "moves" (today's column: will move)
    key: str | None = None
    moved_from: datetime | None = None
    placement: Placement | None = None


@dataclass
class DayColumns:
    day: date
    today: list[Line] = field(default_factory=list)
    proposed: list[Line] = field(default_factory=list)


def side_by_side(arrangement: Arrangement) -> list[DayColumns]:
    """Each local day of the stay (and any day an item lies on): today's programme and the proposed one."""
    schedule, proposal = arrangement.schedule, arrangement.proposal
    delegation = arrangement.delegation
    zone = delegation.timezone
    moves = {placement.request.item_id: placement for placement in proposal.placements
             if placement.request.item_id is not None}
    days: dict[date, DayColumns] = {day: DayColumns(day) for day in
                                    local_days(delegation.arrival_at, delegation.departure_at, zone)}

    def column(instant: datetime) -> DayColumns:
        day = local_day(instant, zone)
        return days.setdefault(day, DayColumns(day))

    for item in schedule.items:
        if item.delegation_id != delegation.id:
            continue
        placement = moves.get(item.id)
        moving = placement is not None and placement.moved
        column(item.starts_at).today.append(_line(item, "moves" if moving else ("fixed" if item.fixed else "stays")))
        if moving:
            column(placement.starts_at).proposed.append(Line(
                placement.starts_at, placement.ends_at, item.title, item.principal_id, item.venue_id, "moved",
                placement.request.key, item.starts_at, placement))
        else:
            column(item.starts_at).proposed.append(_line(item, "fixed" if item.fixed else "stays", placement))
    for placement in proposal.placements:
        if placement.is_new:
            request = placement.request
            column(placement.starts_at).proposed.append(Line(
                placement.starts_at, placement.ends_at, request.title, request.principal_id, request.venue_id,
                "new", request.key, None, placement))
    for columns in days.values():
        columns.today.sort(key=lambda line: (line.starts_at, line.ends_at))
        columns.proposed.sort(key=lambda line: (line.starts_at, line.ends_at))
    return [days[day] for day in sorted(days)]


def _line(item: PlannedItem, state: str, placement: Placement | None = None) -> Line:
    return Line(item.starts_at, item.ends_at, item.title, item.principal_id, item.venue_id, state,
                f"item-{item.id}", None, placement)


def proposal_as_text(arrangement: Arrangement) -> str:
    """The proposal for a terminal: day, local time, title, principal; then what could not be placed."""
    schedule, proposal = arrangement.schedule, arrangement.proposal
    zone = arrangement.delegation.timezone
    locale = current_locale_name()
    labels = {"fixed": _("fixed"), "stays": _("stays"), "new": _("new"), "moved": _("moved")}
    lines = [_("Proposed programme for “%(title)s” (local time, %(zone)s)", title=arrangement.delegation.title,
               zone=zone), ""]
    for columns in side_by_side(arrangement):
        lines.append(format_date(columns.day, format="full", locale=locale))
        if not columns.proposed:
            lines.append("  " + _("(nothing planned)"))
        for line in columns.proposed:
            principal = schedule.principals.get(line.principal_id)
            state = labels.get(line.state, line.state)
            if line.moved_from is not None:
                state = _("moved from %(when)s", when=str(When(line.moved_from, None, zone)))
            place = ZoneInfo(zone)
            text = f"  {line.starts_at.astimezone(place):%H:%M}–{line.ends_at.astimezone(place):%H:%M}  {line.title}"
            if principal:
                text += f"  ({principal.label})"
            lines.append(f"{text}  [{state}]")
        lines.append("")
    if proposal.unplaced:
        lines.append(_("Not placed:"))
        for unplaced in proposal.unplaced:
            lines.append(f"  - {unplaced.request.title}: {unplaced.reason}")
            if unplaced.alternative:
                deputy = schedule.principals.get(unplaced.alternative[0])
                lines.append("    " + _("%(principal)s would be free from %(when)s.",
                                        principal=deputy.label if deputy else "?",
                                        when=str(When(unplaced.alternative[1], None, zone))))
        lines.append("")
    lines.append(_("%(new)s new, %(moved)s moved, %(unplaced)s not placed; %(nodes)s search steps in %(seconds)s s.",
                   new=proposal.new_count, moved=proposal.moved_count, unplaced=len(proposal.unplaced),
                   nodes=proposal.nodes, seconds=f"{proposal.seconds:.2f}"))
    return "\n".join(lines)

