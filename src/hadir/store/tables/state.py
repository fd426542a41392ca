"""Bookkeeping tables: change counters (cache invalidation across processes) and used
single-use nonces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.store.tables.base import Base


class ChangeCounter(Base):
    """A named counter bumped in the same transaction as the change it counts.

    ``templates`` counts every change that can alter a 1:N index (a template added or
    deleted, an employee activated, deactivated or deleted); each process compares it with
    the version its cached index was built from, so a face enrolled through one server is
    used by every other server at its next check-in.
    """

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, server_default="0")


class UsedNonce(Base):
    """Single-use tokens (liveness challenges, one-time links): the primary key refuses
    a second use. Rows past ``expires_at`` can be purged; an expired nonce is refused by
    its signature's own expiry before it ever gets here."""

    __tablename__ = "used_nonces"

    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
