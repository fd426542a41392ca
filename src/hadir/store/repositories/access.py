"""Users and API tokens (the audit log is in ``audit.py``)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, update

from hadir.domain.attendance import as_utc
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services.access_records import TokenRecord, UserRecord
from hadir.services.records import Role, clean_text, optional_utc
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.access import ApiToken, User

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _user(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        password_hash=row.password_hash,
        role=Role(row.role),
        employee_id=row.employee_id,
        unit=row.unit,
        active=row.active,
        created_at=row.created_at,
        failed_logins=row.failed_logins or 0,
        locked_until=row.locked_until,
        must_change_password=bool(row.must_change_password),
    )


class UserRepository(SqlRepository):
    def add(
        self,
        username: str,
        password_hash: str,
        role: Role,
        *,
        employee_id: int | None = None,
        unit: str | None = None,
        active: bool = True,
    ) -> UserRecord:
        row = User(
            username=clean_text(username, field_name="username"),
            password_hash=password_hash,
            role=Role(role).value,
            employee_id=employee_id,
            unit=unit,
            active=active,
            created_at=self._now(),
        )
        taken = ConflictError(f"username {row.username!r} is taken", field="username")
        missing = NotFoundError(f"employee {employee_id} does not exist", field="employee_id")
        with guarded(self._session, unique=taken, foreign_key=missing):
            self._session.add(row)
        return _user(row)

    def get(self, user_id: int) -> UserRecord:
        return _user(self._row(User, user_id, "user"))

    def get_by_username(self, username: str) -> UserRecord:
        query = select(User).where(User.username == username.strip())
        row = self._session.scalars(query).one_or_none()
        if row is None:
            raise NotFoundError(f"no user named {username!r}", field="username")
        return _user(row)

    def list(self) -> list[UserRecord]:
        return [_user(r) for r in self._session.scalars(select(User).order_by(User.username))]

    def set_active(self, user_id: int, active: bool) -> UserRecord:
        row = self._row(User, user_id, "user")
        row.active = active
        self._session.flush()
        return _user(row)

    def set_password_hash(
        self, user_id: int, password_hash: str, *, must_change: bool | None = None
    ) -> UserRecord:
        """A new hash; ``must_change`` sets or clears the mark (``None``: unchanged)."""
        row = self._row(User, user_id, "user")
        row.password_hash = password_hash
        if must_change is not None:
            row.must_change_password = must_change
        self._session.flush()
        return _user(row)

    def register_failed_login(
        self, user_id: int, *, max_failures: int, locked_until: datetime
    ) -> UserRecord:
        """Count one wrong password, atomically (a row lock on PostgreSQL, the write lock
        on SQLite, held to commit). At ``max_failures`` the account is locked until
        ``locked_until`` and the count starts again."""
        self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_logins=User.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        row = self._row(User, user_id, "user")
        self._session.refresh(row)
        if row.failed_logins >= max_failures:
            row.failed_logins = 0
            row.locked_until = as_utc(locked_until, field="locked_until")
            self._session.flush()
        return _user(row)

    def clear_failed_logins(self, user_id: int) -> UserRecord:
        """After a successful sign-in (or an admin unlock): no failures, no lock. Writes
        before it reads, so on SQLite it never upgrades a read transaction."""
        self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        row = self._row(User, user_id, "user")
        self._session.refresh(row)
        return _user(row)


def _token(row: ApiToken) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        token_hash=row.token_hash,
        role=Role(row.role),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class TokenRepository(SqlRepository):
    """Only the SHA-256 of a token is stored; the caller hashes what the client sends."""

    def add(
        self,
        user_id: int,
        name: str,
        token_hash: str,
        role: Role,
        *,
        expires_at: datetime | None = None,
    ) -> TokenRecord:
        if not _SHA256_HEX.fullmatch(token_hash):
            raise DomainValidationError("token_hash must be 64 lowercase hex digits")
        row = ApiToken(
            user_id=user_id,
            name=clean_text(name, field_name="name"),
            token_hash=token_hash,
            role=Role(role).value,
            created_at=self._now(),
            expires_at=optional_utc(expires_at, field_name="expires_at"),
        )
        taken = ConflictError("this token is already registered", field="token_hash")
        missing = NotFoundError(f"user {user_id} does not exist", field="user_id")
        with guarded(self._session, unique=taken, foreign_key=missing):
            self._session.add(row)
        return _token(row)

    def get(self, token_id: int) -> TokenRecord:
        return _token(self._row(ApiToken, token_id, "API token"))

    def find_by_hash(self, token_hash: str) -> TokenRecord | None:
        """The token with that hash (usable or not), or ``None``."""
        query = select(ApiToken).where(ApiToken.token_hash == token_hash)
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _token(row)

    def list_for(self, user_id: int) -> list[TokenRecord]:
        query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
        return [_token(r) for r in self._session.scalars(query)]

    def revoke(self, token_id: int) -> TokenRecord:
        row = self._row(ApiToken, token_id, "API token")
        if row.revoked_at is None:
            row.revoked_at = self._now()
            self._session.flush()
        return _token(row)

    def touch(self, token_id: int) -> None:
        """Set ``last_used_at`` to now."""
        self._row(ApiToken, token_id, "API token").last_used_at = self._now()
        self._session.flush()
