"""The personal-data export of a visit (Art. 15 GDPR) holds each member's protocol rank and forms of address,
and the history of those records; after anonymisation they are gone from the export too."""
from __future__ import annotations

import json

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import FormOfAddress, utc_now
from delegations.privacy.export import personal_data_export
from tests.accounts import sign_in
from tests.factories import make_member
from tests.protocol_data import state_visit


def exported(client, delegation_id: int) -> dict:
    response = client.get(f"/delegations/{delegation_id}/personal-data.json")
    assert response.status_code == 200
    return response.json


def test_the_export_holds_each_members_protocol_rank_and_forms_of_address(client):
    visit = state_visit()
    plain = make_member(visit.delegation, name="Without Rank")
    db.session.commit()
    sign_in(client, Role.PLANNER)

    document = exported(client, visit.delegation.id)

    members = {member["name"]: member for member in document["members"]}
    ambassador = members["Tarō Yamada"]
    rank = ambassador["protocol_rank"]
    assert rank["office"] == visit.ambassador.protocol_rank.office_level.name and rank["office_level"] is not None
    assert rank["accredited_on"] == "2023-09-14" and rank["native_name"] == "山田 太郎"
    assert rank["native_language"] == "ja" and rank["languages"] == ["ja", "en"] and rank["salutation"] == "mr"
    forms = {form["language"]: form for form in ambassador["forms_of_address"]}
    assert set(forms) == {"de", "ja"}
    assert forms["de"]["spoken"] == "Herr Botschafter" and forms["de"]["salutation"] == "Exzellenz,"
    assert forms["ja"]["name"] == "山田太郎" and forms["ja"]["title"] == "閣下"
    interpreter = members["Rie Takahashi"]["protocol_rank"]
    assert interpreter["interprets_for_id"] == visit.partner_mayor.id and interpreter["office"] is None
    assert members["Without Rank"]["protocol_rank"] is None and members["Without Rank"]["forms_of_address"] == []
    assert plain.id in {member["id"] for member in document["members"]}


def test_the_history_of_forms_of_address_is_exported_with_the_member_it_is_about(client):
    visit = state_visit()
    db.session.commit()
    form = next(form for form in visit.ambassador.forms_of_address if form.language == "de")
    form.spoken = "Exzellenz"
    db.session.commit()
    sign_in(client, Role.PLANNER)

    history = exported(client, visit.delegation.id)["history"]

    changes = [entry for entry in history if entry["record"] == "form_of_address" and entry["action"] == "updated"]
    assert changes and changes[0]["changes"]["spoken"] == ["Herr Botschafter", "Exzellenz"]
    assert changes[0]["member_id"] == visit.ambassador.id
    created = [entry for entry in history if entry["record"] == "form_of_address" and entry["action"] == "created"]
    assert len(created) == 2 and {entry["member_id"] for entry in created} == {visit.ambassador.id}
    assert any(entry["record"] == "protocol_rank" and entry["member_id"] == visit.partner_mayor.id for entry in history)
    assert any(entry["record"] == "member" and entry["member_id"] == visit.ambassador.id for entry in history)


def test_an_anonymised_member_has_no_forms_of_address_left_to_export(app):
    visit = state_visit()
    db.session.commit()
    visit.ambassador.anonymised_at = utc_now()
    db.session.commit()
    db.session.expire_all()

    document = personal_data_export(visit.delegation, utc_now())

    ambassador = next(member for member in document["members"] if member["id"] == visit.ambassador.id)
    assert ambassador["forms_of_address"] == [] and ambassador["protocol_rank"]["native_name"] == ""
    assert db.session.query(FormOfAddress).count() == 0
    json.dumps(document)  # plain JSON throughout


def test_retention_scrubs_the_history_of_forms_of_address_and_ranks(app):
    from datetime import timedelta

    from sqlalchemy import select

    from delegations.models import AuditEntry
    from delegations.privacy.retention import apply_retention, plan_retention

    visit = state_visit()
    db.session.commit()
    form = next(form for form in visit.ambassador.forms_of_address if form.language == "de")
    form.spoken = "Exzellenz Yamada"
    db.session.commit()
    history = lambda: json.dumps([[entry.summary, entry.changes, entry.snapshot]  # noqa: E731
                                  for entry in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
    assert "Herr Botschafter" in history() and "山田太郎" in history()

    a_year_later = visit.delegation.departure_at + timedelta(days=400)
    apply_retention(plan_retention(a_year_later, days=365), a_year_later, "en")
    db.session.commit()

    for personal in ("Herr Botschafter", "Exzellenz Yamada", "山田太郎", "駐ドイツ日本国特命全権大使"):
        assert personal not in history()
    kinds = {entry.entity_type for entry in db.session.scalars(select(AuditEntry))}
    assert {"form_of_address", "protocol_rank"} <= kinds  # that they changed stays on record
    assert plan_retention(a_year_later, days=365).is_empty  # a second run finds nothing


def _add_flight(member, when):
    from delegations.models import TravelLeg
    from delegations.models.travel import LegDirection, TravelMode

    leg = TravelLeg(delegation_id=member.delegation_id, member=member, direction=LegDirection.ARRIVAL,
                    mode=TravelMode.FLIGHT, carrier_number="NH 223", scheduled_at=when, timezone="Europe/Berlin",
                    place="Flughafen Hannover", terminal="C", notes="Rollstuhl am Gate")
    db.session.add(leg)
    return leg


def test_the_export_holds_each_members_travel_and_retention_removes_it(app):
    from datetime import timedelta

    from sqlalchemy import select

    from delegations.models import AuditEntry, TravelLeg
    from delegations.privacy.retention import apply_retention, plan_retention

    visit = state_visit()
    _add_flight(visit.ambassador, visit.delegation.arrival_at)
    db.session.commit()

    document = personal_data_export(visit.delegation, utc_now())
    ambassador = next(member for member in document["members"] if member["id"] == visit.ambassador.id)
    assert [leg["carrier_number"] for leg in ambassador["travel"]] == ["NH 223"]
    assert any(entry["record"] == "travel_leg" and entry["member_id"] == visit.ambassador.id
               for entry in document["history"])

    a_year_later = visit.delegation.departure_at + timedelta(days=400)
    apply_retention(plan_retention(a_year_later, days=365), a_year_later, "en")
    db.session.commit()

    assert db.session.scalar(select(TravelLeg.id)) is None
    history = json.dumps([[entry.summary, entry.changes, entry.snapshot]
                          for entry in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
    assert "NH 223" not in history and "Rollstuhl am Gate" not in history
