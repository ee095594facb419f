"""SMTP settings from the app's configuration (instance/config.py or environment variables), checked once."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

SECURITY_MODES = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}

# The settings and their defaults; every one may also be given as an environment variable of the same name.
DEFAULT_SETTINGS = {
    "MAIL_SMTP_HOST": "",          # empty: no mail server, messages wait in the outbox
    "MAIL_SMTP_PORT": None,        # default by security: 25, 587 (starttls) or 465 (tls)
    "MAIL_SMTP_SECURITY": "starttls",  # none | starttls | tls (implicit TLS, "SMTPS")
    "MAIL_SMTP_USER": "",          # log in only when set
    "MAIL_SMTP_PASSWORD": "",
    "MAIL_SMTP_TIMEOUT": 30,       # seconds for connecting and for every answer of the server
    "MAIL_SMTP_CA_FILE": "",       # a CA bundle for an internal relay's certificate; else the system's
    "MAIL_FROM": "",               # "Internationale Angelegenheiten <international@hannover-stadt.de>"
    "MAIL_REPLY_TO": "",
    "MAIL_MAX_ATTEMPTS": 8,        # after this many failed attempts a message is failed permanently
    "MAIL_RETRY_MINUTES": 5,       # first wait after a failure; doubles each time
    "MAIL_RETRY_MAX_MINUTES": 360,  # the longest wait between two attempts
    "MAIL_BATCH_SIZE": 200,        # messages sent per run at most
    "MAIL_KEEP_DAYS": 365,         # `outbox prune` deletes sent and failed messages older than this
}


class MailSettingsError(ValueError):
    """The mail settings cannot work (unknown security mode, port out of range, sender without an address)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str
    password: str
    sender: str                # the full From: header
    sender_address: str        # the envelope sender
    reply_to: str
    timeout: float
    ca_file: str
    max_attempts: int
    retry_first: timedelta
    retry_max: timedelta
    batch_size: int

    def __repr__(self) -> str:  # keeps the password out of logs and tracebacks
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r}, "
                f"user={self.user!r}, sender={self.sender!r})")

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"

    def retry_delay(self, attempts: int) -> timedelta:
        """How long to wait after the attempts-th failed attempt: 5, 10, 20, 40 ... minutes, at most retry_max."""
        factor = 2 ** max(0, min(attempts - 1, 20))
        return min(self.retry_first * factor, self.retry_max)


def _setting(config: Mapping, key: str):
    value = config.get(key)
    return DEFAULT_SETTINGS[key] if value is None or value == "" else value


def mail_configured(app_config: Mapping) -> bool:
    """True when a server and a sender are set: `outbox send` will try to deliver."""
    return bool(str(_setting(app_config, "MAIL_SMTP_HOST")).strip() and str(_setting(app_config, "MAIL_FROM")).strip())


def smtp_settings(app_config: Mapping) -> SmtpSettings | None:
    """The checked settings, or None when no server is configured; MailSettingsError when they cannot work."""
    if not mail_configured(app_config):
        return None
    security = str(_setting(app_config, "MAIL_SMTP_SECURITY")).strip().lower()
    if security not in SECURITY_MODES:
        raise MailSettingsError(f"MAIL_SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
    try:
        port = int(_setting(app_config, "MAIL_SMTP_PORT") or DEFAULT_PORTS[security])
        timeout = float(_setting(app_config, "MAIL_SMTP_TIMEOUT"))
        max_attempts = int(_setting(app_config, "MAIL_MAX_ATTEMPTS"))
        retry_first = timedelta(minutes=float(_setting(app_config, "MAIL_RETRY_MINUTES")))
        retry_max = timedelta(minutes=float(_setting(app_config, "MAIL_RETRY_MAX_MINUTES")))
        batch_size = int(_setting(app_config, "MAIL_BATCH_SIZE"))
    except (TypeError, ValueError) as error:
        raise MailSettingsError(f"a mail setting is not a number: {error}") from None
    if not 0 < port < 65536:
        raise MailSettingsError(f"MAIL_SMTP_PORT {port} is not a port number")
    if timeout <= 0 or max_attempts < 1 or batch_size < 1 or retry_first <= timedelta(0) or retry_max < retry_first:
        raise MailSettingsError("MAIL_SMTP_TIMEOUT, MAIL_MAX_ATTEMPTS, MAIL_BATCH_SIZE and MAIL_RETRY_MINUTES must be "
                                "positive, MAIL_RETRY_MAX_MINUTES at least MAIL_RETRY_MINUTES")
    sender = " ".join(str(_setting(app_config, "MAIL_FROM")).split())
    _name, sender_address = parseaddr(sender)
    if "@" not in sender_address:
        raise MailSettingsError(f"MAIL_FROM {sender!r} holds no e-mail address")
    return SmtpSettings(
        host=str(_setting(app_config, "MAIL_SMTP_HOST")).strip(), port=port, security=security,
        user=str(_setting(app_config, "MAIL_SMTP_USER")), password=str(_setting(app_config, "MAIL_SMTP_PASSWORD")),
        sender=sender, sender_address=sender_address, reply_to=" ".join(str(_setting(app_config, "MAIL_REPLY_TO")).split()),
        timeout=timeout, ca_file=str(_setting(app_config, "MAIL_SMTP_CA_FILE")), max_attempts=max_attempts,
        retry_first=retry_first, retry_max=retry_max, batch_size=batch_size)


def message_id_domain(app_config: Mapping) -> str:
    """The right side of Message-IDs: the sender's domain, else a name that cannot collide with a real one."""
    _name, address = parseaddr(str(_setting(app_config, "MAIL_FROM")))
    domain = address.rpartition("@")[2].strip()
    return domain or "delegation-planner.invalid"
