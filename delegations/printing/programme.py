"""What a guest's programme shows, built from a delegation: days, items in the guest's language, contacts,
practical information. Pure: plain objects in, plain objects out.

Only what guests may read is copied into these objects (never `internal_note`, `talking_points`,
`delegation.notes`, city participants): a template given a `Programme` cannot print an internal note.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time

from delegations.constants import ItemStatus
from delegations.printing.labels import babel_locale, label_language, text_direction
from delegations.printing.settings import PrintSettings
from delegations.protocol.address import head_of_delegation
from delegations.zones import local_days

# The unit writes programmes in German; English is the fallback of every other language.
BASE_LANGUAGE = "de"
FALLBACK_LANGUAGE = "en"

# Where the programme takes place decides which numbers guests call. EU and EEA: 112 everywhere.
EMERGENCY_NUMBERS: dict[str, tuple[tuple[str, str], ...]] = {
    "DE": (("112", "fire_ambulance"), ("110", "police")),
    "AT": (("112", "emergency_all"), ("144", "ambulance"), ("133", "police"), ("122", "fire")),
    "CH": (("112", "emergency_all"), ("144", "ambulance"), ("117", "police"), ("118", "fire")),
    "GB": (("999", "emergency_all"), ("112", "emergency_all")),
    "US": (("911", "emergency_all"),),
    "CA": (("911", "emergency_all"),),
    "JP": (("110", "police"), ("119", "fire_ambulance")),
    "CN": (("110", "police"), ("120", "ambulance"), ("119", "fire")),
    "KR": (("112", "police"), ("119", "fire_ambulance")),
    "TW": (("110", "police"), ("119", "fire_ambulance")),
    "IN": (("112", "emergency_all"),),
    "AU": (("000", "emergency_all"),),
    "TR": (("112", "emergency_all"),),
    "RU": (("112", "emergency_all"), ("102", "police"), ("103", "ambulance"), ("101", "fire")),
    "UA": (("112", "emergency_all"), ("102", "police"), ("103", "ambulance"), ("101", "fire")),
    "IL": (("100", "police"), ("101", "ambulance"), ("102", "fire")),
}
_EUROPEAN_112 = ("BE BG CZ DK EE IE GR ES FR HR IT CY LV LT LU HU MT NL PL PT RO SI SK FI SE NO IS LI").split()
for _code in _EUROPEAN_112:
    EMERGENCY_NUMBERS.setdefault(_code, (("112", "emergency_all"),))


@dataclass(frozen=True)
class Text:
    """A piece of text and the language it is written in (for the lang attribute)."""

    value: str
    lang: str

    def __bool__(self) -> bool:
        return bool(self.value.strip())

    def __str__(self) -> str:
        return self.value


def item_text(item, field_name: str, language: str) -> Text:
    """An item's title or description in `language` where translated, else English, else the German base."""
    for code in dict.fromkeys((language, FALLBACK_LANGUAGE)):
        if code == BASE_LANGUAGE:
            break
        translation = item.translation(code)
        value = getattr(translation, field_name, "") if translation is not None else ""
        if value and value.strip():
            return Text(value.strip(), code)
    return Text((getattr(item, field_name) or "").strip(), BASE_LANGUAGE)


@dataclass(frozen=True)
class PrintedVenue:
    name: str
    room: str
    address_lines: tuple[str, ...]


@dataclass(frozen=True)
class PrintedItem:
    id: int
    starts: datetime  # aware, in the zone of the place
    ends: datetime
    title: Text
    description: Text
    venue: PrintedVenue | None
    dress_code: Text
    tentative: bool
    home_starts: datetime | None = None  # tours: the same instants at home
    home_ends: datetime | None = None

    @property
    def home_day_differs(self) -> bool:
        return self.home_starts is not None and self.home_starts.date() != self.starts.date()


@dataclass(frozen=True)
class PrintedDay:
    number: int
    date: date
    items: tuple[PrintedItem, ...]


@dataclass(frozen=True)
class PrintedContact:
    role: str  # a label key: lead_contact, deputy_contact, on_site
    name: str
    function: str
    phone: str
    email: str


