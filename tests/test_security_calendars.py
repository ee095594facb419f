"""Calendars can't be forged or used to attack: line breaks in any text cannot start a property in a feed or a
one-off .ics; imported text is plain text on every page; enormous or deeply nested files are refused by the
limits the settings give, with a message, and nothing is imported halfway."""
from __future__ import annotations

import io
import re
import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from delegations.calendars import operations
from delegations.calendars.reader import CalendarError, ReadLimits, read_calendar
from delegations.constants import Role
from delegations.extensions import db
from delegations.feeds import tokens
from delegations.models import BusyBlock, FeedDetail, FeedScope, utc_now
from delegations.protocol.feeds import tasks_calendar
from tests.accounts import sign_in
from tests.factories import make_delegation, make_item, make_principal, make_venue

UTC = timezone.utc
BREAKS = ["\r\n", "\n", "\r", "\u2028", "\x0b", "\x0c", "\x85"]
FORGED = ("ATTENDEE", "ORGANIZER", "BEGIN:", "END:", "RRULE", "DTSTART", "URL", "ATTACH", "METHOD")


def physical_lines(body: bytes) -> list[str]:
    """Split on every kind of line break a lenient client might honour (not only CRLF)."""
    return re.split(r"\r\n|\n|\r", body.decode("utf-8"))


def assert_not_forged(body: bytes, begins: int) -> None:
    lines = physical_lines(body)
    for line in lines:
        if "evil" in line:
            assert not line.startswith(FORGED), line
    assert sum(line == "BEGIN:VEVENT" for line in lines) == begins


@pytest.fixture
def hostile(app):
    mayor = make_principal(name="Belit Onay")
    venue = make_venue(name="Town Hall\r\nATTENDEE:mailto:evil@example.org", room="Hall\nORGANIZER:mailto:evil@example.org",
                       address="Trammplatz 2\rURL:https://evil.example.org/")
    visit = make_delegation(title="Visit\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil forged event",
                            arrival_at=utc_now() + timedelta(days=20))
    items = [make_item(visit, principal=mayor, venue=venue,
                       title=f"Lunch{line_break}ATTENDEE:mailto:evil@example.org",
                       description=f"Menu{line_break}ATTACH:file:///etc/evil",
                       internal_note=f"x{line_break}END:VEVENT{line_break}BEGIN:VEVENT{line_break}SUMMARY:evil")
             for line_break in BREAKS]
    db.session.commit()
    return SimpleNamespace(mayor=mayor, visit=visit, items=items)


@pytest.mark.parametrize("scope", ["all", "principal", "delegation"])
@pytest.mark.parametrize("detail", [FeedDetail.INTERNAL, FeedDetail.PUBLIC])
def test_no_text_in_a_feed_can_start_a_property(client, hostile, scope, detail):
    scopes = {"all": (FeedScope.ALL, None), "principal": (FeedScope.PRINCIPAL, hostile.mayor.id),
              "delegation": (FeedScope.DELEGATION, hostile.visit.id)}
    issued = tokens.issue_feed(*scopes[scope], detail, "Feed\r\nX-EVIL:evil", locale="en")
    db.session.commit()
    response = client.get(f"/feeds/{issued.token}.ics")
    assert response.status_code == 200
    visit_event = 0 if scope == "principal" else 1  # the visit itself, as an all-day event
    assert_not_forged(response.data, len(BREAKS) + visit_event)
    assert b"X-EVIL" not in response.data.replace(b"\\nX-EVIL", b"")


def test_no_text_in_a_one_off_download_can_start_a_property(client, hostile):
    sign_in(client, Role.VIEWER)
    response = client.get(f"/delegations/{hostile.visit.id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert_not_forged(response.data, len(BREAKS) + 1)
    assert "attachment" in response.headers["Content-Disposition"]
    assert "\r" not in response.headers["Content-Disposition"] and "\n" not in response.headers["Content-Disposition"]


def test_protocol_task_calendars_escape_line_breaks_too(app):
    with force_locale("en"):
        tasks = [SimpleNamespace(id=number, title=f"Flowers{line_break}ATTENDEE:mailto:evil@example.org",
                                 notes=f"n{line_break}END:VTODO", due_on=None, done_at=None, updated_at=None,
                                 version=1, delegation=None)
                 for number, line_break in enumerate(BREAKS)]
        body = tasks_calendar(tasks, "Name\r\nX-EVIL:evil", datetime(2027, 3, 1, tzinfo=UTC).date(), "example.org")
    for line in physical_lines(body):
        if "evil" in line.lower():
            assert not line.startswith((*FORGED, "X-EVIL")), line


# Imported calendars --------------------------------------------------------------------------------

NOW = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)
SETTINGS = operations.ImportSettings(home_zone="Europe/Berlin")
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>{{ config.SECRET_KEY }}"


