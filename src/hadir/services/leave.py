"""Leave requests (izin, sakit, cuti, dinas luar, wfh) and their approval: the one
implementation behind the API, the console and the employee's own page.

Each change opens one unit of work from the factory, writes the change and its audit
entry, and commits. A deactivated employee cannot file leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.domain.attendance import Leave, LeaveKind, LeavePolicy, LeaveStatus
from hadir.domain.attendance.leave_balance import (
    AnnualLeaveRules,
    LeaveBalance,
    annual_balance,
    leave_days,
)
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.employees import target
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import ForbiddenError
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, LeaveRecord
from hadir.services.units import direct_superior


def balance_in(
    uow: AbstractUnitOfWork, employee: EmployeeRecord, year: int, policy: LeavePolicy
) -> LeaveBalance:
    """The employee's annual leave balance of ``year`` (see ``leave_balance``); nothing
    carries over into the year they joined (``start_date``)."""
    first, last = date(year - 1, 1, 1), date(year, 12, 31)
    leaves = [
        r.to_domain() for r in uow.leaves.list(employee_id=employee.id, first=first, last=last)
    ]
    holidays = uow.holidays.calendar(first, last, office_id=employee.office_id)
    joined = employee.start_date is not None and employee.start_date.year >= year
    rules = AnnualLeaveRules(policy.annual_days, 0 if joined else policy.carry_over_days)
    return annual_balance(leaves, holidays, year, rules)


def leave_balance(uows: UowFactory, nip: str, year: int, policy: LeavePolicy) -> LeaveBalance:
    """Annual leave (cuti) of ``year``: the entitlement, days carried over from last year,
    used (approved) and pending days, and what is left (``domain.attendance.leave_balance``)."""
    with uows() as uow:
        return balance_in(uow, find_employee(uow.employees, nip), year, policy)


def _check_balance(
    uow: AbstractUnitOfWork, employee: EmployeeRecord, leave: Leave, policy: LeavePolicy
) -> None:
    """Refuse annual leave beyond what is left of each year it touches."""
    for year in range(leave.start_date.year, leave.end_date.year + 1):
        balance = balance_in(uow, employee, year, policy)
        holidays = uow.holidays.calendar(
            date(year, 1, 1), date(year, 12, 31), office_id=employee.office_id
        )
        asked = leave_days(leave, holidays, year)
        if asked > balance.remaining:
            raise DomainValidationError(
                f"Annual leave left for {year}: {balance.remaining} working days ({asked} asked).",
                field="end_date",
                remaining=balance.remaining,
                asked=asked,
            )


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
    place: str = "",
    actor: Actor,
    today: date,
    policy: LeavePolicy,
) -> LeaveEntry:
    """A leave request (status ``requested``) of the active employee with NIP ``nip``;
    filed by HR or by the employee themself, within ``policy``'s bounds around ``today``."""
    policy.check(start, end, today)
    if kind is LeaveKind.DINAS_LUAR and not place.strip():
        raise DomainValidationError("say where the official duty takes place", field="place")
    with uows() as uow:
        employee = require_active(find_employee(uow.employees, nip))
        leave = Leave(employee_id=employee.id, kind=kind, start_date=start, end_date=end)
        if leave.kind is LeaveKind.CUTI:
            _check_balance(uow, employee, leave, policy)
        record = uow.leaves.add(leave, reason=reason.strip(), place=place.strip())
        detail = {
            "leave_id": record.id,
            "kind": kind.value,
            "start": start.isoformat(),
            "end": end.isoformat(),
        } | ({"place": place.strip()} if place.strip() else {})
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
        people = uow.employees.get_many(r.employee_id for r in records)  # one query
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
        if leave.status not in (LeaveStatus.REQUESTED, LeaveStatus.ENDORSED):
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


def superior_decide_leave(
    uows: UowFactory,
    leave_id: int,
    approve: bool,
    *,
    user_id: int | None,
    employee_id: int | None,
    actor: Actor,
    policy: LeavePolicy,
) -> LeaveEntry:
    """The direct superior (``units.direct_superior``) approves or rejects a requested
    leave; with ``policy.hr_approval`` their approval waits for HR (``endorsed``)."""
    with uows() as uow:
        leave = uow.leaves.get(leave_id)
        employee = uow.employees.get(leave.employee_id)
        superior = direct_superior(uow, employee)
        if superior is None or employee_id is None or superior.id != employee_id:
            raise ForbiddenError("Only the employee's direct superior decides here.")
        if leave.status is not LeaveStatus.REQUESTED:
            raise ConflictError(
                f"This leave was already {leave.status.value}.", status=leave.status.value
            )
        if not approve:
            record = uow.leaves.decide(leave_id, LeaveStatus.REJECTED, approver_id=user_id)
        elif policy.hr_approval:
            record = uow.leaves.endorse(leave_id, endorsed_by=user_id)
        else:
            record = uow.leaves.decide(leave_id, LeaveStatus.APPROVED, approver_id=user_id)
        audit.write(
            uow,
            actor,
            f"leave.{record.status.value}",
            target(employee.employee_id),
            {"leave_id": leave_id, "by": "superior"},
        )
        uow.commit()
    return LeaveEntry(record, employee)


def superior_queue(uows: UowFactory, employee_id: int) -> list[LeaveEntry]:
    """Requested leave of the staff whose direct superior is ``employee_id``."""
    with uows() as uow:
        pending = uow.leaves.list(status=LeaveStatus.REQUESTED)
        people = uow.employees.get_many(r.employee_id for r in pending)
        entries = []
        for record in pending:
            superior = direct_superior(uow, people[record.employee_id])
            if superior is not None and superior.id == employee_id:
                entries.append(LeaveEntry(record, people[record.employee_id]))
    return entries
