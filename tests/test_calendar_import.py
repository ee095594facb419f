"""Importing a principal's calendar into the database: idempotent, all-or-nothing, by upload, URL and command."""
from __future__ import annotations

import io
import threading
import time as clock
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from delegations.calendars import operations
from delegations.calendars.reader import CalendarError
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import BusyBlock, PrincipalCalendar
from delegations.models.calendars import CalendarSourceKind
from tests.accounts import sign_in
from tests.factories import make_principal

pytestmark = pytest.mark.usefixtures("english")

UTC = timezone.utc
NOW = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)
# The test servers listen on 127.0.0.1, which production settings refuse (see the last test).
SETTINGS = operations.ImportSettings(home_zone="Europe/Berlin", allow_private_addresses=True)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "calendars"


def diary(*events: tuple[str, str, str, str]) -> bytes:
    """A small Outlook-style calendar: (uid, start, end, summary) in Windows' name for Berlin's zone."""
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "VERSION:2.0"]
    for uid, start, end, summary in events:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20270301T000000Z",
                  f"DTSTART;TZID=W. Europe Standard Time:{start}", f"DTEND;TZID=W. Europe Standard Time:{end}",
                  f"SUMMARY:{summary}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


WEEK = diary(("council", "20270316T090000", "20270316T120000", "Council"),
             ("press", "20270317T140000", "20270317T150000", "Press conference"),
             ("lunch", "20270318T120000", "20270318T130000", "Lunch with the Governor"))
RECURRING = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:jour-fixe\r\nDTSTAMP:20270301T000000Z\r\n"
             b"DTSTART;TZID=Europe/Berlin:20270301T080000\r\nDTEND;TZID=Europe/Berlin:20270301T090000\r\n"
             b"RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=20\r\nSUMMARY:Jour fixe\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def blocks(principal) -> list[tuple[str, datetime, datetime, str]]:
    return [(block.key, block.starts_at, block.ends_at, block.subject) for block in db.session.scalars(
        select(BusyBlock).where(BusyBlock.principal_id == principal.id).order_by(BusyBlock.starts_at, BusyBlock.key))]


def test_reimport_is_idempotent_and_reports_what_changed(app):
    mayor = make_principal(name="Belit Onay")
    first = operations.import_calendar_data(mayor, WEEK + b"", SETTINGS, now=NOW)
    db.session.commit()
    assert (first.added, first.changed, first.removed, first.unchanged, first.events) == (3, 0, 0, 0, 3)
    stored = blocks(mayor)
    assert [row[1] for row in stored] == [datetime(2027, 3, 16, 8, tzinfo=UTC), datetime(2027, 3, 17, 13, tzinfo=UTC),
                                          datetime(2027, 3, 18, 11, tzinfo=UTC)]
    assert all(row[3] == "" for row in stored), "subjects are not kept unless the owner allows it"

    again = operations.import_calendar_data(mayor, WEEK, SETTINGS, now=NOW + timedelta(hours=3))
    db.session.commit()
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 3)
    assert blocks(mayor) == stored

    moved = diary(("council", "20270316T100000", "20270316T120000", "Council"),
                  ("lunch", "20270318T120000", "20270318T130000", "Lunch with the Governor"),
                  ("visit", "20270319T100000", "20270319T110000", "School visit"))
    report = operations.import_calendar_data(mayor, moved, SETTINGS, now=NOW)
    db.session.commit()
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 1)
    assert "1 added, 1 changed, 1 removed, 1 unchanged" in report.summary()
    calendar = db.session.scalar(select(PrincipalCalendar))
    assert calendar.last_report["added"] == 1 and calendar.last_imported_at == NOW and calendar.last_error == ""


def test_subjects_are_kept_only_while_the_owner_allows_it(app):
    mayor = make_principal()
    operations.set_show_subjects(mayor, True)
    operations.import_calendar_data(mayor, WEEK, SETTINGS, now=NOW)
    db.session.commit()
    assert {row[3] for row in blocks(mayor)} == {"Council", "Press conference", "Lunch with the Governor"}
    operations.set_show_subjects(mayor, False)
    db.session.commit()
    db.session.expire_all()
    assert {row[3] for row in blocks(mayor)} == {""}
    # Re-importing with subjects off changes the blocks' subjects nowhere else.
    report = operations.import_calendar_data(mayor, WEEK, SETTINGS, now=NOW)
    assert report.unchanged == 3


