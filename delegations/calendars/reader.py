"""Reading an iCalendar file into busy time: bytes in, busy intervals out (no database, no Flask request).

It reads what real programs write: Outlook and Exchange (Windows zone names such as "W. Europe Standard
Time", mapped to IANA zones with the CLDR table that icalendar ships), Google (times in UTC with the zone
in X-WR-TIMEZONE), Thunderbird, Apple and CalDAV servers. Recurring series (RRULE, RDATE, EXDATE, moved and
cancelled occurrences) are expanded by recurring-ical-events over a window. Only busy time is kept: the
start, the end, a stable key per occurrence, and the subject when the calendar's owner allows it.

A file that cannot be read safely is refused with a `CalendarError` that says what is wrong and where
(line, component); nothing half-read is ever returned.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from flask_babel import lazy_gettext as _l
from icalendar.parser.content_line import Contentline
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from delegations.zones import is_valid_zone

# Properties that decide when an event takes place or whether it blocks time: if one of them cannot be
# read, the event's busy time would be a guess, so the whole file is refused.
TIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
                             "TRANSP", "STATUS", "UID"})
# TZIDs some programs write that are neither IANA nor CLDR Windows names.
EXTRA_ZONE_NAMES = {
    "tzone://Microsoft/Utc": "UTC",
    "tzone://Microsoft/Custom": "",
    "Z": "UTC",
    "Coordinated Universal Time": "UTC",
}
MAX_KEY_LENGTH = 255
MAX_SUBJECT_LENGTH = 500
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class ReadLimits:
    """What a calendar may hold before it is refused (defaults fit a busy Mayor's diary many times over)."""

    max_bytes: int = 10 * 1024 * 1024
    max_events: int = 20_000          # VEVENT components in the file
    max_depth: int = 5                # VCALENDAR > VEVENT > VALARM is 3
    max_occurrences: int = 100_000    # busy occurrences after expanding series over the window


@dataclass(frozen=True)
class BusyTime:
    """One occurrence that makes the calendar's owner busy, as aware UTC instants."""

    key: str
    starts_at: datetime
    ends_at: datetime
    subject: str = ""
    all_day: bool = False


@dataclass
class CalendarReading:
    busy: list[BusyTime]
    events: int                        # VEVENT components in the file
    occurrences: int                   # occurrences in the window, busy or not
    free: int = 0                      # occurrences marked free (TRANSP:TRANSPARENT)
    cancelled: int = 0                 # cancelled occurrences (STATUS:CANCELLED)
    zero_length: int = 0               # occurrences without duration (reminders): they block nothing
    calendar_zone: str = ""
    warnings: list[str] = field(default_factory=list)


class CalendarError(ValueError):
    """The file cannot be read safely; `message` says what is wrong and where."""

    def __init__(self, message, *, line: int | None = None, component: str | None = None):
        self.message = message
        self.line = line
        self.component = component
        super().__init__(message)

    def __str__(self) -> str:
        # Always a full sentence: pages and commands append "The previous import is kept."
        text = str(self.message).rstrip()
        return text if text.endswith((".", "!", "?", "…")) else text + "."


@dataclass
class _Block:
    """A component of the file as the scanner saw it (for messages that point at lines)."""

    name: str
    begin_line: int
    end_line: int = 0
    uid: str = ""
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, unfolded content line)

    def describe(self):
        if self.name == "VEVENT":
            if self.uid:
                return _l("the event with UID “%(uid)s” (lines %(begin)s–%(end)s)", uid=_shorten(self.uid),
                          begin=self.begin_line, end=self.end_line)
            return _l("the event on lines %(begin)s–%(end)s", begin=self.begin_line, end=self.end_line)
        return _l("the %(name)s component on lines %(begin)s–%(end)s", name=self.name, begin=self.begin_line,
                  end=self.end_line)


