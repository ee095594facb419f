"""A realistic state visit for the demo: the Ambassador of Japan with the Mayor of the partner city Hiroshima,
interpreters on both sides, a lunch for 24 at three named tables with consuls invited by the city (Chinese,
Turkish, Kazakh and Jordanian guests, so place cards show four scripts), gifts both ways (one a repeat),
a Golden Book entry being prepared and the protocol checklist. Safe to run again: an existing visit is left alone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from delegations.constants import DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole, ProtocolLevel
from delegations.extensions import db
from delegations.models import (ChecklistTask, CityParticipant, ContactPerson, Delegation, FormOfAddress, Gift,
                                GoldenBookSignatory, GoldenBookSigning, Member, OfficeLevel, Principal, ProgrammeItem,
                                ProgrammeItemTranslation, ProtocolRank, Venue, utc_now)
from delegations.models.protocol import (CityRole, GiftApproval, GiftDirection, GiftFate, Salutation, SigningStatus,
                                         TableShape)
from delegations.protocol import operations
from delegations.zones import attach_zone

TITLE = "Staatsbesuch: Botschafter von Japan und Bürgermeister von Hiroshima"
ZONE = "Europe/Berlin"

# name, function, role, office key, accredited/serving since, languages, native name, native language, diet, access
GUESTS = (
    ("Tarō Yamada", "Botschafter von Japan", MemberRole.HEAD, "ambassador", date(2023, 9, 14), ["ja", "en"],
     "山田 太郎", "ja", "", ""),
    ("Ken'ichi Matsumoto", "Bürgermeister der Stadt Hiroshima", MemberRole.MEMBER, "partner_mayor", None, ["ja"],
     "松本 健一", "ja", "kein Schweinefleisch", ""),
    ("Hanako Yamada", "Ehefrau des Botschafters", MemberRole.MEMBER, "delegation_member", None, ["ja", "en"],
     "山田 花子", "ja", "vegetarisch", ""),
    ("Yuki Satō", "Gesandte, Botschaft von Japan", MemberRole.MEMBER, "senior_official", None, ["ja", "en", "de"],
     "佐藤 由紀", "ja", "", ""),
    ("Akira Nakamura", "Vorsitzender des Stadtrats von Hiroshima", MemberRole.MEMBER, "council_member",
     date(2015, 5, 1), ["ja"], "中村 明", "ja", "", "Rollstuhl: Platz mit Zugang vom Gang"),
    ("Mei Kobayashi", "Leiterin Internationale Beziehungen, Stadt Hiroshima", MemberRole.MEMBER, "senior_official",
     None, ["ja", "en"], "小林 芽衣", "ja", "glutenfrei", ""),
    ("Rie Takahashi", "Dolmetscherin der Stadt Hiroshima", MemberRole.INTERPRETER, None, None, ["ja", "de"],
     "高橋 理恵", "ja", "", ""),
    ("Kenji Itō", "Presseattaché, Botschaft von Japan", MemberRole.PRESS, None, None, ["ja", "en"],
     "伊藤 健二", "ja", "", ""),
)

# name, function, role, office key, principal key, since/ordinal, languages, native, native language, diet
CITY = (
    ("Dr. Martin Weber", "Oberbürgermeister", CityRole.HOST, None, "Dr. Martin Weber", None, ["de", "en"], "", "", ""),
    ("Sabine Krüger", "Bürgermeisterin", CityRole.CO_HOST, None, "Sabine Krüger", None, ["de", "en", "fr"], "", "", ""),
    ("Ahmet Yıldız", "Bürgermeister", CityRole.CO_HOST, None, "Ahmet Yıldız", None, ["de", "tr", "en"], "", "", ""),
    ("Dr. Petra Sommer", "Vorsitzende des Internationalen Ausschusses", CityRole.CO_HOST, "council_member", None,
     date(2016, 11, 1), ["de", "en", "ja"], "", "", "vegan"),
    ("Elif Kaya", "Ratsfrau", CityRole.PARTICIPANT, "council_member", None, date(2011, 11, 1), ["de", "tr"], "", "",
     "halal"),
    ("Jan Hoffmann", "Ratsherr", CityRole.PARTICIPANT, "council_member", None, date(2021, 11, 1), ["de", "en"], "", "",
     ""),
    ("Dr. Anna Lehmann", "Wirtschaftsdezernentin", CityRole.PARTICIPANT, "department_head", None, 2,
     ["de", "en", "zh"], "", "", ""),
    ("Katrin Vogel", "Leiterin Internationale Angelegenheiten", CityRole.PARTICIPANT, "senior_official", None, None,
     ["de", "en", "fr"], "", "", ""),
    ("Prof. Dr. Hiroshi Becker", "Präsident der Deutsch-Japanischen Gesellschaft", CityRole.PARTICIPANT, None, None,
     None, ["de", "ja"], "", "", ""),
    ("Aylin Demir", "Protokoll", CityRole.PARTICIPANT, "staff", None, None, ["de", "en", "tr"], "", "", ""),
    ("Yuki Hartmann", "Dolmetscherin der Stadt", CityRole.INTERPRETER, None, None, None, ["de", "ja"], "", "", ""),
    # Guests of the city: the consular corps, seated with the guests.
    ("Wang Li", "Generalkonsulin der Volksrepublik China in Hamburg", CityRole.GUEST, "consul_general", None,
     date(2021, 3, 1), ["zh", "de", "en"], "王丽", "zh", ""),
    ("Mehmet Güneş", "Generalkonsul der Republik Türkei in Hannover", CityRole.GUEST, "consul_general", None,
     date(2022, 10, 10), ["tr", "de", "en"], "Mehmet Güneş", "tr", "halal"),
    ("Erlan Nurlanov", "Honorarkonsul der Republik Kasachstan", CityRole.GUEST, "consul", None, date(2019, 6, 3),
     ["ru", "de"], "Ерлан Нурланов", "ru", ""),
    ("Hideo Kimura", "Generalkonsul von Japan in Hamburg", CityRole.GUEST, "consul_general", None,
     date(2022, 4, 1), ["ja", "de", "en"], "木村 英夫", "ja", ""),
    ("Omar Al-Khatib", "Honorarkonsul des Haschemitischen Königreichs Jordanien", CityRole.GUEST, "consul", None,
     date(2020, 1, 20), ["ar", "de", "en"], "عمر الخطيب", "ar", "halal, keine Nüsse"),
)

FORMS = {
    "Tarō Yamada": (
        ("de", "S. E.", "Herr Tarō Yamada", "Botschafter von Japan", "Herr Botschafter", "Exzellenz,",
         "Seiner Exzellenz\nHerrn Tarō Yamada\nBotschafter von Japan\nHiroshimastraße 6\n10785 Berlin"),
        ("en", "H.E.", "Mr Taro Yamada", "Ambassador of Japan", "Your Excellency", "Your Excellency,",
         "His Excellency\nMr Taro Yamada\nAmbassador of Japan\nHiroshimastrasse 6\n10785 Berlin"),
        ("ja", "閣下", "山田太郎", "駐ドイツ日本国特命全権大使", "山田大使", "山田大使閣下",
         "〒10785 ベルリン\nヒロシマ通り6\n駐ドイツ日本国特命全権大使\n山田太郎閣下"),
    ),
    "Ken'ichi Matsumoto": (
        ("de", "", "Herr Ken'ichi Matsumoto", "Bürgermeister der Partnerstadt Hiroshima", "Herr Bürgermeister",
         "Sehr geehrter Herr Bürgermeister,", "Herrn\nKen'ichi Matsumoto\nBürgermeister der Stadt Hiroshima"),
        ("ja", "様", "松本健一", "広島市長", "松本市長", "広島市長 松本健一様", "広島市長\n松本健一様"),
    ),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return attach_zone(datetime.combine(day, time(hour, minute)), ZONE)


def load_protocol_demo(today: date, report) -> None:
    """Add the ranking rules and the state visit (once)."""
    added = operations.ensure_default_office_levels()
    if added:
        report.lines.append(f"Added {len(added)} default ranking rules (protocol)")
    if db.session.scalar(select(Delegation.id).where(Delegation.title == TITLE)) is not None:
        return
    offices = {level.key: level for level in db.session.scalars(select(OfficeLevel))}
    contacts = {person.name: person for person in db.session.scalars(select(ContactPerson))}
    principals = {principal.name: principal for principal in db.session.scalars(select(Principal))}
    venues = {(venue.name, venue.room): venue for venue in db.session.scalars(select(Venue))}
    first = today + timedelta(days=10)
    while first.weekday() > 3:  # a Monday to Thursday: two working days
        first += timedelta(days=1)
    visit = Delegation(
        direction=Direction.INCOMING, title=TITLE, country_code="JP", city="Hiroshima",
        organisation="Botschaft von Japan / Stadt Hiroshima", is_partner_city=True,
        head_name="Tarō Yamada", head_function="Botschafter von Japan", expected_size=8,
        arrival_at=_at(first, 10), departure_at=_at(first + timedelta(days=1), 14), timezone=ZONE,
        languages=["ja", "en"], status=DelegationStatus.CONFIRMED, protocol_level=ProtocolLevel.MAYOR,
        hotel="Kastens Hotel Luisenhof, Luisenstraße 1–3, 30159 Hannover",
        purpose="Antrittsbesuch des Botschafters; 40 Jahre Städtepartnerschaft Hannover–Hiroshima.",
        notes="Sicherheitsstufe: Personenschutz durch die Polizei (Botschafter). Flaggen JP/DE/Hiroshima.",
        lead_contact=contacts.get("Katrin Vogel"), deputy_contact=contacts.get("Aylin Demir"))
    db.session.add(visit)
    members = {}
    for position, (name, function, role, office, since, languages, native, native_language, diet, access) \
            in enumerate(GUESTS, start=1):
        member = Member(delegation=visit, name=name, function=function, role=role, position=position,
                        organisation="Botschaft von Japan" if "Botschaft" in function or position in (1, 3)
                        else "Stadt Hiroshima", dietary_needs=diet, accessibility_needs=access)
        member.protocol_rank = ProtocolRank(
            office_level=offices.get(office) if office else None,
            accredited_on=since if office == "ambassador" else None,
            serving_since=since if office == "council_member" else None, languages=languages,
            native_name=native, native_language=native_language,
            salutation=Salutation.MS if name in ("Hanako Yamada", "Yuki Satō", "Mei Kobayashi", "Rie Takahashi")
            else Salutation.MR)
        db.session.add(member)
        members[name] = member
    db.session.flush()
    members["Rie Takahashi"].protocol_rank.interprets_for = members["Ken'ichi Matsumoto"]
    checked = today - timedelta(days=40)
    for name, forms in FORMS.items():
        for language, title, shown, function, spoken, salutation, block in forms:
            db.session.add(FormOfAddress(member=members[name], language=language, title=title, name=shown,
                                         function=function, spoken=spoken, salutation=salutation, address_block=block,
                                         last_checked_on=checked, checked_with="Protokoll der Botschaft von Japan"))

    def item(day, start, end, title, kind, venue=None, principal=None, english="", japanese="", **values):
        programme_item = ProgrammeItem(delegation=visit, title=title, kind=kind, starts_at=_at(day, *start),
                                       ends_at=_at(day, *end), venue=venue, principal=principal,
                                       status=ItemStatus.CONFIRMED, **values)
        for language, text in (("en", english), ("ja", japanese)):
            if text:
                programme_item.translations.append(ProgrammeItemTranslation(language=language, title=text))
        db.session.add(programme_item)
        return programme_item

    mayor = principals.get("Dr. Martin Weber")
    rathaus, hodler = venues.get(("Neues Rathaus", "Mosaiksaal")), venues.get(("Neues Rathaus", "Hodlersaal"))
    item(first, (10, 0), (10, 45), "Ankunft am Flughafen, Transfer zum Neuen Rathaus", ItemKind.TRANSFER,
         venues.get(("Flughafen Hannover", "Terminal C")), english="Arrival at the airport, transfer",
         japanese="空港到着、市庁舎へ移動", responsible=contacts.get("Aylin Demir"))
    reception = item(first, (11, 0), (12, 0), "Empfang durch den Oberbürgermeister, Eintrag in das Goldene Buch",
                     ItemKind.RECEPTION, rathaus, mayor, english="Reception by the Lord Mayor, Golden Book",
                     japanese="市長による歓迎、ゴールデンブック記帳", dress_code="Dunkler Anzug",
                     responsible=contacts.get("Katrin Vogel"))
    lunch = item(first, (12, 30), (14, 30), "Mittagessen zu Ehren der Gäste", ItemKind.MEAL, hodler, mayor,
                 english="Lunch in honour of the guests", japanese="歓迎昼食会", dress_code="Dunkler Anzug",
                 responsible=contacts.get("Aylin Demir"))
    item(first, (15, 30), (17, 0), "Führung durch die Herrenhäuser Gärten", ItemKind.VISIT,
         venues.get(("Herrenhäuser Gärten", "Galeriegebäude")), english="Guided tour of the Herrenhausen Gardens",
         japanese="ヘレンハウゼン王宮庭園見学", responsible=contacts.get("Mei Lin Schröder"))
    item(first + timedelta(days=1), (9, 30), (11, 0), "Wirtschaftsgespräch mit der Bürgermeisterin", ItemKind.MEETING,
         hodler, principals.get("Sabine Krüger"), english="Business talks with the Deputy Mayor",
         japanese="副市長との経済会談", responsible=contacts.get("Mei Lin Schröder"))
    db.session.flush()

    for position, (name, function, role, office, principal_name, since, languages, native, native_language, diet) \
            in enumerate(CITY, start=1):
        participant = CityParticipant(
            item=lunch, name=name, function=function, role=role, position=position,
            principal=principals.get(principal_name) if principal_name else None,
            office_level=offices.get(office) if office else None, languages=languages, dietary_needs=diet,
            native_name=native, native_language=native_language,
            accredited_on=since if office in ("consul_general", "consul") else None,
            serving_since=since if office == "council_member" else None,
            ordinal=since if office == "department_head" else None)
        db.session.add(participant)
    db.session.flush()
    interpreter = next(p for p in lunch.protocol_participants if p.name == "Yuki Hartmann")
    interpreter.interprets_for_participant = next(p for p in lunch.protocol_participants
                                                  if p.name == "Dr. Martin Weber")
    for name in ("Dr. Martin Weber", "Dr. Petra Sommer", "Yuki Hartmann"):
        source = next(p for p in lunch.protocol_participants if p.name == name)
        db.session.add(CityParticipant(item=reception, name=source.name, function=source.function, role=source.role,
                                       principal=source.principal, office_level=source.office_level,
                                       languages=list(source.languages), position=source.position))
    db.session.flush()
    plan = operations.create_plan(lunch, "Mittagessen im Hodlersaal", 3, 8, TableShape.ROUND.value)
    plan.absent_keys = []
    db.session.flush()
    operations.seat_automatically(plan, offices)
    plan.approved_revision = plan.revision
    plan.approved_at = utc_now()
    plan.approved_by_name = "Aylin Demir"

    hiroshima = "Stadt Hiroshima"
    gifts = (
        (GiftDirection.GIVEN, "Porzellanteller Fürstenberg mit Stadtwappen", "Oberbürgermeister",
         "Ken'ichi Matsumoto", hiroshima, first, 12000, GiftApproval.APPROVED, GiftFate.HANDED_OVER, ""),
        (GiftDirection.GIVEN, "Bildband Herrenhäuser Gärten", "Oberbürgermeister", "Tarō Yamada",
         "Botschaft von Japan", first, 4500, GiftApproval.PENDING, GiftFate.UNDECIDED, ""),
        (GiftDirection.RECEIVED, "Lackkästchen, Hiroshima-Lackkunst", "Ken'ichi Matsumoto", "Oberbürgermeister",
         hiroshima, first, 25000, GiftApproval.APPROVED, GiftFate.DISPLAYED, "Vitrine im Flur des Oberbürgermeisters"),
        (GiftDirection.RECEIVED, "Sake-Set aus Saijō", "Tarō Yamada", "Oberbürgermeister", "Botschaft von Japan", first,
         8000, GiftApproval.PENDING, GiftFate.UNDECIDED, "Büro des Oberbürgermeisters"),
    )
    for direction, article, giver, recipient, organisation, day, cents, approval, fate, location in gifts:
        db.session.add(Gift(delegation=visit, visit_title=TITLE, direction=direction, article=article, giver=giver,
                            recipient=recipient, counterpart_organisation=organisation, occasion=TITLE, given_on=day,
                            value_cents=cents, approval=approval, fate=fate, location=location,
                            decided_by_name="Büro Oberbürgermeister" if approval == GiftApproval.APPROVED else ""))
    # Two years ago the partner city received the same plate: the register warns about the repeat.
    db.session.add(Gift(direction=GiftDirection.GIVEN, article="Porzellanteller Fürstenberg mit Stadtwappen",
                        giver="Oberbürgermeister", recipient="Kazumi Matsui", counterpart_organisation=hiroshima,
                        occasion="Friedensgedenken in Hiroshima", visit_title="Reise nach Hiroshima",
                        given_on=today.replace(year=today.year - 2), value_cents=12000,
                        approval=GiftApproval.APPROVED, fate=GiftFate.HANDED_OVER))

    signing = GoldenBookSigning(
        delegation=visit, item=reception, title="Botschafter von Japan und Bürgermeister von Hiroshima",
        status=SigningStatus.PLANNED,
        prepared_text=("Zum Antrittsbesuch Seiner Exzellenz Tarō Yamada, Botschafter von Japan, und zum "
                       "40. Jahr der Städtepartnerschaft mit Herrn Bürgermeister Ken'ichi Matsumoto, Hiroshima."))
    db.session.add(signing)
    signing.signatories.append(GoldenBookSignatory(name="Tarō Yamada", function="Botschafter von Japan",
                                                   member=members["Tarō Yamada"], position=1, checked_at=utc_now(),
                                                   checked_by_name="Aylin Demir"))
    signing.signatories.append(GoldenBookSignatory(name="Ken'ichi Matsumoto", function="Bürgermeister von Hiroshima",
                                                   member=members["Ken'ichi Matsumoto"], position=2))
    db.session.add(GoldenBookSigning(title="Generalkonsulin der Volksrepublik China", status=SigningStatus.SIGNED,
                                     signed_on=today.replace(year=today.year - 1), book_reference="Band IV, Seite 112",
                                     prepared_text="Zum Antrittsbesuch von Frau Generalkonsulin Wang Li.",
                                     signatories=[GoldenBookSignatory(name="Wang Li", position=1,
                                                                      checked_at=utc_now())]))
    db.session.flush()
    for task in operations.generate_checklist(visit):
        if task.template_key in ("invitation", "hotel", "security"):
            task.done_at = utc_now()
            task.done_by_name = "Katrin Vogel"
    db.session.add(ChecklistTask(delegation=visit, title="Fahnen JP/DE und Stadtfahne Hiroshima für den Mosaiksaal",
                                 owner=contacts.get("Thomas Brandt"), due_on=first - timedelta(days=2)))
    db.session.flush()
    report.lines.append(f"Created demo visit: {TITLE}")
