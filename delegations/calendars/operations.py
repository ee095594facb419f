"""State changes for principals and their diaries: imports, subscriptions, office hours, manual busy blocks.

Functions here flush but never commit: the view or command commits once, so one action is one transaction.
An import reads the whole file before it touches a single row, so a refused file leaves the previous
import exactly as it was.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from delegations.calendars.fetch import download_calendar, normalise_url
from delegations.calendars.reader import BusyTime, CalendarError, ReadLimits, read_calendar
from delegations.extensions import db
from delegations.models import BusyBlock, OfficeHours, Principal, PrincipalCalendar
from delegations.models.base import utc_now
from delegations.models.calendars import BusySource, CalendarSourceKind

# Rows per DELETE/SELECT ... IN (...): well below SQLite's and PostgreSQL's parameter limits.
CHUNK = 500


@dataclass(frozen=True)
class ImportSettings:
    home_zone: str = "Europe/Berlin"
    days_before: int = 90
    days_after: int = 400
    limits: ReadLimits = ReadLimits()
    fetch_timeout: float = 20
    allow_private_addresses: bool = False

    @classmethod
    def from_config(cls, config: Mapping) -> "ImportSettings":
        return cls(
            home_zone=config.get("HOME_TIMEZONE", "Europe/Berlin"),
            days_before=int(config.get("CALENDAR_WINDOW_DAYS_BEFORE", 90)),
            days_after=int(config.get("CALENDAR_WINDOW_DAYS_AFTER", 400)),
            limits=ReadLimits(max_bytes=int(config.get("CALENDAR_MAX_BYTES", ReadLimits.max_bytes)),
                              max_events=int(config.get("CALENDAR_MAX_EVENTS", ReadLimits.max_events)),
                              max_depth=int(config.get("CALENDAR_MAX_DEPTH", ReadLimits.max_depth)),
                              max_occurrences=int(config.get("CALENDAR_MAX_OCCURRENCES", ReadLimits.max_occurrences))),
            fetch_timeout=float(config.get("CALENDAR_FETCH_TIMEOUT", 20)),
            allow_private_addresses=bool(config.get("CALENDAR_ALLOW_PRIVATE_ADDRESSES", False)),
        )

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """Whole UTC days around `now`, so that importing twice on one day reads the same window."""
        today = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        return today - timedelta(days=self.days_before), today + timedelta(days=self.days_after)


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    events: int = 0
    busy: int = 0
    free: int = 0
    cancelled: int = 0
    not_modified: bool = False      # the server said 304: nothing was downloaded or read
    same_content: bool = False      # downloaded, but byte for byte what was imported today
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        values = asdict(self)
        values["warnings"] = [str(warning) for warning in self.warnings]
        return values

    def summary(self) -> str:
        if self.not_modified:
            return _("The calendar has not changed since the last refresh (the server answered 304).")
        if self.same_content:
            return _("The calendar has not changed since today's import.")
        return _("Calendar imported: %(added)s added, %(changed)s changed, %(removed)s removed, %(unchanged)s "
                 "unchanged (%(busy)s busy times from %(events)s events; %(free)s marked free and %(cancelled)s "
                 "cancelled were left out).", added=self.added, changed=self.changed, removed=self.removed,
                 unchanged=self.unchanged, busy=self.busy, events=self.events, free=self.free,
                 cancelled=self.cancelled)


def calendar_of(principal: Principal, *, lock: bool = False) -> PrincipalCalendar:
    """The principal's calendar settings, created on first use.

    `lock` holds the row until the transaction ends (PostgreSQL), so two imports of one calendar at the
    same moment run one after the other instead of racing for the same busy blocks.
    """
    statement = select(PrincipalCalendar).where(PrincipalCalendar.principal_id == principal.id)
    calendar = db.session.scalar(statement.with_for_update() if lock else statement)
    if calendar is None:
        calendar = PrincipalCalendar(principal_id=principal.id, principal=principal,
                                     source_kind=CalendarSourceKind.UPLOAD, show_subjects=False)
        db.session.add(calendar)
        db.session.flush()
    return calendar


def import_calendar_data(principal: Principal, data: bytes, settings: ImportSettings, *, now: datetime | None = None,
                         filename: str = "", source_kind: CalendarSourceKind | None = None) -> ImportReport:
    """Replace the principal's imported busy time with what `data` holds; all or nothing.

    On a refused file the error is recorded on the calendar (last_error) and raised again; no busy
    block is touched.
    """
    now = now or utc_now()
    calendar = calendar_of(principal, lock=True)
    window_start, window_end = settings.window(now)
    try:
        reading = read_calendar(data, window_start, window_end, default_zone=settings.home_zone,
                                keep_subjects=calendar.show_subjects, limits=settings.limits)
    except CalendarError as error:
        calendar.last_error = str(error)
        db.session.flush()
        raise
    added, changed, removed, unchanged = replace_imported_blocks(principal.id, reading.busy)
    report = ImportReport(added=added, changed=changed, removed=removed, unchanged=unchanged,
                          events=reading.events, busy=len(reading.busy), free=reading.free,
                          cancelled=reading.cancelled, warnings=list(reading.warnings))
    if source_kind is not None:
        calendar.source_kind = source_kind
    if filename:
        calendar.filename = filename[:255]
    calendar.content_sha256 = hashlib.sha256(data).hexdigest()
    calendar.last_imported_at = now
    calendar.last_error = ""
    calendar.last_report = report.as_dict()
    db.session.flush()
    return report


def replace_imported_blocks(principal_id: int, busy: list[BusyTime]) -> tuple[int, int, int, int]:
    """Make the principal's imported blocks equal `busy`, matched by key: (added, changed, removed, unchanged)."""
    existing = {
        block.key: block for block in db.session.scalars(
            select(BusyBlock).where(BusyBlock.principal_id == principal_id, BusyBlock.source == BusySource.IMPORTED))
    }
    wanted = {item.key: item for item in busy}
    added = changed = unchanged = 0
    new_blocks = []
    for key, item in wanted.items():
        block = existing.get(key)
        if block is None:
            new_blocks.append(BusyBlock(principal_id=principal_id, source=BusySource.IMPORTED, key=key,
                                        starts_at=item.starts_at, ends_at=item.ends_at, subject=item.subject,
                                        all_day=item.all_day))
            added += 1
        elif (block.starts_at, block.ends_at, block.subject, block.all_day) != (
                item.starts_at, item.ends_at, item.subject, item.all_day):
            block.starts_at, block.ends_at = item.starts_at, item.ends_at
            block.subject, block.all_day = item.subject, item.all_day
            changed += 1
        else:
            unchanged += 1
    gone = [block.id for key, block in existing.items() if key not in wanted]
    for start in range(0, len(gone), CHUNK):
        db.session.execute(delete(BusyBlock).where(BusyBlock.id.in_(gone[start:start + CHUNK]))
                           .execution_options(synchronize_session=False))
    for key, block in existing.items():
        if key not in wanted:
            db.session.expunge(block)
    db.session.add_all(new_blocks)
    db.session.flush()
    return added, changed, len(gone), unchanged


