"""The calendar reader against real exports and hand-made edge cases: busy time out, clear refusals, no crash."""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from delegations.calendars.reader import CalendarError, ReadLimits, read_calendar

UTC = timezone.utc
SHARED = Path(os.environ.get("SHARED_CALENDARS", Path(__file__).resolve().parents[2] / "shared" / "calendars"))
SHARED_FILES = sorted(SHARED.glob("*.ics")) if SHARED.is_dir() else []
README_FILES = {"outlook-german-holidays.ics", "exchange-weekly-until-utc.ics", "exchange-windows-tzid.ics",
                "google-daylight-saving.ics", "google-many-modifications.ics", "google-x-wr-timezone.ics",
                "thunderbird-moved-occurrences.ics", "thunderbird-cancelled.ics", "weekly-one-exdate.ics",
                "broken.ics"}
# Wide enough for every shared file (2008 to 2024) and for open-ended series to run for years.
WINDOW = (datetime(2005, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))
needs_shared = pytest.mark.skipif(not SHARED_FILES, reason=f"shared calendars not found at {SHARED}")


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def calendar(*events: str, header: str = "") -> bytes:
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *filter(None, [header]), *events,
                        "END:VCALENDAR", ""])
    return body.encode()


def event(uid: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"])


def spans(reading) -> set[tuple[datetime, datetime]]:
    return {(busy.starts_at, busy.ends_at) for busy in reading.busy}


def expected_by_recurring_ical_events(data: bytes, start: datetime, end: datetime, zone_name: str):
    """What recurring-ical-events itself expands, under the same rules: opaque, not cancelled, not empty."""
    zone = ZoneInfo(zone_name)
    parsed = icalendar.Calendar.from_ical(data)
    if parsed.get("X-WR-TIMEZONE"):
        zone = ZoneInfo(str(parsed["X-WR-TIMEZONE"]))

    def instant(value):
        if isinstance(value, datetime):
            return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(UTC)
        return datetime(value.year, value.month, value.day, tzinfo=zone).astimezone(UTC)

    found = set()
    for occurrence in recurring_ical_events.of(parsed).between(start - timedelta(days=2), end + timedelta(days=2)):
        if str(occurrence.get("TRANSP", "")).upper() == "TRANSPARENT":
            continue
        if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
            continue
        starts_at, ends_at = instant(occurrence.start), instant(occurrence.end)
        if ends_at > starts_at and ends_at > start and starts_at < end:
            found.add((starts_at.astimezone(UTC), ends_at.astimezone(UTC)))
    return found


# The shared real-world exports -----------------------------------------------------------------------

@needs_shared
def test_every_file_the_shared_readme_lists_is_there():
    assert README_FILES <= {path.name for path in SHARED_FILES}


@needs_shared
@pytest.mark.parametrize("path", SHARED_FILES, ids=[path.name for path in SHARED_FILES])
def test_every_shared_calendar_imports_or_is_refused_cleanly(path):
    data = path.read_bytes()
    try:
        reading = read_calendar(data, *WINDOW, default_zone="Europe/Berlin", keep_subjects=True)
    except CalendarError as error:
        assert path.name == "broken.ics", f"{path.name} refused: {error}"
        assert error.line == 4 and "DTSTART" in str(error) and "Line 4" in str(error)
        return
    assert path.name != "broken.ics"
    assert spans(reading) == expected_by_recurring_ical_events(data, *WINDOW, "Europe/Berlin")
    keys = [busy.key for busy in reading.busy]
    assert len(keys) == len(set(keys)), "occurrence keys must be unique"
    assert all(busy.starts_at.tzinfo == UTC and busy.ends_at > busy.starts_at for busy in reading.busy)


@needs_shared
def test_shared_files_give_the_busy_times_a_person_would_read():
    def read(name, **kwargs):
        return read_calendar((SHARED / name).read_bytes(), *WINDOW, keep_subjects=True, **kwargs)

    # Exchange's Windows zone name: 17:00 in New York on 28 October 2024 (still summer time) is 21:00 UTC.
    exchange = read("exchange-windows-tzid.ics")
    assert spans(exchange) == {(utc(2024, 10, 28, 21), utc(2024, 10, 28, 22))}
    # Every event of this Exchange export is shown as free: nothing busy.
    assert read("exchange-weekly-until-utc.ics").busy == []
    # Google: the zone only in X-WR-TIMEZONE, noon to 1 PM in New York.
    google = read("google-x-wr-timezone.ics")
    assert google.calendar_zone == "America/New_York"
    assert (utc(2021, 12, 22, 17), utc(2021, 12, 22, 18)) in spans(google)
    # Outlook's holidays: all-day events, busy from Berlin midnight to Berlin midnight.
    holidays = read("outlook-german-holidays.ics")
    assert len(holidays.busy) == 159 and all(busy.all_day for busy in holidays.busy)
    new_year = next(busy for busy in holidays.busy if busy.subject == "Germany: New Years Day"
                    and busy.starts_at.year == 2007)
    assert (new_year.starts_at, new_year.ends_at) == (utc(2007, 12, 31, 23), utc(2008, 1, 1, 23))
    # Thunderbird: one of three daily occurrences cancelled.
    cancelled = read("thunderbird-cancelled.ics")
    assert spans(cancelled) == {(utc(2020, 1, 28, 21), utc(2020, 1, 28, 22)), (utc(2020, 1, 30, 21), utc(2020, 1, 30, 22))}
    assert cancelled.cancelled == 1
    # SabreDAV: eight weekly occurrences, one excluded.
    assert len(read("weekly-one-exdate.ics").busy) == 7


@needs_shared
def test_subjects_are_only_returned_when_the_owner_allows_it():
    data = (SHARED / "google-many-modifications.ics").read_bytes()
    hidden = read_calendar(data, *WINDOW)
    shown = read_calendar(data, *WINDOW, keep_subjects=True)
    assert all(busy.subject == "" for busy in hidden.busy)
    assert any(busy.subject for busy in shown.busy)
    assert [busy.key for busy in hidden.busy] == [busy.key for busy in shown.busy]


@needs_shared
def test_moved_occurrences_keep_the_key_of_the_slot_they_were_moved_from():
    reading = read_calendar((SHARED / "thunderbird-moved-occurrences.ics").read_bytes(), *WINDOW)
    keys = {busy.key: busy for busy in reading.busy}
    moved = [busy for key, busy in keys.items()
             if key.split("|")[1] != busy.starts_at.strftime("%Y%m%dT%H%M%SZ")]
    assert moved, "the file moves occurrences to other times"


# Hand-made files for what real programs write ---------------------------------------------------------

def test_windows_zone_names_are_read_as_their_iana_zones_even_with_a_misleading_definition():
    # A VTIMEZONE that claims Berlin has no summer time: the CLDR mapping wins over the definition.
    data = calendar(
        "\r\n".join(["BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD",
                     "DTSTART:16010101T000000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100", "END:STANDARD",
                     "END:VTIMEZONE"]),
        event("summer", "DTSTART;TZID=W. Europe Standard Time:20270701T100000",
              "DTEND;TZID=\"W. Europe Standard Time\":20270701T110000"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1))
    assert spans(reading) == {(utc(2027, 7, 1, 8), utc(2027, 7, 1, 9))}


def test_a_custom_zone_definition_is_not_confused_with_another_files_zone_of_the_same_name():
    def with_offset(offset: str) -> bytes:
        return calendar(
            "\r\n".join(["BEGIN:VTIMEZONE", "TZID:Customized Time Zone", "BEGIN:STANDARD",
                         "DTSTART:16010101T000000", f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}",
                         "END:STANDARD", "END:VTIMEZONE"]),
            event("custom", "DTSTART;TZID=Customized Time Zone:20270301T120000",
                  "DTEND;TZID=Customized Time Zone:20270301T130000"))

    first = read_calendar(with_offset("+0300"), utc(2027, 1, 1), utc(2028, 1, 1))
    second = read_calendar(with_offset("-0500"), utc(2027, 1, 1), utc(2028, 1, 1))
    assert spans(first) == {(utc(2027, 3, 1, 9), utc(2027, 3, 1, 10))}
    assert spans(second) == {(utc(2027, 3, 1, 17), utc(2027, 3, 1, 18))}


