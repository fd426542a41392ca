"""Records of who may do what and of what was done: accounts, API tokens, the audit chain.

Frozen values out of the unit of work, like ``hadir.services.records``; datetimes are aware
and in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hadir.domain.attendance import as_utc
from hadir.services.records import Role


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    password_hash: str
    role: Role
    employee_id: int | None
    unit: str | None
    active: bool
    created_at: datetime
    failed_logins: int = 0
    locked_until: datetime | None = None
    must_change_password: bool = False

    def locked_at(self, now: datetime) -> bool:
        """Locked out of password sign-in at ``now``."""
        return self.locked_until is not None and as_utc(now, field="now") < self.locked_until


@dataclass(frozen=True)
class TokenRecord:
    id: int
    user_id: int
    name: str
    token_hash: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def usable_at(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or as_utc(now, field="now") < self.expires_at


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, object] = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""


@dataclass(frozen=True)
class AuditHeadRecord:
    """The audit chain's anchored head: entries ever appended, newest id and hash."""

    entries: int
    head_id: int
    head_hash: str
