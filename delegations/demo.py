"""Realistic sample data for trying the app: a partner-city visit, a business delegation from China,
the Mayor's tour to Hiroshima, the unit's staff and venues in Hannover. Dates follow today's date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from delegations.auth.operations import create_user, find_user_by_email
from delegations.constants import (DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole,
                                   PrincipalKind, ProtocolLevel, Role)
from delegations.extensions import db
from delegations.models import (ContactPerson, Delegation, Member, Principal, ProgrammeItem,
                                ProgrammeItemTranslation, Venue)
from delegations.people.operations import set_travel_minutes
from delegations.zones import attach_zone

DEMO_USERS = (
    ("admin@example.org", "Demo-Admin-2026", Role.ADMIN, "Alex Admin"),
    ("planner@example.org", "Demo-Planner-2026", Role.PLANNER, "Pia Planer"),
    ("viewer@example.org", "Demo-Viewer-2026", Role.VIEWER, "Büro Oberbürgermeister"),
)

PRINCIPALS = (
    ("mayor", "Dr. Martin Weber", "Oberbürgermeister", PrincipalKind.MAYOR, 1),
    ("first_deputy", "Sabine Krüger", "Bürgermeisterin", PrincipalKind.DEPUTY_MAYOR, 1),
    ("second_deputy", "Ahmet Yıldız", "Bürgermeister", PrincipalKind.DEPUTY_MAYOR, 2),
)

CONTACTS = (
    ("Katrin Vogel", "Leiterin Internationale Angelegenheiten", "+49 511 168-41001", "katrin.vogel@example.org", ["de", "en", "fr"]),
    ("Jonas Albrecht", "Referent Partnerstädte", "+49 511 168-41002", "jonas.albrecht@example.org", ["de", "en", "pl"]),
    ("Mei Lin Schröder", "Referentin Asien", "+49 511 168-41003", "meilin.schroeder@example.org", ["de", "en", "zh"]),
    ("Aylin Demir", "Protokoll", "+49 511 168-41004", "aylin.demir@example.org", ["de", "en", "tr"]),
    ("Thomas Brandt", "Fahrdienst und Logistik", "+49 511 168-41005", "thomas.brandt@example.org", ["de"]),
)

VENUES = (
    ("Neues Rathaus", "Trammplatz 2\n30159 Hannover", "Mosaiksaal", "Barrierefreier Zugang über den Seiteneingang Friedrichswall."),
    ("Neues Rathaus", "Trammplatz 2\n30159 Hannover", "Hodlersaal", "Für Empfänge bis 120 Personen."),
    ("Herrenhäuser Gärten", "Herrenhäuser Straße 4\n30419 Hannover", "Galeriegebäude", "Busparkplatz am Haupteingang."),
    ("Sprengel Museum", "Kurt-Schwitters-Platz\n30169 Hannover", "", ""),
    ("Leibniz Universität", "Welfengarten 1\n30167 Hannover", "Senatssaal", ""),
    ("Kastens Hotel Luisenhof", "Luisenstraße 1–3\n30159 Hannover", "", "Hotel der Delegationen; Vorfahrt Luisenstraße."),
    ("Flughafen Hannover", "Flughafenstraße 4\n30855 Langenhagen", "Terminal C", "VIP-Service über die Flughafengesellschaft anmelden."),
    ("Messegelände Hannover", "Messegelände\n30521 Hannover", "Convention Center", ""),
)

TRAVEL_MINUTES = (
    (("Neues Rathaus", "Mosaiksaal"), ("Kastens Hotel Luisenhof", ""), 10),
    (("Neues Rathaus", "Mosaiksaal"), ("Herrenhäuser Gärten", "Galeriegebäude"), 20),
    (("Neues Rathaus", "Mosaiksaal"), ("Sprengel Museum", ""), 10),
    (("Neues Rathaus", "Mosaiksaal"), ("Leibniz Universität", "Senatssaal"), 15),
    (("Neues Rathaus", "Mosaiksaal"), ("Neues Rathaus", "Hodlersaal"), 5),
    (("Flughafen Hannover", "Terminal C"), ("Kastens Hotel Luisenhof", ""), 30),
    (("Messegelände Hannover", "Convention Center"), ("Kastens Hotel Luisenhof", ""), 25),
)


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def load_demo(today: date | None = None) -> DemoReport:
    report = DemoReport()
    today = today or date.today()
    for email, password, role, name in DEMO_USERS:
        if find_user_by_email(email) is None:
            create_user(email, password, role, name=name)
            report.lines.append(f"Created demo user {email}")
    contacts = _ensure_contacts()
    principals = _ensure_principals()
    venues = _ensure_venues()
    _ensure_travel_times(venues)
    existing = set(db.session.scalars(select(Delegation.title)))
    for build in (_poznan_visit, _china_delegation, _hiroshima_tour):
        title, builder = build(today)
        if title in existing:
            continue
        builder(title, contacts, venues, principals)
        report.lines.append(f"Created demo visit: {title}")
    from delegations.protocol.demo import load_protocol_demo
    load_protocol_demo(today, report)  # the state visit, ranking rules, gifts, Golden Book (issue 8)
    from delegations.partners.demo import load_partner_demo
    load_partner_demo(today, report)  # Hannover's partner cities, the Poznań dossier (issue 9)
    db.session.flush()
    _principal_diaries(today, principals, report)
    from delegations.printing.demo import ensure_demo_printing
    ensure_demo_printing(report.lines)
    from delegations.itinerary.demo import ensure_demo_requests
    ensure_demo_requests(report.lines)  # items the Poznań visit still needs (issue 3: arrangement)
    from delegations.travel.demo import ensure_demo_travel
    ensure_demo_travel(report.lines)  # members' trains and flights, transfers, run sheets (issue 9)
    from delegations.releases.demo import ensure_demo_releases
    ensure_demo_releases(report.lines)  # two released versions of the Poznań programme (issue 9)
    from delegations.mail.demo import ensure_demo_outbox
    ensure_demo_outbox(report.lines)  # the outbox: sent, acknowledged, failed and waiting messages (issue 9)
    if not report.lines:
        report.lines.append("Demo data is present already; nothing changed.")
    report.lines.append("")
    report.lines.append("Log in at http://127.0.0.1:5000 with one of:")
    for email, password, role, _name in DEMO_USERS:
        report.lines.append(f"  {role.value:8} {email}  password: {password}")
    return report


def _ensure_contacts() -> dict[str, ContactPerson]:
    found = {person.name: person for person in db.session.scalars(select(ContactPerson))}
    for name, function, phone, email, languages in CONTACTS:
        if name not in found:
            found[name] = ContactPerson(name=name, function=function, phone=phone, email=email, languages=languages)
            db.session.add(found[name])
    db.session.flush()
    return found


def _ensure_principals() -> dict[str, Principal]:
    found = {principal.name: principal for principal in db.session.scalars(select(Principal))}
    for key, name, title, kind, rank in PRINCIPALS:
        if name not in found:
            found[name] = Principal(name=name, title=title, kind=kind, rank=rank,
                                    office_email=f"{key}@example.org")
            db.session.add(found[name])
    db.session.flush()
    return {key: found[name] for key, name, *_rest in PRINCIPALS}


def _ensure_venues() -> dict[tuple[str, str], Venue]:
    found = {(venue.name, venue.room): venue for venue in db.session.scalars(select(Venue))}
    for name, address, room, notes in VENUES:
        if (name, room) not in found:
            found[(name, room)] = Venue(name=name, address=address, room=room, notes=notes)
            db.session.add(found[(name, room)])
    db.session.flush()
    return found


def _ensure_travel_times(venues: dict[tuple[str, str], Venue]) -> None:
    for first, second, minutes in TRAVEL_MINUTES:
        set_travel_minutes(venues[first], venues[second], minutes)


def _at(day: date, hour: int, minute: int, zone: str) -> datetime:
    return attach_zone(datetime.combine(day, time(hour, minute)), zone)


def _item(delegation: Delegation, day: date, start: tuple[int, int], end: tuple[int, int], title: str, kind: ItemKind,
          venue: Venue | None = None, translations: dict[str, tuple[str, str]] | None = None, **values) -> ProgrammeItem:
    item = ProgrammeItem(delegation=delegation, title=title, kind=kind,
                         starts_at=_at(day, *start, delegation.timezone), ends_at=_at(day, *end, delegation.timezone),
                         venue=venue, **values)
    for language, (translated_title, translated_description) in (translations or {}).items():
        item.translations.append(ProgrammeItemTranslation(language=language, title=translated_title,
                                                          description=translated_description))
    db.session.add(item)
    return item


def _poznan_visit(today: date):
    title = "Delegation der Partnerstadt Poznań"

    def build(title, contacts, venues, principals):
        first = next_weekday(today, 0)  # next Monday
        zone = "Europe/Berlin"
        visit = Delegation(
            direction=Direction.INCOMING, title=title, country_code="PL", city="Poznań",
            organisation="Urząd Miasta Poznania", is_partner_city=True,
            head_name="Tomasz Kowalczyk", head_function="Stadtpräsident von Poznań", expected_size=8,
            arrival_at=_at(first, 11, 0, zone), departure_at=_at(first + timedelta(days=2), 15, 0, zone),
            timezone=zone, languages=["pl", "en"], status=DelegationStatus.CONFIRMED,
            protocol_level=ProtocolLevel.MAYOR, hotel="Kastens Hotel Luisenhof, Luisenstraße 1–3, 30159 Hannover",
            purpose="Jahresgespräch der Partnerstädte; Jugendaustausch und Klimapartnerschaft.",
            notes="Gastgeschenk vom letzten Besuch: Porzellan (2024). Diesmal Buch über Herrenhausen.",
            lead_contact=contacts["Jonas Albrecht"], deputy_contact=contacts["Katrin Vogel"])
        db.session.add(visit)
        for position, (name, function, role, diet) in enumerate((
            ("Tomasz Kowalczyk", "Stadtpräsident", MemberRole.HEAD, ""),
            ("Katarzyna Lewandowska", "Stellvertretende Stadtpräsidentin", MemberRole.MEMBER, "vegetarisch"),
            ("Piotr Nowak", "Leiter Büro für internationale Zusammenarbeit", MemberRole.MEMBER, ""),
            ("Anna Wiśniewska", "Dolmetscherin", MemberRole.INTERPRETER, ""),
            ("Marek Zieliński", "Pressesprecher", MemberRole.PRESS, "glutenfrei"),
        ), start=1):
            db.session.add(Member(delegation=visit, name=name, function=function, role=role, dietary_needs=diet,
                                  organisation="Urząd Miasta Poznania", position=position))
        rathaus, hodler = venues[("Neues Rathaus", "Mosaiksaal")], venues[("Neues Rathaus", "Hodlersaal")]
        _item(visit, first, (11, 0), (11, 45), "Ankunft und Transfer zum Hotel", ItemKind.TRANSFER,
              venues[("Kastens Hotel Luisenhof", "")], responsible=contacts["Thomas Brandt"], status=ItemStatus.CONFIRMED,
              translations={"en": ("Arrival and transfer to the hotel", ""), "pl": ("Przyjazd i transfer do hotelu", "")})
        _item(visit, first, (14, 0), (15, 30), "Empfang durch den Oberbürgermeister", ItemKind.RECEPTION, rathaus,
              principal=principals["mayor"], responsible=contacts["Katrin Vogel"], dress_code="Dunkler Anzug",
              description="Begrüßung im Neuen Rathaus und Eintrag in das Goldene Buch.",
              internal_note="Fotograf ist bestellt. Fahnen PL/DE im Mosaiksaal.", status=ItemStatus.CONFIRMED,
              translations={"en": ("Reception by the Lord Mayor", "Welcome at the New Town Hall and signing of the Golden Book."),
                            "pl": ("Przyjęcie przez Nadburmistrza", "Powitanie w Nowym Ratuszu i wpis do Złotej Księgi.")})
        _item(visit, first, (16, 0), (17, 30), "Arbeitsgespräch Klimapartnerschaft", ItemKind.MEETING, hodler,
              responsible=contacts["Jonas Albrecht"], city_participants="Fachbereich Umwelt und Stadtgrün",
              translations={"en": ("Working meeting: climate partnership", "")})
        second = first + timedelta(days=1)
        _item(visit, second, (10, 0), (12, 0), "Führung Herrenhäuser Gärten", ItemKind.VISIT,
              venues[("Herrenhäuser Gärten", "Galeriegebäude")], responsible=contacts["Jonas Albrecht"],
              dress_code="Bequeme Schuhe", description="Führung durch den Großen Garten.",
              translations={"en": ("Guided tour of the Herrenhausen Gardens", "A guided walk through the Great Garden."),
                            "pl": ("Zwiedzanie Ogrodów Herrenhausen", "Spacer z przewodnikiem po Wielkim Ogrodzie.")})
        _item(visit, second, (12, 30), (14, 0), "Mittagessen mit dem Partnerschaftsverein", ItemKind.MEAL,
              venues[("Herrenhäuser Gärten", "Galeriegebäude")], responsible=contacts["Katrin Vogel"],
              translations={"en": ("Lunch with the twinning association", "")})
        _item(visit, second, (15, 0), (16, 30), "Besuch Sprengel Museum", ItemKind.VISIT, venues[("Sprengel Museum", "")],
              responsible=contacts["Jonas Albrecht"], status=ItemStatus.TENTATIVE,
              translations={"en": ("Visit to the Sprengel Museum", "")})
        third = first + timedelta(days=2)
        _item(visit, third, (9, 30), (11, 0), "Jugendaustausch: Gespräch an der Universität", ItemKind.MEETING,
              venues[("Leibniz Universität", "Senatssaal")], responsible=contacts["Jonas Albrecht"],
              translations={"en": ("Youth exchange: meeting at the university", "")})
        _item(visit, third, (13, 30), (14, 30), "Abreise, Transfer zum Flughafen", ItemKind.TRANSFER,
              venues[("Flughafen Hannover", "Terminal C")], responsible=contacts["Thomas Brandt"],
              translations={"en": ("Departure, transfer to the airport", "")})

    return title, build


def _china_delegation(today: date):
    title = "Wirtschaftsdelegation aus Shenzhen"

    def build(title, contacts, venues, principals):
        first = next_weekday(today, 2) + timedelta(days=7)  # Wednesday after next
        zone = "Europe/Berlin"
        visit = Delegation(
            direction=Direction.INCOMING, title=title, country_code="CN", city="Shenzhen",
            organisation="Shenzhen Municipal Commerce Bureau", expected_size=12,
            head_name="王建国 (Wang Jianguo)", head_function="Deputy Director General",
            arrival_at=_at(first, 9, 0, zone), departure_at=_at(first + timedelta(days=1), 18, 0, zone),
            timezone=zone, languages=["zh", "en"], status=DelegationStatus.PLANNED,
            protocol_level=ProtocolLevel.DEPUTY_MAYOR, hotel="Kastens Hotel Luisenhof",
            purpose="Hannover Messe follow-up: smart city and logistics.",
            notes="Dolmetscher über das Konsulat angefragt.", lead_contact=contacts["Mei Lin Schröder"])
        db.session.add(visit)
        for position, (name, function, role) in enumerate((
            ("王建国 (Wang Jianguo)", "Deputy Director General", MemberRole.HEAD),
            ("李娜 (Li Na)", "Division Chief, Investment Promotion", MemberRole.MEMBER),
            ("陈伟 (Chen Wei)", "Interpreter", MemberRole.INTERPRETER),
        ), start=1):
            db.session.add(Member(delegation=visit, name=name, function=function, role=role, position=position,
                                  organisation="Shenzhen Municipal Commerce Bureau"))
        _item(visit, first, (10, 0), (11, 30), "Gespräch mit der Wirtschaftsförderung", ItemKind.MEETING,
              venues[("Neues Rathaus", "Hodlersaal")], responsible=contacts["Mei Lin Schröder"],
              translations={"en": ("Meeting with the economic development agency", ""),
                            "zh": ("与经济促进局会谈", "在新市政厅会谈。")})
        _item(visit, first, (14, 0), (16, 0), "Besuch Messegelände", ItemKind.VISIT,
              venues[("Messegelände Hannover", "Convention Center")], responsible=contacts["Mei Lin Schröder"],
              translations={"en": ("Visit to the exhibition grounds", ""), "zh": ("参观展览中心", "")})
        _item(visit, first + timedelta(days=1), (9, 30), (10, 30), "Empfang durch die Bürgermeisterin", ItemKind.RECEPTION,
              venues[("Neues Rathaus", "Mosaiksaal")], principal=principals["first_deputy"], responsible=contacts["Aylin Demir"], status=ItemStatus.TENTATIVE,
              translations={"en": ("Reception by the Deputy Mayor", ""), "zh": ("副市长接见", "")})

    return title, build


def _hiroshima_tour(today: date):
    title = "Reise des Oberbürgermeisters nach Hiroshima"

    def build(title, contacts, venues, principals):
        first = next_weekday(today, 0) + timedelta(days=21)
        zone = "Asia/Tokyo"
        tour = Delegation(
            direction=Direction.OUTGOING, title=title, country_code="JP", city="Hiroshima",
            organisation="City of Hiroshima", is_partner_city=True,
            head_name="Dr. Martin Weber", head_function="Oberbürgermeister der Landeshauptstadt Hannover", expected_size=5,
            arrival_at=_at(first, 8, 30, zone), departure_at=_at(first + timedelta(days=3), 12, 0, zone),
            timezone=zone, languages=["ja", "en"], status=DelegationStatus.PLANNED, protocol_level=ProtocolLevel.MAYOR,
            hotel="Sheraton Grand Hiroshima Hotel", purpose="Städtepartnerschaft Hannover–Hiroshima (seit 1983); Friedensgedenken.",
            lead_contact=contacts["Katrin Vogel"], deputy_contact=contacts["Aylin Demir"])
        db.session.add(tour)
        for position, (name, function, role) in enumerate((
            ("Dr. Martin Weber", "Oberbürgermeister", MemberRole.HEAD),
            ("Ratsmitglied Dr. Petra Sommer", "Vorsitzende Internationaler Ausschuss", MemberRole.MEMBER),
            ("Katrin Vogel", "Leiterin Internationale Angelegenheiten", MemberRole.STAFF),
        ), start=1):
            db.session.add(Member(delegation=tour, name=name, function=function, role=role, position=position,
                                  organisation="Landeshauptstadt Hannover"))
        _item(tour, first, (8, 30), (9, 30), "Ankunft Flughafen Hiroshima, Transfer", ItemKind.TRANSFER,
              responsible=contacts["Katrin Vogel"], translations={"en": ("Arrival at Hiroshima Airport, transfer", ""),
                                                                  "ja": ("広島空港到着、移動", "")})
        _item(tour, first + timedelta(days=1), (10, 0), (11, 30), "Empfang beim Bürgermeister von Hiroshima",
              ItemKind.RECEPTION, principal=principals["mayor"], responsible=contacts["Katrin Vogel"], dress_code="Dunkler Anzug",
              translations={"en": ("Reception by the Mayor of Hiroshima", ""), "ja": ("広島市長による歓迎", "")})
        _item(tour, first + timedelta(days=1), (14, 0), (15, 30), "Kranzniederlegung im Friedenspark", ItemKind.VISIT,
              principal=principals["mayor"], responsible=contacts["Aylin Demir"],
              translations={"en": ("Wreath laying at the Peace Memorial Park", ""), "ja": ("平和記念公園での献花", "")})

    return title, build


# Principals' diaries (calendars): office hours, an Outlook-style calendar for the Mayor and a deputy, the tour.

def _principal_diaries(today: date, principals: dict[str, Principal], report: DemoReport) -> None:
    """Office hours Mon-Fri 08:00-19:00 for every principal, imported calendars, the Mayor on the tour."""
    from flask import current_app

    from delegations.calendars.operations import ImportSettings, import_calendar_data, set_show_subjects
    from delegations.models import OfficeHours, PrincipalCalendar

    with_hours = set(db.session.scalars(select(OfficeHours.principal_id)))
    for principal in principals.values():
        if principal.id not in with_hours:
            for weekday in range(5):
                db.session.add(OfficeHours(principal_id=principal.id, weekday=weekday, start_time=time(8),
                                           end_time=time(19)))
            report.lines.append(f"Office hours Mon-Fri 08:00-19:00 for {principal.label}")
    imported = set(db.session.scalars(select(PrincipalCalendar.principal_id)
                                      .where(PrincipalCalendar.last_imported_at.is_not(None))))
    settings = ImportSettings.from_config(current_app.config)
    for key, show_subjects, build in (("mayor", True, _mayor_calendar), ("first_deputy", False, _deputy_calendar)):
        principal = principals[key]
        if principal.id in imported:
            continue
        set_show_subjects(principal, show_subjects)
        result = import_calendar_data(principal, build(today), settings, filename=f"Outlook-Export {principal.name}.ics")
        report.lines.append(f"Imported a demo calendar for {principal.label}: {result.added} busy times")
    tour = db.session.scalar(select(Delegation).where(Delegation.title == "Reise des Oberbürgermeisters nach Hiroshima"))
    if tour is not None and principals["mayor"] not in tour.travelling_principals:
        tour.travelling_principals.append(principals["mayor"])
        report.lines.append(f"{principals['mayor'].label} travels on the tour to Hiroshima")
    db.session.flush()


# Outlook writes Windows zone names and its own VTIMEZONE; the importer maps the name to Europe/Berlin.
_OUTLOOK_HEADER = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
X-WR-CALNAME:{name}
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16011028T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE
"""
_ZONE = "TZID=W. Europe Standard Time"