def _shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def read_calendar(data: bytes, window_start: datetime, window_end: datetime, *, default_zone: str = "Europe/Berlin",
                  keep_subjects: bool = False, limits: ReadLimits = ReadLimits()) -> CalendarReading:
    """The busy time in `data` that overlaps [window_start, window_end).

    Floating times and all-day dates are read in the calendar's own zone (X-WR-TIMEZONE) or else in
    `default_zone`; an all-day event makes its owner busy from local midnight to local midnight.
    Subjects are returned only if `keep_subjects`. Raises CalendarError if the file cannot be read safely.
    """
    if window_start.tzinfo is None or window_end.tzinfo is None:
        raise ValueError("the window must be given as aware datetimes")
    if len(data) > limits.max_bytes:
        raise CalendarError(_l("The file is too large (%(size)s MB); at most %(limit)s MB are accepted.",
                               size=_megabytes(len(data)), limit=_megabytes(limits.max_bytes)))
    text, warnings = _decode(data)
    scan = _scan(text, limits, default_zone, warnings)
    calendar = _parse(scan)
    _check_events(calendar, scan)
    reading = _expand(calendar, scan, window_start, window_end, keep_subjects, limits)
    reading.warnings = warnings + reading.warnings
    return reading


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _decode(data: bytes) -> tuple[str, list]:
    if b"\x00" in data[:4096]:
        raise CalendarError(_l("This is not a text file, so it cannot be an iCalendar (.ics) file."))
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        # Older Outlook versions write Windows-1252; read it rather than refuse the Mayor's diary.
        line = data[:error.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), [
            _l("The file is not UTF-8 (first at line %(line)s); it was read as Windows-1252.", line=line)]


@dataclass
class _Scan:
    text: str
    blocks: list[_Block]               # VEVENT and VTIMEZONE components, in file order
    events: list[_Block]
    calendar_zone: str


def _logical_lines(text: str):
    """Unfolded content lines with the number of the physical line each begins on."""
    current: list[str] = []
    start = 0
    for number, physical in enumerate(_LINE_BREAK.split(text), start=1):
        if physical[:1] in (" ", "\t") and current:
            current.append(physical[1:])
            continue
        if current:
            yield start, "".join(current)
        current, start = [physical], number
    if current:
        yield start, "".join(current)


def _split_name(line: str) -> tuple[str, str, str] | None:
    """(NAME, parameters including the leading ';' or '', value) of a content line, None if it has no value."""
    colon = line.find(":")
    if colon < 0:
        return None
    semicolon = line.find(";", 0, colon)
    if semicolon < 0:
        return line[:colon].upper(), "", line[colon + 1:]
    if '"' not in line[semicolon:colon]:
        return line[:semicolon].upper(), line[semicolon:colon], line[colon + 1:]
    # Quoted parameter values may hold ':' and ';'.
    quoted = False
    name_end = None
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char == ";" and name_end is None:
                name_end = index
            elif char == ":":
                if name_end is None:
                    name_end = index
                return line[:name_end].upper(), line[name_end:index], line[index + 1:]
    return None