@dataclass(frozen=True)
class PrintedPerson:
    name: str
    function: str


@dataclass(frozen=True)
class Programme:
    language: str           # the language asked for (item texts)
    label_language: str     # the language of headings and labels
    direction: str          # "ltr" or "rtl"
    is_tour: bool
    title: Text
    place: str              # "Poznań, Polen": where the delegation comes from, or where a tour goes
    venue_place: str        # where the programme takes place (for "all times are local times")
    head_name: str
    head_function: str
    period: str             # "3.–5. Mai 2027", in the document's language
    zone: str
    home_zone: str
    home_city: str
    time_difference_hours: str  # "+7" (tours), "" at home
    days: tuple[PrintedDay, ...]
    contacts: tuple[PrintedContact, ...]
    travellers: tuple[PrintedPerson, ...]
    hotel: str
    emergency_numbers: tuple[tuple[str, str], ...]
    unit_phone: str
    as_of: datetime
    as_of_text: str
    guest_url: str | None = None

    @property
    def item_count(self) -> int:
        return sum(len(day.items) for day in self.days)


def shown_items(items: Iterable) -> list:
    """The items a programme prints: everything not cancelled, in time order."""
    return sorted((item for item in items if item.status != ItemStatus.CANCELLED),
                  key=lambda item: (item.starts_at, item.ends_at, item.id))


def place_name(city: str, country_code: str, language: str) -> str:
    country = country_in(country_code, language)
    return ", ".join(part for part in (city.strip(), country) if part)


def country_in(country_code: str, language: str) -> str:
    if not country_code:
        return ""
    try:
        return Locale.parse(babel_locale(language)).territories.get(country_code.upper(), country_code)
    except (ValueError, TypeError):
        return country_code


def format_day(day: date, language: str, fmt: str = "full") -> str:
    return format_date(day, format=fmt, locale=babel_locale(label_language(language)))


def format_short_day(day: date, language: str) -> str:
    """'Mo., 3. Mai' / '5月3日周一': a day beside a time, when home and the place see different dates."""
    return format_skeleton("MMMEd", day, locale=babel_locale(label_language(language)))


def format_clock(instant: datetime) -> str:
    return format_time(instant, "HH:mm", locale="en")  # 24-hour digits read the same in every language


def format_period(first: date, last: date, language: str) -> str:
    locale = babel_locale(label_language(language))
    if first == last:
        return format_date(first, "long", locale=locale)
    return format_interval(first, last, "yMMMMd", locale=locale)


def format_as_of(instant: datetime, language: str) -> str:
    """'25. November 2026, 08:34' joined as the language joins a date and a time."""
    locale = Locale.parse(babel_locale(label_language(language)))
    pattern = str(locale.datetime_formats.get("medium", "{1}, {0}"))
    return pattern.replace("{1}", format_day(instant.date(), language, "long")).replace("{0}", format_clock(instant))


def hours_between(zone_name: str, home_zone: str, instant: datetime) -> str:
    """'+7' when the place is seven hours ahead of home at `instant`; '' when equal."""
    offset = instant.astimezone(ZoneInfo(zone_name)).utcoffset() - instant.astimezone(ZoneInfo(home_zone)).utcoffset()
    hours = offset.total_seconds() / 3600
    if hours == 0:
        return ""
    text = f"{hours:+.1f}".rstrip("0").rstrip(".")
    return text


def latest_change(delegation, items: Iterable) -> datetime:
    """When anything this programme shows last changed (printed as 'As of ...')."""
    stamps = [delegation.updated_at]
    for item in items:
        stamps.append(item.updated_at)
        for related in (item.venue, item.responsible):
            if related is not None and related.updated_at is not None:
                stamps.append(related.updated_at)
    for contact in (delegation.lead_contact, delegation.deputy_contact):
        if contact is not None and contact.updated_at is not None:
            stamps.append(contact.updated_at)
    return max(stamp for stamp in stamps if stamp is not None)


