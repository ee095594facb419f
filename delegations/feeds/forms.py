"""The form that creates a feed link, with the scopes a user can choose from."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from delegations.constants import PrincipalKind
from delegations.extensions import db
from delegations.models import ContactPerson, Delegation, FeedDetail, Principal


class FeedForm(FlaskForm):
    scope = SelectField(_l("What the feed shows"), validators=[InputRequired()])
    detail = SelectField(_l("Detail"), choices=FeedDetail.choices, default=FeedDetail.INTERNAL.value,
                         validators=[InputRequired()])
    label = StringField(_l("Name of the feed"), validators=[DataRequired(), Length(max=200)])
    locale = SelectField(_l("Language of the feed's own words"), choices=[("de", "Deutsch"), ("en", "English")],
                         default="de")


def _included_id(include: str | None, kind: str) -> int | None:
    number = (include or "").removeprefix(f"{kind}:")
    return int(number) if include and include.startswith(f"{kind}:") and number.isdigit() else None


def scope_choices(now: datetime, history: timedelta, include: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Grouped choices: everything, the principals (Mayor first), contact persons, recent and coming visits.

    `include` keeps a pre-selected scope (from a "Subscribe" link) even if it would not be listed.
    """
    principals = db.session.scalars(
        select(Principal).where(or_(Principal.active.is_(True), Principal.id == _included_id(include, "principal")))
        .order_by(Principal.kind != PrincipalKind.MAYOR, Principal.rank, Principal.name)).all()
    contacts = db.session.execute(
        select(ContactPerson.id, ContactPerson.name)
        .where(or_(ContactPerson.active.is_(True), ContactPerson.id == _included_id(include, "person")))
        .order_by(ContactPerson.name)).all()
    visits = db.session.execute(
        select(Delegation.id, Delegation.title)
        .where(or_(Delegation.departure_at > now - history, Delegation.id == _included_id(include, "delegation")))
        .order_by(Delegation.arrival_at, Delegation.id)).all()
    groups = {
        _("Everything"): [("all", _("All visits and tours, with their programmes"))],
        _("Principals"): [(f"principal:{principal.id}",
                           _("Mayor's diary: %(name)s", name=principal.label)
                           if principal.kind == PrincipalKind.MAYOR else principal.label)
                          for principal in principals],
        _("Contact persons"): [(f"person:{row.id}", row.name) for row in contacts],
        _("Delegations and tours"): [(f"delegation:{row.id}", row.title) for row in visits],
    }
    return {group: choices for group, choices in groups.items() if choices}