def _scan(text: str, limits: ReadLimits, default_zone: str, warnings: list) -> _Scan:
    """Check the structure line by line, find the zones the file uses, and name Windows zones by IANA."""
    stack: list[_Block] = []
    blocks: list[_Block] = []
    events: list[_Block] = []
    lines: list[tuple[int, str]] = []
    zoned: list[int] = []  # positions in `lines` that name a time zone
    calendars = 0
    x_wr_timezone = ""
    zone_definitions: dict[str, _Block] = {}
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        parts = _split_name(line)
        if not stack and not calendars and (parts is None or parts[0] != "BEGIN"):
            raise CalendarError(_l("This is not an iCalendar file: it should begin with BEGIN:VCALENDAR, but line "
                                   "%(line)s reads “%(text)s”.", line=number, text=_shorten(line)), line=number)
        if parts is None:
            if stack:
                message = _l("Line %(line)s in %(where)s cannot be read: “%(text)s” has no “:”.", line=number,
                             where=stack[-1].describe(), text=_shorten(line))
            else:
                message = _l("Line %(line)s cannot be read: “%(text)s” has no “:”.", line=number, text=_shorten(line))
            raise CalendarError(message, line=number)
        name, params, value = parts
        if name in ("TZID", "X-WR-TIMEZONE") or (params and "TZID" in params.upper()):
            zoned.append(len(lines))
        if name == "BEGIN":
            component = value.strip().upper()
            if not stack and component != "VCALENDAR":
                raise CalendarError(_l("This is not an iCalendar file: line %(line)s should begin a calendar "
                                       "(BEGIN:VCALENDAR) but begins %(name)s.", line=number, name=_shorten(value)),
                                    line=number)
            if not stack:
                calendars += 1
                if calendars > 1:
                    raise CalendarError(_l("Line %(line)s begins a second calendar; one file must hold one "
                                           "calendar.", line=number), line=number)
            if len(stack) >= limits.max_depth:
                raise CalendarError(_l("Line %(line)s: components are nested more than %(depth)s deep.",
                                       line=number, depth=limits.max_depth), line=number, component=component)
            block = _Block(component, number)
            stack.append(block)
            if component == "VEVENT":
                events.append(block)
                if len(events) > limits.max_events:
                    raise CalendarError(_l("The file holds more than %(limit)s events; it is refused.",
                                           limit=limits.max_events), line=number)
            if component in ("VEVENT", "VTIMEZONE"):
                blocks.append(block)
        elif name == "END":
            component = value.strip().upper()
            if not stack:
                raise CalendarError(_l("Line %(line)s ends %(name)s, but nothing was begun.", line=number,
                                       name=_shorten(value)), line=number)
            if stack[-1].name != component:
                raise CalendarError(_l("Line %(line)s ends %(name)s, but %(open)s begun on line %(begin)s is still "
                                       "open.", line=number, name=_shorten(value), open=stack[-1].name,
                                       begin=stack[-1].begin_line), line=number, component=stack[-1].name)
            stack.pop().end_line = number
        elif not stack:
            raise CalendarError(_l("Line %(line)s lies outside the calendar (after END:VCALENDAR or before "
                                   "BEGIN:VCALENDAR).", line=number), line=number)
        else:
            top = stack[-1]
            if top.name in ("VEVENT", "VTIMEZONE") or (len(stack) > 1 and stack[-2].name == "VTIMEZONE"):
                owner = top if top.name in ("VEVENT", "VTIMEZONE") else stack[-2]
                owner.lines.append((number, line))
                if name == "UID" and top.name == "VEVENT":
                    top.uid = value
                if name == "TZID" and top.name == "VTIMEZONE":
                    top.uid = value.strip()
            elif name == "X-WR-TIMEZONE" and top.name == "VCALENDAR":
                x_wr_timezone = value.strip()
        lines.append((number, line))
    if stack:
        raise CalendarError(_l("The file ends inside %(name)s begun on line %(line)s: it is incomplete "
                               "(an interrupted download?).", name=stack[-1].name, line=stack[-1].begin_line),
                            component=stack[-1].name, line=stack[-1].begin_line)
    if not calendars:
        raise CalendarError(_l("This is not an iCalendar file: it holds no BEGIN:VCALENDAR."))

    for block in blocks:
        if block.name == "VTIMEZONE" and block.uid:
            zone_definitions.setdefault(_clean_tzid(block.uid), block)

    calendar_zone = default_zone
    if x_wr_timezone:
        resolved = _known_zone(x_wr_timezone)
        if resolved:
            calendar_zone = resolved
        else:
            warnings.append(_l("The calendar's zone “%(zone)s” (X-WR-TIMEZONE) is unknown; times without a zone "
                               "were read as %(default)s.", zone=_shorten(x_wr_timezone), default=default_zone))

    renames: dict[str, str] = {}

    def rename(tzid: str) -> str:
        if tzid in renames:
            return renames[tzid]
        cleaned = _clean_tzid(tzid)
        resolved = _known_zone(cleaned)
        if not resolved and cleaned in zone_definitions:
            # A zone the file defines itself ("Customized Time Zone"): a name unique to this definition,
            # because icalendar caches zone definitions by name for the whole process.
            definition = "\n".join(line for _, line in zone_definitions[cleaned].lines)
            resolved = f"{cleaned} #{hashlib.sha256(definition.encode()).hexdigest()[:12]}"
        if not resolved:
            resolved = calendar_zone
            warnings.append(_l("The time zone “%(zone)s” is unknown and not defined in the file; its times were "
                               "read as %(default)s.", zone=_shorten(cleaned), default=calendar_zone))
        renames[tzid] = resolved
        return resolved

    for index in zoned:
        number, line = lines[index]
        lines[index] = (number, _rewrite_zone(line, rename, calendar_zone))
    return _Scan("\r\n".join(line for _, line in lines) + "\r\n", blocks, events, calendar_zone)


