"""Encrypted leave attachments (``tables.hr.LeaveAttachmentRow``); the store never sees
a key or a plain document."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from hadir.domain.attendance import as_utc
from hadir.domain.errors import ConflictError, NotFoundError
from hadir.services.records import LeaveAttachmentRecord
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.hr import LeaveAttachmentRow


def _attachment(row: LeaveAttachmentRow) -> LeaveAttachmentRecord:
    return LeaveAttachmentRecord(
        id=row.id,
        leave_id=row.leave_id,
        employee_id=row.employee_id,
        content_type=row.content_type,
        size=row.size,
        nonce=row.nonce,
        ciphertext=row.ciphertext,
        sha256=row.sha256,
        created_at=row.created_at,
    )


class LeaveAttachmentRepository(SqlRepository):
    def add(
        self,
        leave_id: int,
        employee_id: int,
        *,
        content_type: str,
        size: int,
        nonce: bytes,
        ciphertext: bytes,
        sha256: str,
    ) -> LeaveAttachmentRecord:
        row = LeaveAttachmentRow(
            leave_id=leave_id,
            employee_id=employee_id,
            content_type=content_type,
            size=size,
            nonce=nonce,
            ciphertext=ciphertext,
            sha256=sha256,
            created_at=self._now(),
        )
        taken = ConflictError(f"Leave {leave_id} already has an attachment.", leave_id=leave_id)
        missing = NotFoundError(f"leave {leave_id} does not exist", leave_id=leave_id)
        with guarded(self._session, unique=taken, foreign_key=missing):
            self._session.add(row)
        return _attachment(row)

    def find_for_leave(self, leave_id: int) -> LeaveAttachmentRecord | None:
        query = select(LeaveAttachmentRow).where(LeaveAttachmentRow.leave_id == leave_id)
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _attachment(row)

    def leaves_with_attachment(self, leave_ids: list[int]) -> set[int]:
        """Which of ``leave_ids`` have an attachment (no bytes loaded)."""
        if not leave_ids:
            return set()
        query = select(LeaveAttachmentRow.leave_id).where(
            LeaveAttachmentRow.leave_id.in_(leave_ids)
        )
        return set(self._session.scalars(query).all())

    def count_for(self, employee_id: int) -> int:
        query = select(func.count(LeaveAttachmentRow.id)).where(
            LeaveAttachmentRow.employee_id == employee_id
        )
        return int(self._session.scalar(query) or 0)

    def delete_for(self, employee_id: int) -> int:
        """Delete the employee's attachments; returns how many."""
        done = self._session.execute(
            delete(LeaveAttachmentRow)
            .where(LeaveAttachmentRow.employee_id == employee_id)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def purge_before(self, cutoff: datetime) -> int:
        """Delete attachments stored before ``cutoff``; returns how many."""
        done = self._session.execute(
            delete(LeaveAttachmentRow)
            .where(LeaveAttachmentRow.created_at <= as_utc(cutoff, field="cutoff"))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)
