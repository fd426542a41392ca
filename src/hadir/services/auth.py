"""Accounts and API tokens: password hashing, token issue and authentication.

Passwords are hashed with scrypt (stdlib) here; tokens are random and only their SHA-256 is
stored. Roles: admin, operator (HR), supervisor (own unit), employee (self), kiosk (device).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.errors import NotFoundError
from hadir.services.errors import UnauthorizedError
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import Role, TokenRecord, UserRecord

TOKEN_PREFIX = "hdr_"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
UNUSABLE_PASSWORD = "!"


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex), a fresh salt each time."""
    if not password:
        raise ValueError("empty password")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not password:
        return False
    digest = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(digest.hex(), expected)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a token, with the token's role."""

    user_id: int
    username: str
    role: Role
    employee_id: int | None
    unit: str | None
    token_id: int | None = None


@dataclass(frozen=True)
class IssuedToken:
    """The secret, shown once, and the stored record (which holds only its hash)."""

    token: str
    record: TokenRecord


def create_user(
    uow: AbstractUnitOfWork,
    username: str,
    password: str | None,
    role: Role,
    *,
    employee_id: int | None = None,
    unit: str | None = None,
) -> UserRecord:
    """A user; ``password=None`` makes a service account that cannot sign in."""
    stored = hash_password(password) if password else UNUSABLE_PASSWORD
    return uow.users.add(username, stored, role, employee_id=employee_id, unit=unit)


def issue_token(
    uow: AbstractUnitOfWork,
    user: UserRecord,
    name: str,
    *,
    now: datetime,
    expires_in: timedelta | None = None,
    role: Role | None = None,
) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = uow.tokens.add(
        user.id,
        name,
        token_hash(secret),
        role or user.role,
        expires_at=now + expires_in if expires_in is not None else None,
    )
    return IssuedToken(token=secret, record=record)


def issue_service_token(
    uow: AbstractUnitOfWork, role: Role, name: str, *, now: datetime
) -> IssuedToken:
    """A token for a device or integration: a service user named ``role:name`` is reused
    or created (it has no password)."""
    username = f"{role.value}:{name}"
    existing = [u for u in uow.users.list() if u.username == username]
    user = existing[0] if existing else create_user(uow, username, None, role)
    return issue_token(uow, user, name, now=now, role=role)


def authenticate(uow: AbstractUnitOfWork, token: str, *, now: datetime) -> Principal:
    record = uow.tokens.find_by_hash(token_hash(token.strip())) if token else None
    if record is None or not record.usable_at(now):
        raise UnauthorizedError("The access token is missing, unknown, expired or revoked.")
    user = uow.users.get(record.user_id)
    if not user.active:
        raise UnauthorizedError("This account is deactivated.")
    return Principal(
        user_id=user.id,
        username=user.username,
        role=record.role,
        employee_id=user.employee_id,
        unit=user.unit,
        token_id=record.id,
    )


def sign_in(
    uow: AbstractUnitOfWork,
    username: str,
    password: str,
    *,
    now: datetime,
    lifetime: timedelta = timedelta(hours=12),
) -> IssuedToken:
    """Check a password; on success a session token valid for ``lifetime``."""
    try:
        user = uow.users.get_by_username(username)
    except NotFoundError:
        user = None
    if user is None or not user.active or not verify_password(password, user.password_hash):
        raise UnauthorizedError("Wrong username or password.")
    return issue_token(uow, user, "sign-in", now=now, expires_in=lifetime)
