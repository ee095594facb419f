"""Guest links: create, find, revoke, and the token a printed QR code carries.

The token is HMAC-SHA256(SECRET_KEY, random salt), 256 bits in URL-safe base64; the database keeps the
salt and the token's SHA-256 only. So a copy of the database opens no programme, and the unit can
print the same link again on every new copy of the programme (which a token shown once could not do).
Rotating SECRET_KEY leaves existing links working (their hash still matches) but no longer printable.

Functions here flush but never commit: the caller commits once.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from delegations.extensions import db
from delegations.models import Delegation, GuestLink, User, utc_now
from delegations.tokens import derive_token, token_digest

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# A guest's visit is recorded at most this often (a page reload is not worth a write).
USE_RECORDING_INTERVAL = timedelta(minutes=5)


class GuestLinkError(ValueError):
    """The action does not fit the link's state (for example a second active link)."""


def token_for(link: GuestLink, secret_key: str | bytes) -> str | None:
    """The link's token, or None when it was made under another SECRET_KEY (it still opens, but cannot be printed)."""
    token = derive_token(secret_key, "guest-link", link.token_salt)
    return token if hmac.compare_digest(token_digest(token), link.token_hash) else None


def active_link(delegation_id: int) -> GuestLink | None:
    return db.session.scalar(
        select(GuestLink).where(GuestLink.delegation_id == delegation_id, GuestLink.revoked_at.is_(None))
        .order_by(GuestLink.created_at.desc(), GuestLink.id.desc()).limit(1))


def links_of(delegation_id: int) -> list[GuestLink]:
    """Every link of a delegation, newest first, with who created it (one query)."""
    return list(db.session.scalars(
        select(GuestLink).where(GuestLink.delegation_id == delegation_id)
        .options(joinedload(GuestLink.created_by))
        .order_by(GuestLink.created_at.desc(), GuestLink.id.desc())))


@dataclass(frozen=True)
class CreatedLink:
    link: GuestLink
    token: str


def create_link(delegation: Delegation, created_by: User | None, secret_key: str | bytes) -> CreatedLink:
    """A new guest link; refused while the delegation has an active one (revoke it first)."""
    if active_link(delegation.id) is not None:
        raise GuestLinkError("this delegation has an active guest link already")
    salt = secrets.token_hex(16)
    token = derive_token(secret_key, "guest-link", salt)
    link = GuestLink(delegation_id=delegation.id, token_salt=salt, token_hash=token_digest(token),
                     created_by_id=created_by.id if created_by is not None else None)
    db.session.add(link)
    db.session.flush()
    return CreatedLink(link, token)


def revoke_link(link: GuestLink, at: datetime | None = None) -> bool:
    """Revoke; False when it was revoked already."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = at or utc_now()
    db.session.flush()
    return True


def find_active(token: str) -> GuestLink | None:
    """The active link a guest's token belongs to, or None (unknown, malformed or revoked)."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return None
    link = db.session.scalar(select(GuestLink).where(GuestLink.token_hash == token_digest(token)))
    if link is None or link.revoked_at is not None:
        return None
    return link


def record_use(link: GuestLink, now: datetime | None = None) -> bool:
    """Note that a guest opened the link (at most every few minutes); True when it wrote."""
    now = now or utc_now()
    if link.last_used_at is not None and now - link.last_used_at < USE_RECORDING_INTERVAL:
        return False
    link.last_used_at = now
    db.session.flush()
    return True
