"""Frozen records of shifts and the roster, as the store returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.domain.attendance import Shift, ShiftAssignment


@dataclass(frozen=True)
class ShiftRecord:
    id: int
    shift: Shift


@dataclass(frozen=True)
class AssignmentRecord:
    """Employee ``employee_id`` (the database key) works ``shift`` on ``start_date``..
    ``end_date``; ``nip`` and ``name`` are the employee's, for display."""

    id: int
    employee_id: int
    nip: str
    name: str
    shift_id: int
    shift: Shift
    start_date: date
    end_date: date

    def to_domain(self) -> ShiftAssignment:
        return ShiftAssignment(self.employee_id, self.start_date, self.end_date, self.shift)
