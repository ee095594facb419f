"""The version stamp that documents, the guest page and the delegation feed show: "Version 3, 12 March 2027, 14:05"."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from delegations.releases.notices import stamp_text
from delegations.releases.queries import ReleaseStamp, latest_release, release_stamp


def stamp_label(stamp: ReleaseStamp | None, zone: str) -> str:
    """The stamp in words in the current locale ("" when no version was released)."""
    if stamp is None:
        return ""
    text = stamp_text(stamp.number, stamp.released_at, zone)
    if stamp.out_of_date:
        return _("%(stamp)s (data changed since)", stamp=text)
    return text


def release_fingerprint(delegation_id: int | None) -> str:
    """What a cached feed must change with: the latest version's number and hash."""
    if delegation_id is None:
        return ""
    latest = latest_release(delegation_id)
    return f"{latest.number}:{latest.snapshot_hash}" if latest is not None else "none"


def stamp_calendar(calendar, delegation_id: int, locale: str, uid: str) -> None:
    """Names the released version in a delegation's feed: the calendar's description and the visit's event."""
    from icalendar import vText

    from delegations.extensions import db
    from delegations.feeds.calendar import clean_text
    from delegations.models import Delegation

    delegation = db.session.get(Delegation, delegation_id)
    stamp = release_stamp(delegation) if delegation is not None else None
    if stamp is None:
        return
    with force_locale(locale):
        text = _("Programme: %(stamp)s", stamp=stamp_label(stamp, delegation.timezone))
    calendar.add("x-wr-caldesc", vText(clean_text(text)))
    for event in calendar.walk("VEVENT"):
        if str(event.get("uid")) == uid:
            description = str(event.get("description") or "")
            event.pop("description", None)
            event.add("description", clean_text("\n\n".join(part for part in (description, text) if part)))


def document_stamp(delegation) -> str:
    """The stamp for a programme PDF or the guest page, in the current locale ("" before a first release)."""
    return stamp_label(release_stamp(delegation), delegation.timezone)