def _clean_tzid(tzid) -> str:
    if isinstance(tzid, (list, tuple)):  # a TZID parameter given twice arrives as a list
        tzid = tzid[0] if tzid else ""
    return str(tzid).strip().strip('"').strip()


def _known_zone(tzid: str) -> str:
    """The IANA name for a zone name a calendar program wrote, or '' if it cannot be known."""
    cleaned = _clean_tzid(tzid)
    if cleaned in EXTRA_ZONE_NAMES:
        return EXTRA_ZONE_NAMES[cleaned]
    if cleaned in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[cleaned]
    if is_valid_zone(cleaned.strip("/")):
        return cleaned.strip("/")
    if cleaned.startswith("/"):
        # "globally unique" TZIDs of libical, Evolution and Lightning: /mozilla.org/20050126_1/Europe/Berlin
        parts = cleaned.strip("/").split("/")
        for start in range(1, len(parts)):
            candidate = "/".join(parts[start:])
            if "/" in candidate and is_valid_zone(candidate):
                return candidate
    return ""


def _quote(value: str) -> str:
    return f'"{value}"' if any(char in value for char in ';:,') else value


def _rewrite_zone(line: str, rename, calendar_zone: str) -> str:
    parts = _split_name(line)
    if parts is None:
        return line
    name, params, value = parts
    if name == "TZID":
        return f"TZID:{rename(value)}"
    if name == "X-WR-TIMEZONE":
        return f"X-WR-TIMEZONE:{calendar_zone}"
    pieces = _split_params(params)
    changed = False
    for index, piece in enumerate(pieces):
        key, sep, param_value = piece.partition("=")
        if sep and key.strip().upper() == "TZID":
            pieces[index] = f"TZID={_quote(rename(param_value))}"
            changed = True
    if not changed:
        return line
    return line[:len(name)] + "".join(";" + piece for piece in pieces) + ":" + value


def _split_params(params: str) -> list[str]:
    """';A=1;B="x;y"' -> ['A=1', 'B="x;y"']"""
    pieces, current, quoted = [], [], False
    for char in params[1:] if params.startswith(";") else params:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _parse(scan: _Scan) -> icalendar.Calendar:
    try:
        return icalendar.Calendar.from_ical(scan.text)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        line = _find_bad_line(scan)
        if line is not None:
            raise CalendarError(_l("Line %(line)s cannot be read: %(problem)s", line=line[0],
                                   problem=_shorten(str(error), 200)), line=line[0]) from error
        raise CalendarError(_l("The file cannot be read as a calendar: %(problem)s",
                               problem=_shorten(str(error), 200))) from error


def _find_bad_line(scan: _Scan, block: _Block | None = None) -> tuple[int, str] | None:
    """The first content line icalendar cannot split into name, parameters and value."""
    candidates = block.lines if block else [item for each in scan.blocks for item in each.lines]
    for number, line in candidates:
        try:
            Contentline(line).parts()
        except ValueError:
            return number, line
    return None


def _property_errors(component) -> list[tuple[str | None, str]]:
    return list(getattr(component, "errors", []) or [])


