"""Programme items and visits as RFC 5545 events: the pure core of every feed and .ics download.

Takes loaded objects and returns icalendar objects; no database access, no request. The output is a
function of its input only (no "now"), so equal data gives equal bytes and a feed's ETag can be strong.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration, vText

from delegations.constants import DelegationStatus, ItemStatus
from delegations.i18n import country_name
from delegations.models import Delegation, ProgrammeItem
from delegations.zones import local_days

PRODID = "-//International Unit of the Office of the Mayor//Delegation planner//EN"

ITEM_STATUS = {ItemStatus.TENTATIVE: "TENTATIVE", ItemStatus.CONFIRMED: "CONFIRMED",
               ItemStatus.CANCELLED: "CANCELLED"}
VISIT_STATUS = {DelegationStatus.INQUIRY: "TENTATIVE", DelegationStatus.PLANNED: "TENTATIVE",
                DelegationStatus.CONFIRMED: "CONFIRMED", DelegationStatus.COMPLETED: "CONFIRMED",
                DelegationStatus.CANCELLED: "CANCELLED"}


@dataclass(frozen=True)
class CalendarOptions:
    """How a calendar is written: its name, its detail, where its UIDs and links point."""

    name: str
    internal: bool
    uid_domain: str
    refresh: timedelta | None = None  # subscriptions say how often to poll; one-off downloads do not
    description: str = ""
    locale: str = "de"  # for country names; the words around the data come from gettext
    item_url: Callable[[ProgrammeItem], str] | None = None  # links back into the app (internal only)
    visit_url: Callable[[Delegation], str] | None = None


def item_uid(item_id: int, domain: str) -> str:
    """Stable for the item's whole life: its id never changes, whatever is edited."""
    return f"item-{item_id}@{domain}"


def visit_uid(delegation_id: int, domain: str) -> str:
    return f"visit-{delegation_id}@{domain}"


def item_is_cancelled(item: ProgrammeItem) -> bool:
    """An item is off when it is cancelled itself or its whole visit is."""
    return item.status == ItemStatus.CANCELLED or item.delegation.status == DelegationStatus.CANCELLED


def item_sequence(item: ProgrammeItem) -> int:
    """Rises with every change of the item and of its visit (whose zone and name the event shows)."""
    return max(item.version - 1, 0) + max(item.delegation.version - 1, 0)


def item_last_modified(item: ProgrammeItem) -> datetime:
    return max(item.updated_at, item.delegation.updated_at)


# RFC 5545 TEXT allows no control characters but tab; line breaks are written as the escape "\\n".
_CONTROL_CHARACTERS = {code: None for code in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}


def clean_text(text: str) -> str:
    """Any line break becomes "\\n" (icalendar escapes it, so it can never start a new property);
    other control characters, which no client shows and strict parsers refuse, are dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL_CHARACTERS)


def _lines(*parts: str | None) -> str:
    return "\n".join(part for part in parts if part)


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _venue_location(item: ProgrammeItem) -> str:
    venue = item.venue
    if venue is None:
        return ""
    return ", ".join(part for part in (venue.name, venue.room, _one_line(venue.address)) if part)


def _contact_text(person) -> str:
    return ", ".join(part for part in (person.name, person.phone, person.email) if part)


class Words:
    """The words around the data in the feed's language, translated once per calendar, not once per event."""

    def __init__(self) -> None:
        self.cancelled = _("Cancelled: %(title)s")
        self.tour = _("Tour: %(title)s")
        self.delegation = _("Delegation: %(title)s")
        self.with_principal = _("With: %(name)s")
        self.dress_code = _("Dress code: %(code)s")
        self.not_confirmed = _("Not yet confirmed.")
        self.participants = _("Participants: %(names)s")
        self.responsible = _("Responsible: %(person)s")
        self.venue_notes = _("Venue notes: %(notes)s")
        self.internal_note = _("Internal note: %(note)s")
        self.in_the_planner = _("In the planner: %(url)s")
        self.head = _("Head: %(name)s")
        self.lead_contact = _("Lead contact: %(person)s")
        self.deputy = _("Deputy: %(person)s")
        self.expected_size = _("Expected size: %(count)s")
        self.hotel = _("Hotel: %(hotel)s")
        self._labels: dict = {}

    def label(self, member) -> str:
        """An enum member's label (item kind, direction), looked up once."""
        if member not in self._labels:
            self._labels[member] = clean_text(str(member.label))
        return self._labels[member]


