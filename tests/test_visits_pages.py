"""What the visit pages show: local times across DST changes and on tours, the list with search, filters
and pages, the dashboard's fourteen days, the demo data, and query counts that stay flat as data grows."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from delegations.constants import DelegationStatus, Direction, ItemStatus, Role
from delegations.extensions import db
from delegations.models import (ContactPerson, Delegation, Member, Principal, ProgrammeItem,
                                ProgrammeItemTranslation, User, Venue, VenueTravelTime, utc_now)
from tests.accounts import sign_in
from tests.factories import (berlin, make_contact, make_delegation, make_item, make_member, make_principal,
                             make_venue)

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def viewer(client):
    return sign_in(client, Role.VIEWER)


def timeline_times(html: str) -> list[str]:
    """The 'HH:MM–HH:MM' spans of the programme's items, in page order."""
    return re.findall(r'<span class="time">\s*(\d\d:\d\d–\d\d:\d\d)', html)


def day_headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", " ", heading).strip()
            for heading in re.findall(r'<h3 id="day-[^"]+"[^>]*>(.*?)</h3>', html, re.S)]


# Local times --------------------------------------------------------------------------------------

@pytest.mark.parametrize("before, after", [("2027-03-27", "2027-03-29"), ("2027-10-30", "2027-11-01")])
def test_ten_oclock_in_berlin_stays_ten_oclock_across_the_dst_change(client, viewer, before, after):
    visit = make_delegation(arrival_at=berlin(f"{before} 08:00"))
    visit.departure_at = berlin(f"{after} 18:00")
    first = make_item(visit, start=berlin(f"{before} 10:00"), title="Before the change")
    second = make_item(visit, start=berlin(f"{after} 10:00"), title="After the change")
    db.session.commit()
    assert second.starts_at - first.starts_at != timedelta(days=2)  # 47 or 49 hours apart in real time
    page = client.get(f"/delegations/{visit.id}").text
    assert timeline_times(page) == ["10:00–11:00", "10:00–11:00"]
    assert len(day_headings(page)) == 3  # the day of the change is shown too
    assert "CET" in page and "CEST" in page
    edit = client.get(f"/delegations/{visit.id}/items/{second.id}/edit")
    assert edit.status_code == 403  # a viewer; the times on the dashboard are checked below


def test_item_form_shows_the_same_wall_clock_on_both_sides_of_the_change(client):
    sign_in(client, Role.PLANNER)
    visit = make_delegation(arrival_at=berlin("2027-10-30 08:00"))
    items = [make_item(visit, start=berlin(f"2027-{day} 10:00")) for day in ("10-30", "11-01")]
    db.session.commit()
    for item, day in zip(items, ("2027-10-30", "2027-11-01")):
        page = client.get(f"/delegations/{visit.id}/items/{item.id}/edit").text
        assert f'value="{day}T10:00"' in page


def test_tour_in_tokyo_shows_tokyo_times(client, viewer):
    tour = make_delegation(direction=Direction.OUTGOING, timezone="Asia/Tokyo", country_code="JP", city="Hiroshima",
                           arrival_at=datetime(2027, 10, 4, 8, 30, tzinfo=TOKYO))
    make_item(tour, start=datetime(2027, 10, 4, 8, 30, tzinfo=TOKYO), title="Arrival at Hiroshima Airport")
    make_item(tour, start=datetime(2027, 10, 5, 10, 0, tzinfo=TOKYO), minutes=90, title="Reception by the Mayor")
    db.session.commit()
    page = client.get(f"/delegations/{tour.id}").text
    assert timeline_times(page) == ["08:30–09:30", "10:00–11:30"]  # 01:30 and 03:00 in Berlin: not shown
    assert "All times are local times of the place (Asia/Tokyo)" in page
    assert "JST" in page
    headings = day_headings(page)
    assert headings[0].startswith("Monday, October 4, 2027")  # 08:30 JST is still Sunday in Berlin


def test_dashboard_shows_each_item_in_the_local_time_of_its_place(client, viewer):
    now = utc_now()
    day = (now + timedelta(days=3)).astimezone(TOKYO).date()
    tour = make_delegation(direction=Direction.OUTGOING, timezone="Asia/Tokyo",
                           arrival_at=datetime.combine(day, datetime.min.time(), TOKYO) + timedelta(hours=8))
    make_item(tour, start=datetime.combine(day, datetime.min.time(), TOKYO) + timedelta(hours=10), title="Tokyo item")
    db.session.commit()
    page = client.get("/").text
    assert re.search(r"10:00–11:00 JST", page)


# The list -----------------------------------------------------------------------------------------

