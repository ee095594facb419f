"""The outbox: queue a message once (`enqueue`), deliver what is due (`deliver_due`), never send one twice.

Delivery claims each message with a conditional UPDATE (queued -> sending) in its own short transaction
before talking to the server, so two runs at the same moment cannot both send it; the result (sent,
retry later, failed) is written right after. A message left in "sending" by a run that died mid-way is
not sent again blindly (it may have gone out): after STALE_CLAIM it is marked failed with a note, and a
planner who checks that it did not arrive queues it again.

SMTP itself is "at least once" in one corner: when the connection breaks after the server took the
message but before it said so, the retry sends it again; both copies carry the same Message-ID.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, request, url_for
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from delegations.config import public_base_url
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.mail.settings import SmtpSettings, message_id_domain
from delegations.models import OutboxAttachment, OutboxFile, OutboxMessage, OutboxState, utc_now
from delegations.models.mail import ACK_TOKEN_SLOT
from delegations.tokens import derive_token, token_digest

ACK_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # 256 bits, url-safe base64 (see ack_token_for)
STALE_CLAIM = timedelta(minutes=30)  # a claim older than this belongs to a run that died
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # what most mail servers still accept, base64 included
ERROR_LENGTH = 2000
MAX_RECONNECTS = 2  # a server that drops the line (e.g. "421 too many messages") is dialled again this often per run


class OutboxError(ValueError):
    """The message cannot be queued as given (no recipient, an address that is not one, a bad attachment)."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes


def ack_token_for(dedupe_key: str, message_id: str) -> str:
    """The acknowledgement token of a message, derived from the app's SECRET_KEY and the message's fixed
    identity (HMAC-SHA256, 256 bits, url-safe): stored nowhere, rebuilt when the e-mail is built."""
    return derive_token(str(current_app.config["SECRET_KEY"]), "outbox-ack", f"{dedupe_key}:{message_id}")


def body_with_token(message: OutboxMessage) -> str:
    """The body as it is sent: the acknowledgement token in its slot. ValueError when the token cannot be
    rebuilt (SECRET_KEY changed since the message was queued): the link would not work."""
    if not message.wants_acknowledgement or ACK_TOKEN_SLOT not in message.body:
        return message.body
    token = ack_token_for(message.dedupe_key, message.message_id)
    if not hmac.compare_digest(token_digest(token), message.ack_token_hash):
        raise ValueError("the acknowledgement link cannot be rebuilt: SECRET_KEY changed since the message "
                         "was queued")
    return message.body.replace(ACK_TOKEN_SLOT, token)


def _one_line(text: str) -> str:
    """Header text on one line: a newline in a subject or name would start a new header."""
    return " ".join((text or "").split())