def _stamp(day: date, hour: int, minute: int = 0) -> str:
    return f"{day:%Y%m%d}T{hour:02d}{minute:02d}00"


def _vevent(uid: str, summary: str, start: str, end: str, *extra: str) -> str:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@demo.hannover.example", "DTSTAMP:20260101T080000Z", f"SUMMARY:{summary}"]
    if "T" in start:
        lines += [f"DTSTART;{_ZONE}:{start}", f"DTEND;{_ZONE}:{end}"]
    else:
        lines += [f"DTSTART;VALUE=DATE:{start}", f"DTEND;VALUE=DATE:{end}"]
    lines += [*extra, "END:VEVENT"]
    return "\n".join(lines)


def _calendar(name: str, events: list[str]) -> bytes:
    text = _OUTLOOK_HEADER.format(name=name) + "\n".join(events) + "\nEND:VCALENDAR\n"
    return text.replace("\n", "\r\n").encode()


def _mayor_calendar(today: date) -> bytes:
    """A busy Mayor's diary around today: weekly series with exceptions, one-offs, an all-day congress."""
    monday = today - timedelta(days=today.weekday()) - timedelta(days=14)
    next_monday = next_weekday(today, 0)
    friday = next_monday + timedelta(days=4)
    events = [
        _vevent("dezernentenkonferenz", "Dezernentenkonferenz", _stamp(monday, 9), _stamp(monday, 10, 30),
                "RRULE:FREQ=WEEKLY;BYDAY=MO"),
        _vevent("mittag", "Mittagessen mit Gästen", _stamp(monday + timedelta(days=2), 12, 30),
                _stamp(monday + timedelta(days=2), 13, 30), "RRULE:FREQ=WEEKLY;BYDAY=WE",
                f"EXDATE;{_ZONE}:{_stamp(next_monday + timedelta(days=2), 12, 30)}"),
        _vevent("ratsversammlung", "Ratsversammlung", _stamp(monday + timedelta(days=3), 15),
                _stamp(monday + timedelta(days=3), 19), "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        _vevent("presse", "Pressebriefing", _stamp(monday + timedelta(days=4), 8), _stamp(monday + timedelta(days=4), 8, 30),
                "RRULE:FREQ=WEEKLY;BYDAY=FR"),
        # next Friday's briefing moved to 09:00
        _vevent("presse", "Pressebriefing (verschoben)", _stamp(friday, 9), _stamp(friday, 9, 30),
                f"RECURRENCE-ID;{_ZONE}:{_stamp(friday, 8)}"),
        _vevent("buergersprechstunde", "Bürgersprechstunde", _stamp(next_monday + timedelta(days=1), 10),
                _stamp(next_monday + timedelta(days=1), 12)),
        _vevent("landtag", "Gespräch im Landtag", _stamp(next_monday + timedelta(days=3), 9),
                _stamp(next_monday + timedelta(days=3), 11, 30)),
        _vevent("staedtetag", "Niedersächsischer Städtetag", f"{next_monday + timedelta(days=8):%Y%m%d}",
                f"{next_monday + timedelta(days=9):%Y%m%d}"),
        _vevent("schulbesuch", "Schulbesuch (abgesagt)", _stamp(next_monday + timedelta(days=2), 9),
                _stamp(next_monday + timedelta(days=2), 10), "STATUS:CANCELLED"),
        _vevent("lesezeit", "Lesezeit (frei)", _stamp(next_monday + timedelta(days=1), 17),
                _stamp(next_monday + timedelta(days=1), 18), "TRANSP:TRANSPARENT"),
        _vevent("sportgala", "Sportgala", _stamp(today + timedelta(days=(4 - today.weekday()) % 7 + 1), 18),
                _stamp(today + timedelta(days=(4 - today.weekday()) % 7 + 1), 22)),
    ]
    return _calendar("Kalender Oberbürgermeister", events)


def _deputy_calendar(today: date) -> bytes:
    monday = today - timedelta(days=today.weekday()) - timedelta(days=7)
    next_monday = next_weekday(today, 0)
    events = [
        _vevent("buergerbuero", "Sprechstunde Bürgerbüro", _stamp(monday + timedelta(days=1), 9),
                _stamp(monday + timedelta(days=1), 12), "RRULE:FREQ=WEEKLY;BYDAY=TU"),
        _vevent("ausschuss", "Kulturausschuss", _stamp(next_monday + timedelta(days=2), 14),
                _stamp(next_monday + timedelta(days=2), 17)),
    ]
    return _calendar("Kalender Bürgermeisterin", events)
