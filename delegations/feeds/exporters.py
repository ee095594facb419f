"""The registry of calendar exporters: each feed or download is a small unit with an identifier, a name,
a content type and a render function (pretalx's exporters), so a new kind never touches the views.

An exporter says which items (and visits) it carries. The same criteria serve twice: to load and render
the calendar, and to compute a cheap fingerprint of the data (one aggregate query each for items and
visits) from which the feed's ETag comes, without building anything.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from delegations.constants import DelegationStatus, ItemStatus
from delegations.extensions import db
from delegations.feeds.calendar import CalendarOptions, build_calendar
from delegations.models import ChecklistTask, ContactPerson, Delegation, Principal, ProgrammeItem, Venue
from delegations.protocol.feeds import todos_for
from delegations.protocol.queries import open_tasks_of

ICALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Part of every ETag: raise it when the same data would now be written differently, so that every
# subscribed client fetches the new form once instead of keeping the old one behind a 304.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class FeedPolicy:
    """What subscriptions keep and how often clients should ask (settings FEED_*)."""

    uid_domain: str = "delegation-planner.invalid"
    history: timedelta = timedelta(days=180)          # finished items stay this long
    cancelled_shown: timedelta = timedelta(days=30)   # cancellations stay visible this long
    refresh: timedelta = timedelta(minutes=15)
    home_timezone: str = "Europe/Berlin"              # whose calendar day decides that a to-do is overdue

    @classmethod
    def from_config(cls, config) -> "FeedPolicy":
        return cls(uid_domain=config["FEED_UID_DOMAIN"],
                   history=timedelta(days=config["FEED_HISTORY_DAYS"]),
                   cancelled_shown=timedelta(days=config["FEED_CANCELLED_DAYS"]),
                   refresh=timedelta(minutes=config["FEED_REFRESH_MINUTES"]),
                   home_timezone=config.get("HOME_TIMEZONE", "Europe/Berlin"))

    def today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.home_timezone)).date()


def subscription_item_window(now: datetime, policy: FeedPolicy) -> list[ColumnElement]:
    """Items a subscription still carries: not long past; cancelled ones (item or visit) for a while."""
    shown_since = now - policy.cancelled_shown
    return [
        ProgrammeItem.ends_at > now - policy.history,
        or_(ProgrammeItem.status != ItemStatus.CANCELLED,
            func.coalesce(ProgrammeItem.cancelled_at, ProgrammeItem.updated_at) > shown_since),
        or_(Delegation.status != DelegationStatus.CANCELLED,
            func.coalesce(Delegation.cancelled_at, Delegation.updated_at) > shown_since),
    ]


def subscription_visit_window(now: datetime, policy: FeedPolicy) -> list[ColumnElement]:
    return [
        Delegation.departure_at > now - policy.history,
        or_(Delegation.status != DelegationStatus.CANCELLED,
            func.coalesce(Delegation.cancelled_at, Delegation.updated_at) > now - policy.cancelled_shown),
    ]


class Exporter:
    """One kind of calendar. Subclasses name what they select; rendering and fingerprints are shared."""

    identifier: ClassVar[str]
    name: ClassVar[str]
    content_type: ClassVar[str] = ICALENDAR_CONTENT_TYPE
    subscription: ClassVar[bool] = True   # polled by clients (windowed, refresh hint) or a one-off file
    includes_visits: ClassVar[bool] = False

    # What this exporter selects -------------------------------------------------------------
    def item_criteria(self, target_id: int | None) -> list[ColumnElement]:
        raise NotImplementedError

    def visit_criteria(self, target_id: int | None) -> list[ColumnElement]:
        return []

    def item_window(self, now: datetime, policy: FeedPolicy) -> list[ColumnElement]:
        return subscription_item_window(now, policy) if self.subscription else []

    def visit_window(self, now: datetime, policy: FeedPolicy) -> list[ColumnElement]:
        return subscription_visit_window(now, policy) if self.subscription else []

    def _item_where(self, target_id, now, policy) -> list[ColumnElement]:
        return self.item_criteria(target_id) + self.item_window(now, policy)

    def _visit_where(self, target_id, now, policy) -> list[ColumnElement]:
        return self.visit_criteria(target_id) + self.visit_window(now, policy)

    # Loading and rendering ---------------------------------------------------------------------
    def items(self, target_id: int | None, now: datetime, policy: FeedPolicy) -> list[ProgrammeItem]:
        return list(db.session.scalars(
            select(ProgrammeItem)
            .join(ProgrammeItem.delegation)
            .options(contains_eager(ProgrammeItem.delegation), joinedload(ProgrammeItem.venue),
                     joinedload(ProgrammeItem.responsible), joinedload(ProgrammeItem.principal))
            .where(*self._item_where(target_id, now, policy))
            .order_by(ProgrammeItem.starts_at, ProgrammeItem.id)
        ))

    def visits(self, target_id: int | None, now: datetime, policy: FeedPolicy) -> list[Delegation]:
        if not self.includes_visits:
            return []
        return list(db.session.scalars(
            select(Delegation)
            .options(joinedload(Delegation.lead_contact), joinedload(Delegation.deputy_contact))
            .where(*self._visit_where(target_id, now, policy))
            .order_by(Delegation.arrival_at, Delegation.id)
        ))

    def render(self, target_id: int | None, options: CalendarOptions, now: datetime, policy: FeedPolicy) -> bytes:
        calendar = build_calendar(self.items(target_id, now, policy), self.visits(target_id, now, policy), options)
        for component in self.extra_components(target_id, options, now, policy):
            calendar.add_component(component)
        return calendar.to_ical()

    def extra_components(self, target_id: int | None, options: CalendarOptions, now: datetime,
                         policy: FeedPolicy) -> list:
        """Anything else the calendar carries beside events (to-dos); its fingerprint must cover it too."""
        return []

    # The cheap fingerprint ---------------------------------------------------------------------
    def fingerprint(self, target_id: int | None, now: datetime, policy: FeedPolicy, *extra) -> str:
        """Changes whenever the rendered calendar would, found with aggregates instead of building it.

        Creating or editing an item raises max(updated_at) (also of the visit, venue, person or principal
        the event shows); deleting one, or one leaving the scope or the window, lowers the count (a
        database SET NULL lowers the count of the column). For the count to stay the same, something
        else must enter, which is an insert or update that raises max(updated_at). `extra` carries what
        else shapes the output (detail, language, name, links).
        """
        items = db.session.execute(
            select(func.count(ProgrammeItem.id), func.max(ProgrammeItem.id), func.max(ProgrammeItem.updated_at),
                   func.sum(ProgrammeItem.version), func.count(ProgrammeItem.venue_id),
                   func.count(ProgrammeItem.responsible_id), func.count(ProgrammeItem.principal_id),
                   func.max(Delegation.updated_at), func.max(Venue.updated_at),
                   func.max(ContactPerson.updated_at), func.max(Principal.updated_at))
            .select_from(ProgrammeItem)
            .join(Delegation, ProgrammeItem.delegation_id == Delegation.id)
            .outerjoin(Venue, ProgrammeItem.venue_id == Venue.id)
            .outerjoin(ContactPerson, ProgrammeItem.responsible_id == ContactPerson.id)
            .outerjoin(Principal, ProgrammeItem.principal_id == Principal.id)
            .where(*self._item_where(target_id, now, policy))
        ).one()
        visits = ()
        if self.includes_visits:
            lead, deputy = aliased(ContactPerson), aliased(ContactPerson)
            visits = db.session.execute(
                select(func.count(Delegation.id), func.max(Delegation.id), func.max(Delegation.updated_at),
                       func.sum(Delegation.version), func.count(Delegation.lead_contact_id),
                       func.count(Delegation.deputy_contact_id), func.max(lead.updated_at), func.max(deputy.updated_at))
                .select_from(Delegation)
                .outerjoin(lead, Delegation.lead_contact_id == lead.id)
                .outerjoin(deputy, Delegation.deputy_contact_id == deputy.id)
                .where(*self._visit_where(target_id, now, policy))
            ).one()
        parts = (FORMAT_VERSION, self.identifier, target_id, policy, *extra, *items, *visits)
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


EXPORTERS: dict[str, Exporter] = {}


def register(exporter_class: type[Exporter]) -> type[Exporter]:
    EXPORTERS[exporter_class.identifier] = exporter_class()
    return exporter_class


def exporter(identifier: str) -> Exporter:
    return EXPORTERS[identifier]


# Subscriptions (identifiers are the FeedScope values) ------------------------------------------

@register
class PrincipalFeed(Exporter):
    identifier = "principal"
    name = _l("Every item a principal takes part in, across all delegations and tours")

    def item_criteria(self, target_id):
        return [ProgrammeItem.principal_id == target_id]


@register
class PersonFeed(Exporter):
    identifier = "person"
    name = _l("Every item and every visit a contact person is responsible for")
    includes_visits = True

    def item_criteria(self, target_id):
        return [ProgrammeItem.responsible_id == target_id]

    def visit_criteria(self, target_id):
        return [or_(Delegation.lead_contact_id == target_id, Delegation.deputy_contact_id == target_id)]

    # The person's open protocol tasks ride along as to-dos (VTODO), overdue ones marked (docs/protocol.md).
    def extra_components(self, target_id, options, now, policy):
        return todos_for(open_tasks_of(target_id), policy.today(now), options.uid_domain)

    def fingerprint(self, target_id, now, policy, *extra):
        """Also changes when a task is added, edited, completed, reopened, reassigned or deleted (count, max id,
        max updated_at, sum of versions), when its visit is renamed (the summary names it), and when a task
        becomes overdue overnight (the count of those due before today)."""
        today = policy.today(now)
        tasks = db.session.execute(
            select(func.count(ChecklistTask.id), func.max(ChecklistTask.id), func.max(ChecklistTask.updated_at),
                   func.sum(ChecklistTask.version), func.max(Delegation.updated_at),
                   func.count(case((ChecklistTask.due_on < today, ChecklistTask.id))))
            .select_from(ChecklistTask)
            .join(Delegation, ChecklistTask.delegation_id == Delegation.id)
            .where(ChecklistTask.owner_id == target_id, ChecklistTask.done_at.is_(None))
        ).one()
        return super().fingerprint(target_id, now, policy, *extra, "tasks", *tasks)


@register
class DelegationFeed(Exporter):
    identifier = "delegation"
    name = _l("One delegation's or tour's whole programme")
    includes_visits = True

    def item_criteria(self, target_id):
        return [ProgrammeItem.delegation_id == target_id]

    def visit_criteria(self, target_id):
        return [Delegation.id == target_id]

    # The released programme version is named in the feed (issue 9, delegations/releases/stamps.py).
    def render(self, target_id, options, now, policy):
        from delegations.feeds.calendar import visit_uid
        from delegations.releases.stamps import stamp_calendar

        calendar = build_calendar(self.items(target_id, now, policy), self.visits(target_id, now, policy), options)
        for component in self.extra_components(target_id, options, now, policy):
            calendar.add_component(component)
        stamp_calendar(calendar, target_id, options.locale, visit_uid(target_id, options.uid_domain))
        return calendar.to_ical()

    def fingerprint(self, target_id, now, policy, *extra):
        from delegations.releases.stamps import release_fingerprint

        return super().fingerprint(target_id, now, policy, *extra, "release", release_fingerprint(target_id))


@register
class EverythingFeed(Exporter):
    identifier = "all"
    name = _l("All visits and tours as multi-day events, with their programmes")
    includes_visits = True

    def item_criteria(self, target_id):
        return []


# One-off downloads -------------------------------------------------------------------------------

@register
class DelegationDownload(DelegationFeed):
    """A delegation's programme as a file: every item that still takes place, past ones too."""

    identifier = "delegation-download"
    name = _l("Programme of a delegation (.ics file)")
    subscription = False

    def item_window(self, now, policy):
        return [ProgrammeItem.status != ItemStatus.CANCELLED]


@register
class ItemDownload(Exporter):
    identifier = "item-download"
    name = _l("One programme item (.ics file)")
    subscription = False

    def item_criteria(self, target_id):
        return [ProgrammeItem.id == target_id]