@pytest.fixture
def visits(app):
    lead = make_contact(name="Katrin Vogel")
    poznan = make_delegation(title="Partnerstadt Poznań", country_code="PL", city="Poznań",
                             arrival_at=berlin("2027-05-03 09:00"), status=DelegationStatus.CONFIRMED,
                             lead_contact_id=lead.id)
    make_member(poznan, name="Anna Wiśniewska")
    shenzhen = make_delegation(title="Wirtschaftsdelegation", country_code="CN", city="Shenzhen",
                               arrival_at=berlin("2027-06-09 09:00"), head_name="Wang Jianguo")
    hiroshima = make_delegation(title="Reise nach Hiroshima", direction=Direction.OUTGOING, country_code="JP",
                                city="Hiroshima", timezone="Asia/Tokyo", status=DelegationStatus.INQUIRY,
                                arrival_at=datetime(2027, 8, 2, 9, 0, tzinfo=TOKYO))
    db.session.commit()
    return {"poznan": poznan.title, "shenzhen": shenzhen.title, "hiroshima": hiroshima.title}


def titles(html: str) -> list[str]:
    return re.findall(r'<td class="kern-table__cell"><a class="kern-link" href="/delegations/\d+">([^<]+)</a>', html)


def test_list_shows_newest_first(client, viewer, visits):
    assert titles(client.get("/delegations/").text) == [visits["hiroshima"], visits["shenzhen"], visits["poznan"]]


@pytest.mark.parametrize("query, expected", [
    ("q=poznań", ["poznan"]),                 # title and place
    ("q=WIRTSCHAFT", ["shenzhen"]),          # any case
    ("q=China", ["shenzhen"]),               # country name in the page's language
    ("q=jp", ["hiroshima"]),                 # country code
    ("q=Wang", ["shenzhen"]),                # head of delegation
    ("q=Wiśniewska", ["poznan"]),            # a member
    ("q=Vogel", ["poznan"]),                 # the lead contact person
    ("q=nothing-like-this", []),
    ("direction=outgoing", ["hiroshima"]),
    ("status=confirmed", ["poznan"]),
    ("date_from=2027-06-01", ["hiroshima", "shenzhen"]),
    ("date_to=2027-05-31", ["poznan"]),
    ("date_from=2027-05-05&date_to=2027-05-05", ["poznan"]),  # still there on that day
    ("direction=incoming&status=planned", ["shenzhen"]),
])
def test_search_and_filters(client, viewer, visits, query, expected):
    page = client.get(f"/delegations/?{query}").text
    assert titles(page) == [visits[key] for key in expected]


def test_search_treats_wildcards_as_text(client, viewer, visits):
    assert titles(client.get("/delegations/?q=%25").text) == []
    assert titles(client.get("/delegations/?q=_").text) == []


def test_bad_filter_values_are_ignored_not_fatal(client, viewer, visits):
    response = client.get("/delegations/?direction=sideways&status=lost&date_from=yesterday&page=abc")
    assert response.status_code == 200
    assert len(titles(response.text)) == 3


def test_list_is_paginated_and_pages_keep_the_filters(app, client, viewer):
    for number in range(45):
        make_delegation(title=f"Besuch {number:02d}", arrival_at=berlin("2027-01-04 09:00") + timedelta(days=number))
    make_delegation(title="Ausreißer", direction=Direction.OUTGOING, arrival_at=berlin("2027-01-01 09:00"))
    db.session.commit()
    first = client.get("/delegations/?direction=incoming").text
    assert "45 visits found" in first
    assert titles(first)[:2] == ["Besuch 44", "Besuch 43"] and len(titles(first)) == app.config["PAGE_SIZE"]
    assert 'href="/delegations/?page=2&amp;direction=incoming"' in first or \
        'href="/delegations/?direction=incoming&amp;page=2"' in first
    third = client.get("/delegations/?direction=incoming&page=3").text
    assert titles(third) == [f"Besuch {number:02d}" for number in range(4, -1, -1)]
    assert client.get("/delegations/?page=99").status_code == 200


# The dashboard --------------------------------------------------------------------------------------

def test_dashboard_shows_the_next_fourteen_days_only(client, viewer):
    now = utc_now()
    soon = make_delegation(title="Soon", arrival_at=now + timedelta(days=2))
    under_way = make_delegation(title="Under way", arrival_at=now - timedelta(days=1))
    make_delegation(title="Later", arrival_at=now + timedelta(days=15))
    make_delegation(title="Finished visit", arrival_at=now - timedelta(days=10))
    make_item(soon, start=soon.arrival_at + timedelta(hours=1), title="Item tomorrow-ish")
    make_item(under_way, start=now + timedelta(hours=1), title="Item in an hour")
    make_item(under_way, start=now - timedelta(hours=3), title="Item this morning")
    long_visit = make_delegation(title="Long stay", arrival_at=now + timedelta(days=10))
    long_visit.departure_at = now + timedelta(days=20)
    make_item(long_visit, start=now + timedelta(days=13, hours=20), title="Item on day 14")
    make_item(long_visit, start=now + timedelta(days=14, hours=2), title="Item on day 15")
    db.session.commit()
    page = client.get("/").text
    for shown in ("Soon", "Under way", "Long stay", "Item tomorrow-ish", "Item in an hour", "Item on day 14"):
        assert shown in page, shown
    for hidden in ("Later", "Finished visit", "Item this morning", "Item on day 15"):
        assert hidden not in page, hidden