def subscribe(principal: Principal, url: str) -> PrincipalCalendar:
    """Remember an ICS address to refresh from (validated; the validators of an old address are dropped)."""
    calendar = calendar_of(principal)
    url = normalise_url(url)
    if url != calendar.url:
        calendar.etag = calendar.last_modified = calendar.content_sha256 = ""
    calendar.url = url
    calendar.source_kind = CalendarSourceKind.URL
    db.session.flush()
    return calendar


def unsubscribe(principal: Principal) -> None:
    calendar = calendar_of(principal)
    calendar.url = calendar.etag = calendar.last_modified = ""
    calendar.source_kind = CalendarSourceKind.UPLOAD
    db.session.flush()


def refresh_calendar(calendar: PrincipalCalendar, settings: ImportSettings, *, now: datetime | None = None,
                     force: bool = False) -> ImportReport:
    """Download the subscribed calendar (unless the server says it is unchanged) and import it.

    Raises CalendarError (recorded as last_error) when the download or the file fails; the previous
    import then stays as it was.
    """
    now = now or utc_now()
    if not calendar.url:
        raise CalendarError(_("No calendar address is set for this principal."))
    calendar.last_refreshed_at = now
    try:
        download = download_calendar(calendar.url, etag="" if force else calendar.etag,
                                     last_modified="" if force else calendar.last_modified,
                                     timeout=settings.fetch_timeout, max_bytes=settings.limits.max_bytes,
                                     allow_private=settings.allow_private_addresses)
    except CalendarError as error:
        calendar.last_error = str(error)
        db.session.flush()
        raise
    if download.not_modified:
        calendar.last_error = ""
        db.session.flush()
        return ImportReport(not_modified=True)
    digest = hashlib.sha256(download.body).hexdigest()
    imported_today = (calendar.last_imported_at is not None
                      and calendar.last_imported_at.astimezone(timezone.utc).date() == now.astimezone(timezone.utc).date())
    if not force and digest == calendar.content_sha256 and imported_today:
        calendar.etag, calendar.last_modified, calendar.last_error = download.etag, download.last_modified, ""
        db.session.flush()
        return ImportReport(same_content=True)
    report = import_calendar_data(calendar.principal, download.body, settings, now=now,
                                  source_kind=CalendarSourceKind.URL)
    # Validators are kept only after a successful import: a refused file is fetched again next time.
    calendar.etag, calendar.last_modified = download.etag, download.last_modified
    db.session.flush()
    return report


def set_show_subjects(principal: Principal, show: bool) -> None:
    """The owner's choice; withdrawing it wipes the subjects kept so far at once."""
    calendar = calendar_of(principal)
    calendar.show_subjects = bool(show)
    if not show:
        db.session.execute(update(BusyBlock)
                           .where(BusyBlock.principal_id == principal.id, BusyBlock.source == BusySource.IMPORTED)
                           .values(subject="").execution_options(synchronize_session=False))
    db.session.flush()


def replace_office_hours(principal: Principal, rows: Iterable[tuple[int, time, time]]) -> None:
    """The principal's office hours become `rows` (weekday 0 = Monday, local times of the home zone)."""
    db.session.execute(delete(OfficeHours).where(OfficeHours.principal_id == principal.id)
                       .execution_options(synchronize_session=False))
    for weekday, start, end in sorted(set(rows)):
        db.session.add(OfficeHours(principal_id=principal.id, weekday=weekday, start_time=start, end_time=end))
    db.session.flush()


def add_manual_block(principal: Principal, starts_at: datetime, ends_at: datetime, label: str) -> BusyBlock:
    block = BusyBlock(principal_id=principal.id, source=BusySource.MANUAL, key="manual:" + secrets.token_hex(8),
                      starts_at=starts_at, ends_at=ends_at, subject=label.strip()[:500])
    db.session.add(block)
    db.session.flush()
    return block


def delete_manual_block(block: BusyBlock) -> None:
    if block.source != BusySource.MANUAL:
        raise ValueError("imported busy time changes only with the calendar it came from")
    db.session.delete(block)
    db.session.flush()
