"""Demo data for printing: a guest link for the partner-city visit, so its programme carries a QR code,
and talking points for the Mayor's reception (idempotent)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import Delegation, GuestLink
from delegations.printing.guest_links import create_link

PARTNER_VISIT = "Delegation der Partnerstadt Poznań"
TALKING_POINTS = ("Dank für 45 Jahre Partnerschaft; Einladung zum Maschseefest.\n"
                  "Klimapartnerschaft: gemeinsamer Antrag beim EU-Programm ansprechen.")


def ensure_demo_printing(lines: list[str]) -> None:
    visit = db.session.scalar(select(Delegation).where(Delegation.title == PARTNER_VISIT))
    if visit is None:
        return
    # Once a link was made (and maybe revoked by someone trying the app), the demo leaves links alone.
    ever_linked = db.session.scalar(select(GuestLink.id).where(GuestLink.delegation_id == visit.id).limit(1))
    if ever_linked is None:
        create_link(visit, None, current_app.config["SECRET_KEY"])
        lines.append(f"Created a guest link for: {PARTNER_VISIT}")
    reception = next((item for item in visit.items if item.principal_id is not None), None)
    if reception is not None and not reception.talking_points:
        reception.talking_points = TALKING_POINTS
    db.session.flush()
