"""Loading what the partner pages and the dashboard show, in a fixed number of queries however many visits,
gifts and commitments a partnership has gathered."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from delegations.extensions import db
from delegations.models import Delegation, Gift, PartnerCity, PartnerCommitment
from delegations.models.partners import CommitmentStatus, PartnershipKind
from delegations.partners.anniversaries import Anniversary, upcoming_anniversaries

KIND_ORDER = {PartnershipKind.TWINNING: 0, PartnershipKind.FRIENDSHIP: 1, PartnershipKind.ORGANISATION: 2}


@dataclass
class PartnerRow:
    city: PartnerCity
    visits: int = 0
    open_commitments: int = 0


@dataclass
class Dossier:
    city: PartnerCity
    incoming: list[Delegation] = field(default_factory=list)
    outgoing: list[Delegation] = field(default_factory=list)
    gifts: list[Gift] = field(default_factory=list)
    anniversaries: list[Anniversary] = field(default_factory=list)


def all_partners() -> list[PartnerCity]:
    cities = db.session.scalars(select(PartnerCity)).all()
    return sorted(cities, key=lambda city: (KIND_ORDER[city.kind], city.since, city.name))


def partner_rows() -> list[PartnerRow]:
    """Every partner with its number of visits and open commitments (three queries)."""
    rows = {city.id: PartnerRow(city) for city in all_partners()}
    counts = db.session.execute(
        select(Delegation.partner_city_id, func.count(Delegation.id))
        .where(Delegation.partner_city_id.is_not(None)).group_by(Delegation.partner_city_id)).all()
    for city_id, number in counts:
        if city_id in rows:
            rows[city_id].visits = number
    for city_id, number in db.session.execute(
            select(PartnerCommitment.city_id, func.count(PartnerCommitment.id))
            .where(PartnerCommitment.status == CommitmentStatus.OPEN).group_by(PartnerCommitment.city_id)).all():
        if city_id in rows:
            rows[city_id].open_commitments = number
    return list(rows.values())


def dossier(city_id: int, today: date) -> Dossier | None:
    city = db.session.scalars(
        select(PartnerCity).where(PartnerCity.id == city_id).options(
            selectinload(PartnerCity.agreements), selectinload(PartnerCity.associations),
            selectinload(PartnerCity.office_holders),
            selectinload(PartnerCity.commitments).options(joinedload(PartnerCommitment.owner),
                                                          joinedload(PartnerCommitment.delegation)))).first()
    if city is None:
        return None
    visits = db.session.scalars(
        select(Delegation).where(Delegation.partner_city_id == city_id)
        .options(joinedload(Delegation.lead_contact)).order_by(Delegation.arrival_at.desc())).unique().all()
    # The gifts of the linked visits, and gifts recorded without a visit whose counterpart names the partner
    # ("Stadt Hiroshima"): the register keeps those too, e.g. a gift handed over abroad before the app was used.
    gifts = db.session.scalars(
        select(Gift).outerjoin(Delegation, Gift.delegation_id == Delegation.id)
        .where(or_(Delegation.partner_city_id == city_id,
                   (Gift.delegation_id.is_(None)) & Gift.counterpart_organisation.ilike(f"%{_like(city.name)}%",
                                                                                        escape="\\")))
        .options(joinedload(Gift.delegation)).order_by(Gift.given_on.desc(), Gift.id)).unique().all()
    return Dossier(city=city, incoming=[visit for visit in visits if not visit.is_outgoing],
                   outgoing=[visit for visit in visits if visit.is_outgoing], gifts=list(gifts),
                   anniversaries=upcoming_anniversaries([city], today))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_city(city_id: int) -> PartnerCity | None:
    return db.session.get(PartnerCity, city_id)


def partner_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    """Partners still active (and the one already linked), for the select on the visit form."""
    return [(str(city.id), city.name) for city in all_partners()
            if city.ended_on is None or city.id == include_id]


def visit_choices(city_id: int, include_id: int | None = None) -> list[tuple[str, str]]:
    """The partner's visits, newest first (and the one a commitment names already, even if unlinked since)."""
    rows = db.session.execute(select(Delegation.id, Delegation.title, Delegation.arrival_at)
                              .where(or_(Delegation.partner_city_id == city_id, Delegation.id == include_id))
                              .order_by(Delegation.arrival_at.desc())).all()
    return [(str(row.id), f"{row.title} ({row.arrival_at.year})") for row in rows]


def visit_defaults(city_id: int | None) -> dict:
    """Values a new visit form starts with when it is opened from a partner's dossier."""
    city = db.session.get(PartnerCity, city_id) if city_id else None
    if city is None:
        return {}
    return {"partner_city_id": city.id, "country_code": city.country_code, "city": city.name,
            "is_partner_city": city.kind in (PartnershipKind.TWINNING, PartnershipKind.FRIENDSHIP)}


def upcoming(today: date) -> list[tuple[Anniversary, PartnerCity]]:
    """Round anniversaries of the next 18 months with their partner, soonest first (one query)."""
    cities = {city.id: city for city in db.session.scalars(select(PartnerCity))}
    return [(anniversary, cities[anniversary.partner_id])
            for anniversary in upcoming_anniversaries(cities.values(), today)]


def commitments_due(today: date, days: int = 30, limit: int = 10) -> list[PartnerCommitment]:
    """Open commitments overdue or due in the next `days` days, soonest first (one query)."""
    return list(db.session.scalars(
        select(PartnerCommitment)
        .where(PartnerCommitment.status == CommitmentStatus.OPEN, PartnerCommitment.due_on.is_not(None),
               PartnerCommitment.due_on <= today + timedelta(days=days))
        .options(joinedload(PartnerCommitment.city), joinedload(PartnerCommitment.owner))
        .order_by(PartnerCommitment.due_on, PartnerCommitment.id).limit(limit)))


def open_commitments_of(owner_id: int) -> list[PartnerCommitment]:
    """A contact person's open commitments (for workload views)."""
    return list(db.session.scalars(
        select(PartnerCommitment).where(PartnerCommitment.owner_id == owner_id,
                                        PartnerCommitment.status == CommitmentStatus.OPEN)
        .options(joinedload(PartnerCommitment.city)).order_by(PartnerCommitment.due_on, PartnerCommitment.id)))
