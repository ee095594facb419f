"""Changes between two programme snapshots, each with the people it concerns, in plain words.

Computed from the snapshots alone (never from the history log), so a summary between any two released
versions stays right when the history is pruned. `diff` needs no app; `describe` words a change in the
current locale (gettext), with times in the local time of the place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from flask_babel import gettext as _

from delegations.releases.snapshot import without_addresses


class ChangeKind(StrEnum):
    # Visit-level changes first, then item changes; the order is the order of a summary.
    VISIT_CANCELLED = "visit_cancelled"
    VISIT_STATUS = "visit_status"
    ARRIVAL = "arrival"
    DEPARTURE = "departure"
    HOTEL = "hotel"
    LEAD = "lead"
    VISIT_DETAILS = "visit_details"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    MEMBER_CHANGED = "member_changed"
    ADDED = "added"
    CANCELLED = "cancelled"
    REINSTATED = "reinstated"
    REMOVED = "removed"
    MOVED = "moved"
    VENUE = "venue"
    PRINCIPAL = "principal"
    RESPONSIBLE = "responsible"
    TITLE = "title"
    STATUS = "status"
    DETAILS = "details"
    # Rides (travel), ordered by pick-up time among the items.
    TRANSFER_ADDED = "transfer_added"
    TRANSFER_REMOVED = "transfer_removed"
    TRANSFER_MOVED = "transfer_moved"
    TRANSFER_ROUTE = "transfer_route"
    TRANSFER_DRIVER = "transfer_driver"
    TRANSFER_DETAILS = "transfer_details"


ORDER = {kind: position for position, kind in enumerate(ChangeKind)}
VISIT_KINDS = frozenset(list(ChangeKind)[:ORDER[ChangeKind.ADDED]])


@dataclass(frozen=True)
class Person:
    """Someone a change concerns. `key` is stable across versions ("contact:5", "principal:2")."""

    key: str
    name: str
    email: str
    kind: str  # contact, principal, participant, driver, liaison


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    subject: str  # the item's title (the new one when renamed) or the visit's title
    item_id: int | None = None
    venue: str = ""  # the item's venue name, to say "Reception at the New Town Hall"
    old: object = None
    new: object = None
    zone: str = "Europe/Berlin"
    fields: tuple[str, ...] = ()  # what changed, for DETAILS-like changes
    concerns: tuple[Person, ...] = field(default=(), compare=False)
    sort_at: str = ""  # the item's (new, else old) start, for ordering
    ride_kind: str = ""  # for a ride: pick_up, drop_off or local (worded in the reader's language)

    @property
    def is_visit_level(self) -> bool:
        return self.kind in VISIT_KINDS

    def concerns_key(self, key: str) -> bool:
        return any(person.key == key for person in self.concerns)


# People -----------------------------------------------------------------------------------------------

def contact_person(data: dict | None) -> Person | None:
    if not data:
        return None
    return Person(f"contact:{data['id']}", data["name"], data.get("email", ""), "contact")


def principal_person(data: dict | None) -> Person | None:
    if not data:
        return None
    return Person(f"principal:{data['id']}", data["name"], data.get("email", ""), "principal")


def participant_person(data: dict) -> Person:
    if data.get("principal"):
        return principal_person(data["principal"])
    return Person(f"participant:{data['id']}", data["name"], "", "participant")


def driver_person(transfer: dict) -> Person | None:
    """The ride's driver: a contact person (reachable), else a driver known by name only (named, not mailed)."""
    driver = transfer.get("driver")
    if not driver:
        return None
    if driver.get("id") is not None:
        return contact_person(driver)
    return Person(f"driver:{transfer['id']}:{driver['name']}", driver["name"], "", "driver")


def item_people(item: dict | None) -> list[Person]:
    if item is None:
        return []
    people = [contact_person(item.get("responsible")), principal_person(item.get("principal"))]
    people += [participant_person(p) for p in item.get("participants", ())]
    return [person for person in people if person is not None]


def _unique(people) -> tuple[Person, ...]:
    seen: dict[str, Person] = {}
    for person in people:
        if person is not None and person.key not in seen:
            seen[person.key] = person
    return tuple(seen.values())


