"""The outbox: every e-mail the app sends (change notices, reminders), its attachments and delivery state."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delegations.constants import LabelledEnum
from delegations.models.base import Base, UTCDateTime, enum_column, utc_now
from delegations.models.visits import Delegation


class OutboxState(LabelledEnum):
    """Where a message is on its way out.

    queued -> sending -> sent; a failed attempt goes back to queued with a later next_attempt_at, and after
    the last allowed attempt to failed (kept and shown; a planner may queue it again).
    """

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @classmethod
    def _labels(cls):
        return {cls.QUEUED: _l("Waiting to be sent"), cls.SENDING: _l("Being sent"), cls.SENT: _l("Sent"),
                cls.FAILED: _l("Failed permanently")}


# Where the acknowledgement token goes in a stored body ("https://host/ack/{ack-token}"): the outbox puts the
# token in only when it builds the e-mail, so the plain token is never stored or shown to planners.
ACK_TOKEN_SLOT = "{ack-token}"


class OutboxMessage(Base):
    """One e-mail to one or more recipients. Never deleted by sending: the record is the proof of what went out.

    `dedupe_key` is unique, so the database itself refuses a second copy of the same notice.
    The acknowledgement token is stored only as its SHA-256 hash (`ack_token_hash`).
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("state != 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        CheckConstraint("acknowledged_at IS NULL OR ack_token_hash IS NOT NULL", name="ack_needs_token"),
        # What `outbox send` asks for: the queued messages that are due.
        Index("ix_outbox_message_state_next_attempt", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipients: Mapped[list[str]] = mapped_column(JSON)  # e-mail addresses, all in To:
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # plain text
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    purpose: Mapped[str] = mapped_column(String(50), default="", index=True)  # e.g. "change-notice", "reminder"
    # Keeps the message as a record when its visit is deleted.
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    # The Message-ID header, fixed at enqueue: a retry after an unclear failure carries the same id.
    message_id: Mapped[str] = mapped_column(String(255))

    state: Mapped[OutboxState] = mapped_column(enum_column(OutboxState, "outbox_state"), default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when a run took it for sending
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ack_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 hex; None: none wanted
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    delegation: Mapped[Delegation | None] = relationship()
    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", passive_deletes=True,
        order_by="OutboxAttachment.position")

    @property
    def wants_acknowledgement(self) -> bool:
        return self.ack_token_hash is not None

    @property
    def shown_body(self) -> str:
        """The body as the outbox and acknowledgement pages show it: the link without its secret token."""
        return self.body.replace(ACK_TOKEN_SLOT, "…")

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.state.value if self.state else '?'} {self.dedupe_key!r}>"


class OutboxAttachment(Base):
    """A file sent with a message (the programme PDF of the version a notice announces), under its name.

    The bytes live in `OutboxFile`, once per content: ten notices of one release share one PDF.
    """

    __tablename__ = "outbox_attachment"
    __table_args__ = (CheckConstraint("position >= 0", name="position_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    # No cascade: a file goes only when no attachment uses it any more (`outbox prune`).
    file_id: Mapped[int] = mapped_column(ForeignKey("outbox_file.id"), index=True)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
    file: Mapped[OutboxFile] = relationship()

    @property
    def data(self) -> bytes:
        return self.file.data

    def __repr__(self) -> str:
        return f"<OutboxAttachment {self.id} {self.filename!r}>"


class OutboxFile(Base):
    """The bytes of attachments, stored once per content (SHA-256)."""

    __tablename__ = "outbox_file"
    __table_args__ = (CheckConstraint("size >= 0", name="size_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # loaded only for sending
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    def __repr__(self) -> str:
        return f"<OutboxFile {self.id} {self.sha256[:12]} {self.size} bytes>"