def _check_events(calendar: icalendar.Calendar, scan: _Scan) -> None:
    """Refuse events whose time cannot be read; ignore broken properties that do not decide busy time."""
    events = list(calendar.walk("VEVENT"))
    zones = list(calendar.walk("VTIMEZONE"))
    zone_blocks = [block for block in scan.blocks if block.name == "VTIMEZONE"]
    for component, block in zip(zones, zone_blocks):
        for sub in [component, *component.subcomponents]:
            if _property_errors(sub):
                bad = _find_bad_line(scan, block)
                raise CalendarError(_l("Line %(line)s in %(where)s cannot be read: %(problem)s",
                                       line=bad[0] if bad else block.begin_line, where=block.describe(),
                                       problem=_shorten(str(_property_errors(sub)[0][1]), 200)),
                                    line=bad[0] if bad else block.begin_line, component="VTIMEZONE")
    for component, block in zip(events, scan.events):
        for property_name, problem in _property_errors(component):
            line_number, line_name = _error_line(block, property_name)
            name = (property_name or line_name or "").upper()
            if name in TIME_PROPERTIES or not name:
                raise CalendarError(_l("Line %(line)s in %(where)s: %(property)s cannot be read: %(problem)s",
                                       line=line_number or block.begin_line, where=block.describe(),
                                       property=name or _l("a line"), problem=_shorten(str(problem), 200)),
                                    line=line_number or block.begin_line, component="VEVENT")
        if "DTSTART" not in component:
            raise CalendarError(_l("%(where)s has no start (DTSTART), so its busy time is unknown.",
                                   where=_capitalised(block.describe())), line=block.begin_line, component="VEVENT")


