"""Shifts and the roster (which employee works which shift on which dates)."""

from __future__ import annotations

import builtins
from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select

from hadir.domain.attendance import Shift
from hadir.domain.errors import ConflictError, NotFoundError
from hadir.services.records import clean_text
from hadir.services.shift_records import AssignmentRecord, ShiftRecord
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.people import Employee
from hadir.store.tables.shifts import ShiftAssignmentRow, ShiftRow


def _shift(row: ShiftRow) -> Shift:
    return Shift(row.code, row.start_time, row.end_time, row.grace_minutes, row.name)


class ShiftRepository(SqlRepository):
    def add(self, shift: Shift) -> ShiftRecord:
        row = ShiftRow(code=clean_text(shift.code, field_name="code"))
        self._fill(row, shift)
        taken = ConflictError(f"shift {shift.code!r} already exists", field="code")
        with guarded(self._session, unique=taken):
            self._session.add(row)
        return ShiftRecord(row.id, _shift(row))

    def update(self, shift_id: int, shift: Shift) -> ShiftRecord:
        """New hours and name (the code stays)."""
        row = self._row(ShiftRow, shift_id, "shift")
        self._fill(row, shift)
        with guarded(self._session):
            pass
        return ShiftRecord(row.id, _shift(row))

    @staticmethod
    def _fill(row: ShiftRow, shift: Shift) -> None:
        row.name = clean_text(shift.name, field_name="name") if shift.name else ""
        row.start_time = shift.start
        row.end_time = shift.end
        row.grace_minutes = shift.grace_minutes

    def get(self, shift_id: int) -> ShiftRecord:
        row = self._row(ShiftRow, shift_id, "shift")
        return ShiftRecord(row.id, _shift(row))

    def get_by_code(self, code: str) -> ShiftRecord:
        row = self._session.scalars(select(ShiftRow).where(ShiftRow.code == code)).one_or_none()
        if row is None:
            raise NotFoundError(f"shift {code!r} does not exist", field="shift")
        return ShiftRecord(row.id, _shift(row))

    def list(self) -> builtins.list[ShiftRecord]:
        rows = self._session.scalars(select(ShiftRow).order_by(ShiftRow.start_time, ShiftRow.code))
        return [ShiftRecord(r.id, _shift(r)) for r in rows]

    def delete(self, shift_id: int) -> None:
        row = self._row(ShiftRow, shift_id, "shift")
        used = self._session.scalar(
            select(func.count()).where(ShiftAssignmentRow.shift_id == shift_id)
        )
        if used:
            raise ConflictError(
                f"shift {row.code!r} is on the roster {used} time(s); remove those first",
                field="shift",
            )
        self._session.delete(row)
        self._session.flush()

    def assign(self, employee_id: int, shift_id: int, first: date, last: date) -> AssignmentRecord:
        row = ShiftAssignmentRow(
            employee_id=employee_id, shift_id=shift_id, start_date=first, end_date=last
        )
        missing = NotFoundError("no such employee or shift", field="shift")
        with guarded(self._session, foreign_key=missing):
            self._session.add(row)
        return self.get_assignment(row.id)

    def get_assignment(self, assignment_id: int) -> AssignmentRecord:
        self._row(ShiftAssignmentRow, assignment_id, "shift assignment")
        (found,) = self._assignments(ShiftAssignmentRow.id == assignment_id)
        return found

    def unassign(self, assignment_id: int) -> None:
        self._session.delete(self._row(ShiftAssignmentRow, assignment_id, "shift assignment"))
        self._session.flush()

    def assignments(
        self, first: date, last: date, *, employee_ids: Collection[int] | None = None
    ) -> builtins.list[AssignmentRecord]:
        """Assignments touching ``first``..``last``, oldest first (the last covering one
        wins, as ``shift_on`` expects); all employees, or only ``employee_ids``."""
        where = [ShiftAssignmentRow.start_date <= last, ShiftAssignmentRow.end_date >= first]
        if employee_ids is not None:
            where.append(ShiftAssignmentRow.employee_id.in_(list(employee_ids)))
        return self._assignments(*where)

    def _assignments(self, *where: object) -> builtins.list[AssignmentRecord]:
        a, s, e = ShiftAssignmentRow, ShiftRow, Employee
        query = (
            select(a, s, e.employee_id, e.name)
            .join(s, s.id == a.shift_id)
            .join(e, e.id == a.employee_id)
            .where(*where)  # type: ignore[arg-type]
            .order_by(a.id)
        )
        return [
            AssignmentRecord(
                row.id,
                row.employee_id,
                nip,
                name,
                shift.id,
                _shift(shift),
                row.start_date,
                row.end_date,
            )
            for row, shift, nip, name in self._session.execute(query)
        ]
