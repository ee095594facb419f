"""A real SMTP server for the outbox tests: aiosmtpd on 127.0.0.1, collecting what it receives.

`answers` lets a test make the server refuse the next messages (e.g. "451 4.3.0 try again later");
`tls` starts it with a self-signed certificate (STARTTLS, or implicit TLS) and optionally a login.
"""
from __future__ import annotations

import email
import email.policy
import socket
import subprocess
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Recorder:
    """The handler: records every accepted message; answers from `answers` first (one per message)."""

    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    refused_recipients: dict[str, str] = field(default_factory=dict)  # address -> reply, e.g. "550 5.1.1 unknown"
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused_recipients:
            return self.refused_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        raw = envelope.original_content or envelope.content
        self.received.append(Received(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), raw=raw,
            message=email.message_from_bytes(raw, policy=email.policy.default)))
        return "250 2.0.0 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (openssl on the PATH), valid for a day."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class MailServer:
    """Start with `start()`, stop with `stop()`; `received` lists what arrived."""

    def __init__(self, *, port: int | None = None, tls_context=None, implicit_tls: bool = False,
                 credentials: tuple[str, str] | None = None):
        self.recorder = Recorder()
        self.port = port or free_port()
        options: dict = {}
        if tls_context is not None and implicit_tls:
            options["ssl_context"] = tls_context
        elif tls_context is not None:
            options.update(tls_context=tls_context, require_starttls=True)
        if credentials is not None:
            user, password = credentials

            def authenticate(server, session, envelope, mechanism, auth_data):
                ok = auth_data.login.decode() == user and auth_data.password.decode() == password
                if ok:
                    self.recorder.logins.append(user)
                return AuthResult(success=ok, handled=False)

            options.update(authenticator=authenticate, auth_require_tls=tls_context is not None)
        else:
            options["auth_require_tls"] = False
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port,
                                     server_hostname="localhost", **options)

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def refuse_next(self, *answers: str) -> None:
        self.recorder.answers.extend(answers)

    def start(self) -> "MailServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def settings(self, **overrides) -> dict:
        """App configuration that points the outbox at this server."""
        return {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": self.port, "MAIL_SMTP_SECURITY": "none",
                "MAIL_FROM": "Internationale Angelegenheiten <international@hannover-stadt.example>",
                "MAIL_SMTP_TIMEOUT": 10, **overrides}