def _checked_recipients(recipients: Sequence[str]) -> list[str]:
    if isinstance(recipients, str):
        recipients = [recipients]
    checked: list[str] = []
    for address in recipients:
        try:
            normalised = validate_email(_one_line(address), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise OutboxError(f"not an e-mail address: {address!r} ({error})") from None
        if normalised.lower() not in (known.lower() for known in checked):
            checked.append(normalised)
    if not checked:
        raise OutboxError("a message needs at least one recipient")
    return checked


def _checked_attachment(attachment: Attachment) -> Attachment:
    maintype, _slash, subtype = (attachment.content_type or "").partition("/")
    if not maintype or not subtype or not re.fullmatch(r"[\w.+-]+/[\w.+-]+", attachment.content_type):
        raise OutboxError(f"not a content type: {attachment.content_type!r}")
    filename = _one_line(attachment.filename).replace("/", "-").replace("\\", "-")
    if not filename:
        raise OutboxError("an attachment needs a file name")
    return Attachment(filename=filename[:255], content_type=attachment.content_type.lower(), data=bytes(attachment.data))


def enqueue(*, recipients: list[str], subject: str, body: str, dedupe_key: str,
            attachments: Sequence[Attachment] = (), recipient_name: str = "",
            delegation_id: int | None = None, purpose: str = "", wants_acknowledgement: bool = False,
            ) -> tuple[OutboxMessage, str | None] | None:
    """Adds one message to the outbox (flushes, does not commit). Returns None when a message with this
    dedupe_key exists already (never sent twice). With wants_acknowledgement the second element is the
    plain acknowledgement token (only its hash is stored); put `acknowledgement_link(token)` in the body: it
    holds ACK_TOKEN_SLOT where the token goes when the e-mail is built, so the token is never stored."""
    dedupe_key = (dedupe_key or "").strip()
    if not dedupe_key:
        raise OutboxError("a message needs a dedupe_key")
    if len(dedupe_key) > 255:
        raise OutboxError("the dedupe_key is longer than 255 characters")
    checked_recipients = _checked_recipients(recipients)
    checked_attachments = [_checked_attachment(attachment) for attachment in attachments]
    if sum(len(attachment.data) for attachment in checked_attachments) > MAX_ATTACHMENT_BYTES:
        raise OutboxError("the attachments are too large for e-mail")
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is not None:
        return None

    message_id = make_msgid(domain=message_id_domain(current_app.config))
    token = ack_token_for(dedupe_key, message_id) if wants_acknowledgement else None
    message = OutboxMessage(
        recipients=checked_recipients, recipient_name=_one_line(recipient_name)[:200],
        subject=_one_line(subject)[:300], body=body or "", dedupe_key=dedupe_key, purpose=(purpose or "")[:50],
        delegation_id=delegation_id, state=OutboxState.QUEUED, attempts=0, next_attempt_at=utc_now(),
        message_id=message_id,
        ack_token_hash=token_digest(token) if token else None,
        attachments=[OutboxAttachment(position=position, filename=attachment.filename,
                                      content_type=attachment.content_type, file=stored_file(attachment.data))
                     for position, attachment in enumerate(checked_attachments)])
    # A savepoint: when another request queued the same key a moment ago, the unique constraint
    # refuses this copy and the caller's transaction carries on.
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is None:
            raise
        return None
    return message, token


def stored_file(data: bytes) -> OutboxFile:
    """The stored copy of these bytes, shared by every attachment with the same content."""
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(OutboxFile).where(OutboxFile.sha256 == digest))
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():  # another request may store the same file at this moment
            created = OutboxFile(sha256=digest, size=len(data), data=data)
            db.session.add(created)
        return created
    except IntegrityError:
        existing = db.session.scalar(select(OutboxFile).where(OutboxFile.sha256 == digest))
        if existing is None:
            raise
        return existing


def acknowledgement_url(token: str) -> str:
    """Absolute URL of the public page /ack/<token>: PUBLIC_BASE_URL, else the current request's host."""
    base = public_base_url(current_app.config)
    if has_request_context():
        path = url_for("mail.acknowledge", token=token)
        root = base or request.host_url.rstrip("/") + request.script_root
        return root.rstrip("/") + path[len(request.script_root):]
    path = current_app.url_map.bind("localhost").build("mail.acknowledge", {"token": token})
    return (base or "http://localhost").rstrip("/") + path


def acknowledgement_link(token: str) -> str:
    """`acknowledgement_url(token)` with ACK_TOKEN_SLOT for the token: what a stored body holds."""
    url = acknowledgement_url(token)
    return url[:-len(token)] + ACK_TOKEN_SLOT


# --- Acknowledgements ------------------------------------------------------------------------------------

def find_by_ack_token(token: str) -> OutboxMessage | None:
    """The message an acknowledgement link belongs to, or None (unknown or malformed token: they look alike)."""
    if not token or not ACK_TOKEN_PATTERN.fullmatch(token):
        return None
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.ack_token_hash == token_digest(token))
                             .options(selectinload(OutboxMessage.delegation)))


def acknowledge(message: OutboxMessage, now: datetime | None = None) -> bool:
    """Record that the recipient confirmed; False when they had already (the first time counts)."""
    if message.acknowledged_at is not None:
        return False
    message.acknowledged_at = now or utc_now()
    db.session.flush()
    return True


# --- Planner actions -------------------------------------------------------------------------------------

def may_requeue(message: OutboxMessage, now: datetime) -> bool:
    """Failed, or queued and waiting for a later retry after a failed attempt."""
    return message.state == OutboxState.FAILED or (
        message.state == OutboxState.QUEUED and message.attempts > 0 and message.next_attempt_at > now)


def requeue(message: OutboxMessage, now: datetime | None = None) -> bool:
    """A failed message gets a fresh set of attempts; a message waiting for a retry goes out with the next run
    instead of later. False for any other state (nothing to do). Conditional UPDATEs: a run that sends the
    message at this moment is not disturbed."""
    now = now or utc_now()
    failed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.state == OutboxState.FAILED)
        .values(state=OutboxState.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None)
        .execution_options(synchronize_session=False)).rowcount
    waiting = 0 if failed else db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.state == OutboxState.QUEUED,
                                    OutboxMessage.attempts > 0, OutboxMessage.next_attempt_at > now)
        .values(next_attempt_at=now).execution_options(synchronize_session=False)).rowcount
    if failed or waiting:
        db.session.refresh(message)
    return bool(failed or waiting)