def test_globally_unique_and_unknown_tzids():
    data = calendar(
        event("lightning", "DTSTART;TZID=/mozilla.org/20050126_1/Asia/Tokyo:20270405T090000",
              "DTEND;TZID=/mozilla.org/20050126_1/Asia/Tokyo:20270405T100000"),
        event("unknown", "DTSTART;TZID=Atlantis Standard Time:20270405T090000",
              "DTEND;TZID=Atlantis Standard Time:20270405T100000"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1), default_zone="Europe/Berlin")
    by_uid = {busy.key.split("|")[0]: busy for busy in reading.busy}
    assert (by_uid["lightning"].starts_at, by_uid["lightning"].ends_at) == (utc(2027, 4, 5, 0), utc(2027, 4, 5, 1))
    assert by_uid["unknown"].starts_at == utc(2027, 4, 5, 7)  # read as Berlin, with a warning
    assert any("Atlantis Standard Time" in str(warning) for warning in reading.warnings)


def test_google_floating_times_are_read_in_the_calendars_zone():
    data = calendar(event("float", "DTSTART:20270405T090000", "DTEND:20270405T100000"),
                    header="X-WR-TIMEZONE:Asia/Tokyo")
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1), default_zone="Europe/Berlin")
    assert spans(reading) == {(utc(2027, 4, 5, 0), utc(2027, 4, 5, 1))}
    assert reading.calendar_zone == "Asia/Tokyo"


