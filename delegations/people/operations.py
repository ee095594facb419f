"""Changes to venues that involve more than one row: travel times between pairs."""
from __future__ import annotations

from sqlalchemy import or_, select

from delegations.extensions import db
from delegations.models import Venue, VenueTravelTime


def set_travel_minutes(first: Venue, second: Venue, minutes: int) -> VenueTravelTime:
    """Record the travel time between two venues (the same in both directions)."""
    if first.id == second.id:
        raise ValueError("a venue has no travel time to itself")
    low, high = sorted((first.id, second.id))
    row = db.session.get(VenueTravelTime, (low, high))
    if row is None:
        row = VenueTravelTime(from_venue_id=low, to_venue_id=high, minutes=minutes)
        db.session.add(row)
    else:
        row.minutes = minutes
    db.session.flush()
    return row


def travel_times_of(venue: Venue) -> list[tuple[Venue, int]]:
    """Every known travel time from `venue`, with the other venue, in one query."""
    rows = db.session.execute(
        select(VenueTravelTime, Venue)
        .join(Venue, or_(
            (VenueTravelTime.from_venue_id == venue.id) & (Venue.id == VenueTravelTime.to_venue_id),
            (VenueTravelTime.to_venue_id == venue.id) & (Venue.id == VenueTravelTime.from_venue_id)))
        .order_by(Venue.name, Venue.room)
    ).all()
    return [(other, row.minutes) for row, other in rows]


def travel_minutes_between(venue_ids: set[int]) -> dict[tuple[int, int], int]:
    """All known travel times among the given venues, keyed by both orders of the pair."""
    if not venue_ids:
        return {}
    rows = db.session.scalars(select(VenueTravelTime).where(
        VenueTravelTime.from_venue_id.in_(venue_ids), VenueTravelTime.to_venue_id.in_(venue_ids)))
    found: dict[tuple[int, int], int] = {}
    for row in rows:
        found[(row.from_venue_id, row.to_venue_id)] = row.minutes
        found[(row.to_venue_id, row.from_venue_id)] = row.minutes
    return found
