"""Tables of access and accountability: accounts, API tokens and the hash-chained audit
log with its anchored head and last verification."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.services.records import Role
from hadir.store.tables.base import Base, one_of


class User(Base):
    __tablename__ = "users"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(16))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    unit: Mapped[str | None]
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    """Wrong passwords since the last successful sign-in (or the last lockout)."""
    locked_until: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default=false())
    """Set by an administrator's reset: the one-time password must be changed."""


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Append-only, hash-chained: ``hash = sha256(prev_hash + canonical entry)``.

    ``prev_hash`` is unique, so two writers racing to extend the same entry cannot fork
    the chain: the second one gets a conflict and must retry.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None]
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The audit chain's head, kept outside the rows it covers (issue 13, finding 5): the
    number of entries ever appended and the newest entry's id and hash, updated in the
    same transaction as each append. Deleting the newest rows leaves the chain itself
    valid but no longer reaching this head, so ``verify`` reports the truncation. One row
    (``id`` 1). Someone who can also rewrite this row is caught by an exported, signed
    checkpoint (``hadir audit checkpoint``) kept elsewhere."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))


class AuditVerified(Base):
    """How far ``hadir audit verify`` last found the chain intact (one row, ``id`` 1): the
    entries up to ``head_id``, the newest hash and when. The next verification starts
    there instead of re-hashing years of entries (``--full`` re-hashes everything)."""

    __tablename__ = "audit_verified"

    id: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime]
