"""Fuzzing the importers with a few thousand mutated files: a calendar reader and a participant-list reader
that meet damaged, truncated and spliced input must answer with their own error (a message for the user) or a
result, never another exception; and an import either replaces everything or changes nothing.

Seeds are real files (../shared/calendars, spreadsheets written by openpyxl, German Excel CSV); mutations
flip, drop, duplicate and splice bytes and lines, and insert the structures importers trip over.
"""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from delegations.calendars import operations
from delegations.calendars.reader import CalendarError, CalendarReading, ReadLimits, read_calendar
from delegations.extensions import db
from delegations.models import BusyBlock, Principal
from delegations.visits.member_import import MemberFileError, ParsedMembers, parse_member_file
from tests.factories import make_principal

UTC = timezone.utc
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
# Small limits keep each example fast; the limits' own refusals are part of what is fuzzed.
LIMITS = ReadLimits(max_bytes=300_000, max_events=400, max_depth=5, max_occurrences=3_000)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "calendars"

SMALL_CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    b"BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
    b"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
    b"END:VTIMEZONE\r\n"
    b"BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20270301T000000Z\r\nDTSTART;TZID=W. Europe Standard Time:20270316T090000\r\n"
    b"DTEND;TZID=W. Europe Standard Time:20270316T120000\r\nSUMMARY:Council \\, budget\r\n"
    b"RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU\r\nEXDATE;TZID=W. Europe Standard Time:20270323T090000\r\n"
    b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:a\r\nRECURRENCE-ID;TZID=W. Europe Standard Time:20270330T090000\r\n"
    b"DTSTAMP:20270301T000000Z\r\nDTSTART;VALUE=DATE:20270331\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20270301T000000Z\r\nDTSTART:20270401T080000Z\r\nDURATION:PT1H\r\n"
    b"TRANSP:TRANSPARENT\r\nSTATUS:CANCELLED\r\nSUMMARY:Free\r\n  folded continuation\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n")


def calendar_seeds() -> list[bytes]:
    seeds = [SMALL_CALENDAR]
    for path in sorted(SHARED.glob("*.ics")) if SHARED.is_dir() else []:
        data = path.read_bytes()
        if len(data) <= 40_000:
            seeds.append(data)
    return seeds


CALENDAR_SEEDS = calendar_seeds()
CALENDAR_TOKENS = [b"BEGIN:VEVENT\r\n", b"END:VEVENT\r\n", b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n",
                   b"BEGIN:VALARM\r\n", b"BEGIN:X-A\r\nBEGIN:X-B\r\nBEGIN:X-C\r\nBEGIN:X-D\r\n",
                   b"RRULE:FREQ=MINUTELY\r\n", b"RRULE:FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=13;COUNT=99999\r\n",
                   b"RRULE:FREQ=WEEKLY;UNTIL=2027\r\n", b"DTSTART:20270230T250000Z\r\n",
                   b"DTSTART;TZID=Mars/Olympus:20270301T090000\r\n", b"DTEND;VALUE=DATE:20261231\r\n",
                   b"DURATION:-P1D\r\n", b"DURATION:P99999W\r\n", b"EXDATE:garbage\r\n", b"RDATE;VALUE=PERIOD:x/y\r\n",
                   b"RECURRENCE-ID:20270316T090000Z\r\n", b"UID:\r\n", b"SUMMARY:\xff\xfe\x00<script>\r\n",
                   b";;;:::\r\n", b"\r\n \r\n", b"\x00", b"\xef\xbb\xbf", b"\r", b"\n", b":", b";", b"=", b"\\"]


@st.composite
def mutated(draw, seeds: list[bytes], tokens: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "token", "duplicate", "truncate", "swap-lines"]))
        if not data:
            data = bytearray(draw(st.sampled_from(tokens)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(tokens)) * draw(st.integers(1, 3))
        elif kind == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 2000)))
            data[end:end] = data[at:end]
        elif kind == "truncate":
            data = data[:at]
        else:
            lines = bytes(data).split(b"\r\n")
            first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[first], lines[second] = lines[second], lines[first]
            data = bytearray(b"\r\n".join(lines))
    return bytes(data)


# derandomize: the same few thousand mutations on every run, so CI cannot turn red by chance.
FUZZ = dict(deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])


@settings(max_examples=1500, **FUZZ)
@given(data=mutated(CALENDAR_SEEDS, CALENDAR_TOKENS))
def test_the_calendar_reader_answers_every_mutated_file_with_a_result_or_its_own_error(data):
    try:
        reading = read_calendar(data, *WINDOW, limits=LIMITS, keep_subjects=True)
    except CalendarError as error:
        assert str(error)  # a message the page can show
        return
    assert isinstance(reading, CalendarReading)
    for busy in reading.busy:
        assert busy.starts_at.tzinfo is not None and busy.ends_at > busy.starts_at


