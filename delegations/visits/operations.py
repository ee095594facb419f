"""State changes for visits: turning submitted forms into records, importing members.

Functions here flush but never commit: the view commits once, so one action is one transaction.
"""
from __future__ import annotations

from datetime import datetime

from babel.core import get_global
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from delegations.constants import (DelegationStatus, Direction, ItemKind, ItemStatus, MemberRole,
                                   ProtocolLevel)
from delegations.extensions import db
from delegations.forms import check_local_time_exists
from delegations.i18n import language_name
from delegations.models import Delegation, Member, Principal, ProgrammeItem, ProgrammeItemTranslation, utc_now
from delegations.planning.rules import departure_problem, end_after_start_problem, outside_stay_problem
from delegations.visits.forms import DelegationForm, ProgrammeItemForm
from delegations.zones import is_valid_zone

# The unit writes programmes in German; these are the languages translations are kept for first.
BASE_LANGUAGE = "de"
FALLBACK_LANGUAGE = "en"

MEMBER_FIELDS = ("name", "function", "organisation", "role", "dietary_needs", "accessibility_needs", "email", "phone")
ITEM_TEXT_FIELDS = ("title", "city_participants", "dress_code", "description", "internal_note", "talking_points")


def zone_for_country(country_code: str) -> str | None:
    """The country's zone when it has exactly one (JP -> Asia/Tokyo); None when it has several."""
    zones = get_global("territory_zones").get((country_code or "").upper(), ())
    return zones[0] if len(zones) == 1 else None


def stay_instants(form: DelegationForm, home_zone: str) -> tuple[str, datetime, datetime] | None:
    """The zone of the place, arrival and departure as instants; or None after adding errors to the form.

    Reads only direction, country, zone and the two times, so the view also calls it when other fields
    are wrong: the planner then sees every problem at once, not one after the other.
    """
    if form.direction.errors or form.arrival_at.errors or form.departure_at.errors \
            or form.arrival_at.data is None or form.departure_at.data is None:
        return None
    direction = Direction(form.direction.data)
    if direction == Direction.INCOMING:
        zone_name = home_zone
    else:
        zone_name = form.timezone.data or zone_for_country(form.country_code.data)
        if not zone_name:
            if form.country_code.data and not form.country_code.errors:
                form.timezone.errors.append(
                    _("This country has several time zones: please choose the one of the destination."))
            return None
    if not is_valid_zone(zone_name):
        form.timezone.errors.append(_("Unknown time zone."))
        return None
    if not (check_local_time_exists(form.arrival_at, zone_name) & check_local_time_exists(form.departure_at, zone_name)):
        return None
    arrival, departure = form.arrival_at.instant(zone_name), form.departure_at.instant(zone_name)
    if problem := departure_problem(arrival, departure):
        form.departure_at.errors.append(problem)
        return None
    return zone_name, arrival, departure


def delegation_changes(form: DelegationForm, home_zone: str) -> dict | None:
    """The new values of a delegation from its form, or None after adding errors to the form."""
    stay = stay_instants(form, home_zone)
    if stay is None:
        return None
    zone_name, arrival, departure = stay
    direction = Direction(form.direction.data)
    if form.lead_contact_id.data and form.lead_contact_id.data == form.deputy_contact_id.data:
        form.deputy_contact_id.errors.append(_("The deputy must be someone other than the lead contact person."))
        return None
    return {
        "direction": direction,
        "title": form.title.data.strip(),
        "country_code": form.country_code.data.upper(),
        "city": form.city.data.strip(),
        "organisation": form.organisation.data.strip(),
        # Linking a twinning or city friendship marks the visit as a partner-city visit (delegations/partners).
        "is_partner_city": form.is_partner_city.data or partner_city_flag(form.partner_city_id.data),
        "partner_city_id": form.partner_city_id.data,
        "head_name": form.head_name.data.strip(),
        "head_function": form.head_function.data.strip(),
        "expected_size": form.expected_size.data or 0,
        "arrival_at": arrival,
        "departure_at": departure,
        "timezone": zone_name,
        "languages": list(form.languages.data or []),
        "status": DelegationStatus(form.status.data),
        "protocol_level": ProtocolLevel(form.protocol_level.data),
        "hotel": form.hotel.data.strip(),
        "purpose": form.purpose.data.strip(),
        "notes": form.notes.data.strip(),
        "lead_contact_id": form.lead_contact_id.data,
        "deputy_contact_id": form.deputy_contact_id.data,
        "travelling_principals": travelling_principals(form, direction),
    }


def partner_city_flag(partner_city_id: int | None) -> bool:
    from delegations.models import PartnerCity
    from delegations.partners.operations import counts_as_partner_city

    return counts_as_partner_city(db.session.get(PartnerCity, partner_city_id) if partner_city_id else None)