# Comparing --------------------------------------------------------------------------------------------

def _same(old, new) -> bool:
    return without_addresses(old) == without_addresses(new)


def _person_label(data: dict | None) -> str | None:
    return data["name"] if data else None


def _venue_label(data: dict | None) -> str | None:
    if not data:
        return None
    return f"{data['name']}, {data['room']}" if data.get("room") else data["name"]


def _venue_identity(data: dict | None):
    return (data["id"], data["name"], data.get("room", "")) if data else None


def _who(data: dict | None):
    return (data["id"], data["name"]) if data else None


ITEM_DETAIL_FIELDS = ("kind", "description", "dress_code", "city_participants", "participants", "translations")
VISIT_HANDLED = {"id", "status", "arrival_at", "departure_at", "hotel", "lead_contact", "deputy_contact", "timezone"}


def _item_changes(old: dict | None, new: dict | None, zone: str) -> list[Change]:
    current = new or old
    common = dict(subject=current["title"], item_id=current["id"], venue=(current.get("venue") or {}).get("name", ""),
                  zone=zone, sort_at=current["starts_at"])
    if old is None:
        return [Change(ChangeKind.ADDED, new=(new["starts_at"], new["ends_at"]), concerns=_unique(item_people(new)),
                       **common)]
    if new is None:
        return [Change(ChangeKind.REMOVED, old=(old["starts_at"], old["ends_at"]), concerns=_unique(item_people(old)),
                       **common)]
    if _same(old, new):
        return []
    everyone = _unique(item_people(old) + item_people(new))
    if old["status"] != "cancelled" and new["status"] == "cancelled":
        # Nobody needs to hear that a cancelled lunch also changed its venue.
        return [Change(ChangeKind.CANCELLED, old=(old["starts_at"], old["ends_at"]), concerns=everyone, **common)]
    changes = []
    if old["status"] == "cancelled" and new["status"] != "cancelled":
        changes.append(Change(ChangeKind.REINSTATED, new=(new["starts_at"], new["ends_at"]), concerns=everyone,
                              **common))
    elif old["status"] != new["status"]:
        changes.append(Change(ChangeKind.STATUS, old=old["status"], new=new["status"], concerns=everyone, **common))
    if (old["starts_at"], old["ends_at"]) != (new["starts_at"], new["ends_at"]):
        changes.append(Change(ChangeKind.MOVED, old=(old["starts_at"], old["ends_at"]),
                              new=(new["starts_at"], new["ends_at"]), concerns=everyone, **common))
    if _venue_identity(old["venue"]) != _venue_identity(new["venue"]):
        changes.append(Change(ChangeKind.VENUE, old=_venue_label(old["venue"]), new=_venue_label(new["venue"]),
                              concerns=everyone, **common))
    if _who(old["principal"]) != _who(new["principal"]):
        changes.append(Change(ChangeKind.PRINCIPAL, old=_person_label(old["principal"]),
                              new=_person_label(new["principal"]), concerns=everyone, **common))
    if _who(old["responsible"]) != _who(new["responsible"]):
        changes.append(Change(ChangeKind.RESPONSIBLE, old=_person_label(old["responsible"]),
                              new=_person_label(new["responsible"]), concerns=everyone, **common))
    if old["title"] != new["title"]:
        changes.append(Change(ChangeKind.TITLE, old=old["title"], new=new["title"], concerns=everyone, **common))
    details = tuple(name for name in ITEM_DETAIL_FIELDS if not _same(old.get(name), new.get(name)))
    if old["venue"] and new["venue"] and _venue_identity(old["venue"]) == _venue_identity(new["venue"]) \
            and not _same(old["venue"], new["venue"]):
        details += ("venue_address",)
    if details:
        changes.append(Change(ChangeKind.DETAILS, fields=details, concerns=everyone, **common))
    return changes


TRANSFER_DETAIL_FIELDS = ("vehicle", "driver_phone", "passengers", "notes")


