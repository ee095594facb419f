"""Travel for the demo: the Poznań visit and the delegation from Shenzhen get their members' trains and flights
(one member leaves a day early), the pick-up plan is turned into transfers, and drivers are assigned, so that
every run sheet shows something real. Safe to run again: a visit with travel recorded is left alone."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from delegations.extensions import db
from delegations.models import ContactPerson, Delegation, TravelLeg, Venue
from delegations.models.travel import LegDirection, TransferKind, TravelMode
from delegations.people.operations import set_travel_minutes
from delegations.travel import operations, pickups, queries
from delegations.zones import attach_zone

POZNAN = "Delegation der Partnerstadt Poznań"
SHENZHEN = "Wirtschaftsdelegation aus Shenzhen"
STATION = ("Hannover Hauptbahnhof", "Ernst-August-Platz 1\n30159 Hannover", "Ausgang Ernst-August-Platz",
           "Treffpunkt unter der Anzeigetafel in der Halle.")
AIRPORT = ("Flughafen Hannover", "Terminal C")
HOTEL = ("Kastens Hotel Luisenhof", "")

# member name, direction, mode, number, day of the stay (0 = first), time, place ("station"/"airport"),
# terminal or platform, from or to
POZNAN_TRAVEL = (
    ("Tomasz Kowalczyk", "arrival", "train", "ICE 645", 0, (10, 38), "station", "Gleis 4", "Berlin Hbf (EC 46 ab Poznań Główny 06:13)"),
    ("Katarzyna Lewandowska", "arrival", "train", "ICE 645", 0, (10, 38), "station", "Gleis 4", "Berlin Hbf (EC 46 ab Poznań Główny 06:13)"),
    ("Anna Wiśniewska", "arrival", "train", "ICE 645", 0, (10, 38), "station", "Gleis 4", "Berlin Hbf (EC 46 ab Poznań Główny 06:13)"),
    ("Piotr Nowak", "arrival", "flight", "LH 2084", 0, (9, 55), "airport", "Terminal C", "München (MUC), Anschluss aus Poznań (POZ)"),
    ("Marek Zieliński", "arrival", "flight", "LH 2084", 0, (9, 55), "airport", "Terminal C", "München (MUC), Anschluss aus Poznań (POZ)"),
    ("Tomasz Kowalczyk", "departure", "flight", "LH 2087", 2, (16, 5), "airport", "Terminal C", "München (MUC), weiter nach Poznań"),
    ("Katarzyna Lewandowska", "departure", "flight", "LH 2087", 2, (16, 5), "airport", "Terminal C", "München (MUC), weiter nach Poznań"),
    ("Piotr Nowak", "departure", "flight", "LH 2087", 2, (16, 5), "airport", "Terminal C", "München (MUC), weiter nach Poznań"),
    ("Anna Wiśniewska", "departure", "flight", "LH 2087", 2, (16, 5), "airport", "Terminal C", "München (MUC), weiter nach Poznań"),
    # The press officer leaves a day early for a council session at home.
    ("Marek Zieliński", "departure", "train", "ICE 553", 1, (18, 31), "station", "Gleis 11", "Berlin Hbf, weiter mit EC 55 nach Poznań"),
)
SHENZHEN_TRAVEL = (
    ("王建国 (Wang Jianguo)", "arrival", "flight", "LH 2080", 0, (7, 45), "airport", "Terminal C", "München (MUC), aus Shenzhen über Peking (CA 961)"),
    ("李娜 (Li Na)", "arrival", "flight", "LH 2080", 0, (7, 45), "airport", "Terminal C", "München (MUC), aus Shenzhen über Peking (CA 961)"),
    ("陈伟 (Chen Wei)", "arrival", "train", "ICE 577", 0, (8, 16), "station", "Gleis 9", "Frankfurt (Main) Hbf"),
    ("王建国 (Wang Jianguo)", "departure", "flight", "LH 2093", 1, (20, 15), "airport", "Terminal C", "München (MUC)"),
    ("李娜 (Li Na)", "departure", "flight", "LH 2093", 1, (20, 15), "airport", "Terminal C", "München (MUC)"),
    ("陈伟 (Chen Wei)", "departure", "flight", "LH 2093", 1, (20, 15), "airport", "Terminal C", "München (MUC)"),
)


def _station(venues: dict) -> Venue:
    name, address, room, notes = STATION
    station = venues.get((name, room))
    if station is None:
        station = Venue(name=name, address=address, room=room, notes=notes)
        db.session.add(station)
        db.session.flush()
        venues[(name, room)] = station
    return station


def ensure_demo_travel(lines: list[str], settings: pickups.PlanSettings | None = None) -> None:
    venues = {(venue.name, venue.room): venue for venue in db.session.scalars(select(Venue))}
    airport, hotel = venues.get(AIRPORT), venues.get(HOTEL)
    if airport is None or hotel is None:
        return
    station = _station(venues)
    set_travel_minutes(station, hotel, 5)
    places = {"airport": airport, "station": station}
    contacts = {person.name: person for person in db.session.scalars(select(ContactPerson))}
    for title, travel in ((POZNAN, POZNAN_TRAVEL), (SHENZHEN, SHENZHEN_TRAVEL)):
        delegation = db.session.scalar(select(Delegation).where(Delegation.title == title))
        if delegation is None or db.session.scalar(
                select(TravelLeg.id).where(TravelLeg.delegation_id == delegation.id).limit(1)) is not None:
            continue
        _record_travel(delegation, travel, places)
        db.session.flush()
        loaded = queries.delegation_for_travel(delegation.id)
        db.session.refresh(loaded)
        planned = operations.delegation_plan(loaded, list(venues.values()), settings or pickups.PlanSettings())
        created = operations.create_transfers_from_plan(loaded, planned)
        _assign_drivers(created, contacts.get("Thomas Brandt"))
        lines.append(f"Recorded travel for {title}: {len(created)} transfers from the pick-up plan")


def _record_travel(delegation: Delegation, travel, places: dict) -> None:
    members = {member.name: member for member in delegation.members}
    first_day: date = delegation.arrival_at.astimezone(delegation.zone).date()
    for name, direction, mode, number, day, (hour, minute), place, terminal, other_end in travel:
        member = members.get(name)
        if member is None:
            continue
        at = attach_zone(datetime.combine(first_day + timedelta(days=day), time(hour, minute)), delegation.timezone)
        db.session.add(TravelLeg(member=member, delegation_id=delegation.id, direction=LegDirection(direction),
                                 mode=TravelMode(mode), carrier_number=number, scheduled_at=at,
                                 timezone=delegation.timezone, venue=places[place], terminal=terminal,
                                 other_end=other_end, needs_transfer=True))


def _assign_drivers(transfers, logistics: ContactPerson | None) -> None:
    """Pick-ups at the airport by the unit's own driver; the rest by the city's car service with a named driver
    (a train and a flight arriving the same morning need two cars: one driver cannot be at both places)."""
    for transfer in transfers:
        from_the_airport = transfer.travel_leg is not None and transfer.travel_leg.mode == TravelMode.FLIGHT
        if transfer.kind == TransferKind.PICK_UP and from_the_airport and logistics is not None:
            transfer.driver_contact = logistics
            transfer.vehicle = "VW Multivan, H-IA 2026 (Dienstwagen Internationale Angelegenheiten)"
        else:
            transfer.driver_name = "Stefan Meier (Fahrbereitschaft der Stadt)"
            transfer.driver_phone = "+49 511 168-49990"
            transfer.vehicle = "Mercedes-Benz V-Klasse, H-LH 1979" if len(transfer.passengers) > 3 else \
                "Mercedes-Benz E-Klasse, H-LH 1947"
    db.session.flush()