@settings(max_examples=120, **FUZZ)
@given(data=mutated(CALENDAR_SEEDS, CALENDAR_TOKENS))
def test_a_mutated_calendar_is_imported_completely_or_not_at_all(app, data):
    principal = db.session.scalar(select(Principal).where(Principal.name == "Fuzzed")) or make_principal(name="Fuzzed")
    settings_ = operations.ImportSettings(home_zone="Europe/Berlin", limits=LIMITS)
    now = datetime(2027, 3, 10, tzinfo=UTC)
    operations.import_calendar_data(principal, SMALL_CALENDAR, settings_, now=now)
    db.session.commit()
    before = blocks_of(principal.id)
    try:
        report = operations.import_calendar_data(principal, data, settings_, now=now)
    except CalendarError:
        db.session.commit()  # what the view does: keep the recorded error, nothing else changed
        assert blocks_of(principal.id) == before
        return
    db.session.commit()
    assert len(blocks_of(principal.id)) == report.busy


def blocks_of(principal_id: int) -> list[tuple]:
    db.session.expire_all()
    return [(block.key, block.starts_at, block.ends_at, block.subject) for block in db.session.scalars(
        select(BusyBlock).where(BusyBlock.principal_id == principal_id).order_by(BusyBlock.key))]


# Participant lists -----------------------------------------------------------------------------------

HEADER = ["Name", "Function", "Organisation", "Role", "Dietary needs", "Accessibility needs", "E-mail", "Phone"]
ROWS = [["Tomasz Kowalczyk", "Mayor", "City of Poznań", "head", "", "", "tk@poznan.pl", "+48 61 1"],
        ["Anna Wiśniewska", "Interpreter", "City of Poznań", "interpreter", "vegetarian", "", "", ""],
        ["=HYPERLINK(\"x\")", 12.0, None, "press", "gluten-free", "wheelchair", "", "0511"]]


def xlsx_seed() -> bytes:
    book = openpyxl.Workbook()
    for row in [["Teilnehmerliste"], HEADER, *ROWS]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_seed(delimiter: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *ROWS])
    return buffer.getvalue().encode(encoding, "replace")


XLSX = xlsx_seed()
XLSX_PARTS = {info.filename: zipfile.ZipFile(io.BytesIO(XLSX)).read(info.filename)
              for info in zipfile.ZipFile(io.BytesIO(XLSX)).infolist()}
XML_TOKENS = [b"<", b">", b"</c>", b"<row r=\"99999999\">", b"<c r=\"XFD1048577\" t=\"s\"><v>99</v></c>",
              b"<v>1e308</v>", b"t=\"d\"", b"t=\"e\"", b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"&amp;",
              b"<is><t>=1+1</t></is>", b"\x00", b"\xff", b"<sheetData/>", b"<dimension ref=\"A1:ZZZ99999\"/>"]
CSV_SEEDS = [csv_seed(",", "utf-8"), csv_seed(";", "cp1252"), b"\xef\xbb\xbf" + csv_seed("\t", "utf-8")]
CSV_TOKENS = [b"\"", b"\"\"", b";", b",", b"\t", b"\r\n", b"\n", b"\x00", b"\xff\xfe", b"Name;Name;Name\r\n",
              b"=cmd|' /C calc'!A0", b"\"unterminated", b"x" * 600]


@st.composite
def mutated_xlsx(draw) -> bytes:
    if draw(st.booleans()):  # damage the archive itself
        return draw(mutated([XLSX], [b"PK\x03\x04", b"PK\x01\x02", b"\x00" * 30, b"\xff" * 8]))
    parts = dict(XLSX_PARTS)  # or keep the archive whole and damage a part inside it
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(mutated([parts[name]], XML_TOKENS))
    if draw(st.integers(0, 9)) == 0:
        parts.pop(draw(st.sampled_from(sorted(parts))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    return buffer.getvalue()


def assert_parsed_or_refused(filename: str, data: bytes) -> None:
    try:
        parsed = parse_member_file(filename, data)
    except MemberFileError as error:
        assert str(error)
        return
    assert isinstance(parsed, ParsedMembers)
    for row in parsed.rows:
        assert row["name"] and isinstance(row["line"], int)
        assert all(isinstance(value, str) for key, value in row.items() if key != "line")


@pytest.fixture(autouse=True)
def _messages(app):
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@settings(max_examples=700, **FUZZ)
@given(data=mutated_xlsx())
def test_the_participant_reader_answers_every_mutated_xlsx(data):
    assert_parsed_or_refused("Teilnehmer.xlsx", data)


@settings(max_examples=700, **FUZZ)
@given(data=mutated(CSV_SEEDS, CSV_TOKENS), filename=st.sampled_from(["list.csv", "liste.txt", "list.xlsx"]))
def test_the_participant_reader_answers_every_mutated_csv(data, filename):
    assert_parsed_or_refused(filename, data)