def ride_label(ride_kind: str, destination: str) -> str:
    """ "Pick-up → Kastens Hotel Luisenhof", as the travel pages name a ride (in the current locale)."""
    from delegations.models.travel import TransferKind

    try:
        kind = str(TransferKind(ride_kind).label)
    except ValueError:
        kind = ride_kind
    return f"{kind} → {destination}" if destination else kind


def _transfer_changes(old: dict | None, new: dict | None, leads: tuple[Person, ...]) -> list[Change]:
    current = new or old
    zone = current.get("timezone") or "Europe/Berlin"
    drivers = [driver_person(ride) for ride in (old, new) if ride is not None]
    everyone = _unique(drivers + list(leads))
    destination = (current.get("destination") or "").splitlines()
    common = dict(subject=destination[0] if destination else "", ride_kind=current["kind"], zone=zone,
                  sort_at=current["pickup_at"], concerns=everyone, fields=(f"transfer:{current['id']}",))
    if old is None:
        return [Change(ChangeKind.TRANSFER_ADDED, new=(new["pickup_at"], new["pickup_address"]), **common)]
    if new is None:
        return [Change(ChangeKind.TRANSFER_REMOVED, old=(old["pickup_at"], old["pickup_address"]), **common)]
    if _same(old, new):
        return []
    changes = []
    if old["pickup_at"] != new["pickup_at"]:
        changes.append(Change(ChangeKind.TRANSFER_MOVED, old=old["pickup_at"], new=new["pickup_at"], **common))
    for name in ("pickup_address", "destination"):
        if old[name] != new[name]:
            changes.append(Change(ChangeKind.TRANSFER_ROUTE, old=old[name], new=new[name],
                                  **{**common, "fields": common["fields"] + (name,)}))
    if _who(old["driver"]) != _who(new["driver"]):
        changes.append(Change(ChangeKind.TRANSFER_DRIVER, old=_person_label(old["driver"]),
                              new=_person_label(new["driver"]), **common))
    details = tuple(name for name in TRANSFER_DETAIL_FIELDS if not _same(old.get(name), new.get(name)))
    if details:
        changes.append(Change(ChangeKind.TRANSFER_DETAILS, **{**common, "fields": common["fields"] + details}))
    return changes


def _visit_people(snapshot: dict) -> list[Person]:
    """Who hears of visit-level changes: the visit's lead and deputy and everyone responsible for an item."""
    visit = snapshot["delegation"]
    people = [contact_person(visit.get("lead_contact")), contact_person(visit.get("deputy_contact"))]
    people += [contact_person(item.get("responsible")) for item in snapshot["items"] if item["status"] != "cancelled"]
    return [person for person in people if person is not None]


def _visit_changes(old: dict, new: dict) -> list[Change]:
    before, after = old["delegation"], new["delegation"]
    zone = after.get("timezone") or "Europe/Berlin"
    leads = _unique([contact_person(before.get("lead_contact")), contact_person(before.get("deputy_contact")),
                     contact_person(after.get("lead_contact")), contact_person(after.get("deputy_contact"))])
    everyone = _unique(list(leads) + _visit_people(old) + _visit_people(new))
    common = dict(subject=after["title"], zone=zone)
    changes = []
    if before["status"] != after["status"]:
        kind = ChangeKind.VISIT_CANCELLED if after["status"] == "cancelled" else ChangeKind.VISIT_STATUS
        changes.append(Change(kind, old=before["status"], new=after["status"], concerns=everyone, **common))
    if before["arrival_at"] != after["arrival_at"]:
        changes.append(Change(ChangeKind.ARRIVAL, old=before["arrival_at"], new=after["arrival_at"],
                              concerns=everyone, **common))
    if before["departure_at"] != after["departure_at"]:
        changes.append(Change(ChangeKind.DEPARTURE, old=before["departure_at"], new=after["departure_at"],
                              concerns=everyone, **common))
    if before["hotel"] != after["hotel"]:
        changes.append(Change(ChangeKind.HOTEL, old=before["hotel"], new=after["hotel"], concerns=everyone, **common))
    if (_who(before.get("lead_contact")), _who(before.get("deputy_contact"))) != \
            (_who(after.get("lead_contact")), _who(after.get("deputy_contact"))):
        changes.append(Change(ChangeKind.LEAD, old=_person_label(before.get("lead_contact")),
                              new=_person_label(after.get("lead_contact")), concerns=leads, **common))
    details = tuple(sorted(key for key in set(before) | set(after)
                           if key not in VISIT_HANDLED and not _same(before.get(key), after.get(key))))
    if before.get("timezone") != after.get("timezone"):
        details += ("timezone",)
    if details:
        changes.append(Change(ChangeKind.VISIT_DETAILS, fields=details, concerns=leads, **common))
    old_members = {member["id"]: member for member in old["members"]}
    new_members = {member["id"]: member for member in new["members"]}
    for member_id, member in new_members.items():
        if member_id not in old_members:
            changes.append(Change(ChangeKind.MEMBER_ADDED, new=member["name"], concerns=leads,
                                  fields=(str(member_id),), **common))
        elif not _same(old_members[member_id], member):
            changes.append(Change(ChangeKind.MEMBER_CHANGED, old=old_members[member_id]["name"], new=member["name"],
                                  concerns=leads, fields=(str(member_id),), **common))
    for member_id, member in old_members.items():
        if member_id not in new_members:
            changes.append(Change(ChangeKind.MEMBER_REMOVED, old=member["name"], concerns=leads,
                                  fields=(str(member_id),), **common))
    return changes


