"""Demo data for the partner dossiers: Hannover's real twinnings and its city friendship, and a filled dossier
for Poznań (agreement, memorandum, association, office holders, visits both ways, gifts, commitments).

Partners, years and the Poznań date are public record (hannover.de: "Geschichte der hannoverschen
Städtepartnerschaften", "Städtefreundschaft mit Ivanovo", the Poznań page; Hiroshima: the partnership
document of 27 May 1983). The office holders and guests are the demo's fictional people, as on the demo
visits. Safe to run again: what exists is left alone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from delegations.constants import DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole, ProtocolLevel
from delegations.extensions import db
from delegations.models import (ContactPerson, Delegation, Gift, Member, OfficeHolder, PartnerAgreement,
                                PartnerAssociation, PartnerCity, PartnerCommitment, ProgrammeItem, utc_now)
from delegations.models.partners import AgreementKind, CommitmentStatus, PartnershipKind
from delegations.models.protocol import GiftApproval, GiftDirection, GiftFate
from delegations.zones import attach_zone

TWINNING, FRIENDSHIP = PartnershipKind.TWINNING, PartnershipKind.FRIENDSHIP

# name, country, kind, since, exact day known, zone, about
PARTNERS = (
    ("Bristol", "GB", TWINNING, date(1947, 1, 1), False, "Europe/London",
     "Eine der ersten englisch-deutschen Städtepartnerschaften nach dem Zweiten Weltkrieg: Aussöhnung von unten. "
     "1983 verlieh Bristol Hannover die Ehrenbürgerwürde; 2017 bekräftigte ein Memorandum zum 70-jährigen "
     "Jubiläum die Zusammenarbeit nach dem Brexit-Referendum."),
    ("Perpignan", "FR", TWINNING, date(1960, 1, 1), False, "Europe/Paris",
     "Übereinkommen der Partnerschaft 1960. Die Freundschaft begann mit einem Rugby-Spiel ein Jahr vor dem "
     "Zweiten Weltkrieg."),
    ("Rouen", "FR", TWINNING, date(1966, 1, 1), False, "Europe/Paris", "Verschwisterung 1966."),
    ("Blantyre", "MW", TWINNING, date(1968, 1, 1), False, "Africa/Blantyre",
     "Vereinbarung 1968: kommunale Entwicklungszusammenarbeit mit der ältesten modernen Stadt Malawis."),
    ("Poznań", "PL", TWINNING, date(1979, 10, 29), True, "Europe/Warsaw",
     "Partnerschaftsvertrag vom 29. Oktober 1979, fast zeitgleich mit der Gründung der Deutsch-Polnischen "
     "Gesellschaft Hannover. Seit 2007 ein Europäisches Forum mit Rennes, der Partnerstadt Poznańs. "
     "Schulpartnerschaften, Hochschule Hannover und Kunsthochschule Poznań (UAP), Musik (Fête de la Musique)."),
    ("Hiroshima", "JP", TWINNING, date(1983, 5, 27), True, "Asia/Tokyo",
     "Partnerschaftsabkommen vom 27. Mai 1983, vorbereitet durch einen Jugendaustausch seit 1968. "
     "Friedensarbeit: die Friedensglocke in der Aegidienkirche ist ein Geschenk Hiroshimas."),
    ("Leipzig", "DE", TWINNING, date(1987, 1, 1), False, "Europe/Berlin",
     "Partnerschaftsvertrag 1987, noch vor der Wende: Ost-West-Beziehungen."),
    ("Iwanowo", "RU", FRIENDSHIP, date(1991, 1, 1), False, "Europe/Moscow",
     "Freundschaftsvertrag 1991, bewusst keine Städtepartnerschaft (Ratsbeschluss vom 27. September 1990). "
     "Getragen von CVJM Hannover und dem Freundschaftskreis Hannover-Iwanowo. Stand der Kontakte vor jeder "
     "Einladung mit dem Büro Oberbürgermeister klären."),
)

VISIT_LINKS = {  # demo visits of other modules, by title: the partner they belong to
    "Delegation der Partnerstadt Poznań": "Poznań",
    "Reise des Oberbürgermeisters nach Hiroshima": "Hiroshima",
    "Staatsbesuch: Botschafter von Japan und Bürgermeister von Hiroshima": "Hiroshima",
}
PAST_TOUR = "Reise nach Poznań: Europäisches Forum Hannover–Poznań–Rennes"
PAST_VISIT = "Jugendkulturaustausch: Delegation aus Poznań"


def _at(day: date, hour: int, zone: str) -> datetime:
    return attach_zone(datetime.combine(day, time(hour, 0)), zone)


def load_partner_demo(today: date, report) -> None:
    """Add the partners and the Poznań dossier (once), and link the demo visits to their partners."""
    cities = {city.name: city for city in db.session.scalars(select(PartnerCity))}
    created = 0
    for name, country, kind, since, day_known, zone, about in PARTNERS:
        if name not in cities:
            cities[name] = PartnerCity(name=name, country_code=country, kind=kind, since=since,
                                       since_day_known=day_known, timezone=zone, description=about)
            db.session.add(cities[name])
            created += 1
    if created:
        report.lines.append(f"Added {created} partner cities")
    db.session.flush()
    for title, name in VISIT_LINKS.items():
        for visit in db.session.scalars(select(Delegation).where(Delegation.title == title,
                                                                 Delegation.partner_city_id.is_(None))):
            visit.partner_city = cities[name]
            visit.is_partner_city = True
    poznan = cities["Poznań"]
    if not db.session.scalar(select(PartnerAgreement.id).where(PartnerAgreement.city_id == poznan.id)):
        _poznan_dossier(poznan, today)
        report.lines.append("Filled the partner dossier of Poznań")
    db.session.flush()


def _poznan_dossier(poznan: PartnerCity, today: date) -> None:
    contacts = {person.name: person for person in db.session.scalars(select(ContactPerson))}
    jonas, katrin = contacts.get("Jonas Albrecht"), contacts.get("Katrin Vogel")
    poznan.agreements.extend([
        PartnerAgreement(title="Partnerschaftsvertrag zwischen der Landeshauptstadt Hannover und der Stadt Poznań",
                         kind=AgreementKind.AGREEMENT, signed_on=date(1979, 10, 29),
                         notes="Original im Stadtarchiv; Kopie im Büro Internationale Angelegenheiten."),
        PartnerAgreement(title="Memorandum zum 35-jährigen Bestehen der Städtepartnerschaft (2014)",
                         kind=AgreementKind.MEMORANDUM, signed_on=None,
                         notes="Bekräftigt die Zusammenarbeit; dazu ein gemeinsames Arbeitsprogramm für die "
                               "folgenden Jahre."),
    ])
    poznan.associations.append(PartnerAssociation(
        name="Deutsch-Polnische Gesellschaft Hannover e. V.", website="https://deutsch-polnische-gesellschaft-hannover.de",
        contact="Geschäftsstelle (Kontakt über die Website)",
        notes="Gegründet 1979, um die Städtepartnerschaft zu begleiten: Vorträge, Studienreisen, Kulturaustausch."))
    poznan.office_holders.extend([
        OfficeHolder(name="Tomasz Kowalczyk", office="Stadtpräsident (Prezydent Miasta Poznania)",
                     since=date(today.year - 2, 5, 7), form_of_address="Szanowny Panie Prezydencie", position=1),
        OfficeHolder(name="Katarzyna Lewandowska", office="Stellvertretende Stadtpräsidentin",
                     since=date(today.year - 2, 5, 20), form_of_address="Szanowna Pani Prezydent", position=2),
        OfficeHolder(name="Piotr Nowak", office="Leiter des Büros für internationale Zusammenarbeit",
                     position=3),
    ])
    zone_pl, zone_de = "Europe/Warsaw", "Europe/Berlin"
    tour_day = date(today.year - 1, 6, 12)
    tour = Delegation(
        direction=Direction.OUTGOING, title=PAST_TOUR, country_code="PL", city="Poznań",
        organisation="Urząd Miasta Poznania", is_partner_city=True, partner_city=poznan,
        head_name="Dr. Martin Weber", head_function="Oberbürgermeister der Landeshauptstadt Hannover",
        expected_size=4, arrival_at=_at(tour_day, 10, zone_pl), departure_at=_at(tour_day + timedelta(days=2), 16, zone_pl),
        timezone=zone_pl, languages=["pl", "en"], status=DelegationStatus.COMPLETED,
        protocol_level=ProtocolLevel.MAYOR, purpose="Europäisches Forum; Jugendaustausch und Klimapartnerschaft.",
        lead_contact=jonas, deputy_contact=katrin)
    visit_day = date(today.year - 2, 9, 15)
    visit = Delegation(
        direction=Direction.INCOMING, title=PAST_VISIT, country_code="PL", city="Poznań",
        organisation="Urząd Miasta Poznania", is_partner_city=True, partner_city=poznan,
        head_name="Katarzyna Lewandowska", head_function="Stellvertretende Stadtpräsidentin", expected_size=12,
        arrival_at=_at(visit_day, 12, zone_de), departure_at=_at(visit_day + timedelta(days=3), 11, zone_de),
        timezone=zone_de, languages=["pl", "en"], status=DelegationStatus.COMPLETED,
        protocol_level=ProtocolLevel.DEPUTY_MAYOR, purpose="Jugendkulturaustausch, Musikzentrum, Fête de la Musique.",
        lead_contact=jonas)
    db.session.add_all([tour, visit])
    db.session.add(Member(delegation=tour, name="Dr. Martin Weber", function="Oberbürgermeister",
                          role=MemberRole.HEAD, position=1, organisation="Landeshauptstadt Hannover"))
    db.session.add(Member(delegation=visit, name="Katarzyna Lewandowska", function="Stellvertretende Stadtpräsidentin",
                          role=MemberRole.HEAD, position=1, organisation="Urząd Miasta Poznania"))
    db.session.add(ProgrammeItem(delegation=tour, title="Europäisches Forum im Rathaus Poznań", kind=ItemKind.MEETING,
                                 starts_at=_at(tour_day + timedelta(days=1), 10, zone_pl),
                                 ends_at=_at(tour_day + timedelta(days=1), 13, zone_pl), status=ItemStatus.CONFIRMED,
                                 responsible=jonas))
    db.session.add(ProgrammeItem(delegation=visit, title="Empfang im Neuen Rathaus", kind=ItemKind.RECEPTION,
                                 starts_at=_at(visit_day + timedelta(days=1), 11, zone_de),
                                 ends_at=_at(visit_day + timedelta(days=1), 12, zone_de), status=ItemStatus.CONFIRMED,
                                 responsible=jonas))
    for delegation, direction, article, giver, recipient, day, cents, fate in (
        (tour, GiftDirection.GIVEN, "Bildband „Hannover – Stadt im Grünen“", "Oberbürgermeister", "Tomasz Kowalczyk",
         tour_day + timedelta(days=1), 4000, GiftFate.HANDED_OVER),
        (tour, GiftDirection.RECEIVED, "Glasschale mit dem Poznańer Rathaus", "Tomasz Kowalczyk", "Oberbürgermeister",
         tour_day + timedelta(days=1), 6000, GiftFate.DISPLAYED),
        (visit, GiftDirection.GIVEN, "Porzellan aus Fürstenberg", "Bürgermeisterin", "Katarzyna Lewandowska",
         visit_day + timedelta(days=1), 9000, GiftFate.HANDED_OVER),
    ):
        db.session.add(Gift(delegation=delegation, visit_title=delegation.title, direction=direction, article=article,
                            giver=giver, recipient=recipient, counterpart_organisation="Stadt Poznań",
                            occasion=delegation.title, given_on=day, value_cents=cents,
                            approval=GiftApproval.NOT_REQUIRED, fate=fate))
    poznan.commitments.extend([
        PartnerCommitment(
            text="Hannover lädt eine Jugendband aus Poznań zur nächsten Fête de la Musique ein und übernimmt die "
                 "Unterkunft.", made_on=tour_day + timedelta(days=1), delegation=tour, owner=jonas,
            follow_up="Einladungsschreiben des Oberbürgermeisters entwerfen, Kosten mit dem Kulturbüro klären.",
            due_on=today + timedelta(days=21), status=CommitmentStatus.OPEN),
        PartnerCommitment(
            text="Gemeinsamer Antrag im EU-Programm für die Klimapartnerschaft.", made_on=tour_day + timedelta(days=1),
            delegation=tour, owner=katrin, follow_up="Ansprechpartner im Umweltamt benennen.",
            due_on=today - timedelta(days=5), status=CommitmentStatus.OPEN),
        PartnerCommitment(
            text="Fotoausstellung über die Städtepartnerschaft an Poznań ausleihen.", made_on=visit_day + timedelta(days=1),
            delegation=visit, owner=jonas, follow_up="Transport und Versicherung organisieren.",
            due_on=visit_day + timedelta(days=90), status=CommitmentStatus.DONE,
            done_at=utc_now() - timedelta(days=400), done_by_name="Jonas Albrecht"),
    ])
