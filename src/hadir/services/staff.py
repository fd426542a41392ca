"""HR use cases of the console: employees (with their sign-in account) and leave requests.

Every change is written to the audit log with the acting user's name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from hadir.domain.attendance import Leave, LeaveKind, LeavePolicy, LeaveStatus
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.domain.staff import EmployeeType, normalize_staff_id
from hadir.services.auth import create_user
from hadir.services.enrolment import find_employee
from hadir.services.errors import ForbiddenError
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EmployeeRecord, LeaveRecord, NewEmployee, Role

EDITABLE = (
    "name",
    "unit",
    "position",
    "office_id",
    "email",
    "phone",
    "employee_type",
    "grade",
    "echelon",
    "superior_id",
    "start_date",
    "end_date",
)
"""What ``update_employee`` changes; ``superior_id`` there is the superior's NIP."""
MIN_PASSWORD = 8


def superior_key(uow: AbstractUnitOfWork, nip: str | None) -> int | None:
    """The database key of the direct superior with NIP ``nip`` (blank: none)."""
    if nip is None or not nip.strip():
        return None
    try:
        return uow.employees.get_by_employee_id(nip.strip()).id
    except NotFoundError as exc:
        raise DomainValidationError(
            f"no employee with NIP {nip.strip()!r} to be the direct superior",
            field="superior_id",
        ) from exc


def superior_nips(uow: AbstractUnitOfWork, employees: list[EmployeeRecord]) -> dict[int, str]:
    """Database key -> NIP of every superior of ``employees`` (for showing them)."""
    keys = {e.superior_id for e in employees if e.superior_id is not None}
    return {key: uow.employees.get(key).employee_id for key in keys}


def add_employee(
    uow: AbstractUnitOfWork,
    employee: NewEmployee,
    *,
    password: str | None,
    actor: str,
    superior_nip: str | None = None,
) -> EmployeeRecord:
    """Register an employee; with ``password`` also an employee account (username = NIP).
    ``superior_nip`` names the direct superior, who must already be registered."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise DomainValidationError(
            f"The password needs at least {MIN_PASSWORD} characters.", field="password"
        )
    with uow:
        superior = superior_key(uow, superior_nip)
        if superior is not None:
            employee = replace(employee, superior_id=superior)
        record = uow.employees.add(employee)
        if password:
            create_user(uow, record.employee_id, password, Role.EMPLOYEE, employee_id=record.id)
        uow.audit.append(
            actor,
            "employee.create",
            record.employee_id,
            {"account": bool(password), "type": record.employee_type.value},
        )
        uow.commit()
    return record


def update_employee(
    uow: AbstractUnitOfWork, nip: str, changes: dict[str, Any], *, actor: str
) -> EmployeeRecord:
    """Change the ``EDITABLE`` fields given in ``changes``. A new employee type must fit
    the stored identifier (a number is never rewritten)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainValidationError(f"not editable: {', '.join(sorted(unknown))}")
    with uow:
        current = find_employee(uow.employees, nip)
        values = dict(changes)
        if "superior_id" in values:
            values["superior_id"] = superior_key(uow, values["superior_id"])
        kind = EmployeeType(values.get("employee_type") or current.employee_type)
        retyped = kind is not current.employee_type
        if retyped and normalize_staff_id(current.employee_id, kind) != current.employee_id:
            raise DomainValidationError(
                f"{current.employee_id!r} is not written as a {kind} identifier",
                field="employee_type",
            )
        record = uow.employees.update(replace(current, **values))
        uow.audit.append(actor, "employee.update", nip, {"fields": sorted(changes)})
        uow.commit()
    return record


def set_employee_active(
    uow: AbstractUnitOfWork, nip: str, active: bool, *, actor: str
) -> EmployeeRecord:
    """Deactivate (or reactivate) an employee and their sign-in accounts."""
    with uow:
        current = find_employee(uow.employees, nip)
        record = uow.employees.update(replace(current, active=active))
        for user in uow.users.list():
            if user.employee_id == current.id and user.active != active:
                uow.users.set_active(user.id, active)
        uow.audit.append(actor, "employee.activate" if active else "employee.deactivate", nip)
        uow.commit()
    return record


@dataclass(frozen=True)
class LeaveEntry:
    leave: LeaveRecord
    employee: EmployeeRecord


def request_leave(
    uow: AbstractUnitOfWork,
    nip: str,
    kind: LeaveKind,
    start: date,
    end: date,
    *,
    reason: str = "",
    actor: str,
    today: date,
    policy: LeavePolicy,
) -> LeaveEntry:
    """A leave request (status ``requested``) of the employee with NIP ``nip``; filed by
    HR or by the employee themself, within ``policy``'s bounds around ``today``."""
    policy.check(start, end, today)
    with uow:
        employee = find_employee(uow.employees, nip)
        leave = Leave(employee_id=employee.id, kind=kind, start_date=start, end_date=end)
        record = uow.leaves.add(leave, reason=reason.strip())
        uow.audit.append(actor, "leave.request", nip, {"leave_id": record.id})
        uow.commit()
    return LeaveEntry(record, employee)


def leave_list(
    uow: AbstractUnitOfWork,
    *,
    employee_id: int | None = None,
    unit: str | None = None,
    status: LeaveStatus | None = None,
) -> list[LeaveEntry]:
    """Leave requests, newest start first, with their employees."""
    with uow:
        records = uow.leaves.list(employee_id=employee_id, unit=unit, status=status)
        people = {e: uow.employees.get(e) for e in {r.employee_id for r in records}}
    entries = [LeaveEntry(r, people[r.employee_id]) for r in records]
    return sorted(entries, key=lambda e: (e.leave.start_date, e.leave.id), reverse=True)


def decide_leave(
    uow: AbstractUnitOfWork,
    leave_id: int,
    status: LeaveStatus,
    *,
    approver_id: int,
    actor: str,
    unit: str | None = None,
) -> LeaveEntry:
    """Approve or reject a requested leave (``unit``: a supervisor's own unit only)."""
    if status is LeaveStatus.REQUESTED:
        raise DomainValidationError("decide approved or rejected", field="decision")
    with uow:
        leave = uow.leaves.get(leave_id)
        employee = uow.employees.get(leave.employee_id)
        if unit is not None and employee.unit != unit:
            raise ForbiddenError("Supervisors may only decide leave of their own unit.")
        if leave.status is not LeaveStatus.REQUESTED:
            raise ConflictError(
                f"This leave was already {leave.status.value}.", status=leave.status.value
            )
        record = uow.leaves.decide(leave_id, status, approver_id=approver_id)
        uow.audit.append(
            actor, f"leave.{status.value}", employee.employee_id, {"leave_id": leave_id}
        )
        uow.commit()
    return LeaveEntry(record, employee)