def test_a_busy_fortnight_shows_the_first_fifty_items_and_says_how_many_follow(client, viewer):
    now = utc_now()
    busy = make_delegation(title="Busy visit", arrival_at=now + timedelta(hours=1))
    for number in range(60):
        make_item(busy, start=now + timedelta(hours=2 + number), title=f"Item {number:02d}")
    db.session.commit()
    page = client.get("/").text
    assert "Item 00" in page and "Item 49" in page and "Item 50" not in page
    assert "The next 50 of 60 items in the next 14 days" in page


def test_empty_dashboard_says_so(client, viewer):
    page = client.get("/").text
    assert "No visits or tours in the next 14 days." in page


# Demo data ------------------------------------------------------------------------------------------

MODELS = (User, ContactPerson, Venue, VenueTravelTime, Principal, Delegation, Member, ProgrammeItem,
          ProgrammeItemTranslation)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in MODELS}


def test_demo_command_is_idempotent(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "planner@example.org" in first.output and "Demo-Planner-2026" in first.output
    after_first = counts()
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    db.session.expire_all()
    assert counts() == after_first
    assert after_first["Delegation"] >= 3 and after_first["ProgrammeItem"] >= 10


def test_demo_data_has_what_the_issue_promises(runner):
    runner.invoke(args=["demo"])
    visits = {visit.title: visit for visit in db.session.scalars(select(Delegation))}
    partner = next(visit for visit in visits.values() if visit.is_partner_city and not visit.is_outgoing)
    assert len({item.starts_at.astimezone(partner.zone).date() for item in partner.items}) == 3
    assert any(visit.country_code == "CN" for visit in visits.values())
    tour = next(visit for visit in visits.values() if visit.is_outgoing)
    assert tour.country_code == "JP" and tour.timezone == "Asia/Tokyo"
    assert db.session.scalar(select(func.count()).select_from(ContactPerson)) >= 3
    assert db.session.scalar(select(func.count()).select_from(Venue)) >= 3


# Query counts ---------------------------------------------------------------------------------------

@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def fill(size: int) -> Delegation:
    """A visit with `size` items and members (venues, people, translations) and `size` other visits."""
    now = utc_now()
    mayor = make_principal()
    contacts = [make_contact() for _ in range(3)]
    venues = [make_venue() for _ in range(3)]
    visit = make_delegation(arrival_at=now - timedelta(hours=1), lead_contact_id=contacts[0].id,
                            deputy_contact_id=contacts[1].id)
    visit.departure_at = now + timedelta(days=12)
    for number in range(size):
        item = make_item(visit, start=now + timedelta(hours=3 * number + 1), venue=venues[number % 3],
                         responsible=contacts[number % 3], principal=mayor if number % 2 else None,
                         status=ItemStatus.CANCELLED if number % 7 == 0 else ItemStatus.CONFIRMED)
        item.translations.append(ProgrammeItemTranslation(language="en", title=f"Item {number}"))
        make_member(visit, dietary_needs="vegetarisch" if number % 2 else "")
    for number in range(size):
        # Every other visit uses the same venue at the same time: conflicts exist at any size.
        other = make_delegation(arrival_at=now + timedelta(days=1, minutes=number), lead_contact_id=contacts[2].id)
        make_item(other, start=now + timedelta(days=2), venue=venues[0])
        make_member(other)
    db.session.commit()
    return visit


def queries_per_page(client, visit_id: int) -> dict[str, int]:
    found = {}
    for name, url in (("dashboard", "/"), ("list", "/delegations/"), ("list search", "/delegations/?q=Delegation"),
                      ("detail", f"/delegations/{visit_id}")):
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        found[name] = len(statements)
    return found


def test_page_query_counts_stay_flat_as_data_grows(app, client):
    sign_in(client, Role.PLANNER)
    small = queries_per_page(client, fill(5).id)
    db.session.remove()
    from tests.conftest import _empty_tables

    _empty_tables(app)
    sign_in(client, Role.PLANNER, email="planner2@example.org")
    large = queries_per_page(client, fill(50).id)
    assert small == large
