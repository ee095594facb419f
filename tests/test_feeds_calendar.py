"""What a calendar feed says: every feed parsed back by icalendar and by the strict `ical` parser; stable UIDs,
rising SEQUENCE, cancellations kept for 30 days, real zones on both sides of DST and in Tokyo, all-day
visits, escaping that no line break can break, non-Latin text, folding at 75 octets, public detail."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask_babel import force_locale
from ical.calendar_stream import IcsCalendarStream

from delegations.constants import DelegationStatus, Direction, ItemStatus, PrincipalKind
from delegations.extensions import db
from delegations.feeds.calendar import CalendarOptions, clean_text
from delegations.feeds.exporters import EXPORTERS, FeedPolicy, exporter
from delegations.models import ProgrammeItem
from delegations.zones import attach_zone
from tests.factories import berlin, make_contact, make_delegation, make_item, make_principal, make_venue

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)
POLICY = FeedPolicy(uid_domain="planner.test")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
BASE = "https://planner.example.org"


def tokyo(text: str) -> datetime:
    return attach_zone(datetime.fromisoformat(text), "Asia/Tokyo")


def options(internal: bool = True, subscription: bool = True, name: str = "Test feed") -> CalendarOptions:
    return CalendarOptions(
        name=name, internal=internal, uid_domain=POLICY.uid_domain, locale="en",
        refresh=POLICY.refresh if subscription else None,
        item_url=lambda item: f"{BASE}/delegations/{item.delegation_id}#item-{item.id}",
        visit_url=lambda delegation: f"{BASE}/delegations/{delegation.id}")


def render(identifier: str, target_id: int | None = None, internal: bool = True, now: datetime = NOW) -> bytes:
    feed_exporter = exporter(identifier)
    with force_locale("en"):
        return feed_exporter.render(target_id, options(internal, feed_exporter.subscription), now, POLICY)


def parse_both(body: bytes) -> icalendar.Calendar:
    """Parse with the strict `ical` package (it raises on what it refuses) and with icalendar; both must agree."""
    text = body.decode("utf-8")
    strict = IcsCalendarStream.calendar_from_ics(text)
    calendar = icalendar.Calendar.from_ical(body)
    lenient_events = calendar.walk("VEVENT")
    assert sorted(event.uid for event in strict.events) == sorted(str(event["UID"]) for event in lenient_events)
    for strict_event in strict.events:
        lenient = next(event for event in lenient_events if str(event["UID"]) == strict_event.uid)
        assert strict_event.summary == str(lenient["SUMMARY"])
        assert strict_event.dtstart == lenient.decoded("DTSTART")
        assert strict_event.dtend == lenient.decoded("DTEND")
    return calendar


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(item: ProgrammeItem) -> str:
    return f"item-{item.id}@planner.test"


def unfolded_lines(body: bytes) -> list[str]:
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")


@pytest.fixture
def mayor(app):
    return make_principal(name="Belit Onay", title="Oberbürgermeister", kind=PrincipalKind.MAYOR)


@pytest.fixture
def deputy(app):
    return make_principal(name="Monica Plate", title="Bürgermeisterin", kind=PrincipalKind.DEPUTY_MAYOR)


# The calendar as a whole ---------------------------------------------------------------------------

def test_mayor_feed_holds_every_item_with_the_mayor_across_delegations_and_tours(app, mayor, deputy):
    visit = make_delegation(title="Partner city Poznań", arrival_at=berlin("2027-05-03 09:00"))
    tour = make_delegation(title="Tour to Hiroshima", direction=Direction.OUTGOING, country_code="JP",
                           city="Hiroshima", timezone="Asia/Tokyo", arrival_at=tokyo("2027-04-10 08:00"))
    reception = make_item(visit, berlin("2027-05-03 11:00"), principal=mayor, title="Reception")
    make_item(visit, berlin("2027-05-03 14:00"), principal=deputy, title="Deputy's meeting")
    make_item(visit, berlin("2027-05-04 10:00"), title="Bus tour")
    memorial = make_item(tour, tokyo("2027-04-11 10:00"), principal=mayor, title="Peace Memorial")
    db.session.commit()

    body = render("principal", mayor.id)
    calendar = parse_both(body)

    assert set(events(calendar)) == {uid(reception), uid(memorial)}
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Test feed"
    lines = unfolded_lines(body)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT15M" in lines
    assert "X-PUBLISHED-TTL:PT15M" in lines
    assert [timezone_component.tz_name for timezone_component in calendar.timezones] == ["Asia/Tokyo", "Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_every_zone_used_gets_a_vtimezone_before_the_events(app, mayor):
    tour = make_delegation(direction=Direction.OUTGOING, timezone="Asia/Tokyo", arrival_at=tokyo("2027-04-10 08:00"))
    make_item(tour, tokyo("2027-04-11 10:00"), principal=mayor)
    db.session.commit()

    body = render("principal", mayor.id).decode()

    assert body.index("BEGIN:VTIMEZONE") < body.index("BEGIN:VEVENT")
    assert "TZID:Asia/Tokyo" in body and "TZOFFSETTO:+0900" in body
    assert "TZID:Europe/Berlin" not in body  # only the zones used


def test_output_depends_only_on_the_data(app, mayor):
    visit = make_delegation()
    make_item(visit, principal=mayor)
    db.session.commit()

    assert render("principal", mayor.id) == render("principal", mayor.id)


# Time zones -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("wall_clock, offset", [
    ("2027-03-27 10:00", timedelta(hours=1)),   # Saturday before the spring change: CET
    ("2027-03-29 10:00", timedelta(hours=2)),   # Monday after: CEST
    ("2027-10-30 10:00", timedelta(hours=2)),   # Saturday before the autumn change: CEST
    ("2027-11-01 10:00", timedelta(hours=1)),   # Monday after: CET
])
def test_berlin_times_keep_their_offset_on_both_sides_of_a_dst_change(app, mayor, wall_clock, offset):
    start = berlin(wall_clock)
    visit = make_delegation(arrival_at=start - timedelta(days=1))
    item = make_item(visit, start, principal=mayor)
    db.session.commit()

    body = render("principal", mayor.id)
    event = events(parse_both(body))[uid(item)]

    local = datetime.fromisoformat(wall_clock)
    assert f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%dT%H%M%S}" in unfolded_lines(body)
    assert event.decoded("DTSTART").utcoffset() == offset
    assert event.decoded("DTSTART").astimezone(timezone.utc) == item.starts_at
    strict = next(e for e in IcsCalendarStream.calendar_from_ics(body.decode()).events if e.uid == uid(item))
    assert strict.dtstart.utcoffset() == offset
    assert strict.dtstart.astimezone(timezone.utc) == item.starts_at


def test_an_item_across_the_spring_change_lasts_its_real_duration(app, mayor):
    start = berlin("2027-03-28 01:00")  # clocks jump from 02:00 to 03:00
    visit = make_delegation(arrival_at=start - timedelta(days=1))
    item = make_item(visit, start, minutes=120, principal=mayor)
    db.session.commit()

    body = render("principal", mayor.id)
    event = events(parse_both(body))[uid(item)]

    assert "DTEND;TZID=Europe/Berlin:20270328T040000" in unfolded_lines(body)
    # (Python subtracts wall clocks within one zone: compare instants.)
    assert event.decoded("DTEND").astimezone(timezone.utc) - event.decoded("DTSTART").astimezone(timezone.utc) \
        == timedelta(hours=2)
    strict = IcsCalendarStream.calendar_from_ics(body.decode()).events[0]
    assert strict.dtend.astimezone(timezone.utc) - strict.dtstart.astimezone(timezone.utc) == timedelta(hours=2)


def test_tour_items_are_in_tokyo_time(app, mayor):
    tour = make_delegation(direction=Direction.OUTGOING, country_code="JP", city="Hiroshima",
                           timezone="Asia/Tokyo", arrival_at=tokyo("2027-04-10 08:00"))
    item = make_item(tour, tokyo("2027-04-12 10:00"), principal=mayor)
    db.session.commit()

    body = render("principal", mayor.id)
    event = events(parse_both(body))[uid(item)]

    assert "DTSTART;TZID=Asia/Tokyo:20270412T100000" in unfolded_lines(body)
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=9)
    assert event.decoded("DTSTART").astimezone(timezone.utc) == datetime(2027, 4, 12, 1, 0, tzinfo=timezone.utc)


# Visits as all-day events ------------------------------------------------------------------------

def test_visits_are_all_day_events_on_the_dates_of_the_place(app):
    visit = make_delegation(title="Poznań", arrival_at=berlin("2027-05-03 09:00"))
    visit.departure_at = berlin("2027-05-06 17:00")
    # Arrives 08:00 in Tokyo, which is still the 9th in UTC and in Berlin: the place's date counts.
    tour = make_delegation(title="Hiroshima", direction=Direction.OUTGOING, timezone="Asia/Tokyo",
                           arrival_at=tokyo("2027-04-10 08:00"))
    tour.departure_at = tokyo("2027-04-14 06:00")
    item = make_item(visit, berlin("2027-05-04 10:00"))
    db.session.commit()

    body = render("all")
    found = events(parse_both(body))
    lines = unfolded_lines(body)

    visit_event, tour_event = found[f"visit-{visit.id}@planner.test"], found[f"visit-{tour.id}@planner.test"]
    assert uid(item) in found
    assert "DTSTART;VALUE=DATE:20270503" in lines and "DTEND;VALUE=DATE:20270507" in lines
    assert (visit_event.decoded("DTSTART"), visit_event.decoded("DTEND")) == (date(2027, 5, 3), date(2027, 5, 7))
    assert (tour_event.decoded("DTSTART"), tour_event.decoded("DTEND")) == (date(2027, 4, 10), date(2027, 4, 15))
    assert str(visit_event["TRANSP"]) == "TRANSPARENT"


def test_delegation_feed_carries_its_programme_and_the_visit(app):
    visit = make_delegation(title="Poznań")
    other = make_delegation(title="Other")
    items = [make_item(visit, visit.arrival_at + timedelta(hours=hours)) for hours in (2, 5)]
    make_item(other)
    db.session.commit()

    found = events(parse_both(render("delegation", visit.id)))

    assert set(found) == {uid(items[0]), uid(items[1]), f"visit-{visit.id}@planner.test"}


def test_person_feed_carries_the_items_and_visits_they_are_responsible_for(app):
    anna, ben = make_contact(name="Anna"), make_contact(name="Ben")
    led = make_delegation(title="Led by Anna", lead_contact_id=anna.id)
    deputised = make_delegation(title="Anna deputises", deputy_contact_id=anna.id, lead_contact_id=ben.id)
    hers = make_item(deputised, responsible=anna)
    make_item(led, responsible=ben)
    db.session.commit()

    found = events(parse_both(render("person", anna.id)))

    assert set(found) == {uid(hers), f"visit-{led.id}@planner.test", f"visit-{deputised.id}@planner.test"}


# Changes -------------------------------------------------------------------------------------------

def test_uid_stays_while_sequence_and_last_modified_rise_with_each_edit(app, mayor):
    visit = make_delegation()
    item = make_item(visit, principal=mayor, title="Lunch")
    db.session.commit()
    first = events(parse_both(render("principal", mayor.id)))[uid(item)]

    # LAST-MODIFIED has whole seconds: the edits come a minute apart, as people make them.
    item.title = "Lunch at the Town Hall"
    item.updated_at = item.updated_at + timedelta(minutes=1)
    db.session.commit()
    second = events(parse_both(render("principal", mayor.id)))[uid(item)]
    item.starts_at += timedelta(hours=1)
    item.ends_at += timedelta(hours=1)
    item.updated_at = item.updated_at + timedelta(minutes=1)
    db.session.commit()
    third = events(parse_both(render("principal", mayor.id)))[uid(item)]

    assert first["SEQUENCE"] < second["SEQUENCE"] < third["SEQUENCE"]
    assert first.decoded("LAST-MODIFIED") < second.decoded("LAST-MODIFIED") < third.decoded("LAST-MODIFIED")
    assert str(third["SUMMARY"]) == "Lunch at the Town Hall"


def test_editing_the_visit_raises_the_sequence_of_its_items(app, mayor):
    visit = make_delegation(title="Poznań")
    item = make_item(visit, principal=mayor)
    db.session.commit()
    before = events(parse_both(render("principal", mayor.id)))[uid(item)]["SEQUENCE"]

    visit.title = "Poznań (city council)"
    db.session.commit()

    assert events(parse_both(render("principal", mayor.id)))[uid(item)]["SEQUENCE"] > before


def test_a_cancelled_item_stays_marked_for_30_days_then_goes(app, mayor):
    visit = make_delegation(arrival_at=berlin("2027-05-03 09:00"))
    item = make_item(visit, principal=mayor, title="Boat trip")
    db.session.commit()

    item.status = ItemStatus.CANCELLED
    db.session.commit()
    cancelled_at = item.cancelled_at
    assert cancelled_at is not None

    event = events(parse_both(render("principal", mayor.id, now=cancelled_at + timedelta(days=29))))[uid(item)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "Boat trip" in str(event["SUMMARY"]) and str(event["SUMMARY"]) != "Boat trip"
    assert uid(item) not in events(parse_both(render("principal", mayor.id, now=cancelled_at + timedelta(days=31))))


def test_reinstating_an_item_clears_its_cancellation(app, mayor):
    item = make_item(make_delegation(), principal=mayor, status=ItemStatus.CANCELLED)
    db.session.commit()
    assert item.cancelled_at is not None

    item.status = ItemStatus.CONFIRMED
    db.session.commit()

    assert item.cancelled_at is None
    event = events(parse_both(render("principal", mayor.id, now=item.updated_at + timedelta(days=60))))[uid(item)]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_editing_a_cancelled_item_does_not_restart_its_30_days(app, mayor):
    item = make_item(make_delegation(), principal=mayor, status=ItemStatus.CANCELLED)
    db.session.commit()
    cancelled_at = item.cancelled_at

    item.status = ItemStatus.CANCELLED
    item.title = "Renamed after cancelling"
    db.session.commit()

    assert item.cancelled_at == cancelled_at


def test_cancelling_the_visit_cancels_its_items_in_the_feed(app, mayor):
    visit = make_delegation()
    item = make_item(visit, principal=mayor)
    db.session.commit()

    visit.status = DelegationStatus.CANCELLED
    db.session.commit()

    event = events(parse_both(render("principal", mayor.id, now=visit.cancelled_at + timedelta(days=1))))[uid(item)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert uid(item) not in events(parse_both(render("principal", mayor.id, now=visit.cancelled_at + timedelta(days=31))))


def test_a_deleted_item_disappears(app, mayor):
    visit = make_delegation()
    kept, deleted = make_item(visit, principal=mayor), make_item(visit, principal=mayor)
    db.session.commit()
    deleted_uid = uid(deleted)

    db.session.delete(deleted)
    db.session.commit()

    assert set(events(parse_both(render("principal", mayor.id)))) == {uid(kept)}
    assert deleted_uid not in render("principal", mayor.id).decode()


def test_items_long_past_leave_subscriptions(app, mayor):
    visit = make_delegation(arrival_at=berlin("2026-05-03 09:00"))
    make_item(visit, principal=mayor)
    db.session.commit()

    assert events(parse_both(render("principal", mayor.id, now=datetime(2026, 6, 1, tzinfo=timezone.utc))))
    assert not events(parse_both(render("principal", mayor.id, now=datetime(2027, 6, 1, tzinfo=timezone.utc))))


def test_tentative_and_confirmed_items_say_so(app, mayor):
    visit = make_delegation()
    tentative = make_item(visit, principal=mayor, status=ItemStatus.TENTATIVE)
    confirmed = make_item(visit, principal=mayor, status=ItemStatus.CONFIRMED)
    db.session.commit()

    found = events(parse_both(render("principal", mayor.id)))

    assert str(found[uid(tentative)]["STATUS"]) == "TENTATIVE"
    assert str(found[uid(confirmed)]["STATUS"]) == "CONFIRMED"
    assert str(found[uid(confirmed)]["TRANSP"]) == "OPAQUE"


# Text ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r"])
def test_a_line_break_in_a_title_cannot_start_a_new_property(app, mayor, line_break):
    visit = make_delegation()
    item = make_item(visit, principal=mayor, title=f"Lunch{line_break}ATTENDEE:mailto:evil@example.org",
                     description=f"Menu{line_break}ORGANIZER:mailto:evil@example.org",
                     internal_note=f"x{line_break}END:VEVENT{line_break}BEGIN:VEVENT")
    db.session.commit()

    body = render("principal", mayor.id)
    calendar = parse_both(body)
    event = events(calendar)[uid(item)]

    assert not any(line.startswith(("ATTENDEE", "ORGANIZER", "END:VEVENT\r", "BEGIN:VEVENT\r"))
                   for line in unfolded_lines(body) if "evil" in line)
    assert unfolded_lines(body).count("BEGIN:VEVENT") == 1
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert str(event["SUMMARY"]) == "Lunch\nATTENDEE:mailto:evil@example.org"
    strict = IcsCalendarStream.calendar_from_ics(body.decode()).events
    assert len(strict) == 1 and not strict[0].attendees and strict[0].organizer is None


def test_commas_semicolons_and_backslashes_are_escaped(app, mayor):
    venue = make_venue(name="Town Hall; Hodler hall", room="Room 1, 2nd floor", address="Trammplatz 2\n30159 Hannover")
    item = make_item(make_delegation(), principal=mayor, venue=venue, title="Talks, lunch; signing \\ photo",
                     description="Bring: passport, gifts; C:\\path")
    db.session.commit()

    body = render("principal", mayor.id)
    event = events(parse_both(body))[uid(item)]
    lines = unfolded_lines(body)

    assert "SUMMARY:Talks\\, lunch\\; signing \\\\ photo" in lines
    assert str(event["SUMMARY"]) == "Talks, lunch; signing \\ photo"
    assert str(event["LOCATION"]) == "Town Hall; Hodler hall, Room 1, 2nd floor, Trammplatz 2, 30159 Hannover"
    assert str(event["DESCRIPTION"]).startswith("Bring: passport, gifts; C:\\path")


def test_control_characters_are_dropped():
    assert clean_text("a\x00b\x07c\td\x0be\r\nf") == "abc\tde\nf"


def test_chinese_russian_and_turkish_text_survive_both_parsers(app, mayor):
    titles = ["欢迎宴会：汉诺威市长会见深圳代表团", "Приём у обер-бургомистра, Новая ратуша",
              "Büyükşehir Belediye Başkanı ile görüşme; İstanbul, Şişli, Çağlayan"]
    visit = make_delegation()
    items = [make_item(visit, visit.arrival_at + timedelta(hours=index + 1), principal=mayor, title=title,
                       description=title * 3) for index, title in enumerate(titles)]
    db.session.commit()

    body = render("principal", mayor.id)
    found = events(parse_both(body))
    strict = {event.uid: event for event in IcsCalendarStream.calendar_from_ics(body.decode("utf-8")).events}

    for item, title in zip(items, titles):
        assert str(found[uid(item)]["SUMMARY"]) == title
        assert strict[uid(item)].summary == title
        assert strict[uid(item)].description.startswith(title * 3)


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character(app, mayor):
    title = "汉诺威市长欢迎来自中国的代表团并共进午餐" * 4 + " Приём и обед в Новой ратуше"
    item = make_item(make_delegation(), principal=mayor, title=title, description="Ğüşİöç " * 40)
    db.session.commit()

    body = render("principal", mayor.id)

    physical = body.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here
    assert any(line.startswith(b" ") for line in physical)
    assert str(events(parse_both(body))[uid(item)]["SUMMARY"]) == title


# Detail levels -------------------------------------------------------------------------------------

SECRETS = ("SECRET-ITEM-NOTE", "SECRET-VENUE-NOTE", "SECRET-PARTICIPANTS", "SECRET-PERSON", "SECRET-VISIT-NOTE",
           "SECRET-HOTEL", "SECRET-LEAD", "planner.example.org")


@pytest.fixture
def data_with_secrets(app, mayor):
    person = make_contact(name="SECRET-PERSON", phone="+49 511 999")
    lead = make_contact(name="SECRET-LEAD")
    venue = make_venue(name="Old Town Hall", notes="SECRET-VENUE-NOTE")
    visit = make_delegation(title="Poznań", notes="SECRET-VISIT-NOTE", hotel="SECRET-HOTEL",
                            lead_contact_id=lead.id, purpose="Twinning anniversary")
    item = make_item(visit, principal=mayor, responsible=person, venue=venue, title="Reception",
                     description="Welcome by the Mayor", internal_note="SECRET-ITEM-NOTE",
                     city_participants="SECRET-PARTICIPANTS", dress_code="Business")
    db.session.commit()
    return {"principal": mayor.id, "person": person.id, "delegation": visit.id, "all": None,
            "delegation-download": visit.id, "item-download": item.id, "lead": lead.id}


@pytest.mark.parametrize("identifier", sorted(EXPORTERS))
def test_a_public_feed_never_contains_internal_notes_people_or_links(data_with_secrets, identifier):
    target = data_with_secrets["lead"] if identifier == "person" else data_with_secrets[identifier]

    body = render(identifier, target, internal=False)
    calendar = parse_both(body)

    assert events(calendar), "the feed should not be empty"
    for secret in SECRETS:
        assert secret not in body.decode()
    for event in events(calendar).values():
        assert "URL" not in event and "CONTACT" not in event


def test_a_public_feed_keeps_what_the_delegation_may_see(data_with_secrets):
    body = render("delegation", data_with_secrets["delegation"], internal=False).decode()

    for visible in ("Reception", "Welcome by the Mayor", "Old Town Hall", "Dress code: Business", "Belit Onay",
                    "Twinning anniversary"):
        assert visible in body.replace("\r\n ", "")


def test_an_internal_feed_has_notes_people_and_links_back(data_with_secrets):
    body = render("all", internal=True)
    text = body.decode().replace("\r\n ", "")
    item_id = data_with_secrets["item-download"]
    event = events(parse_both(body))[f"item-{item_id}@planner.test"]

    for secret in SECRETS:
        assert secret in text
    assert str(event["URL"]) == f"{BASE}/delegations/{data_with_secrets['delegation']}#item-{item_id}"
    assert "SECRET-PERSON" in str(event["CONTACT"])


# One-off downloads ----------------------------------------------------------------------------------

def test_a_delegation_download_leaves_out_cancelled_items_but_keeps_past_ones(app):
    visit = make_delegation(arrival_at=berlin("2025-05-03 09:00"))
    past = make_item(visit)
    cancelled = make_item(visit, status=ItemStatus.CANCELLED)
    db.session.commit()

    body = render("delegation-download", visit.id, now=datetime(2027, 1, 1, tzinfo=timezone.utc))
    found = events(parse_both(body))

    assert uid(past) in found and uid(cancelled) not in found
    assert b"REFRESH-INTERVAL" not in body  # a file, not a subscription


def test_an_item_download_holds_just_that_item(app):
    visit = make_delegation()
    item, _other = make_item(visit), make_item(visit)
    db.session.commit()

    assert set(events(parse_both(render("item-download", item.id)))) == {uid(item)}


# The fingerprint behind the ETag ------------------------------------------------------------------

def test_the_fingerprint_moves_when_a_cancellation_ages_out_of_the_feed(app, mayor):
    item = make_item(make_delegation(), principal=mayor, status=ItemStatus.CANCELLED)
    db.session.commit()
    principal_feed = exporter("principal")

    def fingerprint(days: int) -> str:
        return principal_feed.fingerprint(mayor.id, item.cancelled_at + timedelta(days=days), POLICY)

    assert fingerprint(1) == fingerprint(29)
    assert fingerprint(29) != fingerprint(31)


def test_the_fingerprint_includes_what_shapes_the_output_besides_the_data(app, mayor):
    make_item(make_delegation(), principal=mayor)
    db.session.commit()
    principal_feed = exporter("principal")

    internal = principal_feed.fingerprint(mayor.id, NOW, POLICY, "internal", "en")

    assert internal == principal_feed.fingerprint(mayor.id, NOW, POLICY, "internal", "en")
    assert internal != principal_feed.fingerprint(mayor.id, NOW, POLICY, "public", "en")
    assert internal != principal_feed.fingerprint(mayor.id, NOW, POLICY, "internal", "de")


def test_last_modified_always_moves_forward_in_whole_seconds():
    from delegations.feeds.tokens import next_change_time

    previous = datetime(2027, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert next_change_time(previous + timedelta(microseconds=400), previous) == previous + timedelta(seconds=1)
    assert next_change_time(previous + timedelta(minutes=5, microseconds=7), previous) == previous + timedelta(minutes=5)
    assert next_change_time(previous, None) == previous
