"""A state visit for protocol tests: an ambassador and a partner city's mayor with their delegation, a lunch with
the city side (host, co-hosts, an interpreter) and guests of the city whose names are in five scripts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from delegations.constants import ItemKind, MemberRole, PrincipalKind, ProtocolLevel
from delegations.extensions import db
from delegations.models import CityParticipant, Delegation, FormOfAddress, Member, OfficeLevel, ProgrammeItem, ProtocolRank
from delegations.models.protocol import CityRole, Salutation
from delegations.protocol.operations import ensure_default_office_levels
from tests.factories import berlin, make_delegation, make_item, make_member, make_principal


def office(key: str) -> OfficeLevel:
    return db.session.scalar(select(OfficeLevel).where(OfficeLevel.key == key))


def ranked_member(delegation: Delegation, name: str, office_key: str | None = None, role=MemberRole.MEMBER,
                  languages=("ja",), native_name: str = "", native_language: str = "", **rank_values) -> Member:
    member = make_member(delegation, name=name, role=role, function=rank_values.pop("function", ""),
                         dietary_needs=rank_values.pop("dietary_needs", ""))
    member.protocol_rank = ProtocolRank(office_level=office(office_key) if office_key else None,
                                        languages=list(languages), native_name=native_name,
                                        native_language=native_language, **rank_values)
    db.session.flush()
    return member


def participant(item: ProgrammeItem, name: str, role=CityRole.PARTICIPANT, office_key: str | None = None,
                languages=("de",), **values) -> CityParticipant:
    person = CityParticipant(item=item, name=name, role=role, office_level=office(office_key) if office_key else None,
                             languages=list(languages), position=len(item.protocol_participants) + 1, **values)
    db.session.add(person)
    db.session.flush()
    return person


@dataclass
class StateVisit:
    delegation: Delegation
    lunch: ProgrammeItem
    reception: ProgrammeItem
    ambassador: Member
    partner_mayor: Member
    interpreter: Member
    host: CityParticipant
    mayor_principal: object
    deputy_principal: object


def state_visit(extra_guests: int = 0, extra_hosts: int = 0) -> StateVisit:
    """8 delegation members, 8 city people (host, co-hosts, interpreter) and 4 consuls: 20 at the lunch."""
    ensure_default_office_levels()
    mayor = make_principal(name="Dr. Martin Weber", title="Oberbürgermeister", kind=PrincipalKind.MAYOR, rank=1)
    deputy = make_principal(name="Sabine Krüger", title="Bürgermeisterin", kind=PrincipalKind.DEPUTY_MAYOR, rank=1)
    delegation = make_delegation(title="Staatsbesuch aus Japan", country_code="JP", city="Hiroshima",
                                 languages=["ja", "en"], protocol_level=ProtocolLevel.MAYOR,
                                 head_name="Tarō Yamada", head_function="Botschafter von Japan",
                                 arrival_at=berlin("2027-05-03 10:00"))
    ambassador = ranked_member(delegation, "Tarō Yamada", "ambassador", MemberRole.HEAD, ("ja", "en"), "山田 太郎", "ja",
                               accredited_on=date(2023, 9, 14), salutation=Salutation.MR,
                               function="Botschafter von Japan")
    partner_mayor = ranked_member(delegation, "Ken'ichi Matsumoto", "partner_mayor", languages=("ja",),
                                  native_name="松本 健一", native_language="ja", function="Bürgermeister von Hiroshima",
                                  dietary_needs="kein Schweinefleisch")
    ranked_member(delegation, "Yuki Satō", "senior_official", languages=("ja", "en", "de"), native_name="佐藤 由紀",
                  native_language="ja", dietary_needs="vegetarisch")
    ranked_member(delegation, "Akira Nakamura", "council_member", languages=("ja",), serving_since=date(2015, 5, 1))
    ranked_member(delegation, "Mei Kobayashi", "senior_official", languages=("ja", "en"), dietary_needs="glutenfrei")
    ranked_member(delegation, "Hanako Yamada", "delegation_member", languages=("ja", "en"))
    interpreter = ranked_member(delegation, "Rie Takahashi", None, MemberRole.INTERPRETER, ("ja", "de"))
    interpreter.protocol_rank.interprets_for = partner_mayor
    ranked_member(delegation, "Kenji Itō", None, MemberRole.PRESS, ("ja", "en"))
    for number in range(extra_guests):
        ranked_member(delegation, f"Gast {number:02d}", "delegation_member", languages=("ja",))
    reception = make_item(delegation, start=berlin("2027-05-03 11:00"), minutes=60, title="Empfang",
                          kind=ItemKind.RECEPTION, principal=mayor)
    lunch = make_item(delegation, start=berlin("2027-05-03 12:30"), minutes=120, title="Mittagessen",
                      kind=ItemKind.MEAL, principal=mayor)
    host = participant(lunch, "Dr. Martin Weber", CityRole.HOST, languages=("de", "en"), principal=mayor)
    participant(lunch, "Sabine Krüger", CityRole.CO_HOST, languages=("de", "en"), principal=deputy)
    participant(lunch, "Dr. Petra Sommer", CityRole.CO_HOST, "council_member", ("de", "en", "ja"),
                serving_since=date(2016, 11, 1), dietary_needs="vegan")
    participant(lunch, "Elif Kaya", CityRole.PARTICIPANT, "council_member", ("de", "tr"),
                serving_since=date(2011, 11, 1), dietary_needs="halal")
    participant(lunch, "Jan Hoffmann", CityRole.PARTICIPANT, "council_member", ("de", "en"),
                serving_since=date(2021, 11, 1))
    participant(lunch, "Katrin Vogel", CityRole.PARTICIPANT, "senior_official", ("de", "en", "fr"))
    participant(lunch, "Aylin Demir", CityRole.PARTICIPANT, "staff", ("de", "tr"))
    for number in range(extra_hosts):
        participant(lunch, f"Ratsmitglied {number:02d}", CityRole.PARTICIPANT, "council_member", ("de",))
    city_interpreter = participant(lunch, "Yuki Hartmann", CityRole.INTERPRETER, languages=("de", "ja"))
    city_interpreter.interprets_for_participant = host
    participant(lunch, "Wang Li", CityRole.GUEST, "consul_general", ("zh", "de"), native_name="王丽",
                native_language="zh", accredited_on=date(2021, 3, 1))
    participant(lunch, "Mehmet Güneş", CityRole.GUEST, "consul_general", ("tr", "de"), native_name="Mehmet Güneş",
                native_language="tr", accredited_on=date(2022, 10, 10))
    participant(lunch, "Erlan Nurlanov", CityRole.GUEST, "consul", ("ru", "de"), native_name="Ерлан Нурланов",
                native_language="ru", accredited_on=date(2019, 6, 3))
    participant(lunch, "Omar Al-Khatib", CityRole.GUEST, "consul", ("ar", "de"), native_name="عمر الخطيب",
                native_language="ar", accredited_on=date(2020, 1, 20))
    db.session.add(FormOfAddress(member=ambassador, language="de", title="S. E.", name="Herr Tarō Yamada",
                                 function="Botschafter von Japan", spoken="Herr Botschafter", salutation="Exzellenz,"))
    db.session.add(FormOfAddress(member=ambassador, language="ja", title="閣下", name="山田太郎",
                                 function="駐ドイツ日本国特命全権大使", spoken="山田大使", salutation="山田大使閣下"))
    db.session.flush()
    return StateVisit(delegation, lunch, reception, ambassador, partner_mayor, interpreter, host, mayor, deputy)