def test_floating_times_without_a_calendar_zone_are_read_in_the_home_zone():
    data = calendar(event("float", "DTSTART:20270405T090000", "DTEND:20270405T100000"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1), default_zone="Europe/Berlin")
    assert spans(reading) == {(utc(2027, 4, 5, 7), utc(2027, 4, 5, 8))}


def test_weekly_series_keeps_its_local_time_across_both_dst_changes_of_2027():
    # Every Saturday 10:00-12:00 Berlin, from 20 March to 6 November 2027, with EXDATE, RDATE and a moved
    # and a cancelled occurrence.
    data = calendar(
        event("series", "DTSTART;TZID=Europe/Berlin:20270320T100000", "DTEND;TZID=Europe/Berlin:20270320T120000",
              "RRULE:FREQ=WEEKLY;UNTIL=20271106T090000Z", "EXDATE;TZID=Europe/Berlin:20270410T100000",
              "RDATE;TZID=Europe/Berlin:20270329T180000", "SUMMARY:Surgery hours"),
        event("series", "RECURRENCE-ID;TZID=Europe/Berlin:20270417T100000",
              "DTSTART;TZID=Europe/Berlin:20270417T140000", "DTEND;TZID=Europe/Berlin:20270417T150000"),
        event("series", "RECURRENCE-ID;TZID=Europe/Berlin:20270424T100000", "STATUS:CANCELLED",
              "DTSTART;TZID=Europe/Berlin:20270424T100000", "DTEND;TZID=Europe/Berlin:20270424T120000"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1), keep_subjects=True)
    found = spans(reading)
    assert (utc(2027, 3, 20, 9), utc(2027, 3, 20, 11)) in found       # CET, before 28 March
    assert (utc(2027, 3, 27, 9), utc(2027, 3, 27, 11)) in found
    assert (utc(2027, 4, 3, 8), utc(2027, 4, 3, 10)) in found         # CEST after the change
    assert (utc(2027, 3, 29, 16), utc(2027, 3, 29, 18)) in found      # RDATE, the series' duration
    assert not any(start.date() == date(2027, 4, 10) for start, _ in found)  # EXDATE
    assert (utc(2027, 4, 17, 12), utc(2027, 4, 17, 13)) in found      # moved
    assert not any(start.date() == date(2027, 4, 24) for start, _ in found)  # cancelled
    assert (utc(2027, 10, 30, 8), utc(2027, 10, 30, 10)) in found     # last CEST Saturday
    assert (utc(2027, 11, 6, 9), utc(2027, 11, 6, 11)) in found       # CET again after 31 October
    assert reading.cancelled == 1
    assert len(found) == 34 - 1 - 1 + 1  # 34 Saturdays, minus EXDATE and cancelled, plus RDATE