def test_a_malformed_file_leaves_the_previous_import_intact(app):
    mayor = make_principal()
    operations.import_calendar_data(mayor, WEEK, SETTINGS, now=NOW)
    manual = operations.add_manual_block(mayor, NOW, NOW + timedelta(hours=1), "Dentist")
    db.session.commit()
    before = blocks(mayor)
    broken = WEEK.replace(b"END:VCALENDAR", b"")
    with pytest.raises(CalendarError) as caught:
        operations.import_calendar_data(mayor, broken, SETTINGS, now=NOW)
    db.session.commit()
    assert "incomplete" in str(caught.value)
    assert blocks(mayor) == before
    calendar = db.session.scalar(select(PrincipalCalendar))
    assert "incomplete" in calendar.last_error and calendar.last_report["added"] == 3
    assert db.session.get(BusyBlock, manual.id) is not None


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared calendars not found")
def test_shared_broken_file_is_refused_and_shared_files_import_into_the_database(app):
    mayor = make_principal()
    window = operations.ImportSettings(home_zone="Europe/Berlin", days_before=365 * 20, days_after=365 * 3)
    report = operations.import_calendar_data(mayor, (SHARED / "google-many-modifications.ics").read_bytes(), window,
                                             now=NOW)
    db.session.commit()
    assert report.added == report.busy > 1000
    again = operations.import_calendar_data(mayor, (SHARED / "google-many-modifications.ics").read_bytes(), window,
                                            now=NOW)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    with pytest.raises(CalendarError, match="Line 4"):
        operations.import_calendar_data(mayor, (SHARED / "broken.ics").read_bytes(), window, now=NOW)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(BusyBlock)) == report.busy


def test_the_import_window_follows_the_settings(app):
    mayor = make_principal()
    narrow = operations.ImportSettings(home_zone="Europe/Berlin", days_before=0, days_after=28)
    report = operations.import_calendar_data(mayor, RECURRING, narrow, now=NOW)
    # Mondays from 15 March (today, already begun counts) to 12 April: 15, 22, 29 March, 5 April; 12 April is after.
    assert report.busy == 4


# Upload in the UI --------------------------------------------------------------------------------------

def upload(client, principal, data: bytes, name: str = "diary.ics"):
    return client.post(f"/principals/{principal.id}/calendar/upload",
                       data={"calendar_file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_planner_uploads_a_calendar_and_sees_the_summary(client, app):
    sign_in(client, Role.PLANNER)
    mayor = make_principal(name="Belit Onay")
    db.session.commit()
    response = upload(client, mayor, WEEK, "Onay.ics")
    assert response.status_code == 302
    page = client.get(response.location).text
    assert "Calendar imported: 3 added, 0 changed, 0 removed, 0 unchanged" in page
    assert "Onay.ics" in page
    response = upload(client, mayor, WEEK)
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in client.get(response.location).text


def test_upload_of_a_broken_file_shows_what_is_wrong_and_keeps_the_import(client, app):
    sign_in(client, Role.PLANNER)
    mayor = make_principal()
    db.session.commit()
    upload(client, mayor, WEEK)
    response = upload(client, mayor, WEEK.replace(b"DTSTART;TZID", b"DTSTART;;TZID", 1))
    assert response.status_code == 200
    assert "The file was not imported" in response.text and "Line 7" in response.text
    assert "The previous import is kept" in response.text
    assert 'href="#calendar_file"' in response.text  # the error summary links to the field
    db.session.expire_all()
    assert len(blocks(mayor)) == 3
    response = upload(client, mayor, b"")
    assert response.status_code == 200


def test_viewers_cannot_import_or_subscribe(client, app):
    sign_in(client, Role.VIEWER)
    mayor = make_principal()
    db.session.commit()
    assert upload(client, mayor, WEEK).status_code == 403
    assert client.post(f"/principals/{mayor.id}/calendar/subscription", data={"url": "https://x.test/a.ics"}).status_code == 403
    assert client.post(f"/principals/{mayor.id}/calendar/refresh").status_code == 403
    assert blocks(mayor) == []


# Subscriptions over HTTP with ETag/304 -----------------------------------------------------------------

@pytest.fixture
def local_calendar_servers(app):
    """The test servers run on 127.0.0.1, which production refuses; allow it for these tests."""
    app.config["CALENDAR_ALLOW_PRIVATE_ADDRESSES"] = True


class CalendarServer:
    """A real HTTP server on 127.0.0.1 that serves one calendar with an ETag and answers 304 when it can."""

    def __init__(self, body: bytes, *, etag: bool = True, last_modified: bool = False):
        self.body = body
        self.use_etag = etag
        self.use_last_modified = last_modified
        self.requests: list[dict] = []
        self.bytes_sent = 0
        self.status = 200
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.requests.append({"path": self.path, "if_none_match": self.headers.get("If-None-Match"),
                                       "if_modified_since": self.headers.get("If-Modified-Since")})
                if outer.delay:
                    clock.sleep(outer.delay)
                if outer.status != 200:
                    self.send_response(outer.status)
                    self.end_headers()
                    return
                etag = f'"{hash(outer.body) & 0xffffffff:x}"'
                modified = formatdate(1_800_000_000 + len(outer.body), usegmt=True)
                unchanged = ((outer.use_etag and self.headers.get("If-None-Match") == etag)
                             or (outer.use_last_modified and not outer.use_etag
                                 and self.headers.get("If-Modified-Since") == modified))
                if unchanged:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(outer.body)))
                if outer.use_etag:
                    self.send_header("ETag", etag)
                if outer.use_last_modified:
                    self.send_header("Last-Modified", modified)
                self.end_headers()
                outer.bytes_sent += len(outer.body)  # counted before sending: the client may check at once
                self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mayor.ics"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_refresh_downloads_once_and_then_costs_one_304(app, local_calendar_servers):
    mayor = make_principal()
    with CalendarServer(WEEK) as server:
        calendar = operations.subscribe(mayor, server.url)
        first = operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        db.session.commit()
        assert first.added == 3 and server.bytes_sent == len(WEEK)
        assert calendar.etag and calendar.source_kind == CalendarSourceKind.URL

        second = operations.refresh_calendar(calendar, SETTINGS, now=NOW + timedelta(hours=1))
        db.session.commit()
        assert second.not_modified and "304" in second.summary()
        assert server.requests[-1]["if_none_match"] == calendar.etag
        assert server.bytes_sent == len(WEEK), "an unchanged calendar is not downloaded again"
        assert calendar.last_refreshed_at == NOW + timedelta(hours=1)

        server.body = WEEK.replace(b"20270316T090000", b"20270316T080000")
        third = operations.refresh_calendar(calendar, SETTINGS, now=NOW + timedelta(hours=2))
        db.session.commit()
        assert (third.added, third.changed, third.removed, third.unchanged) == (0, 1, 0, 2)
        assert len(server.requests) == 3 and server.bytes_sent == len(WEEK) + len(server.body)