def diary(*summaries: str, day: str = "20270316") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for number, summary in enumerate(summaries):
        lines += ["BEGIN:VEVENT", f"UID:event-{number}", "DTSTAMP:20270301T000000Z",
                  f"DTSTART;TZID=Europe/Berlin:{day}T{9 + number:02d}0000",
                  f"DTEND;TZID=Europe/Berlin:{day}T{9 + number:02d}3000", f"SUMMARY:{summary}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_imported_subjects_are_plain_text_on_every_page(client, app):
    app.config["SECRET_KEY"] = "do-not-show-this-key"
    mayor = make_principal(name="Belit Onay")
    operations.set_show_subjects(mayor, True)
    operations.import_calendar_data(mayor, diary(XSS), SETTINGS, now=NOW)
    db.session.commit()
    assert db.session.scalar(select(BusyBlock.subject)) == XSS  # stored as the text it is
    sign_in(client, Role.VIEWER)
    pages = {"principal": client.get(f"/principals/{mayor.id}"),
             "principal's week": client.get(f"/principals/{mayor.id}/week?day=2027-03-16"),
             "printed week page": client.get("/printing/week?week=2027-W11")}
    for name, page in pages.items():
        assert page.status_code == 200, name
        assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text, name
        assert "do-not-show-this-key" not in page.text, name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["principal's week"].text
    assert "{{ config.SECRET_KEY }}" in pages["principal's week"].text


@pytest.mark.parametrize("setting, value, data, words", [
    ("CALENDAR_MAX_BYTES", 300, diary("a", "b", "c"), "too large"),
    ("CALENDAR_MAX_EVENTS", 2, diary("a", "b", "c"), "more than 2 events"),
    ("CALENDAR_MAX_DEPTH", 3, diary("a").replace(b"END:VEVENT", b"BEGIN:VALARM\r\nBEGIN:X-A\r\nEND:X-A\r\n"
                                                                b"END:VALARM\r\nEND:VEVENT"), "nested more than 3 deep"),
    ("CALENDAR_MAX_OCCURRENCES", 50, diary("a").replace(b"SUMMARY", b"RRULE:FREQ=HOURLY\r\nSUMMARY"), "more than 50"),
])
def test_every_limit_is_a_setting_and_a_refusal_keeps_the_previous_import(client, app, setting, value, data, words):
    mayor = make_principal()
    operations.import_calendar_data(mayor, diary("kept"), SETTINGS, now=NOW)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(BusyBlock))
    app.config[setting] = value
    sign_in(client, Role.PLANNER)
    response = client.post(f"/principals/{mayor.id}/calendar/upload",
                           data={"calendar_file": (io.BytesIO(data), "diary.ics")}, content_type="multipart/form-data",
                           follow_redirects=True)
    assert response.status_code in (200, 400)
    assert words in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(BusyBlock)) == before


def test_a_file_nested_ten_thousand_deep_is_refused_quickly():
    data = ("BEGIN:VCALENDAR\r\n" + "BEGIN:X-NEST\r\n" * 10_000 + "END:X-NEST\r\n" * 10_000 + "END:VCALENDAR\r\n").encode()
    started = time.perf_counter()
    with pytest.raises(CalendarError, match="nested more than"):
        read_calendar(data, NOW, NOW + timedelta(days=30))
    assert time.perf_counter() - started < 2


def test_many_events_are_counted_before_they_are_parsed():
    data = diary(*["x"] * 30)
    started = time.perf_counter()
    with pytest.raises(CalendarError, match="more than 20 events"):
        read_calendar(data, NOW, NOW + timedelta(days=30), limits=ReadLimits(max_events=20))
    assert time.perf_counter() - started < 1


def test_an_endless_series_is_cut_off_by_the_occurrence_limit():
    data = diary("x").replace(b"SUMMARY", b"RRULE:FREQ=MINUTELY\r\nSUMMARY")
    started = time.perf_counter()
    with pytest.raises(CalendarError):
        read_calendar(data, NOW, NOW + timedelta(days=400), limits=ReadLimits(max_occurrences=10_000))
    assert time.perf_counter() - started < 10
