"""Guest links: secret, revocable addresses of a delegation's live programme (the QR code on the print)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.models.base import Base, UTCDateTime, utc_now
from delegations.models.users import User
from delegations.models.visits import Delegation


class GuestLink(Base):
    """A read-only link to one delegation's programme, for guests without an account.

    The token itself is never stored: `token_hash` (SHA-256) finds the link when a guest opens it.
    The token is derived from the app's SECRET_KEY and the random `token_salt`, so the unit can
    print it again as a QR code, while a copy of the database alone opens nothing.
    """

    __tablename__ = "guest_link"
    __table_args__ = (Index("ix_guest_link_delegation_revoked", "delegation_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_salt: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delegation: Mapped[Delegation] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<GuestLink {self.id} delegation={self.delegation_id} {'active' if self.is_active else 'revoked'}>"
