"""Accounts and API tokens: password hashing, sign-in with lockout, token issue and checks.

Passwords are hashed with Argon2id (``argon2-cffi``). Hashes made earlier with scrypt
(``scrypt$N$r$p$salt$hash``) still verify and are replaced by Argon2 at the next
successful sign-in. Tokens are random and only their SHA-256 is stored; every token has
an expiry (``DEFAULT_TOKEN_LIFETIME`` unless the caller gives one). Roles: admin, operator
(HR), supervisor (own unit), employee (self), kiosk (device).

Sign-in lockout: wrong passwords are counted per user in the database (atomically, so
concurrent attempts are all counted); ``SignInPolicy.max_failures`` in a row lock the
account for ``lock_for``. While locked, even the right password is refused with
``account_locked``. Unknown usernames are answered like wrong passwords (and cost the same
hashing time). Every sign-in outcome is written to the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hadir.domain.errors import ErrorCode, HadirError, NotFoundError
from hadir.domain.staff.identity import NIP_SEPARATORS
from hadir.services import audit
from hadir.services.access_records import TokenRecord, UserRecord
from hadir.services.errors import UnauthorizedError
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.ratelimit import RateLimiter
from hadir.services.records import Role

TOKEN_PREFIX = "hdr_"
UNUSABLE_PASSWORD = "!"
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
"""Expiry of a token issued without an explicit lifetime."""
SIGN_IN_LIFETIME = timedelta(hours=12)


class AccountLockedError(HadirError):
    """Too many wrong passwords: password sign-in is refused until ``locked_until``."""

    code = ErrorCode.ACCOUNT_LOCKED


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # RFC 9106 low-memory profile: t=3, m=64 MiB, p=4


@cache
def _dummy_hash() -> str:
    return _hasher().hash("hadir-dummy-password")


def hash_password(password: str) -> str:
    """An Argon2id hash (``$argon2id$v=19$m=…``) with a fresh salt."""
    if not password:
        raise ValueError("empty password")
    return _hasher().hash(password)


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (Argon2, or a legacy scrypt hash)."""
    if not password or not stored:
        return False
    if stored.startswith("$argon2"):
        try:
            return _hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return _verify_scrypt(password, stored)


def needs_rehash(stored: str) -> bool:
    """True for a legacy scrypt hash or an Argon2 hash with weaker parameters."""
    if not stored.startswith("$argon2"):
        return stored != UNUSABLE_PASSWORD
    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


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
    must_change_password: bool = False
    """Signed in with a one-time password: pages send them to change it first."""


@dataclass(frozen=True)
class IssuedToken:
    """The secret, shown once, and the stored record (which holds only its hash)."""

    token: str
    record: TokenRecord


@dataclass(frozen=True)
class SignInPolicy:
    """The sign-in settings (``HADIR_LOGIN_MAX_FAILURES``, ``HADIR_LOGIN_LOCK_MINUTES``,
    ``HADIR_TOKEN_HOURS``, the per-username rate limit), the same for the API and the web."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)
    lifetime: timedelta = SIGN_IN_LIFETIME
    per_username: RateLimiter | None = None


def create_user(
    uow: AbstractUnitOfWork,
    username: str,
    password: str | None,
    role: Role,
    *,
    employee_id: int | None = None,
    unit: str | None = None,
    actor: str = audit.SYSTEM,
    ip: str | None = None,
) -> UserRecord:
    """A user; ``password=None`` makes a service account that cannot sign in."""
    stored = hash_password(password) if password else UNUSABLE_PASSWORD
    user = uow.users.add(username, stored, role, employee_id=employee_id, unit=unit)
    audit.record(
        uow, actor, "user.create", f"user:{user.username}", ip=ip, detail={"role": role.value}
    )
    return user


def issue_token(
    uow: AbstractUnitOfWork,
    user: UserRecord,
    name: str,
    *,
    now: datetime,
    expires_in: timedelta | None = None,
    role: Role | None = None,
    actor: str | None = None,
    ip: str | None = None,
) -> IssuedToken:
    """A new token for ``user``, expiring after ``expires_in`` (default 90 days)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = uow.tokens.add(
        user.id,
        name,
        token_hash(secret),
        role or user.role,
        expires_at=now + (expires_in if expires_in is not None else DEFAULT_TOKEN_LIFETIME),
    )
    audit.record(
        uow,
        actor or user.username,
        "token.issue",
        f"token:{record.id}",
        ip=ip,
        detail={"user": user.username, "name": name, "role": record.role.value},
    )
    return IssuedToken(token=secret, record=record)


