"""Corrections of a day's attendance (issue 15)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from hadir.domain.attendance.correction import CorrectionReason, CorrectionStatus
from hadir.domain.errors import NotFoundError
from hadir.services.hr_records import CorrectionRecord, NewCorrection
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.hr import CorrectionRow


def _record(row: CorrectionRow) -> CorrectionRecord:
    return CorrectionRecord(
        id=row.id,
        employee_id=row.employee_id,
        day=row.day,
        reason_kind=CorrectionReason(row.reason_kind),
        reason=row.reason,
        check_in=row.check_in,
        check_out=row.check_out,
        requested_by=row.requested_by,
        status=CorrectionStatus(row.status),
        decided_by=row.decided_by,
        decider_id=row.decider_id,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        created_at=row.created_at,
    )


class CorrectionRepository(SqlRepository):
    def add(self, correction: NewCorrection) -> CorrectionRecord:
        row = CorrectionRow(
            employee_id=correction.employee_id,
            day=correction.day,
            reason_kind=correction.reason_kind.value,
            reason=correction.reason,
            check_in=correction.check_in,
            check_out=correction.check_out,
            requested_by=correction.requested_by,
            status=CorrectionStatus.REQUESTED.value,
            decision_note="",
            created_at=self._now(),
        )
        missing = NotFoundError(f"employee {correction.employee_id} does not exist")
        with guarded(self._session, foreign_key=missing):
            self._session.add(row)
        return _record(row)

    def get(self, correction_id: int) -> CorrectionRecord:
        return _record(self._row(CorrectionRow, correction_id, "correction"))

    def list(
        self,
        *,
        employee_ids: Iterable[int] | None = None,
        status: CorrectionStatus | None = None,
        limit: int = 500,
    ) -> list[CorrectionRecord]:
        """Newest day first."""
        query = select(CorrectionRow).order_by(CorrectionRow.day.desc(), CorrectionRow.id.desc())
        if employee_ids is not None:
            query = query.where(CorrectionRow.employee_id.in_(sorted(set(employee_ids))))
        if status is not None:
            query = query.where(CorrectionRow.status == status.value)
        return [_record(r) for r in self._session.scalars(query.limit(limit))]

    def decide(
        self,
        correction_id: int,
        status: CorrectionStatus,
        *,
        decided_by: str,
        decider_id: int | None,
        note: str = "",
    ) -> CorrectionRecord:
        row = self._row(CorrectionRow, correction_id, "correction")
        with guarded(self._session):
            row.status = status.value
            row.decided_by = decided_by
            row.decider_id = decider_id
            row.decided_at = self._now()
            row.decision_note = note
        return _record(row)
