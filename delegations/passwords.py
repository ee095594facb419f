"""The password rule, written once for the forms and the create-user command."""
from __future__ import annotations

MIN_PASSWORD_LENGTH = 10


def password_problem(password: str) -> str | None:
    """Return why a password is too weak, or None (English; callers translate the message)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters are needed"
    if len(set(password)) < 4:
        return "the password repeats too few different characters"
    return None
