"""Leave requests (izin, sakit, cuti, dinas luar) and their approval.

Staff create and list; supervisors list and decide leave of their own unit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import ClockDep, DatabaseDep, LeavePolicyDep, ReaderDep, StaffDep, own_unit
from hadir.api.schemas.leave import LeaveCreate, LeaveDecision, LeavePublic
from hadir.domain.attendance import DEFAULT_TIMEZONE, LeaveStatus, local_date_of
from hadir.domain.errors import ConflictError
from hadir.services.enrolment import find_employee
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role
from hadir.services.staff import request_leave

router = APIRouter(prefix="/api/v1/leave", tags=["leave"])


@router.post("", response_model=LeavePublic, status_code=201)
def create_leave(
    body: LeaveCreate,
    database: DatabaseDep,
    principal: StaffDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> LeavePublic:
    """Record a leave request (status ``requested``) for an employee by NIP, within the
    configured bounds (``HADIR_LEAVE_MAX_DAYS``, ``..._BACKDATE_DAYS``, ``..._AHEAD_DAYS``)."""
    entry = request_leave(
        database.uow_factory(),
        body.employee_id,
        body.kind,
        body.start_date,
        body.end_date,
        reason=body.reason,
        actor=principal.username,
        today=local_date_of(clock(), DEFAULT_TIMEZONE),
        policy=leave_policy,
    )
    return LeavePublic.of(entry.leave, entry.employee)


@router.get("", response_model=list[LeavePublic])
def list_leave(
    database: DatabaseDep,
    principal: ReaderDep,
    employee_id: Annotated[str | None, Query(max_length=64, description="NIP")] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
    status: LeaveStatus | None = None,
) -> list[LeavePublic]:
    """Leave requests by start date (supervisors: their own unit)."""
    unit = own_unit(principal, unit)
    with database.uow_factory() as uow:
        owner = None if employee_id is None else find_employee(uow.employees, employee_id)
        records = uow.leaves.list(
            employee_id=None if owner is None else owner.id, status=status, unit=unit
        )
        people = {e: uow.employees.get(e) for e in {r.employee_id for r in records}}
    return [LeavePublic.of(r, people[r.employee_id]) for r in records]


@router.post("/{leave_id}/decision", response_model=LeavePublic)
def decide_leave(
    leave_id: int, body: LeaveDecision, database: DatabaseDep, principal: ReaderDep
) -> LeavePublic:
    """Approve or reject a requested leave (supervisors: their own unit only)."""
    with database.uow_factory() as uow:
        leave = uow.leaves.get(leave_id)
        employee = uow.employees.get(leave.employee_id)
        if principal.role is Role.SUPERVISOR and employee.unit != principal.unit:
            raise ForbiddenError("Supervisors may only decide leave of their own unit.")
        if leave.status is not LeaveStatus.REQUESTED:
            raise ConflictError(
                f"This leave was already {leave.status.value}.", status=leave.status.value
            )
        record = uow.leaves.decide(leave_id, body.decision.status, approver_id=principal.user_id)
        uow.commit()
    return LeavePublic.of(record, employee)