def diff(old: dict, new: dict) -> list[Change]:
    """What changed from snapshot `old` to snapshot `new`: visit-level changes first, then item changes
    in programme order (by the item's new start, else its old one)."""
    zone = new["delegation"].get("timezone") or "Europe/Berlin"
    changes = _visit_changes(old, new)
    old_items = {item["id"]: item for item in old["items"]}
    new_items = {item["id"]: item for item in new["items"]}
    item_changes = []
    for item_id in sorted(set(old_items) | set(new_items)):
        item_changes += _item_changes(old_items.get(item_id), new_items.get(item_id), zone)
    visit = new["delegation"]
    leads = _unique([contact_person(visit.get("lead_contact")), contact_person(visit.get("deputy_contact"))])
    old_rides = {ride["id"]: ride for ride in old.get("transfers", ())}
    new_rides = {ride["id"]: ride for ride in new.get("transfers", ())}
    for ride_id in sorted(set(old_rides) | set(new_rides)):
        item_changes += _transfer_changes(old_rides.get(ride_id), new_rides.get(ride_id), leads)
    item_changes.sort(key=lambda change: (change.sort_at, change.item_id or 0, ORDER[change.kind], change.fields))
    return changes + item_changes


def people_concerned(changes: list[Change]) -> list[Person]:
    """Everyone any of the changes concerns, by name."""
    return sorted(_unique(person for change in changes for person in change.concerns),
                  key=lambda person: (person.name.lower(), person.key))


# Words ------------------------------------------------------------------------------------------------

def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "de")


