"""Secret tokens in links and cookies (sessions, feeds, guest links, acknowledgements): derived from the
SECRET_KEY or drawn at random, and stored only as a digest, so a copy of the database opens nothing."""
from __future__ import annotations

import base64
import hashlib
import hmac


def token_digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def derive_token(secret_key: str | bytes, purpose: str, salt: str) -> str:
    """A url-safe token (HMAC-SHA256, 256 bits) that can be rebuilt from the SECRET_KEY and a stored salt,
    so it need not be stored itself; `purpose` keeps tokens of different uses apart."""
    key = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    digest = hmac.new(key, f"{purpose}:{salt}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
