"""The hash-chained audit log: append, read, and verify (in full or from where it was last
found intact)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select

from hadir.domain.errors import ConflictError
from hadir.services.access_records import AuditHeadRecord, AuditRecord
from hadir.services.records import clean_text
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.access import AuditEntry, AuditHead, AuditVerified

GENESIS_HASH = "0" * 64
"""``prev_hash`` of the first audit entry."""
HEAD_ROW = 1


def entry_hash(
    prev_hash: str, at: datetime, actor: str, action: str, target: str | None, detail: str
) -> str:
    """SHA-256 of the previous hash and the entry, as canonical JSON."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor, action, target, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _audit(row: AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=json.loads(row.detail),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class AuditRepository(SqlRepository):
    """Append-only: there is no update or delete."""

    _reached: AuditHeadRecord | None = None
    """How far the last ``verify`` of this unit of work found the chain intact."""

    def append(
        self,
        actor: str,
        action: str,
        target: str | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> AuditRecord:
        """Add an entry chained to the newest one. A concurrent append that extended the
        same entry first makes this a ``ConflictError``: retry the unit of work.

        The ``audit`` change counter is bumped first: that takes a row lock on PostgreSQL
        (and the write lock on SQLite) until commit, so concurrent writers queue here
        instead of forking the chain."""
        self._bump_counter("audit")
        last = self._session.scalars(
            select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        prev = last or GENESIS_HASH
        at = self._now()
        text = json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False, default=str)
        row = AuditEntry(
            at=at,
            actor=clean_text(actor, field_name="actor"),
            action=clean_text(action, field_name="action"),
            target=target,
            detail=text,
            prev_hash=prev,
            hash=entry_hash(prev, at, actor.strip(), action.strip(), target, text),
        )
        raced = ConflictError("the audit log changed while writing to it; retry")
        with guarded(self._session, unique=raced):
            self._session.add(row)
        self._advance_head(row)
        return _audit(row)

    def _advance_head(self, row: AuditEntry) -> None:
        """Move the anchored head to ``row`` (same transaction; the counter bump above
        already serialises appenders)."""
        head = self._session.get(AuditHead, HEAD_ROW)
        if head is None:  # a schema made without the migration (tests): start counting
            head = AuditHead(id=HEAD_ROW, entries=self.count() - 1, head_id=0, head_hash="")
            self._session.add(head)
        head.entries += 1
        head.head_id = row.id
        head.head_hash = row.hash
        self._session.flush()

    def get(self, entry_id: int) -> AuditRecord | None:
        row = self._session.get(AuditEntry, entry_id)
        return None if row is None else _audit(row)

    def head(self) -> AuditHeadRecord | None:
        """The anchored head (``None`` on a schema that never had an entry)."""
        head = self._session.get(AuditHead, HEAD_ROW)
        if head is None:
            return None
        return AuditHeadRecord(head.entries, head.head_id, head.head_hash)

    def list(self, *, limit: int = 100, offset: int = 0) -> list[AuditRecord]:
        """Newest first."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
        return [_audit(r) for r in self._session.scalars(query)]

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    def verify(self, since: AuditHeadRecord | None = None) -> int | None:
        """The id of the first entry that breaks the chain, or ``None`` if it is intact.

        Intact means: every entry chains to the one before, *and* the chain ends at the
        anchored head with as many entries as were ever appended. Deleting the newest
        entries is reported at the first missing id (the newest surviving id + 1).

        With ``since`` (where the chain was last found intact, see ``verified``) only the
        entries after it are hashed; the entries it covers must still end at its hash and
        still number as many (a deleted or re-hashed old entry is reported at
        ``since.head_id``). An old entry edited in place *and* re-chained up to ``since``
        is only caught by a full verification or a signed checkpoint."""
        prev, rows, last_id = GENESIS_HASH, 0, 0
        query = select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.target,
            AuditEntry.detail,
            AuditEntry.prev_hash,
            AuditEntry.hash,
        ).order_by(AuditEntry.id)
        if since is not None and since.head_id > 0:
            anchor = self._session.scalar(
                select(AuditEntry.hash).where(AuditEntry.id == since.head_id)
            )
            before = self._session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= since.head_id)
            )
            if anchor != since.head_hash or before != since.entries:
                return since.head_id
            prev, rows, last_id = since.head_hash, since.entries, since.head_id
            query = query.where(AuditEntry.id > since.head_id)
        for row in self._session.execute(query.execution_options(yield_per=5000)):
            expected = entry_hash(prev, row.at, row.actor, row.action, row.target, row.detail)
            if row.prev_hash != prev or row.hash != expected:
                return int(row.id)
            prev, rows, last_id = row.hash, rows + 1, int(row.id)
        self._reached = AuditHeadRecord(rows, last_id, prev)
        head = self.head()
        if head is None:
            return None if rows == 0 else 1  # entries but no anchor: it was removed
        anchored = (head.entries, head.head_id, head.head_hash)
        if anchored != (rows, last_id, prev) and not (rows == 0 == head.entries):
            return last_id + 1
        return None

    def verified(self) -> AuditHeadRecord | None:
        """Where the chain was last found intact (``None``: never)."""
        row = self._session.get(AuditVerified, HEAD_ROW)
        return None if row is None else AuditHeadRecord(row.entries, row.head_id, row.head_hash)

    def mark_verified(self) -> AuditHeadRecord | None:
        """Remember where the last ``verify`` of this unit of work found the chain intact
        (what it read, not the head now: entries appended meanwhile are verified next
        time)."""
        reached = self._reached
        if reached is None:
            return None
        row = self._session.get(AuditVerified, HEAD_ROW)
        if row is None:
            row = AuditVerified(
                id=HEAD_ROW, entries=0, head_id=0, head_hash="", verified_at=self._now()
            )
            self._session.add(row)
        row.entries, row.head_id, row.head_hash = (
            reached.entries,
            reached.head_id,
            reached.head_hash,
        )
        row.verified_at = self._now()
        self._session.flush()
        return reached
