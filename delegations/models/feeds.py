"""Secret calendar feed links: what a feed shows, to what detail, and the hash of its token."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.constants import LabelledEnum
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.people import ContactPerson
from delegations.models.principals import Principal
from delegations.models.users import User
from delegations.models.visits import Delegation


class FeedScope(LabelledEnum):
    """Which programme a feed carries."""

    PRINCIPAL = "principal"    # every item the Mayor (or a deputy) takes part in
    PERSON = "person"          # every item and visit a contact person is responsible for
    DELEGATION = "delegation"  # one delegation's whole programme
    ALL = "all"                # every visit and tour as a multi-day event, plus their items

    @classmethod
    def _labels(cls):
        return {cls.PRINCIPAL: _l("Principal"), cls.PERSON: _l("Contact person"),
                cls.DELEGATION: _l("Delegation or tour"), cls.ALL: _l("Everything")}


class FeedDetail(LabelledEnum):
    PUBLIC = "public"      # what the delegation itself may see: no internal notes, no links into the app
    INTERNAL = "internal"  # venue notes, responsible person, participants, internal notes, links back

    @classmethod
    def _labels(cls):
        return {cls.PUBLIC: _l("Public (what the delegation may see)"),
                cls.INTERNAL: _l("Internal (with internal notes and links)")}



class FeedToken(Base):
    """One subscription link. The token itself is never stored: only its SHA-256 hash."""

    __tablename__ = "feed_token"
    __table_args__ = (
        # Exactly the target column that the scope names is set.
        CheckConstraint(
            "(scope = 'principal' AND principal_id IS NOT NULL AND contact_id IS NULL AND delegation_id IS NULL)"
            " OR (scope = 'person' AND contact_id IS NOT NULL AND principal_id IS NULL AND delegation_id IS NULL)"
            " OR (scope = 'delegation' AND delegation_id IS NOT NULL AND principal_id IS NULL AND contact_id IS NULL)"
            " OR (scope = 'all' AND principal_id IS NULL AND contact_id IS NULL AND delegation_id IS NULL)",
            name="scope_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope, "feed_scope"))
    # A feed dies with its target: a deleted delegation's feed answers 404 like a revoked one.
    principal_id: Mapped[int | None] = mapped_column(ForeignKey("principal.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    detail: Mapped[FeedDetail] = mapped_column(enum_column(FeedDetail, "feed_detail"), default=FeedDetail.INTERNAL)
    locale: Mapped[str] = mapped_column(String(5), default="de")  # language of the feed's own words
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret token
    # None for feeds issued on the command line; a feed dies with the account that created it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The ETag last served and since when: Last-Modified moves whenever the content does,
    # also when an item was deleted or left the scope (which no updated_at column records).
    content_etag: Mapped[str | None] = mapped_column(String(64))
    content_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    principal: Mapped[Principal | None] = relationship()
    contact: Mapped[ContactPerson | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def target_id(self) -> int | None:
        return {FeedScope.PRINCIPAL: self.principal_id, FeedScope.PERSON: self.contact_id,
                FeedScope.DELEGATION: self.delegation_id}.get(self.scope)

    @property
    def target(self):
        return {FeedScope.PRINCIPAL: self.principal, FeedScope.PERSON: self.contact,
                FeedScope.DELEGATION: self.delegation}.get(self.scope)

    @property
    def scope_reference(self) -> str:
        """'principal:3', 'person:7', 'delegation:12' or 'all' (as the command line takes it)."""
        return self.scope.value if self.target_id is None else f"{self.scope.value}:{self.target_id}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<FeedToken {self.id} {self.scope_reference} {self.detail.value}>"
