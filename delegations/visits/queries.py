"""What the visit pages read, each in a fixed number of queries however much data there is."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from delegations.extensions import db
from delegations.i18n import country_choices
from delegations.models import ContactPerson, Delegation, Member, Principal, ProgrammeItem, Venue


def delegation_for_page(delegation_id: int) -> Delegation | None:
    return db.session.scalar(
        select(Delegation)
        .where(Delegation.id == delegation_id)
        .options(
            joinedload(Delegation.lead_contact),
            joinedload(Delegation.deputy_contact),
            selectinload(Delegation.members),
            selectinload(Delegation.items).options(
                joinedload(ProgrammeItem.venue),
                joinedload(ProgrammeItem.responsible),
                joinedload(ProgrammeItem.principal),
                selectinload(ProgrammeItem.translations),
            ),
        )
    )


def search_delegations(text: str = "", direction: str = "", status: str = "",
                       date_from: date | None = None, date_to: date | None = None,
                       locale: str = "de", home_zone: str = "Europe/Berlin") -> Select:
    """Visits matching the filters, newest first. Text matches title, place, people and country names."""
    statement = select(Delegation).options(joinedload(Delegation.lead_contact))
    if text:
        # % and _ typed by the user are text, not wildcards.
        like = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        def matches(column):
            return func.lower(column).like(like, escape="\\")

        member_match = exists().where(Member.delegation_id == Delegation.id, matches(Member.name))
        countries = [code for code, name in country_choices(locale) if text.lower() in name.lower()]
        statement = statement.where(or_(
            matches(Delegation.title),
            matches(Delegation.city),
            matches(Delegation.organisation),
            matches(Delegation.head_name),
            func.lower(Delegation.country_code) == text.lower(),
            Delegation.country_code.in_(countries),
            member_match,
            Delegation.lead_contact.has(matches(ContactPerson.name)),
        ))
    if direction:
        statement = statement.where(Delegation.direction == direction)
    if status:
        statement = statement.where(Delegation.status == status)
    zone = ZoneInfo(home_zone)
    if date_from:
        statement = statement.where(Delegation.departure_at >= datetime.combine(date_from, time.min, zone))
    if date_to:
        statement = statement.where(Delegation.arrival_at < datetime.combine(date_to + timedelta(days=1), time.min, zone))
    return statement.order_by(Delegation.arrival_at.desc(), Delegation.id.desc())


def upcoming(now: datetime, days: int = 14, item_limit: int = 50
             ) -> tuple[list[Delegation], list[ProgrammeItem], int]:
    """Visits under way or starting within `days`; the first `item_limit` of their items in that window,
    and how many items the window holds in all (a busy fortnight must not make the first page slow)."""
    horizon = now + timedelta(days=days)
    visits = db.session.scalars(
        select(Delegation)
        .where(Delegation.arrival_at < horizon, Delegation.departure_at > now)
        .options(joinedload(Delegation.lead_contact))
        .order_by(Delegation.arrival_at)
    ).all()
    in_window = (ProgrammeItem.starts_at < horizon, ProgrammeItem.ends_at > now)
    items = db.session.scalars(
        select(ProgrammeItem)
        .where(*in_window)
        .options(joinedload(ProgrammeItem.delegation), joinedload(ProgrammeItem.venue),
                 joinedload(ProgrammeItem.responsible), joinedload(ProgrammeItem.principal))
        .order_by(ProgrammeItem.starts_at, ProgrammeItem.id)
        .limit(item_limit)
    ).all()
    # Counted every time, also when few: the page's query count stays the same at any size.
    total = db.session.scalar(select(func.count()).select_from(ProgrammeItem).where(*in_window))
    return list(visits), list(items), total


def contact_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    """Active contact persons (and the one already assigned, even if no longer active)."""
    rows = db.session.execute(
        select(ContactPerson.id, ContactPerson.name, ContactPerson.function)
        .where(or_(ContactPerson.active.is_(True), ContactPerson.id == include_id))
        .order_by(ContactPerson.name)
    ).all()
    return [(str(row.id), f"{row.name} ({row.function})" if row.function else row.name) for row in rows]


def principal_choices() -> list[tuple[str, str]]:
    principals = db.session.scalars(select(Principal).where(Principal.active.is_(True))
                                    .order_by(Principal.kind.desc(), Principal.rank, Principal.name)).all()
    return [(str(principal.id), principal.label) for principal in principals]


def venue_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Venue.id, Venue.name, Venue.room).order_by(Venue.name)).all()
    return [(str(row.id), f"{row.name}, {row.room}" if row.room else row.name) for row in rows]


