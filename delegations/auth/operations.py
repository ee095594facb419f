"""Creating and changing accounts: used by the admin pages and the create-user command."""
from __future__ import annotations

from sqlalchemy import func, select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import User
from delegations.models.users import new_session_nonce


class AccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, password: str, role: Role | str, name: str = "", locale: str = "de") -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"a user with the e-mail address {email} exists already")
    user = User(email=email, name=name, role=Role(role), locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session cookie carries the old nonce."""
    user.session_nonce = new_session_nonce()
