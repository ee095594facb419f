"""Partner dossiers over HTTP: the list and the dossier with visits both ways and gifts, the forms that edit each
part (validation, concurrent edits), roles, the visit form's partner select, the dashboard's anniversaries,
the history, and query counts that stay flat as visits, gifts and commitments grow."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from delegations.constants import Direction
from delegations.extensions import db
from delegations.models import (AuditEntry, Delegation, Gift, OfficeHolder, PartnerAssociation, PartnerCity,
                                PartnerCommitment)
from delegations.models.partners import CommitmentStatus, PartnershipKind
from delegations.models.protocol import GiftApproval, GiftDirection, GiftFate
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def make_city(**values) -> PartnerCity:
    city = PartnerCity(**{"name": "Poznań", "country_code": "PL", "kind": PartnershipKind.TWINNING,
                          "since": date(1979, 10, 29), "since_day_known": True, "timezone": "Europe/Warsaw",
                          **values})
    db.session.add(city)
    db.session.flush()
    return city


def add_visits(city: PartnerCity, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        visit = make_delegation(title=f"Visit {number}", partner_city=city, lead_contact=make_contact(),
                                direction=Direction.OUTGOING if number % 2 else Direction.INCOMING,
                                arrival_at=berlin("2020-05-03 09:00") + timedelta(days=30 * number))
        db.session.add(Gift(delegation=visit, visit_title=visit.title, direction=GiftDirection.GIVEN,
                            article=f"Book {number}", given_on=date(2020, 5, 4) + timedelta(days=30 * number),
                            approval=GiftApproval.NOT_REQUIRED, fate=GiftFate.HANDED_OVER))
        db.session.add(PartnerCommitment(city=city, text=f"Promise {number}", made_on=date(2020, 5, 4),
                                         delegation=visit, owner=visit.lead_contact, due_on=date(2030, 1, 1)))
    db.session.commit()


@pytest.fixture
def poznan(app):
    city = make_city()
    db.session.commit()
    return city


# Reading -----------------------------------------------------------------------------------------------------

def test_the_dossier_shows_visits_both_ways_gifts_office_holders_and_commitments(client, poznan):
    sign_in(client, "viewer")
    incoming = make_delegation(title="Delegation aus Poznań", partner_city=poznan)
    outgoing = make_delegation(title="Reise nach Poznań", direction=Direction.OUTGOING, partner_city=poznan,
                               timezone="Europe/Warsaw")
    make_delegation(title="Unrelated visit")
    db.session.add(Gift(delegation=outgoing, visit_title=outgoing.title, direction=GiftDirection.RECEIVED,
                        article="Glasschale", giver="Tomasz Kowalczyk", given_on=date(2027, 5, 4),
                        approval=GiftApproval.NOT_REQUIRED, fate=GiftFate.DISPLAYED))
    db.session.add(OfficeHolder(city=poznan, name="Tomasz Kowalczyk", office="Stadtpräsident",
                                form_of_address="Szanowny Panie Prezydencie"))
    db.session.add(PartnerCommitment(city=poznan, text="Invite the youth band", made_on=date(2027, 5, 4),
                                     delegation=incoming, follow_up="Draft the Mayor's letter"))
    db.session.commit()
    page = client.get(f"/partners/{poznan.id}").get_data(as_text=True)
    for text in ("Poznań", "October 29, 1979", "Delegation aus Poznań", "Reise nach Poznań", "Glasschale",
                 "Tomasz Kowalczyk", "Szanowny Panie Prezydencie", "Invite the youth band", "Draft the Mayor"):
        assert text in page, text
    assert "Unrelated visit" not in page
    assert "Mark as done" not in page and f"/partners/{poznan.id}/edit" not in page  # a viewer only reads


def test_gifts_without_a_visit_count_when_their_counterpart_names_the_partner(client, poznan):
    sign_in(client, "viewer")
    for article, counterpart in (("Porzellanteller", "Stadt Poznań"), ("Sake-Set", "Stadt Hiroshima"),
                                 ("Wildcard", "100% Poznań_")):
        db.session.add(Gift(direction=GiftDirection.GIVEN, article=article, counterpart_organisation=counterpart,
                            occasion="Jubiläum", given_on=date(2024, 10, 29), approval=GiftApproval.NOT_REQUIRED,
                            fate=GiftFate.HANDED_OVER))
    make_city(name="100% Pozn")  # LIKE wildcards in a name are taken literally
    db.session.commit()
    page = client.get(f"/partners/{poznan.id}").get_data(as_text=True)
    assert "Porzellanteller" in page and "Wildcard" in page and "Sake-Set" not in page
    other = db.session.scalars(select(PartnerCity).where(PartnerCity.name == "100% Pozn")).one()
    page = client.get(f"/partners/{other.id}").get_data(as_text=True)
    assert "Wildcard" in page and "Porzellanteller" not in page


def test_the_list_names_every_partner_with_its_visits_and_open_commitments(client, poznan):
    sign_in(client, "viewer")
    make_city(name="Bristol", country_code="GB", since=date(1947, 1, 1), since_day_known=False)
    add_visits(poznan, 3)
    page = client.get("/partners/").get_data(as_text=True)
    assert "Bristol" in page and "1947" in page and "Poznań" in page
    assert page.count(">3</td>") == 2  # three visits, three open commitments


def test_a_missing_partner_is_not_found(client):
    sign_in(client, "viewer")
    assert client.get("/partners/999").status_code == 404
    assert client.get("/partners/holders/999/edit").status_code == 404


# Editing ----------------------------------------------------------------------------------------------------

def test_a_planner_adds_a_partner_and_the_form_explains_mistakes(client):
    sign_in(client, "planner")
    response = client.post("/partners/new", data={"name": "", "country_code": "GB", "kind": "twinning",
                                                   "since": "not a date"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Please correct the following" in page
    assert 'href="#name"' in page and 'href="#since"' in page
    response = client.post("/partners/new", data={"name": "Bristol", "country_code": "GB", "kind": "twinning",
                                                   "since": "1947-01-01", "ended_on": "1946-01-01"})
    assert "The end cannot lie before the start" in response.get_data(as_text=True)
    response = client.post("/partners/new", data={"name": "Bristol", "country_code": "GB", "kind": "twinning",
                                                   "since": "1947-01-01", "timezone": "Europe/London"})
    city = db.session.scalars(select(PartnerCity)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/partners/{city.id}")
    assert (city.name, city.since, city.since_day_known) == ("Bristol", date(1947, 1, 1), False)
    duplicate = client.post("/partners/new", data={"name": "Bristol", "country_code": "GB", "kind": "twinning",
                                                    "since": "1947-01-01"})
    assert "There is a partner of this name already" in duplicate.get_data(as_text=True)


def test_viewers_cannot_edit_anything(client, poznan):
    sign_in(client, "viewer")
    holder = OfficeHolder(city=poznan, name="A", office="B")
    db.session.add(holder)
    db.session.commit()
    for url in ("/partners/new", f"/partners/{poznan.id}/edit", f"/partners/{poznan.id}/office-holders/new",
                f"/partners/office-holders/{holder.id}/edit"):
        assert client.get(url).status_code == 403, url
    for url in (f"/partners/{poznan.id}/delete", f"/partners/office-holders/{holder.id}/delete",
                f"/partners/{poznan.id}/commitments/new"):
        assert client.post(url, data={"name": "x"}).status_code == 403, url
    assert db.session.get(PartnerCity, poznan.id) is not None


def test_anonymous_visitors_are_sent_to_the_login(client, poznan):
    response = client.get(f"/partners/{poznan.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_concurrent_edit_is_refused_and_keeps_the_input(client, poznan):
    sign_in(client, "planner")
    association = PartnerAssociation(city=poznan, name="Deutsch-Polnische Gesellschaft")
    db.session.add(association)
    db.session.commit()
    opened = association.version
    association.notes = "changed by a colleague"
    db.session.commit()
    response = client.post(f"/partners/associations/{association.id}/edit",
                           data={"name": "DPG Hannover", "notes": "mine", "version": opened})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else saved this record" in page and "mine" in page
    db.session.refresh(association)
    assert (association.name, association.notes) == ("Deutsch-Polnische Gesellschaft", "changed by a colleague")


def test_an_association_website_must_be_a_web_address(client, poznan):
    sign_in(client, "planner")
    response = client.post(f"/partners/{poznan.id}/associations/new",
                           data={"name": "DPG", "website": "javascript:alert(1)"})
    assert "Please enter an address starting with https://" in response.get_data(as_text=True)
    assert db.session.scalars(select(PartnerAssociation)).first() is None


def test_a_commitment_is_recorded_with_its_follow_up_ticked_off_and_reopened(client, poznan):
    planner = sign_in(client, "planner")
    owner = make_contact(name="Jonas Albrecht")
    visit = make_delegation(title="Delegation aus Poznań", partner_city=poznan)
    other = make_delegation(title="Somebody else's visit")
    db.session.commit()
    refused = client.post(f"/partners/{poznan.id}/commitments/new", data={
        "text": "Invite the youth band", "made_on": "2027-05-04", "delegation_id": other.id, "status": "open"})
    assert "Not a valid choice" in refused.get_data(as_text=True)  # only this partner's visits are offered
    response = client.post(f"/partners/{poznan.id}/commitments/new", data={
        "text": "Invite the youth band", "made_on": "2027-05-04", "delegation_id": visit.id, "owner_id": owner.id,
        "follow_up": "Draft the Mayor's letter", "due_on": "2027-06-01", "status": "open"})
    assert response.status_code == 302
    commitment = db.session.scalars(select(PartnerCommitment)).one()
    assert (commitment.delegation_id, commitment.owner_id, commitment.status) == (visit.id, owner.id,
                                                                                  CommitmentStatus.OPEN)
    client.post(f"/partners/commitments/{commitment.id}/done", data={"version": commitment.version})
    db.session.refresh(commitment)
    assert commitment.status == CommitmentStatus.DONE and commitment.done_at is not None
    assert commitment.done_by_name == planner.display_name
    stale = client.post(f"/partners/commitments/{commitment.id}/done", data={"version": 1, "reopen": "1"},
                        follow_redirects=True)
    assert "Someone else changed this commitment" in stale.get_data(as_text=True)
    client.post(f"/partners/commitments/{commitment.id}/done", data={"version": commitment.version, "reopen": "1"})
    db.session.refresh(commitment)
    assert commitment.status == CommitmentStatus.OPEN and commitment.done_at is None


def test_deleting_a_partner_keeps_its_visits(client, poznan):
    sign_in(client, "planner")
    visit = make_delegation(title="Delegation aus Poznań", partner_city=poznan)
    db.session.add(OfficeHolder(city=poznan, name="A", office="B"))
    db.session.commit()
    response = client.post(f"/partners/{poznan.id}/delete", data={"version": poznan.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PartnerCity, poznan.id) is None
    assert db.session.scalars(select(OfficeHolder)).first() is None
    assert db.session.get(Delegation, visit.id).partner_city_id is None


def test_changes_to_a_dossier_are_in_the_history(client, poznan):
    sign_in(client, "planner")
    client.post(f"/partners/{poznan.id}/office-holders/new", data={"name": "Tomasz Kowalczyk",
                                                                   "office": "Stadtpräsident"})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "partner_office_holder")).one()
    assert entry.summary == "Tomasz Kowalczyk" and entry.actor_name == "Test planner"


# The visit form and the dashboard -------------------------------------------------------------------------

def visit_form(**values) -> dict:
    return {"direction": "incoming", "title": "Delegation aus Poznań", "country_code": "PL", "city": "Poznań",
            "arrival_at": "2027-05-03T09:00", "departure_at": "2027-05-05T15:00", "status": "planned",
            "protocol_level": "unit", "expected_size": "5", "organisation": "", "head_name": "", "head_function": "",
            "hotel": "", "purpose": "", "notes": "", **values}


def test_a_visit_linked_to_a_twinning_counts_as_a_partner_city_visit(client, poznan):
    sign_in(client, "planner")
    organisation = make_city(name="Region Wielkopolska", kind=PartnershipKind.ORGANISATION, since=date(2000, 1, 1))
    db.session.commit()
    form_page = client.get("/delegations/new").get_data(as_text=True)
    assert "Partner city or organisation" in form_page and "Region Wielkopolska" in form_page
    client.post("/delegations/new", data=visit_form(partner_city_id=poznan.id))
    client.post("/delegations/new", data=visit_form(title="Regional visit", partner_city_id=organisation.id))
    linked = db.session.scalars(select(Delegation).where(Delegation.title == "Delegation aus Poznań")).one()
    regional = db.session.scalars(select(Delegation).where(Delegation.title == "Regional visit")).one()
    assert (linked.partner_city_id, linked.is_partner_city) == (poznan.id, True)
    assert (regional.partner_city_id, regional.is_partner_city) == (organisation.id, False)
    assert "Delegation aus Poznań" in client.get(f"/partners/{poznan.id}").get_data(as_text=True)


def test_a_visit_is_planned_from_the_dossier_with_the_partner_filled_in(client, poznan):
    sign_in(client, "planner")
    dossier = client.get(f"/partners/{poznan.id}").get_data(as_text=True)
    assert f"/delegations/new?direction=outgoing&amp;partner_city_id={poznan.id}" in dossier
    page = client.get(f"/delegations/new?direction=outgoing&partner_city_id={poznan.id}").get_data(as_text=True)
    assert f'<option selected value="{poznan.id}">Poznań</option>' in page
    assert 'value="Poznań"' in page and '<option selected value="PL">' in page
    assert client.get("/delegations/new?partner_city_id=999").status_code == 200  # unknown: an empty form


def test_the_dashboard_shows_round_anniversaries_early_enough_to_plan(client, app):
    sign_in(client, "viewer")
    target = date.today() + timedelta(days=180)  # half a year ahead: 40 years of the twinning
    make_city(name="Leipzig", country_code="DE", since=date(target.year - 40, target.month, min(target.day, 28)))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Round anniversaries in the next 18 months" in page
    assert "anniversary of the twinning with Leipzig" in page


def test_the_dashboard_lists_commitments_falling_due(client, poznan):
    sign_in(client, "viewer")
    db.session.add(PartnerCommitment(city=poznan, text="Invite the band", made_on=date.today(),
                                     follow_up="Send the invitation", due_on=date.today() - timedelta(days=2)))
    db.session.add(PartnerCommitment(city=poznan, text="Far away", made_on=date.today(),
                                     follow_up="Later task", due_on=date.today() + timedelta(days=300)))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Send the invitation" in page and "overdue" in page and "Later task" not in page


# Query counts ------------------------------------------------------------------------------------------------

def count_requests(client, url: str) -> int:
    db.session.expire_all()
    with counted_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_dossier_list_and_dashboard_need_the_same_number_of_queries_for_3_or_30_visits(client, poznan):
    sign_in(client, "planner")
    make_city(name="Hiroshima", country_code="JP", since=date(1983, 5, 27))
    add_visits(poznan, 3)
    urls = (f"/partners/{poznan.id}", "/partners/", "/")
    few = [count_requests(client, url) for url in urls]
    add_visits(poznan, 27, start=3)
    many = [count_requests(client, url) for url in urls]
    assert many == few, (few, many)


def test_the_gifts_table_says_which_way_each_gift_went_in_the_partners_name(client, poznan, english):
    sign_in(client, "viewer")
    for direction, article in ((GiftDirection.GIVEN, "Bildband"), (GiftDirection.RECEIVED, "Glasschale")):
        db.session.add(Gift(direction=direction, article=article, counterpart_organisation="Stadt Poznań",
                            given_on=date(2025, 6, 13), approval=GiftApproval.NOT_REQUIRED,
                            fate=GiftFate.HANDED_OVER))
    db.session.commit()
    page = client.get(f"/partners/{poznan.id}").get_data(as_text=True)
    given, received = page.split("Bildband", 1)[0], page.split("Glasschale", 1)[0]
    assert given.rstrip().endswith("To Poznań</td>\n        <td class=\"kern-table__cell\">")
    assert received.rstrip().endswith("From Poznań</td>\n        <td class=\"kern-table__cell\">")


def test_partner_forms_refuse_a_post_without_the_csrf_token(csrf_app):
    from tests.accounts import make_account
    from tests.conftest import PASSWORD, csrf_token_from

    client = csrf_app.test_client()
    city = make_city()
    commitment = PartnerCommitment(city=city, text="Invite the youth band", made_on=date(2027, 5, 4))
    db.session.add(commitment)
    db.session.commit()
    user = make_account("planner", "csrf-partners@example.org")
    client.post("/login", data={"email": user.email, "password": PASSWORD,
                                "csrf_token": csrf_token_from(client.get("/login").get_data(as_text=True))})
    assert client.post(f"/partners/commitments/{commitment.id}/done").status_code == 400
    assert client.post(f"/partners/{city.id}/delete", data={"version": str(city.version)}).status_code == 400
    assert client.post("/partners/new", data={"name": "Rennes", "country_code": "FR", "kind": "twinning",
                                              "since": "2007-01-01"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(PartnerCity, city.id) is not None
    assert db.session.get(PartnerCommitment, commitment.id).status == CommitmentStatus.OPEN