def item_event(item: ProgrammeItem, options: CalendarOptions, words: Words | None = None) -> Event:
    words = words or Words()
    delegation = item.delegation
    place = ZoneInfo(delegation.timezone)
    cancelled = item_is_cancelled(item)
    modified = item_last_modified(item)

    event = Event()
    event.add("uid", item_uid(item.id, options.uid_domain))
    event.add("dtstamp", modified)
    event.add("created", item.created_at)
    event.add("last-modified", modified)
    event.add("sequence", item_sequence(item))
    event.add("dtstart", item.starts_at.astimezone(place))
    event.add("dtend", item.ends_at.astimezone(place))
    event.add("summary", clean_text(words.cancelled % {"title": item.title} if cancelled else item.title))
    event.add("status", "CANCELLED" if cancelled else ITEM_STATUS[item.status])
    # A cancelled item no longer blocks time; clients that ignore STATUS still see the word in the title.
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("categories", [words.label(item.kind)])
    if location := _venue_location(item):
        event.add("location", clean_text(location))

    public_part = _lines(
        item.description,
        (words.tour if delegation.is_outgoing else words.delegation) % {"title": delegation.title},
        item.principal and words.with_principal % {"name": item.principal.label},
        item.dress_code and words.dress_code % {"code": item.dress_code},
        item.status == ItemStatus.TENTATIVE and not cancelled and words.not_confirmed,
    )
    if options.internal:
        url = options.item_url(item) if options.item_url else ""
        internal_part = _lines(
            item.city_participants and words.participants % {"names": item.city_participants},
            item.responsible and words.responsible % {"person": _contact_text(item.responsible)},
            item.venue and item.venue.notes and words.venue_notes % {"notes": item.venue.notes},
            item.internal_note and words.internal_note % {"note": item.internal_note},
            url and words.in_the_planner % {"url": url},
        )
        event.add("description", clean_text("\n\n".join(part for part in (public_part, internal_part) if part)))
        if item.responsible:
            event.add("contact", clean_text(_contact_text(item.responsible)))
        if url:
            event.add("url", url)
    elif public_part:
        event.add("description", clean_text(public_part))
    return event


def visit_event(delegation: Delegation, options: CalendarOptions, words: Words | None = None) -> Event:
    """The visit or tour as an all-day event from the arrival date to the departure date (the place's dates)."""
    words = words or Words()
    days = local_days(delegation.arrival_at, delegation.departure_at, delegation.timezone)
    cancelled = delegation.status == DelegationStatus.CANCELLED

    event = Event()
    event.add("uid", visit_uid(delegation.id, options.uid_domain))
    event.add("dtstamp", delegation.updated_at)
    event.add("created", delegation.created_at)
    event.add("last-modified", delegation.updated_at)
    event.add("sequence", max(delegation.version - 1, 0))
    event.add("dtstart", days[0])
    event.add("dtend", days[-1] + timedelta(days=1))  # DTEND of a DATE event is exclusive
    event.add("summary", clean_text(words.cancelled % {"title": delegation.title} if cancelled else delegation.title))
    event.add("status", VISIT_STATUS[delegation.status])
    event.add("transp", "TRANSPARENT")  # the visit as a whole does not make anyone busy; its items do
    event.add("categories", [words.label(delegation.direction)])
    place = ", ".join(part for part in (delegation.city, country_name(delegation.country_code, options.locale)) if part)
    if place:
        event.add("location", clean_text(place))

    head = ", ".join(part for part in (delegation.head_name, delegation.head_function) if part)
    public_part = _lines(
        words.label(delegation.direction),
        head and words.head % {"name": head},
        delegation.organisation,
        delegation.purpose,
    )
    if options.internal:
        url = options.visit_url(delegation) if options.visit_url else ""
        internal_part = _lines(
            delegation.lead_contact and words.lead_contact % {"person": _contact_text(delegation.lead_contact)},
            delegation.deputy_contact and words.deputy % {"person": _contact_text(delegation.deputy_contact)},
            delegation.expected_size and words.expected_size % {"count": delegation.expected_size},
            delegation.hotel and words.hotel % {"hotel": _one_line(delegation.hotel)},
            delegation.notes and words.internal_note % {"note": delegation.notes},
            url and words.in_the_planner % {"url": url},
        )
        event.add("description", clean_text("\n\n".join(part for part in (public_part, internal_part) if part)))
        if url:
            event.add("url", url)
    elif public_part:
        event.add("description", clean_text(public_part))
    return event


@lru_cache(maxsize=64)
def zone_definition(zone_name: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of a zone for whole years (computing one takes milliseconds: kept, not rebuilt)."""
    return Timezone.from_tzid(zone_name, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1))


def build_calendar(items: Iterable[ProgrammeItem], visits: Iterable[Delegation], options: CalendarOptions) -> Calendar:
    """A publishable calendar: the visits as all-day events, the items in their place's zone, and a
    VTIMEZONE for every zone used (covering whole years around the events, in a fixed order)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # vText: icalendar types NAME and X-WR-* of a calendar as "unknown" and would write a line break unescaped.
    calendar.add("name", vText(clean_text(options.name)))
    calendar.add("x-wr-calname", vText(clean_text(options.name)))
    if options.description:
        calendar.add("description", clean_text(options.description))
        calendar.add("x-wr-caldesc", vText(clean_text(options.description)))
    if options.refresh is not None:
        calendar.add("refresh-interval", options.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(options.refresh))

    words = Words()
    events: list[Event] = []
    for visit in sorted(visits, key=lambda visit: (visit.arrival_at, visit.id)):
        events.append(visit_event(visit, options, words))
    zones: set[str] = set()
    first = last = None
    for item in sorted(items, key=lambda item: (item.starts_at, item.id)):
        events.append(item_event(item, options, words))
        zones.add(item.delegation.timezone)
        first = min(first, item.starts_at) if first else item.starts_at
        last = max(last, item.ends_at) if last else item.ends_at
    # VTIMEZONEs come before the events that use them (icalendar's add_missing_timezones() does the same,
    # but walks every event to find the zones and adds them in an arbitrary order).
    for zone_name in sorted(zones):
        calendar.add_component(zone_definition(zone_name, first.year - 1, last.year + 2))
    for event in events:
        calendar.add_component(event)
    return calendar
