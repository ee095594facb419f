"""Turning audit entries into sentences people read: "Pia Planer moved 'Reception' from 10:00 to 11:30".

Values are shown as the pages show them: instants in the place's zone, enums by their label, venues and
people by name (looked up in one query per kind, however many entries there are).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Enum, inspect, select

from delegations.extensions import db
from delegations.history.operations import is_restorable
from delegations.history import recorder
from delegations.history.recorder import ENTITY_CLASSES
from delegations.i18n import country_name, language_name
from delegations.models import AuditAction, AuditEntry, ContactPerson, Delegation, Principal, User, Venue
from delegations.models.base import UTCDateTime
from delegations.templating import current_locale_code

FIELD_LABELS = {
    "title": _l("Title"), "kind": _l("Kind"), "starts_at": _l("Start"), "ends_at": _l("End"),
    "venue_id": _l("Venue"), "principal_id": _l("Principal taking part"),
    "responsible_id": _l("Responsible contact person"), "city_participants": _l("Participants on the city side"),
    "dress_code": _l("Dress code"), "description": _l("Description for the delegation"),
    "internal_note": _l("Internal note"), "status": _l("Status"), "name": _l("Name"), "function": _l("Function"),
    "organisation": _l("Organisation"), "role": _l("Role"), "dietary_needs": _l("Dietary needs"),
    "accessibility_needs": _l("Accessibility needs"), "email": _l("E-mail address"), "phone": _l("Phone"),
    "anonymised_at": _l("Personal details removed"), "direction": _l("Kind of visit"), "country_code": _l("Country"),
    "city": _l("City"), "is_partner_city": _l("Partner city"), "head_name": _l("Head of delegation"),
    "head_function": _l("Function of the head"), "expected_size": _l("Expected number of people"),
    "arrival_at": _l("Arrival"), "departure_at": _l("Departure"), "timezone": _l("Time zone of the place"),
    "languages": _l("Languages"), "protocol_level": _l("Protocol level"), "hotel": _l("Hotel"),
    "purpose": _l("Purpose of the visit"), "notes": _l("Notes for the team (internal)"),
    "lead_contact_id": _l("Lead contact person"), "deputy_contact_id": _l("Deputy contact person"),
    "address": _l("Address"), "room": _l("Room"), "active": _l("Active"), "locale": _l("Language of the interface"),
    "password": _l("Password"),
}

SENTENCES = {
    ("programme_item", AuditAction.CREATED): _l("%(who)s added “%(what)s” to the programme"),
    ("programme_item", AuditAction.UPDATED): _l("%(who)s changed “%(what)s”"),
    ("programme_item", AuditAction.DELETED): _l("%(who)s deleted “%(what)s” from the programme"),
    ("programme_item", AuditAction.RESTORED): _l("%(who)s restored “%(what)s” in the programme"),
    ("member", AuditAction.CREATED): _l("%(who)s added %(what)s to the delegation"),
    ("member", AuditAction.UPDATED): _l("%(who)s changed the details of %(what)s"),
    ("member", AuditAction.DELETED): _l("%(who)s removed %(what)s from the delegation"),
    ("member", AuditAction.RESTORED): _l("%(who)s restored %(what)s in the delegation"),
    ("member", AuditAction.ANONYMISED): _l("%(who)s removed the personal details of a member (now “%(what)s”)"),
    ("delegation", AuditAction.CREATED): _l("%(who)s created the visit “%(what)s”"),
    ("delegation", AuditAction.UPDATED): _l("%(who)s changed the visit “%(what)s”"),
    ("delegation", AuditAction.DELETED): _l("%(who)s deleted the visit “%(what)s”"),
    ("venue", AuditAction.CREATED): _l("%(who)s created the venue “%(what)s”"),
    ("venue", AuditAction.UPDATED): _l("%(who)s changed the venue “%(what)s”"),
    ("venue", AuditAction.DELETED): _l("%(who)s deleted the venue “%(what)s”"),
    ("contact_person", AuditAction.CREATED): _l("%(who)s created the contact person “%(what)s”"),
    ("contact_person", AuditAction.UPDATED): _l("%(who)s changed the contact person “%(what)s”"),
    ("contact_person", AuditAction.DELETED): _l("%(who)s deleted the contact person “%(what)s”"),
    ("user", AuditAction.CREATED): _l("%(who)s created the user account “%(what)s”"),
    ("user", AuditAction.UPDATED): _l("%(who)s changed the user account “%(what)s”"),
    ("user", AuditAction.DELETED): _l("%(who)s deleted the user account “%(what)s”"),
}
GENERIC_SENTENCES = {
    AuditAction.CREATED: _l("%(who)s created “%(what)s”"),
    AuditAction.UPDATED: _l("%(who)s changed “%(what)s”"),
    AuditAction.DELETED: _l("%(who)s deleted “%(what)s”"),
    AuditAction.RESTORED: _l("%(who)s restored “%(what)s”"),
    AuditAction.ANONYMISED: _l("%(who)s removed the personal details of “%(what)s”"),
}
SYSTEM_ACTORS = {
    "system:cli": _l("A command on the server"),
    "system:retention": _l("The automatic data retention"),
    "system:anonymous": _l("Someone not logged in"),
    "system:restore": _l("A restore from backup"),
}
ENTITY_KINDS = {
    "delegation": _l("Visit"), "member": _l("Member"), "programme_item": _l("Programme item"),
    "venue": _l("Venue"), "contact_person": _l("Contact person"), "user": _l("User account"),
}


def track_records(names: dict[type, str], kinds: dict[str, object], fields: dict[str, object] | None = None,
                  references: dict[str, tuple] | None = None) -> None:
    """Records of a feature package go into the audit trail like the core ones: `names` gives each model's
    name in the history, `kinds` how the timeline calls that name ("Gift", "Transfer"), `fields` the labels
    of their columns and `references` how a foreign key is shown by name (see REFERENCE_LABELS)."""
    for model, name in names.items():
        recorder.TRACKED.setdefault(model, name)
        recorder.ENTITY_CLASSES.setdefault(name, model)
    for name, label in kinds.items():
        ENTITY_KINDS.setdefault(name, label)
    for name, label in (fields or {}).items():
        FIELD_LABELS.setdefault(name, label)
    for name, reference in (references or {}).items():
        REFERENCE_LABELS.setdefault(name, reference)


# Foreign keys shown by name: the referenced model and how it is called.
REFERENCE_LABELS = {
    "venue": (Venue, lambda venue: venue.label),
    "contact_person": (ContactPerson, lambda person: person.name),
    "principal": (Principal, lambda principal: principal.label),
    "user": (User, lambda user: user.display_name),
}
MAX_SHOWN_CHARACTERS = 300


@dataclass
class Detail:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    entry: AuditEntry
    when: str
    when_iso: str
    sentence: str
    kind: str
    details: list[Detail] = field(default_factory=list)
    restorable: bool = False


def actor_label(entry: AuditEntry) -> str:
    name = entry.actor_name or ""
    if name.startswith("system:"):
        return str(SYSTEM_ACTORS.get(name, _l("The system")))
    return name or str(_l("Someone"))


def format_instant(value: datetime, zone: str, with_date: bool = True) -> str:
    local = value.astimezone(ZoneInfo(zone))
    locale = current_locale_code()
    time_text = format_time(local, "HH:mm", locale=locale)
    if not with_date:
        return time_text
    return f"{format_skeleton('yMMMEd', local, locale=locale)}, {time_text}"


def field_label(name: str) -> str:
    if name.startswith("translation."):
        _prefix, language, part = (name.split(".") + ["", ""])[:3]
        label = _("Title") if part == "title" else _("Description")
        return _("%(field)s in %(language)s", field=label, language=language_name(language, current_locale_code()))
    return str(FIELD_LABELS.get(name, name.replace("_", " ").capitalize()))


class ReferenceNames:
    """Names of the venues, people and principals that entries refer to, fetched in one query per kind."""

    def __init__(self, entries: list[AuditEntry]):
        wanted: dict[str, set[int]] = {}
        for entry in entries:
            cls = ENTITY_CLASSES.get(entry.entity_type)
            if cls is None:
                continue
            columns = inspect(cls).columns
            for name, values in (entry.changes or {}).items():
                target = _reference_table(columns, name)
                if target:
                    wanted.setdefault(target, set()).update(v for v in values if isinstance(v, int))
        self.names: dict[tuple[str, int], str] = {}
        for table, ids in wanted.items():
            if table in REFERENCE_LABELS and ids:
                model, label = REFERENCE_LABELS[table]
                for record in db.session.scalars(select(model).where(model.id.in_(ids))):
                    self.names[(table, record.id)] = label(record)

    def name(self, table: str, record_id: int) -> str:
        return self.names.get((table, record_id)) or _("#%(id)s (deleted since)", id=record_id)


def _reference_table(columns, name: str) -> str | None:
    if name not in columns or not columns[name].foreign_keys:
        return None
    return next(iter(columns[name].foreign_keys)).column.table.name


def format_value(entity_type: str, name: str, value, zone: str, references: ReferenceNames,
                 with_date: bool = True) -> str:
    if value is None or value == "" or value == []:
        return "–"
    cls = ENTITY_CLASSES.get(entity_type)
    columns = inspect(cls).columns if cls is not None else {}
    column_type = columns[name].type if name in columns else None
    locale = current_locale_code()
    if isinstance(column_type, UTCDateTime):
        try:
            return format_instant(datetime.fromisoformat(value), zone, with_date)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(column_type, Enum) and column_type.enum_class is not None:
        try:
            return column_type.enum_class(value).label
        except ValueError:
            return str(value)
    if isinstance(column_type, Boolean) or isinstance(value, bool):
        return _("yes") if value else _("no")
    if (table := _reference_table(columns, name)) and isinstance(value, int):
        return references.name(table, value)
    if name == "languages" and isinstance(value, list):
        return ", ".join(language_name(code, locale) for code in value)
    if name == "country_code":
        return country_name(value, locale)
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    text = str(value)
    return text if len(text) <= MAX_SHOWN_CHARACTERS else text[:MAX_SHOWN_CHARACTERS] + "…"


def _same_local_day(first: str | None, second: str | None, zone: str) -> bool:
    try:
        place = ZoneInfo(zone)
        return datetime.fromisoformat(first).astimezone(place).date() == \
            datetime.fromisoformat(second).astimezone(place).date()
    except (TypeError, ValueError):
        return False


def _shift(changes: dict, name: str):
    old, new = changes[name]
    try:
        return datetime.fromisoformat(new) - datetime.fromisoformat(old)
    except (TypeError, ValueError):
        return None


def describe(entry: AuditEntry, zone: str, references: ReferenceNames, restorable: bool = False) -> TimelineEntry:
    who = actor_label(entry)
    what = entry.summary or ENTITY_KINDS.get(entry.entity_type, entry.entity_type)
    changes = dict(entry.changes or {})
    action = AuditAction(entry.action) if entry.action in AuditAction._value2member_map_ else AuditAction.UPDATED
    sentence = None
    if action == AuditAction.UPDATED and entry.entity_type == "programme_item" and "starts_at" in changes:
        old, new = changes.pop("starts_at")
        with_date = not _same_local_day(old, new, zone)
        sentence = _(
            "%(who)s moved “%(what)s” from %(old)s to %(new)s", who=who, what=what,
            old=format_value(entry.entity_type, "starts_at", old, zone, references, with_date),
            new=format_value(entry.entity_type, "starts_at", new, zone, references, with_date))
        if "ends_at" in changes and old and new and _shift(changes, "ends_at") == \
                datetime.fromisoformat(new) - datetime.fromisoformat(old):
            changes.pop("ends_at")  # moved as a whole: the end followed the start
    if sentence is None:
        template = SENTENCES.get((entry.entity_type, action)) or GENERIC_SENTENCES[action]
        sentence = str(template) % {"who": who, "what": what}
    details = []
    for name, values in changes.items():
        old, new = (list(values) + [None, None])[:2] if isinstance(values, (list, tuple)) else (None, values)
        if action == AuditAction.ANONYMISED or name == "password":
            details.append(Detail(field_label(name), "", ""))
            continue
        with_date = not (old and new and _same_local_day(old, new, zone)) if name.endswith("_at") else True
        details.append(Detail(field_label(name),
                              format_value(entry.entity_type, name, old, zone, references, with_date),
                              format_value(entry.entity_type, name, new, zone, references, with_date)))
    return TimelineEntry(entry=entry, when=format_instant(entry.at, zone), when_iso=entry.at.isoformat(),
                         sentence=sentence, kind=str(ENTITY_KINDS.get(entry.entity_type, entry.entity_type)),
                         details=details, restorable=restorable)


def build_history(entries: list[AuditEntry], zone_of, restorable_ids: set[int] | None = None) -> list[TimelineEntry]:
    """Readable entries; `zone_of(entry)` gives the zone to show times in (the place's)."""
    references = ReferenceNames(entries)
    restorable_ids = restorable_ids or set()
    return [describe(entry, zone_of(entry), references, entry.id in restorable_ids) for entry in entries]


def restorable_entry_ids(entries: list[AuditEntry]) -> set[int]:
    """Deleted items and members whose id is still free (not restored yet), in one query per kind."""
    candidates = [entry for entry in entries if is_restorable(entry)]
    found: set[int] = set()
    by_type: dict[str, list[AuditEntry]] = {}
    for entry in candidates:
        by_type.setdefault(entry.entity_type, []).append(entry)
    for entity_type, group in by_type.items():
        model = ENTITY_CLASSES[entity_type]
        existing = set(db.session.scalars(select(model.id).where(model.id.in_([e.entity_id for e in group]))))
        found.update(entry.id for entry in group if entry.entity_id not in existing)
    return found


def delegation_zones(entries: list[AuditEntry], home_zone: str) -> dict[int, str]:
    ids = {entry.delegation_id for entry in entries if entry.delegation_id}
    zones = dict(db.session.execute(select(Delegation.id, Delegation.timezone).where(Delegation.id.in_(ids))).all()) \
        if ids else {}
    for entry in entries:
        # A deleted visit's zone survives in its snapshot.
        if entry.entity_type == "delegation" and entry.snapshot and entry.entity_id not in zones:
            zones[entry.entity_id] = entry.snapshot.get("timezone") or home_zone
    return zones
