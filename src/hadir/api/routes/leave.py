"""Leave requests (izin, sakit, cuti, dinas luar) and their approval.

Staff create and list; supervisors list and decide leave of their own unit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import (
    ActorDep,
    ClockDep,
    DatabaseDep,
    LeavePolicyDep,
    PrincipalDep,
    ReaderDep,
    StaffDep,
    own_unit,
)
from hadir.api.schemas.leave import (
    LeaveBalancePublic,
    LeaveCreate,
    LeaveDecision,
    LeavePublic,
    LeaveVerdict,
)
from hadir.domain.attendance import DEFAULT_TIMEZONE, LeaveStatus, local_date_of
from hadir.services import leave as service
from hadir.services.enrolment import find_employee
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role

router = APIRouter(prefix="/api/v1/leave", tags=["leave"])


@router.post("", response_model=LeavePublic, status_code=201)
def create_leave(
    body: LeaveCreate,
    database: DatabaseDep,
    _: StaffDep,
    actor: ActorDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> LeavePublic:
    """Record a leave request (status ``requested``) for an active employee by NIP, within
    the configured bounds (``HADIR_LEAVE_MAX_DAYS``, ``..._BACKDATE_DAYS``,
    ``..._AHEAD_DAYS``)."""
    entry = service.request_leave(
        database.uow_factory,
        body.employee_id,
        body.kind,
        body.start_date,
        body.end_date,
        reason=body.reason,
        place=body.place,
        actor=actor,
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
        people = uow.employees.get_many(r.employee_id for r in records)  # one query
    return [LeavePublic.of(r, people[r.employee_id]) for r in records]


@router.post("/{leave_id}/decision", response_model=LeavePublic)
def decide_leave(
    leave_id: int,
    body: LeaveDecision,
    database: DatabaseDep,
    principal: PrincipalDep,
    actor: ActorDep,
    leave_policy: LeavePolicyDep,
) -> LeavePublic:
    """Approve or reject a leave: HR (any), supervisors (their own unit), or an employee
    who is the direct superior of its owner (with ``HADIR_LEAVE_HR_APPROVAL`` their
    approval makes it ``endorsed``, waiting for HR)."""
    if principal.role is Role.EMPLOYEE:
        entry = service.superior_decide_leave(
            database.uow_factory,
            leave_id,
            body.decision is LeaveVerdict.APPROVE,
            user_id=principal.user_id,
            employee_id=principal.employee_id,
            actor=actor,
            policy=leave_policy,
        )
        return LeavePublic.of(entry.leave, entry.employee)
    if principal.role not in (Role.ADMIN, Role.OPERATOR, Role.SUPERVISOR):
        raise ForbiddenError(f"The {principal.role.value} role may not do this.")
    entry = service.decide_leave(
        database.uow_factory,
        leave_id,
        body.decision.status,
        approver_id=principal.user_id,
        actor=actor,
        unit=own_unit(principal, None),
    )
    return LeavePublic.of(entry.leave, entry.employee)


@router.get("/balance", response_model=LeaveBalancePublic)
def leave_balance(
    database: DatabaseDep,
    principal: PrincipalDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
    employee_id: Annotated[str | None, Query(max_length=64, description="NIP")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> LeaveBalancePublic:
    """Annual leave balance of a year (default: this year). HR and supervisors name the
    employee; an employee sees their own."""
    if principal.role in (Role.ADMIN, Role.OPERATOR, Role.SUPERVISOR) and employee_id:
        nip = employee_id
    elif principal.employee_id is not None:
        with database.uow_factory() as uow:
            nip = uow.employees.get(principal.employee_id).employee_id
    else:
        raise ForbiddenError("Name the employee (employee_id).")
    chosen = year or local_date_of(clock(), DEFAULT_TIMEZONE).year
    balance = service.leave_balance(database.uow_factory, nip, chosen, leave_policy)
    return LeaveBalancePublic(
        employee_id=nip,
        year=balance.year,
        entitlement=balance.entitlement,
        carried_over=balance.carried_over,
        used=balance.used,
        pending=balance.pending,
        remaining=balance.remaining,
    )