def printed_item(item, language: str, zone: ZoneInfo, home: ZoneInfo | None) -> PrintedItem:
    venue = None
    if item.venue is not None:
        venue = PrintedVenue(item.venue.name, item.venue.room,
                             tuple(line.strip() for line in item.venue.address.splitlines() if line.strip()))
    return PrintedItem(
        id=item.id,
        starts=item.starts_at.astimezone(zone),
        ends=item.ends_at.astimezone(zone),
        title=item_text(item, "title", language),
        description=item_text(item, "description", language),
        venue=venue,
        dress_code=Text((item.dress_code or "").strip(), BASE_LANGUAGE),
        tentative=item.status == ItemStatus.TENTATIVE,
        home_starts=item.starts_at.astimezone(home) if home else None,
        home_ends=item.ends_at.astimezone(home) if home else None,
    )


def programme_days(delegation, items: list, language: str, home_zone: str | None) -> tuple[PrintedDay, ...]:
    """One day per calendar day of the stay (and any day an item falls on), numbered from 1."""
    zone = ZoneInfo(delegation.timezone)
    home = ZoneInfo(home_zone) if home_zone else None
    by_day: dict[date, list[PrintedItem]] = {}
    for item in items:
        printed = printed_item(item, language, zone, home)
        by_day.setdefault(printed.starts.date(), []).append(printed)
    dates = sorted(set(local_days(delegation.arrival_at, delegation.departure_at, delegation.timezone)) | set(by_day))
    return tuple(PrintedDay(number, day, tuple(by_day.get(day, ()))) for number, day in enumerate(dates, start=1))


def programme_contacts(delegation, items: list) -> tuple[PrintedContact, ...]:
    """Lead and deputy contact, then everyone responsible for a shown item (each person once)."""
    found: list[PrintedContact] = []
    seen: set[int] = set()

    def add(person, role: str) -> None:
        if person is None or person.id in seen:
            return
        seen.add(person.id)
        found.append(PrintedContact(role, person.name, person.function, person.phone, person.email))

    add(delegation.lead_contact, "lead_contact")
    add(delegation.deputy_contact, "deputy_contact")
    for item in items:
        add(item.responsible, "on_site")
    return tuple(found)


def build_programme(delegation, language: str, settings: PrintSettings, guest_url: str | None = None) -> Programme:
    """The guest programme (incoming delegation) or travel programme (outgoing tour) in `language`."""
    items = shown_items(delegation.items)
    is_tour = delegation.is_outgoing
    labels_in = label_language(language)
    zone = ZoneInfo(delegation.timezone)
    arrival, departure = delegation.arrival_at.astimezone(zone), delegation.departure_at.astimezone(zone)
    as_of = latest_change(delegation, delegation.items).astimezone(zone)
    place = place_name(delegation.city, delegation.country_code, labels_in)
    travellers = ()
    if is_tour:
        travellers = tuple(PrintedPerson(member.name, member.function) for member in delegation.members
                           if getattr(member, "anonymised_at", None) is None)
    # The head of delegation as their form of address in this language says (protocol), else as recorded.
    head_name, head_function = head_of_delegation(delegation, language)
    return Programme(
        language=language,
        label_language=labels_in,
        direction=text_direction(labels_in),
        is_tour=is_tour,
        title=Text(delegation.title, BASE_LANGUAGE),
        place=place,
        venue_place=place if is_tour else settings.home_city,
        head_name=head_name,
        head_function=head_function,
        period=format_period(arrival.date(), departure.date(), language),
        zone=delegation.timezone,
        home_zone=settings.home_zone,
        home_city=settings.home_city,
        time_difference_hours=hours_between(delegation.timezone, settings.home_zone, delegation.arrival_at) if is_tour else "",
        days=programme_days(delegation, items, language, settings.home_zone if is_tour else None),
        contacts=programme_contacts(delegation, items),
        travellers=travellers,
        hotel=(delegation.hotel or "").strip(),
        emergency_numbers=EMERGENCY_NUMBERS.get((delegation.country_code if is_tour else settings.home_country).upper(), ()),
        unit_phone=settings.unit_phone,
        as_of=as_of,
        as_of_text=format_as_of(as_of, language),
        guest_url=guest_url,
    )
