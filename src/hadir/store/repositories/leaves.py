"""Leave requests (izin, sakit, cuti, dinas luar) and their approval."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hadir.domain.attendance import Leave, LeaveKind, LeaveStatus
from hadir.domain.errors import NotFoundError
from hadir.services.records import LeaveRecord
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.attendance import LeaveRow
from hadir.store.tables.people import Employee


def _leave(row: LeaveRow) -> LeaveRecord:
    return LeaveRecord(
        id=row.id,
        employee_id=row.employee_id,
        kind=LeaveKind(row.kind),
        start_date=row.start_date,
        end_date=row.end_date,
        status=LeaveStatus(row.status),
        reason=row.reason,
        approver_id=row.approver_id,
        decided_at=row.decided_at,
        created_at=row.created_at,
        place=row.place,
        endorsed_by=row.endorsed_by,
    )


class LeaveRepository(SqlRepository):
    def add(self, leave: Leave, *, reason: str = "", place: str = "") -> LeaveRecord:
        row = LeaveRow(
            employee_id=leave.employee_id,
            kind=leave.kind.value,
            start_date=leave.start_date,
            end_date=leave.end_date,
            status=leave.status.value,
            reason=reason.strip(),
            place=place.strip(),
            created_at=self._now(),
        )
        missing = NotFoundError(f"employee {leave.employee_id} does not exist")
        with guarded(self._session, foreign_key=missing):
            self._session.add(row)
        return _leave(row)

    def get(self, leave_id: int) -> LeaveRecord:
        return _leave(self._row(LeaveRow, leave_id, "leave"))

    def list(
        self,
        *,
        employee_id: int | None = None,
        status: LeaveStatus | None = None,
        first: date | None = None,
        last: date | None = None,
        unit: str | None = None,
    ) -> list[LeaveRecord]:
        """Leave overlapping ``first``..``last`` (either end open), by start date."""
        query = select(LeaveRow).order_by(LeaveRow.start_date, LeaveRow.id)
        if employee_id is not None:
            query = query.where(LeaveRow.employee_id == employee_id)
        if status is not None:
            query = query.where(LeaveRow.status == LeaveStatus(status).value)
        if first is not None:
            query = query.where(LeaveRow.end_date >= first)
        if last is not None:
            query = query.where(LeaveRow.start_date <= last)
        if unit is not None:
            query = query.join(Employee, Employee.id == LeaveRow.employee_id).where(
                Employee.unit == unit
            )
        return [_leave(r) for r in self._session.scalars(query)]

    def decide(self, leave_id: int, status: LeaveStatus, *, approver_id: int | None) -> LeaveRecord:
        row = self._row(LeaveRow, leave_id, "leave")
        missing = NotFoundError(f"user {approver_id} does not exist", user_id=approver_id)
        with guarded(self._session, foreign_key=missing):
            row.status = LeaveStatus(status).value
            row.approver_id = approver_id
            row.decided_at = self._now()
        return _leave(row)

    def endorse(self, leave_id: int, *, endorsed_by: int | None) -> LeaveRecord:
        """The direct superior's approval, before HR's (status ``endorsed``)."""
        row = self._row(LeaveRow, leave_id, "leave")
        with guarded(self._session):
            row.status = LeaveStatus.ENDORSED.value
            row.endorsed_by = endorsed_by
        return _leave(row)