def test_a_block_across_the_night_of_the_clock_change_lasts_its_real_length():
    data = calendar(
        event("spring", "DTSTART;TZID=Europe/Berlin:20270328T010000", "DTEND;TZID=Europe/Berlin:20270328T040000"),
        event("autumn", "DTSTART;TZID=Europe/Berlin:20271031T010000", "DTEND;TZID=Europe/Berlin:20271031T040000"))
    busy = {item.key.split("|")[0]: item for item in read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1)).busy}
    assert busy["spring"].ends_at - busy["spring"].starts_at == timedelta(hours=2)
    assert busy["autumn"].ends_at - busy["autumn"].starts_at == timedelta(hours=4)


def test_all_day_events_block_whole_local_days_also_on_dst_days():
    data = calendar(event("congress", "DTSTART;VALUE=DATE:20270327", "DTEND;VALUE=DATE:20270329"),
                    event("single", "DTSTART;VALUE=DATE:20271031"))
    busy = {item.key.split("|")[0]: item for item in read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1)).busy}
    assert (busy["congress"].starts_at, busy["congress"].ends_at) == (utc(2027, 3, 26, 23), utc(2027, 3, 28, 22))
    assert (busy["single"].starts_at, busy["single"].ends_at) == (utc(2027, 10, 30, 22), utc(2027, 10, 31, 23))
    assert busy["single"].all_day and busy["congress"].all_day


def test_free_cancelled_and_zero_length_events_are_not_busy():
    data = calendar(
        event("free", "DTSTART:20270405T090000Z", "DTEND:20270405T100000Z", "TRANSP:TRANSPARENT"),
        event("cancelled", "DTSTART:20270405T090000Z", "DTEND:20270405T100000Z", "STATUS:CANCELLED"),
        event("reminder", "DTSTART:20270405T090000Z"),
        event("tentative", "DTSTART:20270405T110000Z", "DURATION:PT90M", "STATUS:TENTATIVE"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1))
    assert spans(reading) == {(utc(2027, 4, 5, 11), utc(2027, 4, 5, 12, 30))}
    assert (reading.free, reading.cancelled, reading.zero_length) == (1, 1, 1)


def test_only_the_window_is_read():
    data = calendar(event("daily", "DTSTART:20270101T090000Z", "DTEND:20270101T100000Z", "RRULE:FREQ=DAILY"))
    reading = read_calendar(data, utc(2027, 2, 1), utc(2027, 2, 8))
    assert len(reading.busy) == 7
    assert min(busy.starts_at for busy in reading.busy) == utc(2027, 2, 1, 9)


def test_keys_are_stable_across_readings_and_unique_without_uids():
    data = calendar(
        "BEGIN:VEVENT\r\nDTSTART:20270405T090000Z\r\nDTEND:20270405T100000Z\r\nSUMMARY:A\r\nEND:VEVENT",
        "BEGIN:VEVENT\r\nDTSTART:20270405T090000Z\r\nDTEND:20270405T100000Z\r\nSUMMARY:B\r\nEND:VEVENT",
        event("x" * 300, "DTSTART:20270406T090000Z", "DTEND:20270406T100000Z"))
    first = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1))
    second = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1))
    assert [busy.key for busy in first.busy] == [busy.key for busy in second.busy]
    assert len({busy.key for busy in first.busy}) == 3
    assert all(len(busy.key) <= 255 for busy in first.busy)


