"""The Mayor and the deputy mayors: the people whose diaries programmes are planned around."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from delegations.constants import PrincipalKind
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now


class Principal(Base):
    __tablename__ = "principal"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")  # "Oberbürgermeister", "Bürgermeisterin"
    kind: Mapped[PrincipalKind] = mapped_column(
        enum_column(PrincipalKind, "principal_kind"),
        default=PrincipalKind.DEPUTY_MAYOR)
    # Order among principals of one kind (1st, 2nd, 3rd deputy ...): protocol rank.
    rank: Mapped[int] = mapped_column(default=1)
    office_email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def label(self) -> str:
        return f"{self.title} {self.name}".strip()

    def __repr__(self) -> str:
        return f"<Principal {self.label}>"