def issue_service_token(
    uow: AbstractUnitOfWork,
    role: Role,
    name: str,
    *,
    now: datetime,
    expires_in: timedelta | None = None,
    actor: audit.Actor | None = None,
) -> IssuedToken:
    """A token for a device or integration: a service user named ``role:name`` is reused
    or created (it has no password)."""
    by = actor or audit.Actor.system()
    username = f"{role.value}:{name}"
    existing = [u for u in uow.users.list() if u.username == username]
    user = (
        existing[0]
        if existing
        else create_user(uow, username, None, role, actor=by.username, ip=by.ip)
    )
    return issue_token(
        uow, user, name, now=now, role=role, expires_in=expires_in, actor=by.username, ip=by.ip
    )


TOUCH_EVERY = timedelta(minutes=1)
"""How stale a token's ``last_used_at`` may get before a request updates it."""


def authenticate(uow: AbstractUnitOfWork, token: str, *, now: datetime) -> Principal:
    record = uow.tokens.find_by_hash(token_hash(token.strip())) if token else None
    if record is None or not record.usable_at(now):
        raise UnauthorizedError("The access token is missing, unknown, expired or revoked.")
    user = uow.users.get(record.user_id)
    if not user.active:
        raise UnauthorizedError("This account is deactivated.")
    if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
        uow.tokens.touch(record.id)  # at most once a minute per token: one small write
        uow.commit()
    return Principal(
        user_id=user.id,
        username=user.username,
        role=record.role,
        employee_id=user.employee_id,
        unit=user.unit,
        token_id=record.id,
        must_change_password=user.must_change_password,
    )


def _wrong() -> UnauthorizedError:
    return UnauthorizedError("Wrong username or password.")


def find_account(uow: AbstractUnitOfWork, typed: str) -> UserRecord | None:
    """The account signing in as ``typed``: its username, or the NIP of the employee it
    belongs to (typed with or without spaces and dots) when that employee has exactly one
    person account."""
    try:
        return uow.users.get_by_username(typed)
    except NotFoundError:
        pass
    number = NIP_SEPARATORS.sub("", typed.strip())
    try:
        employee = uow.employees.get_by_employee_id(number or typed)
    except NotFoundError:
        return None
    people = [
        u
        for u in uow.users.list()
        if u.employee_id == employee.id and u.role is not Role.KIOSK and u.active
    ]
    return people[0] if len(people) == 1 else None