def test_outlook_windows_1252_file_is_read_with_a_warning():
    data = calendar(event("umlaut", "DTSTART:20270405T090000Z", "DTEND:20270405T100000Z",
                          "SUMMARY:Empfang im Rathaus")).replace(b"Rathaus", "Rathaus für Gäste".encode("cp1252"))
    reading = read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1), keep_subjects=True)
    assert reading.busy[0].subject == "Empfang im Rathaus für Gäste"
    assert reading.warnings


# Refusals: what is wrong and where ----------------------------------------------------------------

@pytest.mark.parametrize("data, line, words", [
    (b"Hello, this is a letter.\r\n", 1, "not an iCalendar file"),
    (calendar(event("a", "DTSTART:20270405T090000Z", "just words")), 8, "has no “:”"),
    (b"BEGIN:VCARD\r\nFN:Someone\r\nEND:VCARD\r\n", 1, "BEGIN:VCALENDAR"),
    (calendar(event("a", "DTSTART:20270405T090000Z")).replace(b"END:VEVENT", b"END:VTODO"), 8, "VEVENT"),
    (calendar(event("a", "DTSTART:20270405T090000Z")).replace(b"END:VCALENDAR\r\n", b""), 1, "incomplete"),
    (calendar(event("a", "SUMMARY:no start")), 4, "DTSTART"),
    (calendar(event("a", "DTSTART:2027-04-05 09:00", "DTEND:20270405T100000Z")), 7, "DTSTART"),
    (calendar(event("a", "DTSTART:20270405T090000Z", "RRULE:FREQ=SOMETIMES")), 8, "RRULE"),
    (calendar(event("a", "DTSTART:20270405T090000Z")) + calendar(), 10, "second calendar"),
])
def test_malformed_files_are_refused_with_the_line(data, line, words):
    with pytest.raises(CalendarError) as caught:
        read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1))
    message = str(caught.value)
    assert words in message, message
    assert caught.value.line == line, message


def test_a_broken_property_that_does_not_decide_busy_time_is_ignored():
    data = calendar(event("a", "DTSTART:20270405T090000Z", "DTEND:20270405T100000Z", "GEO:not-a-place"))
    assert len(read_calendar(data, utc(2027, 1, 1), utc(2028, 1, 1)).busy) == 1


def test_binary_files_are_refused():
    with pytest.raises(CalendarError, match="not a text file"):
        read_calendar(b"\x89PNG\r\n\x1a\n\x00\x00\x00", utc(2027, 1, 1), utc(2028, 1, 1))


def test_limits_refuse_files_that_are_too_large_too_many_or_too_deep():
    window = (utc(2027, 1, 1), utc(2028, 1, 1))
    many = calendar(*[event(f"e{number}", f"DTSTART:20270405T{number % 24:02d}0000Z") for number in range(11)])
    with pytest.raises(CalendarError, match="too large"):
        read_calendar(many, *window, limits=ReadLimits(max_bytes=100))
    with pytest.raises(CalendarError, match="more than 10 events"):
        read_calendar(many, *window, limits=ReadLimits(max_events=10))
    nested = calendar(event("a", "DTSTART:20270405T090000Z",
                            "BEGIN:VALARM", "BEGIN:X-ONE", "BEGIN:X-TWO", "END:X-TWO", "END:X-ONE", "END:VALARM"))
    with pytest.raises(CalendarError, match="nested more than 4 deep") as caught:
        read_calendar(nested, *window, limits=ReadLimits(max_depth=4))
    assert caught.value.line == 10
    minutely = calendar(event("m", "DTSTART:20270101T000000Z", "DTEND:20270101T000100Z", "RRULE:FREQ=MINUTELY"))
    with pytest.raises(CalendarError, match="more than 1000 occurrences"):
        read_calendar(minutely, *window, limits=ReadLimits(max_occurrences=1000))