def _local(value: str, zone: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(ZoneInfo(zone))


def clock(value: str, zone: str) -> str:
    return format_time(_local(value, zone), "HH:mm", locale=_locale())


def day(value: str, zone: str) -> str:
    return format_skeleton("MMMEd", _local(value, zone), locale=_locale())


def day_and_clock(value: str, zone: str) -> str:
    return _("%(day)s, %(time)s", day=day(value, zone), time=clock(value, zone))


def period(span: tuple[str, str], zone: str, with_day: bool = True) -> str:
    start, end = span
    text = f"{clock(start, zone)}–{clock(end, zone)}"
    return _("%(day)s, %(time)s", day=day(start, zone), time=text) if with_day else text


def _moved(change: Change, label: str) -> str:
    (old_start, old_end), (new_start, new_end) = change.old, change.new
    zone = change.zone
    same_day = _local(old_start, zone).date() == _local(new_start, zone).date()
    same_length = (datetime.fromisoformat(old_end) - datetime.fromisoformat(old_start)
                   == datetime.fromisoformat(new_end) - datetime.fromisoformat(new_start))
    if old_start == new_start:
        return _("%(item)s now ends at %(new)s instead of %(old)s", item=label,
                 new=clock(new_end, zone), old=clock(old_end, zone))
    if same_day and same_length:
        return _("%(item)s moved from %(old)s to %(new)s", item=label, old=clock(old_start, zone),
                 new=clock(new_start, zone))
    if same_day:
        return _("%(item)s moved from %(old)s to %(new)s", item=label, old=period(change.old, zone, False),
                 new=period(change.new, zone, False))
    if same_length:
        return _("%(item)s moved from %(old)s to %(new)s", item=label, old=day_and_clock(old_start, zone),
                 new=day_and_clock(new_start, zone))
    return _("%(item)s moved from %(old)s to %(new)s", item=label, old=period(change.old, zone),
             new=period(change.new, zone))


def field_label(name: str) -> str:
    labels = {
        "kind": _("kind"), "description": _("description"), "dress_code": _("dress code"),
        "city_participants": _("city-side participants"), "participants": _("city-side participants"),
        "translations": _("translations"), "venue_address": _("address of the venue"),
        "title": _("title"), "languages": _("languages"), "head_name": _("head of delegation"),
        "direction": _("direction"), "timezone": _("time zone"),
        "vehicle": _("vehicle"), "driver_phone": _("driver's phone"), "passengers": _("passengers"),
        "notes": _("notes"),
    }
    return labels.get(name, name.replace("_", " "))


def _status_label(value: str) -> str:
    from delegations.constants import DelegationStatus, ItemStatus

    for enum in (ItemStatus, DelegationStatus):
        try:
            return enum(value).label.lower()
        except ValueError:
            continue
    return value


def _first_line(text: str) -> str:
    lines = (text or "").splitlines()
    return lines[0] if lines else _("none")


def _none(value) -> str:
    return value if value else _("none")


def describe(change: Change) -> str:
    """The change in one plain sentence in the current locale."""
    label = change.subject
    if change.ride_kind:
        label = ride_label(change.ride_kind, change.subject)
    elif change.venue and change.venue.lower() not in change.subject.lower():  # not "Tour of the Zoo at Zoo"
        label = _("%(title)s at %(venue)s", title=change.subject, venue=change.venue)
    zone = change.zone
    kind = change.kind
    if kind == ChangeKind.ADDED:
        return _("Item added: %(item)s, %(when)s", item=label, when=period(change.new, zone))
    if kind == ChangeKind.REMOVED:
        return _("Item removed from the programme: %(item)s (was %(when)s)", item=label, when=period(change.old, zone))
    if kind == ChangeKind.CANCELLED:
        return _("Item cancelled: %(item)s (%(when)s)", item=label, when=period(change.old, zone))
    if kind == ChangeKind.REINSTATED:
        return _("Item takes place again: %(item)s, %(when)s", item=label, when=period(change.new, zone))
    if kind == ChangeKind.MOVED:
        return _moved(change, label)
    if kind == ChangeKind.VENUE:
        if not change.old:
            return _("%(item)s: venue set to %(new)s", item=change.subject, new=change.new)
        if not change.new:
            return _("%(item)s: venue removed (was %(old)s)", item=change.subject, old=change.old)
        return _("%(item)s: venue changed from %(old)s to %(new)s", item=change.subject, old=change.old,
                 new=change.new)
    if kind == ChangeKind.PRINCIPAL:
        if not change.old:
            return _("%(item)s: now with %(new)s", item=label, new=change.new)
        if not change.new:
            return _("%(item)s: %(old)s no longer takes part", item=label, old=change.old)
        return _("%(item)s: %(new)s takes part instead of %(old)s", item=label, old=change.old, new=change.new)
    if kind == ChangeKind.RESPONSIBLE:
        return _("%(item)s: responsible person changed from %(old)s to %(new)s", item=label,
                 old=_none(change.old), new=_none(change.new))
    if kind == ChangeKind.TITLE:
        return _("Title changed from “%(old)s” to “%(new)s”", old=change.old, new=change.new)
    if kind == ChangeKind.STATUS:
        return _("%(item)s: now %(new)s (was %(old)s)", item=label, new=_status_label(change.new),
                 old=_status_label(change.old))
    if kind == ChangeKind.DETAILS:
        return _("%(item)s: details changed (%(fields)s)", item=label,
                 fields=", ".join(dict.fromkeys(field_label(name) for name in change.fields)))
    if kind == ChangeKind.TRANSFER_ADDED:
        start, place = change.new
        return _("Ride added: %(ride)s, %(when)s from %(place)s", ride=label, when=day_and_clock(start, zone),
                 place=_first_line(place))
    if kind == ChangeKind.TRANSFER_REMOVED:
        start, place = change.old
        return _("Ride cancelled: %(ride)s (was %(when)s from %(place)s)", ride=label,
                 when=day_and_clock(start, zone), place=_first_line(place))
    if kind == ChangeKind.TRANSFER_MOVED:
        if _local(change.old, zone).date() == _local(change.new, zone).date():
            return _("%(ride)s: pick-up moved from %(old)s to %(new)s", ride=label, old=clock(change.old, zone),
                     new=clock(change.new, zone))
        return _("%(ride)s: pick-up moved from %(old)s to %(new)s", ride=label,
                 old=day_and_clock(change.old, zone), new=day_and_clock(change.new, zone))
    if kind == ChangeKind.TRANSFER_ROUTE:
        if "pickup_address" in change.fields:
            return _("%(ride)s: pick-up address changed from %(old)s to %(new)s", ride=label,
                     old=_first_line(change.old), new=_first_line(change.new))
        return _("%(ride)s: destination changed from %(old)s to %(new)s", ride=label,
                 old=_first_line(change.old), new=_first_line(change.new))
    if kind == ChangeKind.TRANSFER_DRIVER:
        return _("%(ride)s: driver changed from %(old)s to %(new)s", ride=label, old=_none(change.old),
                 new=_none(change.new))
    if kind == ChangeKind.TRANSFER_DETAILS:
        return _("%(ride)s: details changed (%(fields)s)", ride=label,
                 fields=", ".join(field_label(name) for name in change.fields[1:]))
    if kind == ChangeKind.VISIT_CANCELLED:
        return _("The visit is cancelled")
    if kind == ChangeKind.VISIT_STATUS:
        return _("The visit is now %(new)s (was %(old)s)", new=_status_label(change.new), old=_status_label(change.old))
    if kind in (ChangeKind.ARRIVAL, ChangeKind.DEPARTURE):
        if _local(change.old, zone).date() == _local(change.new, zone).date():  # the day once, not twice
            text = (_("Arrival on %(day)s moved from %(old)s to %(new)s") if kind == ChangeKind.ARRIVAL
                    else _("Departure on %(day)s moved from %(old)s to %(new)s"))
            return text % {"day": day(change.new, zone), "old": clock(change.old, zone),
                           "new": clock(change.new, zone)}
        if kind == ChangeKind.ARRIVAL:
            return _("Arrival moved from %(old)s to %(new)s", old=day_and_clock(change.old, zone),
                     new=day_and_clock(change.new, zone))
        return _("Departure moved from %(old)s to %(new)s", old=day_and_clock(change.old, zone),
                 new=day_and_clock(change.new, zone))
    if kind == ChangeKind.HOTEL:
        if not change.old:
            return _("Hotel set: %(new)s", new=change.new)
        if not change.new:
            return _("Hotel no longer given (was %(old)s)", old=change.old)
        return _("Hotel changed from %(old)s to %(new)s", old=change.old, new=change.new)
    if kind == ChangeKind.LEAD:
        return _("The visit's lead or deputy changed (lead now: %(new)s)", new=_none(change.new))
    if kind == ChangeKind.VISIT_DETAILS:
        return _("Visit details changed (%(fields)s)", fields=", ".join(field_label(name) for name in change.fields))
    if kind == ChangeKind.MEMBER_ADDED:
        return _("Member added: %(name)s", name=change.new)
    if kind == ChangeKind.MEMBER_REMOVED:
        return _("Member removed: %(name)s", name=change.old)
    if kind == ChangeKind.MEMBER_CHANGED:
        return _("Member details changed: %(name)s", name=change.new)
    raise ValueError(kind)