def sign_in(
    uow: AbstractUnitOfWork,
    username: str,
    password: str,
    *,
    now: datetime,
    lifetime: timedelta | None = None,
    policy: SignInPolicy | None = None,
    ip: str | None = None,
) -> IssuedToken:
    """Check a password; on success a session token valid for ``lifetime`` (default
    ``policy.lifetime``, 12 hours).

    A refusal commits its bookkeeping (the failure count, a lockout, the audit entry)
    before raising: ``UnauthorizedError`` for a wrong password or unknown user,
    ``AccountLockedError`` while the account is locked. The caller commits a success.
    """
    rules = policy or SignInPolicy()
    user = find_account(uow, username)
    # End the read before any write: the hash check is slow, and on SQLite a read
    # transaction that later writes fails outright if another writer committed meanwhile.
    uow.rollback()
    if user is None or not user.active or user.password_hash == UNUSABLE_PASSWORD:
        verify_password(password, _dummy_hash())  # the same cost as a real check
        audit.record(
            uow,
            audit.ANONYMOUS,
            "auth.sign_in_failed",
            f"user:{username}",
            ip=ip,
            detail={"reason": "unknown_or_inactive"},
        )
        uow.commit()
        raise _wrong()
    if user.locked_at(now):
        audit.record(
            uow,
            user.username,
            "auth.sign_in_locked",
            f"user:{user.username}",
            ip=ip,
            detail={"locked_until": user.locked_until},
        )
        uow.commit()
        raise _locked(user)
    if not verify_password(password, user.password_hash):
        counted = uow.users.register_failed_login(
            user.id, max_failures=rules.max_failures, locked_until=now + rules.lock_for
        )
        locked = counted.locked_at(now)
        audit.record(
            uow,
            user.username,
            "auth.lockout" if locked else "auth.sign_in_failed",
            f"user:{user.username}",
            ip=ip,
            detail={"reason": "wrong_password", "failures": counted.failed_logins}
            if not locked
            else {"locked_until": counted.locked_until},
        )
        uow.commit()
        raise _locked(counted) if locked else _wrong()
    uow.users.clear_failed_logins(user.id)
    if needs_rehash(user.password_hash):
        uow.users.set_password_hash(user.id, hash_password(password))
    audit.record(uow, user.username, "auth.sign_in", f"user:{user.username}", ip=ip)
    return issue_token(uow, user, "sign-in", now=now, expires_in=lifetime or rules.lifetime, ip=ip)


def sign_in_session(
    uows: UowFactory,
    username: str,
    password: str,
    *,
    now: datetime,
    policy: SignInPolicy,
    ip: str | None = None,
) -> IssuedToken:
    """The one password sign-in of the API (``POST /api/v1/auth/token``) and the web
    (``/masuk``): the per-username limit, then ``sign_in`` under ``policy`` in its own
    unit of work, committed. The token lives ``policy.lifetime``."""
    if policy.per_username is not None:
        policy.per_username.hit(username.strip().lower())
    with uows() as uow:
        issued = sign_in(uow, username, password, now=now, policy=policy, ip=ip)
        uow.commit()
    return issued


def _locked(user: UserRecord) -> AccountLockedError:
    until = user.locked_until
    return AccountLockedError(
        "Too many wrong passwords: this account is locked for a while. Try again later "
        "or ask an administrator.",
        locked_until=None if until is None else until.isoformat(),
    )


def unlock(uows: UowFactory, username: str, *, actor: audit.Actor) -> UserRecord:
    """Clear a lockout (admin)."""
    with uows() as uow:
        user = uow.users.clear_failed_logins(uow.users.get_by_username(username).id)
        audit.write(uow, actor, "user.unlock", f"user:{user.username}")
        uow.commit()
    return user


def list_tokens(uow: AbstractUnitOfWork, user_id: int) -> list[TokenRecord]:
    """A user's tokens (hashes stay inside; callers show id, name, dates, role)."""
    return uow.tokens.list_for(user_id)


def revoke_token(
    uows: UowFactory, principal: Principal, token_id: int, *, actor: audit.Actor
) -> TokenRecord:
    """Revoke a token: one's own, or any token for an admin. Someone else's token is
    answered as not found (its existence is not revealed). Signing out is revoking the
    token in use."""
    with uows() as uow:
        try:
            token = uow.tokens.get(token_id)
        except NotFoundError:
            token = None
        if token is None or (
            principal.role is not Role.ADMIN and token.user_id != principal.user_id
        ):
            raise NotFoundError(f"API token {token_id} does not exist", id=token_id)
        revoked = uow.tokens.revoke(token_id)
        detail = {"user_id": token.user_id, "name": token.name}
        audit.write(uow, actor, "token.revoke", f"token:{token_id}", detail)
        uow.commit()
    return revoked