def travelling_principals(form: DelegationForm, direction: Direction) -> list[Principal]:
    """Of an outgoing tour: the principals who travel (busy for the whole trip); an incoming visit has none."""
    ids = [int(value) for value in form.travelling_principal_ids.data or []]
    if direction != Direction.OUTGOING or not ids:
        return []
    return list(db.session.scalars(select(Principal).where(Principal.id.in_(ids)).order_by(Principal.id)))


def items_outside_stay(delegation: Delegation, arrival: datetime, departure: datetime) -> list[ProgrammeItem]:
    return [item for item in delegation.items
            if outside_stay_problem(item.starts_at, item.ends_at, arrival, departure)]


def translation_languages(delegation: Delegation) -> list[str]:
    """English always (the fallback of printed programmes), then each language the delegation reads."""
    return [FALLBACK_LANGUAGE] + [code for code in delegation.languages if code not in (BASE_LANGUAGE, FALLBACK_LANGUAGE)]


def item_form_class(delegation: Delegation, locale: str) -> type[ProgrammeItemForm]:
    """The item form with a title and description field for each translation language."""
    fields = {}
    for code in translation_languages(delegation):
        name = language_name(code, locale)
        fields[f"title_{code}"] = StringField(_l("Title in %(language)s", language=name),
                                              validators=[Length(max=300)], render_kw={"lang": code})
        fields[f"description_{code}"] = TextAreaField(_l("Description in %(language)s", language=name),
                                                      validators=[Length(max=5000)], render_kw={"lang": code})
    return type("ProgrammeItemTranslatedForm", (ProgrammeItemForm,), fields)


def item_instants(form: ProgrammeItemForm, delegation: Delegation) -> tuple[datetime, datetime] | None:
    """Start and end of the item as instants, or None after adding errors to the form.

    Reads only the two times (see stay_instants: the view also calls it when other fields are wrong).
    """
    if form.starts_at.errors or form.ends_at.errors or form.starts_at.data is None or form.ends_at.data is None:
        return None
    zone_name = delegation.timezone
    if not (check_local_time_exists(form.starts_at, zone_name) & check_local_time_exists(form.ends_at, zone_name)):
        return None
    start, end = form.starts_at.instant(zone_name), form.ends_at.instant(zone_name)
    if problem := end_after_start_problem(start, end):
        form.ends_at.errors.append(problem)
        return None
    if problem := outside_stay_problem(start, end, delegation.arrival_at, delegation.departure_at):
        form.starts_at.errors.append(problem)
        return None
    return start, end


def item_changes(form: ProgrammeItemForm, delegation: Delegation) -> dict | None:
    """The new values of a programme item, or None after adding errors to the form."""
    times = item_instants(form, delegation)
    if times is None:
        return None
    start, end = times
    changes = {name: (form[name].data or "").strip() for name in ITEM_TEXT_FIELDS}
    changes.update(
        kind=ItemKind(form.kind.data),
        status=ItemStatus(form.status.data),
        starts_at=start,
        ends_at=end,
        venue_id=form.venue_id.data,
        responsible_id=form.responsible_id.data,
        principal_id=form.principal_id.data,
    )
    return changes


def apply_translations(item: ProgrammeItem, form: ProgrammeItemForm, delegation: Delegation) -> None:
    existing = {translation.language: translation for translation in item.translations}
    changed = False
    for code in translation_languages(delegation):
        title = (form[f"title_{code}"].data or "").strip()
        description = (form[f"description_{code}"].data or "").strip()
        translation = existing.get(code)
        if not title and not description:
            if translation is not None:
                item.translations.remove(translation)
                changed = True
            continue
        if translation is None:
            translation = ProgrammeItemTranslation(language=code)
            item.translations.append(translation)
        if (translation.title, translation.description) != (title, description):
            translation.title, translation.description = title, description
            changed = True
    if changed and item.id is not None:
        # Translations live in their own rows: touch the item so that its version grows too, and a
        # colleague editing the same item meanwhile is told instead of overwritten.
        item.updated_at = utc_now()


def fill_translation_fields(form: ProgrammeItemForm, item: ProgrammeItem, delegation: Delegation) -> None:
    for code in translation_languages(delegation):
        translation = item.translation(code)
        if translation is not None:
            form[f"title_{code}"].data = translation.title
            form[f"description_{code}"].data = translation.description


def member_changes(form) -> dict:
    changes = {name: (form[name].data or "").strip() for name in MEMBER_FIELDS if name != "role"}
    changes["role"] = MemberRole(form.role.data)
    return changes


def import_members(delegation: Delegation, rows: list[dict]) -> list[Member]:
    """Add the previewed rows as members, after the existing ones (all or nothing: one flush)."""
    position = max((member.position for member in delegation.members), default=0)
    added = []
    for row in rows:
        position += 1
        member = Member(delegation=delegation, position=position, role=MemberRole(row["role"]),
                        **{name: row.get(name, "") for name in MEMBER_FIELDS if name != "role"})
        db.session.add(member)
        added.append(member)
    db.session.flush()
    return added