def test_refresh_uses_if_modified_since_when_the_server_has_no_etag(app, local_calendar_servers):
    mayor = make_principal()
    with CalendarServer(WEEK, etag=False, last_modified=True) as server:
        calendar = operations.subscribe(mayor, server.url.replace("http://", "webcal://").replace("webcal://", "http://"))
        operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        report = operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        assert report.not_modified
        assert server.requests[-1]["if_modified_since"] == calendar.last_modified
        assert server.bytes_sent == len(WEEK)


def test_refresh_of_unchanged_content_without_validators_does_not_rewrite(app, local_calendar_servers):
    mayor = make_principal()
    with CalendarServer(WEEK, etag=False) as server:
        calendar = operations.subscribe(mayor, server.url)
        operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        report = operations.refresh_calendar(calendar, SETTINGS, now=NOW + timedelta(minutes=5))
        assert report.same_content and len(server.requests) == 2


def test_refresh_failures_are_recorded_and_keep_the_import(app, local_calendar_servers):
    mayor = make_principal()
    with CalendarServer(WEEK) as server:
        calendar = operations.subscribe(mayor, server.url)
        operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        db.session.commit()
        server.status = 404
        with pytest.raises(CalendarError, match="404"):
            operations.refresh_calendar(calendar, SETTINGS, now=NOW, force=True)
        db.session.commit()
        assert "404" in calendar.last_error and len(blocks(mayor)) == 3

        server.status, server.body = 200, b"<html>Sign in to Outlook</html>"
        with pytest.raises(CalendarError, match="not an iCalendar"):
            operations.refresh_calendar(calendar, SETTINGS, now=NOW)
        db.session.commit()
        assert len(blocks(mayor)) == 3

        server.body, server.delay = WEEK, 1.0
        slow = operations.ImportSettings(home_zone="Europe/Berlin", fetch_timeout=0.3, allow_private_addresses=True)
        with pytest.raises(CalendarError, match="did not answer within"):
            operations.refresh_calendar(calendar, slow, now=NOW, force=True)

        server.delay = 0
        small = operations.ImportSettings(home_zone="Europe/Berlin", allow_private_addresses=True,
                                          limits=operations.ReadLimits(max_bytes=100))
        with pytest.raises(CalendarError, match="larger than"):
            operations.refresh_calendar(calendar, small, now=NOW, force=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.ics", "javascript:alert(1)", "mayor.ics"])
def test_only_http_addresses_can_be_subscribed(app, url):
    with pytest.raises(CalendarError, match="http"):
        operations.subscribe(make_principal(), url)


def test_webcal_addresses_become_https(app):
    calendar = operations.subscribe(make_principal(), "webcal://calendar.example.org/mayor.ics")
    assert calendar.url == "https://calendar.example.org/mayor.ics"


def test_planner_subscribes_and_refreshes_in_the_ui(client, app, local_calendar_servers):
    sign_in(client, Role.PLANNER)
    mayor = make_principal()
    db.session.commit()
    with CalendarServer(WEEK) as server:
        response = client.post(f"/principals/{mayor.id}/calendar/subscription", data={"url": server.url})
        assert response.status_code == 302
        assert "3 added" in client.get(response.location).text
        response = client.post(f"/principals/{mayor.id}/calendar/refresh")
        assert "has not changed" in client.get(response.location).text
        assert len(server.requests) == 2 and server.bytes_sent == len(WEEK)
        response = client.post(f"/principals/{mayor.id}/calendar/subscription", data={"url": "ftp://x"})
        assert response.status_code == 200 and "http" in response.text
        response = client.post(f"/principals/{mayor.id}/calendar/subscription", data={"url": ""})
        assert "subscription has been removed" in client.get(response.location).text
    db.session.expire_all()
    assert len(blocks(mayor)) == 3


# Commands ------------------------------------------------------------------------------------------------

def test_import_command_reads_a_file_by_principal_name_or_id(app, runner, tmp_path):
    mayor = make_principal(name="Belit Onay")
    db.session.commit()
    path = tmp_path / "onay.ics"
    path.write_bytes(RECURRING)
    result = runner.invoke(args=["calendar", "import", "belit onay", str(path)])
    assert result.exit_code == 0, result.output
    assert "added" in result.output
    result = runner.invoke(args=["calendar", "import", str(mayor.id), str(path)])
    assert result.exit_code == 0 and "0 added, 0 changed, 0 removed" in result.output

    path.write_bytes(RECURRING.replace(b"END:VEVENT", b"END:VTODO"))
    result = runner.invoke(args=["calendar", "import", "Onay", str(path)])
    assert result.exit_code == 1
    assert "not imported" in result.output and "Line 10" in result.output and "previous import is kept" in result.output

    assert runner.invoke(args=["calendar", "import", "Nobody", str(path)]).exit_code == 1
    assert runner.invoke(args=["calendar", "import", "Onay", str(tmp_path / "missing.ics")]).exit_code == 1


def test_import_command_with_a_url_subscribes_and_refresh_command_uses_etags(app, local_calendar_servers, runner):
    mayor = make_principal(name="Belit Onay")
    deputy = make_principal(name="Monica Plate")
    db.session.commit()
    with CalendarServer(WEEK) as server, CalendarServer(RECURRING) as other:
        result = runner.invoke(args=["calendar", "import", "Onay", server.url])
        assert result.exit_code == 0 and "3 added" in result.output, result.output
        assert runner.invoke(args=["calendar", "import", str(deputy.id), other.url]).exit_code == 0
        result = runner.invoke(args=["calendar", "refresh"])
        assert result.exit_code == 0, result.output
        assert result.output.count("has not changed") == 2
        assert (server.bytes_sent, other.bytes_sent) == (len(WEEK), len(RECURRING))
        other.status = 500
        result = runner.invoke(args=["calendar", "refresh", "--force"])
        assert result.exit_code == 1
        assert "Belit Onay: Calendar imported" in result.output and "not refreshed" in result.output
    calendar = db.session.scalar(select(PrincipalCalendar).where(PrincipalCalendar.principal_id == deputy.id))
    db.session.refresh(calendar)
    assert "500" in calendar.last_error


def test_refresh_command_without_subscriptions_says_so(app, runner):
    result = runner.invoke(args=["calendar", "refresh"])
    assert result.exit_code == 0 and "No subscribed calendars" in result.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/calendar.ics", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.5/diary.ics", "https://[::1]/x.ics"])
def test_subscriptions_to_internal_addresses_are_refused(app, url):
    from delegations.calendars.fetch import download_calendar
    from delegations.calendars.reader import CalendarError

    with pytest.raises(CalendarError, match="private network"):
        download_calendar(url)
