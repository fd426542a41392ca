"""Change counters and single-use nonces (see ``tables.state.ChangeCounter`` / ``UsedNonce``)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, select

from hadir.domain.attendance import as_utc
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.state import ChangeCounter, UsedNonce

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class CounterRepository(SqlRepository):
    def get(self, name: str) -> int:
        """The counter's value (0 when it was never bumped)."""
        value = self._session.scalar(
            select(ChangeCounter.version).where(ChangeCounter.name == name)
        )
        return int(value or 0)

    def bump(self, name: str) -> None:
        self._bump_counter(name)


class NonceRepository(SqlRepository):
    def consume(self, nonce_hash: str, purpose: str, expires_at: datetime) -> None:
        """Record the nonce as used; ``ConflictError`` if it already was."""
        if not _SHA256_HEX.fullmatch(nonce_hash):
            raise DomainValidationError("nonce_hash must be 64 lowercase hex digits")
        reused = ConflictError("this challenge was already used", purpose=purpose)
        with guarded(self._session, unique=reused):
            self._session.add(
                UsedNonce(
                    nonce_hash=nonce_hash,
                    purpose=purpose,
                    used_at=self._now(),
                    expires_at=as_utc(expires_at, field="expires_at"),
                )
            )

    def purge_expired(self, now: datetime) -> int:
        """Delete nonces that expired before ``now``; returns how many."""
        result = self._session.execute(
            delete(UsedNonce)
            .where(UsedNonce.expires_at < as_utc(now, field="now"))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