# --- Building a message ----------------------------------------------------------------------------------

def build_email(message: OutboxMessage, settings: SmtpSettings, now: datetime) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.sender
    if len(message.recipients) == 1 and message.recipient_name:
        email["To"] = formataddr((message.recipient_name, message.recipients[0]))
    else:
        email["To"] = ", ".join(message.recipients)
    if settings.reply_to:
        email["Reply-To"] = settings.reply_to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office answers to a notice
    email.set_content(body_with_token(message))
    for attachment in message.attachments:
        maintype, _slash, subtype = attachment.content_type.partition("/")
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return email


# --- Delivering ------------------------------------------------------------------------------------------

class SmtpUnavailable(Exception):
    """The server could not be reached or refused the session (connect, TLS or login failed)."""


def open_connection(settings: SmtpSettings) -> smtplib.SMTP:
    """A connected, secured and logged-in session; SmtpUnavailable with the reason otherwise."""
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    connection: smtplib.SMTP | None = None
    try:
        if settings.security == "tls":
            connection = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        connection.ehlo()
        if settings.security == "starttls":
            if not connection.has_extn("starttls"):
                raise SmtpUnavailable(f"{settings.server}: the server does not offer STARTTLS")
            connection.starttls(context=context)
            connection.ehlo()
        if settings.user:
            connection.login(settings.user, settings.password)
        return connection
    except SmtpUnavailable:
        _close(connection)
        raise
    except smtplib.SMTPAuthenticationError as error:
        _close(connection)
        raise SmtpUnavailable(f"{settings.server}: login refused ({error.smtp_code})") from None
    except (OSError, smtplib.SMTPException) as error:  # refused, timed out, TLS failed, unknown host
        _close(connection)
        raise SmtpUnavailable(f"{settings.server}: {describe_error(error)}") from None


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def describe_error(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_text(reply)}" for address, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _text(reply) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def line_broken(error: BaseException) -> bool:
    """The connection is gone or closing ("421"); smtplib's own errors are OSErrors too, but other answers
    leave the session usable."""
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code == 421
    return isinstance(error, smtplib.SMTPServerDisconnected) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException))


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer will not change by waiting (unknown recipient, message refused), nor will a message that
    cannot be built; 4xx answers and broken lines may."""
    if isinstance(error, ValueError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


@dataclass
class DeliveryReport:
    """What one run did, for the command's output."""

    sent: list[OutboxMessage] = field(default_factory=list)
    retrying: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    released_stale: list[OutboxMessage] = field(default_factory=list)
    server_error: str | None = None  # the server could not be reached: nothing was sent
    due: int = 0

    @property
    def ok(self) -> bool:
        return self.server_error is None


def _start_writing() -> None:
    """End any read first: on SQLite a read that turns into a write fails when another run wrote meanwhile,
    while a transaction that takes the write lock up front waits its turn."""
    db.session.commit()
    begin_writing()


def release_stale_claims(now: datetime) -> list[OutboxMessage]:
    """Messages a dead run left in "sending": failed, with a note (they may have gone out; a planner decides)."""
    stale_claim = (OutboxMessage.state == OutboxState.SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM)
    if not db.session.scalars(select(OutboxMessage.id).where(*stale_claim).limit(1)).first():
        return []  # the usual case: no write, no lock
    _start_writing()
    stale = list(db.session.scalars(select(OutboxMessage).where(*stale_claim)))
    for message in stale:
        message.state = OutboxState.FAILED
        message.claimed_at = None
        message.last_error = ("interrupted while sending; it may have been delivered. "
                              "Check with the recipient before queuing it again.")
    db.session.commit()
    return stale


def due_message_ids(now: datetime, limit: int) -> list[int]:
    return list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))


def claim(message_id: int, now: datetime, moment: datetime | None = None) -> bool:
    """Take one message for sending (due at `now`, claimed at `moment`); False when another run took it first
    or it is no longer due."""
    _start_writing()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.QUEUED,
               OutboxMessage.next_attempt_at <= now)
        .values(state=OutboxState.SENDING, claimed_at=moment or now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _finish(message_id: int, **values) -> None:
    _start_writing()
    db.session.execute(update(OutboxMessage)
                       .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.SENDING)
                       .values(claimed_at=None, **values).execution_options(synchronize_session=False))
    db.session.commit()


