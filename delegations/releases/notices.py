"""Change notices: who hears of which changes, and the words of each message (plain text, no Flask request).

One notice per person concerned, holding only the changes that concern them; the delegation's liaison,
when the planner includes them, receives the whole summary. People without an e-mail address are listed
(the planner tells them otherwise) but get no message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _

from delegations.releases.diff import Change, Person, describe, people_concerned

PURPOSE = "change-notice"
# Stands for the acknowledgement link until the outbox hands out the token (after the message exists).
ACK_MARKER = "\x00acknowledgement-link\x00"


@dataclass(frozen=True)
class PlannedNotice:
    person: Person
    changes: tuple[Change, ...]
    language: str  # the language of the message and of the attached programme

    @property
    def reachable(self) -> bool:
        return is_address(self.person.email)


def is_address(text: str) -> bool:
    if not text:
        return False
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def liaison_person(member) -> Person:
    """A delegation member (with an e-mail address) as the delegation's liaison."""
    return Person(f"liaison:{member.id}", member.name, member.email or "", "liaison")


def plan_notices(changes: list[Change], *, staff_language: str, liaison: Person | None = None,
                 liaison_language: str = "en") -> list[PlannedNotice]:
    """One notice per person concerned (by name), then the liaison's (the whole summary)."""
    notices = [PlannedNotice(person, tuple(change for change in changes if change.concerns_key(person.key)),
                             staff_language)
               for person in people_concerned(changes)]
    if liaison is not None and changes:
        notices.append(PlannedNotice(liaison, tuple(changes), liaison_language))
    return notices


def dedupe_key(delegation_id: int, number: int, person: Person) -> str:
    """The same notice of the same version to the same person is queued once, however often it is asked for."""
    return f"release-notice:{delegation_id}:v{number}:{person.key}"


def dedupe_prefix(delegation_id: int, number: int) -> str:
    return f"release-notice:{delegation_id}:v{number}:"


def stamp_text(number: int, released_at: datetime, zone: str) -> str:
    """'Version 3, 12 March 2027, 14:05' in the current locale and the local time of the place."""
    local = released_at.astimezone(ZoneInfo(zone))
    locale = _current_locale()
    # "12 March 2027" in English, the locale's long date elsewhere ("12. März 2027").
    date = format_date(local, "d MMMM y" if locale.startswith("en") else "long", locale=locale)
    return _("Version %(number)s, %(when)s", number=number,
             when=f"{date}, {format_datetime(local, 'HH:mm', tzinfo=local.tzinfo, locale=locale)}")


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "de")


@dataclass(frozen=True)
class ComposedNotice:
    subject: str
    body: str  # holds ACK_MARKER where the acknowledgement link goes


def compose(notice: PlannedNotice, *, delegation_title: str, number: int, released_at: datetime, zone: str,
            note: str, home_city: str) -> ComposedNotice:
    """Subject and plain-text body of one notice, in the notice's language."""
    with force_locale(notice.language):
        subject = _("Programme change: %(title)s (version %(number)s)", title=delegation_title, number=number)
        # A principal's notice goes to their office, not to the Mayor in person.
        greeting = (_("Dear colleagues in the office of %(name)s,", name=notice.person.name)
                    if notice.person.kind == "principal" else _("Dear %(name)s,", name=notice.person.name))
        lines = [greeting, "",
                 _("There is a new version of the programme “%(title)s”: %(stamp)s.", title=delegation_title,
                   stamp=stamp_text(number, released_at, zone)),
                 _("What changed for you:") if notice.person.kind != "liaison" else _("What changed:"), ""]
        lines += [f"- {describe(change)}" for change in notice.changes]
        lines += ["", _("Times are local times of the place (%(zone)s).", zone=zone)]
        if note.strip():
            lines += ["", _("Note from the planners:"), note.replace("\x00", "").strip()]
        lines += ["", _("The new programme is attached as a PDF."),
                  _("Please confirm that you have received this notice:"), ACK_MARKER, "",
                  _("International Unit, City of %(city)s", city=home_city)]
        return ComposedNotice(subject, "\n".join(lines) + "\n")
