"""People and tokens: creating users, checking passwords with login throttling, issuing API tokens.

Passwords are argon2 hashes; API tokens are random strings of which only the SHA-256 is stored. Time is
passed in (`now`) so the lock-out after repeated failures is testable without waiting."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.models import ROLES, ApiToken, Unit, User

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
TOKEN_PREFIX = "mon_"  # noqa: S105 (a visible marker, not a secret)
_HASHER = PasswordHasher()


class UserError(ValueError):
    """A request about users that cannot be honoured; the message names the bad input."""


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def validate(session: Session, *, email: str, role: str, unit_code: str | None) -> None:
    """Raise UserError unless the role exists and the unit rule holds (a unit head has a known unit)."""
    if "@" not in email or len(email) > 254:
        raise UserError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if role == "unit_head" and not unit_code:
        raise UserError("a unit_head needs a unit (--unit CODE)")
    if unit_code and session.get(Unit, unit_code) is None:
        raise UserError(f"unknown unit {unit_code!r}")


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    unit_code: str | None,
    password: str | None = None,
    name: str | None = None,
) -> tuple[User, str]:
    """Add a user and return it with its plain password (generated when None, to be shown once)."""
    email = normalise_email(email)
    validate(session, email=email, role=role, unit_code=unit_code)
    if find_user(session, email) is not None:
        raise UserError(f"a user with e-mail {email} already exists")
    if password is not None and len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    plain = password if password is not None else generate_password()
    user = User(
        email=email,
        name=name,
        role=role,
        unit_code=unit_code or None,
        password_hash=hash_password(plain),
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user, plain


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None


def authenticate(
    session: Session,
    email: str,
    password: str,
    now: dt.datetime,
    *,
    max_failures: int = MAX_FAILED_LOGINS,
    lock_minutes: int = LOCK_MINUTES,
) -> LoginResult:
    """Check a password. After `max_failures` failures in a row the account is locked for `lock_minutes`,
    and while locked even the right password is refused, so guessing gains nothing."""
    user = find_user(session, email)
    if user is None or not user.active:
        _HASHER.hash(password)  # spend the same time as a real check: no user enumeration by timing
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, user.locked_until)
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + dt.timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            return LoginResult(None, user.locked_until)
        return LoginResult(None)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, email: str, name: str | None) -> str:
    """A new bearer token for that user (same role and unit); returned once, stored as its SHA-256."""
    user = find_user(session, email)
    if user is None:
        raise UserError(f"no user with e-mail {normalise_email(email)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token), prefix=token[:12]))
    session.flush()
    return token


def user_for_token(session: Session, token: str, now: dt.datetime) -> User | None:
    """The active user a bearer token belongs to, or None when unknown or revoked."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = now
    return user


def revoke_token(session: Session, token_id: int, now: dt.datetime) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise UserError(f"no token #{token_id}")
    row.revoked_at = now