def record_server_error(message_ids: Sequence[int], error: str) -> None:
    """The server was unreachable: note why on the waiting messages, without using up their attempts."""
    if not message_ids:
        return
    _start_writing()
    db.session.execute(update(OutboxMessage)
                       .where(OutboxMessage.id.in_(message_ids), OutboxMessage.state == OutboxState.QUEUED)
                       .values(last_error=error[:ERROR_LENGTH]).execution_options(synchronize_session=False))
    db.session.commit()


def deliver_due(settings: SmtpSettings, now: datetime | None = None) -> DeliveryReport:
    """Send every queued message that is due, over one SMTP session. Commits after each step (this is a
    command's work, not a request's): a crash in the middle loses nothing and sends nothing twice.

    `now` decides what is due (tests pass a later one); the recorded times are never earlier than the clock.
    """
    now = now or utc_now()
    report = DeliveryReport()
    db.session.rollback()  # start from what is committed
    report.released_stale = release_stale_claims(now)
    due = due_message_ids(now, settings.batch_size)
    db.session.rollback()
    report.due = len(due)
    if not due:
        return report
    connection: smtplib.SMTP | None = None
    reconnects = 0
    try:
        for index, message_id in enumerate(due):
            if connection is None:
                try:
                    connection = open_connection(settings)
                except SmtpUnavailable as error:
                    # Nothing of the rest is claimed: it stays queued, with the reason, attempts untouched.
                    report.server_error = str(error)
                    record_server_error(due[index:], str(error))
                    break
            moment = max(now, utc_now())
            if not claim(message_id, now, moment):
                continue
            message = db.session.scalar(
                select(OutboxMessage).where(OutboxMessage.id == message_id)
                .options(selectinload(OutboxMessage.attachments).selectinload(OutboxAttachment.file)
                         .undefer(OutboxFile.data)))
            try:
                email = build_email(message, settings, moment)
                refused = connection.send_message(email, from_addr=settings.sender_address,
                                                  to_addrs=message.recipients)
            except (OSError, smtplib.SMTPException, ValueError) as error:
                _record_failure(message, error, settings, moment, report)
                if line_broken(error):
                    _close(connection)
                    connection = None
                    reconnects += 1
                    if reconnects > MAX_RECONNECTS:
                        report.server_error = f"{settings.server}: {describe_error(error)}"
                        record_server_error(due[index + 1:], report.server_error)
                        break
                continue
            note = ("refused by the server for: " + "; ".join(
                f"{address}: {code} {_text(reply)}" for address, (code, reply) in refused.items())) if refused else None
            _finish(message_id, state=OutboxState.SENT, sent_at=max(moment, utc_now()), last_error=note)
            report.sent.append(db.session.get(OutboxMessage, message_id))
    finally:
        _close(connection)
    return report


def _record_failure(message: OutboxMessage, error: BaseException, settings: SmtpSettings, now: datetime,
                    report: DeliveryReport) -> None:
    text = describe_error(error)[:ERROR_LENGTH]
    if is_permanent(error) or message.attempts >= settings.max_attempts:
        _finish(message.id, state=OutboxState.FAILED, last_error=text)
        report.failed.append(db.session.get(OutboxMessage, message.id))
    else:
        _finish(message.id, state=OutboxState.QUEUED, last_error=text,
                next_attempt_at=now + settings.retry_delay(message.attempts))
        report.retrying.append(db.session.get(OutboxMessage, message.id))


# --- Keeping the outbox small ----------------------------------------------------------------------------

@dataclass(frozen=True)
class PruneResult:
    messages: int
    files: int


def prune(before: datetime) -> PruneResult:
    """Delete sent and failed messages created before `before` (with their attachments), then the files no
    message uses any more. Queued messages are never pruned. Flushes; the caller commits."""
    old = select(OutboxMessage.id).where(OutboxMessage.created_at < before,
                                         OutboxMessage.state.in_([OutboxState.SENT, OutboxState.FAILED]))
    old_ids = list(db.session.scalars(old))
    if old_ids:
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(old_ids))
                           .execution_options(synchronize_session=False))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(old_ids))
                           .execution_options(synchronize_session=False))
    unused = select(OutboxFile.id).where(~select(OutboxAttachment.id)
                                         .where(OutboxAttachment.file_id == OutboxFile.id).exists())
    unused_ids = list(db.session.scalars(unused))
    if unused_ids:
        db.session.execute(delete(OutboxFile).where(OutboxFile.id.in_(unused_ids))
                           .execution_options(synchronize_session=False))
    db.session.flush()
    return PruneResult(messages=len(old_ids), files=len(unused_ids))
