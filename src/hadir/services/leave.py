"""Leave requests (izin, sakit, cuti, dinas luar, wfh) and their approval: the one
implementation behind the API, the console and the employee's own page.

Each change opens one unit of work from the factory, writes the change and its audit
entry, and commits. A deactivated employee cannot file leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.domain.attendance import Leave, LeaveKind, LeavePolicy, LeaveStatus
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.employees import target
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import ForbiddenError
from hadir.services.ports import UowFactory
from hadir.services.records import EmployeeRecord, LeaveRecord


@dataclass(frozen=True)
class LeaveEntry:
    leave: LeaveRecord
    employee: EmployeeRecord


def request_leave(
    uows: UowFactory,
    nip: str,
    kind: LeaveKind,
    start: date,
    end: date,
    *,
    reason: str = "",
    actor: Actor,
    today: date,
    policy: LeavePolicy,
) -> LeaveEntry:
    """A leave request (status ``requested``) of the active employee with NIP ``nip``;
    filed by HR or by the employee themself, within ``policy``'s bounds around ``today``."""
    policy.check(start, end, today)
    with uows() as uow:
        employee = require_active(find_employee(uow.employees, nip))
        leave = Leave(employee_id=employee.id, kind=kind, start_date=start, end_date=end)
        record = uow.leaves.add(leave, reason=reason.strip())
        detail = {
            "leave_id": record.id,
            "kind": kind.value,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        audit.write(uow, actor, "leave.request", target(nip), detail)
        uow.commit()
    return LeaveEntry(record, employee)


def leave_list(
    uows: UowFactory,
    *,
    employee_id: int | None = None,
    unit: str | None = None,
    status: LeaveStatus | None = None,
) -> list[LeaveEntry]:
    """Leave requests, newest start first, with their employees."""
    with uows() as uow:
        records = uow.leaves.list(employee_id=employee_id, unit=unit, status=status)
        people = {e: uow.employees.get(e) for e in {r.employee_id for r in records}}
    entries = [LeaveEntry(r, people[r.employee_id]) for r in records]
    return sorted(entries, key=lambda e: (e.leave.start_date, e.leave.id), reverse=True)


def decide_leave(
    uows: UowFactory,
    leave_id: int,
    status: LeaveStatus,
    *,
    approver_id: int,
    actor: Actor,
    unit: str | None = None,
) -> LeaveEntry:
    """Approve or reject a requested leave (``unit``: a supervisor's own unit only)."""
    if status is LeaveStatus.REQUESTED:
        raise DomainValidationError("decide approved or rejected", field="decision")
    with uows() as uow:
        leave = uow.leaves.get(leave_id)
        employee = uow.employees.get(leave.employee_id)
        if unit is not None and employee.unit != unit:
            raise ForbiddenError("Supervisors may only decide leave of their own unit.")
        if leave.status is not LeaveStatus.REQUESTED:
            raise ConflictError(
                f"This leave was already {leave.status.value}.", status=leave.status.value
            )
        record = uow.leaves.decide(leave_id, status, approver_id=approver_id)
        audit.write(
            uow,
            actor,
            f"leave.{status.value}",
            target(employee.employee_id),
            {"leave_id": leave_id},
        )
        uow.commit()
    return LeaveEntry(record, employee)
