"""Shifts of units that work around the clock and the roster. Staff write; staff and
supervisors read. Each change is one use case of ``hadir.services.shifts``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import ActorDep, DatabaseDep, ReaderDep, StaffDep
from hadir.api.schemas.shifts import AssignmentIn, AssignmentPublic, ShiftIn, ShiftPublic
from hadir.domain.errors import DomainValidationError
from hadir.services import shifts as service

router = APIRouter(prefix="/api/v1/shifts", tags=["schedules"])


@router.get("", response_model=list[ShiftPublic])
def list_shifts(database: DatabaseDep, _: ReaderDep) -> list[ShiftPublic]:
    with database.uow_factory() as uow:
        return [ShiftPublic.of(r) for r in uow.shifts.list()]


@router.post("", response_model=ShiftPublic, status_code=201)
def create_shift(body: ShiftIn, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> ShiftPublic:
    """A new shift; 409 if the code is taken."""
    return ShiftPublic.of(service.create_shift(database.uow_factory, body.to_domain(), actor=actor))


@router.get("/roster", response_model=list[AssignmentPublic])
def roster(
    database: DatabaseDep,
    _: ReaderDep,
    date_from: Annotated[date, Query()],
    date_to: Annotated[date, Query()],
) -> list[AssignmentPublic]:
    """The assignments touching ``date_from``..``date_to``."""
    if date_to < date_from:
        raise DomainValidationError("date_to is before date_from.", field="date_to")
    with database.uow_factory() as uow:
        return [AssignmentPublic.of(a) for a in uow.shifts.assignments(date_from, date_to)]


@router.post("/roster", response_model=AssignmentPublic, status_code=201)
def assign(
    body: AssignmentIn, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> AssignmentPublic:
    """Employee ``employee_id`` works ``shift`` on ``start_date``..``end_date``."""
    record = service.assign_shift(
        database.uow_factory,
        body.employee_id,
        body.shift,
        body.start_date,
        body.end_date or body.start_date,
        actor=actor,
    )
    return AssignmentPublic.of(record)


@router.delete("/roster/{assignment_id}", status_code=204)
def unassign(assignment_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> Response:
    service.unassign_shift(database.uow_factory, assignment_id, actor=actor)
    return Response(status_code=204)


@router.put("/{shift_id}", response_model=ShiftPublic)
def update_shift(
    shift_id: int, body: ShiftIn, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> ShiftPublic:
    """New hours and name (the code stays: it must match)."""
    with database.uow_factory() as uow:
        current = uow.shifts.get(shift_id)
    if body.code.strip() != current.shift.code:
        raise DomainValidationError("a shift's code does not change", field="code")
    record = service.update_shift(database.uow_factory, shift_id, body.to_domain(), actor=actor)
    return ShiftPublic.of(record)


@router.delete("/{shift_id}", status_code=204)
def delete_shift(shift_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> Response:
    """Remove a shift; 409 while it is on the roster."""
    service.delete_shift(database.uow_factory, shift_id, actor=actor)
    return Response(status_code=204)