def _capitalised(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _error_line(block: _Block, property_name: str | None) -> tuple[int | None, str | None]:
    """The line an icalendar error is about: the named property, or the first line that cannot be split."""
    if property_name:
        for number, line in block.lines:
            parts = _split_name(line)
            if parts and parts[0] == property_name.upper():
                return number, parts[0]
        return None, property_name
    for number, line in block.lines:
        try:
            Contentline(line).parts()
        except ValueError:
            return number, line.split(";", 1)[0].split(":", 1)[0].upper()
    return None, None


def _expand(calendar: icalendar.Calendar, scan: _Scan, window_start: datetime, window_end: datetime,
            keep_subjects: bool, limits: ReadLimits) -> CalendarReading:
    zone = ZoneInfo(scan.calendar_zone)
    start_utc, end_utc = window_start.astimezone(timezone.utc), window_end.astimezone(timezone.utc)
    # A day of margin: floating and all-day events are compared by recurring-ical-events without a zone.
    span_start, span_end = start_utc - timedelta(days=1), end_utc + timedelta(days=1)
    reading = CalendarReading(busy=[], events=len(scan.events), occurrences=0, calendar_zone=scan.calendar_zone)
    blocks_by_uid = {block.uid: block for block in scan.events if block.uid}
    # A single event keeps its UID as key when it moves; occurrences of a series add the occurrence.
    recurring_uids = {str(component.get("UID", "")).strip() for component in calendar.walk("VEVENT")
                      if any(name in component for name in ("RRULE", "RDATE", "RECURRENCE-ID"))}
    try:
        query = recurring_ical_events.of(calendar)
    except Exception as error:  # noqa: BLE001 - any failure here is a property of the file, reported as such
        raise CalendarError(_l("The events cannot be read: %(problem)s", problem=_shorten(str(error), 200))) from error
    seen: dict[str, BusyTime] = {}
    for series in query.series:
        try:
            for occurrence in series.between(span_start, span_end):
                reading.occurrences += 1
                if reading.occurrences > limits.max_occurrences:
                    raise CalendarError(_l("Over the import window the calendar holds more than %(limit)s "
                                           "occurrences; it is refused.", limit=limits.max_occurrences))
                busy = _busy_time(occurrence, zone, reading, keep_subjects, recurring_uids)
                if busy is None or busy.ends_at <= start_utc or busy.starts_at >= end_utc:
                    continue
                if busy.key in seen:
                    if seen[busy.key] == busy:
                        continue
                    number = 2
                    while f"{busy.key}#{number}" in seen:
                        number += 1
                    busy = BusyTime(f"{busy.key}#{number}", busy.starts_at, busy.ends_at, busy.subject, busy.all_day)
                seen[busy.key] = busy
        except CalendarError:
            raise
        except Exception as error:  # noqa: BLE001 - a broken series is named, never a crash
            block = blocks_by_uid.get(str(getattr(series, "uid", "")))
            where = block.describe() if block else _l("a recurring event")
            raise CalendarError(_l("%(where)s cannot be expanded: %(problem)s", where=_capitalised(where),
                                   problem=_shorten(str(error), 200)),
                                line=block.begin_line if block else None, component="VEVENT") from error
    reading.busy = sorted(seen.values(), key=lambda busy: (busy.starts_at, busy.ends_at, busy.key))
    return reading


def _instant(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=zone, fold=0).astimezone(timezone.utc)
        return value.astimezone(timezone.utc)
    return datetime.combine(value, time.min, tzinfo=zone).astimezone(timezone.utc)


def _busy_time(occurrence, zone: ZoneInfo, reading: CalendarReading, keep_subjects: bool,
               recurring_uids: set[str]) -> BusyTime | None:
    component = _source_component(occurrence)
    if str(component.get("TRANSP", "OPAQUE")).strip().upper() == "TRANSPARENT":
        reading.free += 1
        return None
    if str(component.get("STATUS", "")).strip().upper() == "CANCELLED":
        reading.cancelled += 1
        return None
    start, end = occurrence.start, occurrence.end
    all_day = not isinstance(start, datetime)
    starts_at = _instant(start, zone)
    if end is None:
        ends_at = starts_at + (timedelta(days=1) if all_day else timedelta(0))
    elif isinstance(end, timedelta):
        ends_at = starts_at + end
    else:
        ends_at = _instant(end, zone)
    if ends_at <= starts_at:
        reading.zero_length += 1
        return None
    subject = str(component.get("SUMMARY", "")).strip()[:MAX_SUBJECT_LENGTH] if keep_subjects else ""
    return BusyTime(_occurrence_key(component, start, zone, recurring_uids), starts_at, ends_at, subject, all_day)


def _source_component(occurrence):
    """The VEVENT an occurrence comes from (the series or its modification), read without copying it.

    recurring-ical-events copies the component for every occurrence (`as_component`), which costs a third of
    an import; its adapter holds the original. Should that inner attribute ever go, the copy still works.
    """
    component = getattr(getattr(occurrence, "_adapter", None), "_component", None)
    return component if component is not None else occurrence.as_component(False)


def _occurrence_key(component, start, zone: ZoneInfo, recurring_uids: set[str]) -> str:
    """Stable across re-imports: the UID of a single event; UID and occurrence (RECURRENCE-ID) in a series."""
    uid = str(component.get("UID", "")).strip()
    if uid and uid not in recurring_uids:
        return uid if len(uid) <= MAX_KEY_LENGTH else "sha256:" + hashlib.sha256(uid.encode()).hexdigest()
    recurrence = component.get("RECURRENCE-ID")
    moment = getattr(recurrence, "dt", None) if recurrence is not None else None
    if moment is None:
        moment = start
    if isinstance(moment, datetime):
        stamp = _instant(moment, zone).strftime("%Y%m%dT%H%M%SZ")
    else:
        stamp = moment.strftime("%Y%m%d")
    if not uid:
        # No UID (some exports omit it): the subject and start identify the event as well as anything can.
        uid = "no-uid:" + hashlib.sha256(str(component.get("SUMMARY", "")).encode()).hexdigest()[:16]
    key = f"{uid}|{stamp}"
    if len(key) > MAX_KEY_LENGTH:
        key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key
