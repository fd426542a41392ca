"""Encrypted evidence photos (``tables.face.EvidencePhoto``); the store never sees a key."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from hadir.domain.attendance import as_utc
from hadir.domain.errors import ConflictError, NotFoundError
from hadir.services.face_records import EvidenceRecord
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.face import EvidencePhoto


def _evidence(row: EvidencePhoto) -> EvidenceRecord:
    return EvidenceRecord(
        id=row.id,
        event_id=row.event_id,
        employee_id=row.employee_id,
        nonce=row.nonce,
        ciphertext=row.ciphertext,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


class EvidenceRepository(SqlRepository):
    def add(
        self,
        event_id: int,
        employee_id: int | None,
        nonce: bytes,
        ciphertext: bytes,
        *,
        expires_at: datetime,
    ) -> EvidenceRecord:
        row = EvidencePhoto(
            event_id=event_id,
            employee_id=employee_id,
            nonce=nonce,
            ciphertext=ciphertext,
            created_at=self._now(),
            expires_at=as_utc(expires_at, field="expires_at"),
        )
        taken = ConflictError(f"event {event_id} already has evidence", event_id=event_id)
        missing = NotFoundError(f"event {event_id} does not exist", event_id=event_id)
        with guarded(self._session, unique=taken, foreign_key=missing):
            self._session.add(row)
        return _evidence(row)

    def find_for_event(self, event_id: int) -> EvidenceRecord | None:
        query = select(EvidencePhoto).where(EvidencePhoto.event_id == event_id)
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _evidence(row)

    def events_with_photo(self, event_ids: Iterable[int]) -> set[int]:
        """Which of ``event_ids`` have a kept photo, in one query (a page of 200 cards)."""
        wanted = sorted(set(event_ids))
        if not wanted:
            return set()
        query = select(EvidencePhoto.event_id).where(EvidencePhoto.event_id.in_(wanted))
        return set(self._session.scalars(query))

    def count_for(self, employee_id: int) -> int:
        query = select(EvidencePhoto.id).where(EvidencePhoto.employee_id == employee_id)
        return len(self._session.scalars(query).all())

    def delete_for(self, employee_id: int) -> int:
        """Delete the employee's evidence photos; returns how many."""
        done = self._session.execute(
            delete(EvidencePhoto)
            .where(EvidencePhoto.employee_id == employee_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def purge_expired(self, now: datetime) -> int:
        """Delete evidence past its ``expires_at``; returns how many."""
        done = self._session.execute(
            delete(EvidencePhoto)
            .where(EvidencePhoto.expires_at <= as_utc(now, field="now"))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)
