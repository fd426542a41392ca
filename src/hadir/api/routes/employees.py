"""Employees (by NIP): create, list, read, update, delete. Staff only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import DatabaseDep, StaffDep
from hadir.api.schemas.employees import (
    EmployeeCreate,
    EmployeePage,
    EmployeePublic,
    EmployeeUpdate,
)
from hadir.services import staff
from hadir.services.container import Database
from hadir.services.enrolment import find_employee
from hadir.services.records import EmployeeRecord

router = APIRouter(prefix="/api/v1/employees", tags=["employees"])


@router.post("", response_model=EmployeePublic, status_code=201)
def create_employee(
    body: EmployeeCreate, database: DatabaseDep, principal: StaffDep
) -> EmployeePublic:
    """Register an employee; 422 ``validation_error`` naming the field for a wrong NIP
    (``details.part`` names the wrong part), 409 ``conflict`` if the NIP is taken."""
    record = staff.add_employee(
        database.uow_factory(),
        body.to_new(),
        password=None,
        actor=principal.username,
        superior_nip=body.superior_id,
    )
    return _public(database, [record])[0]


def _public(database: Database, records: list[EmployeeRecord]) -> list[EmployeePublic]:
    with database.uow_factory() as uow:
        superiors = staff.superior_nips(uow, records)
    return [EmployeePublic.of(r, superiors) for r in records]


@router.get("", response_model=EmployeePage)
def list_employees(
    database: DatabaseDep,
    _: StaffDep,
    search: Annotated[str | None, Query(max_length=255)] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EmployeePage:
    """Employees by name, optionally filtered by a search text, unit and active flag."""
    with database.uow_factory() as uow:
        records = uow.employees.list(
            search=search or None, unit=unit, active=active, limit=limit, offset=offset
        )
    return EmployeePage(items=_public(database, records), limit=limit, offset=offset)


@router.get("/{employee_id}", response_model=EmployeePublic)
def get_employee(employee_id: str, database: DatabaseDep, _: StaffDep) -> EmployeePublic:
    with database.uow_factory() as uow:
        record = find_employee(uow.employees, employee_id)
    return _public(database, [record])[0]


@router.patch("/{employee_id}", response_model=EmployeePublic)
def update_employee(
    employee_id: str, body: EmployeeUpdate, database: DatabaseDep, principal: StaffDep
) -> EmployeePublic:
    """Change the fields sent (``null`` clears office, email, phone, superior and dates)."""
    changes = body.model_dump(exclude_unset=True)
    for required in ("name", "unit", "position", "active", "employee_type", "grade", "echelon"):
        if required in changes and changes[required] is None:
            del changes[required]
    active = changes.pop("active", None)
    uow_factory = database.uow_factory
    if changes:
        staff.update_employee(uow_factory(), employee_id, changes, actor=principal.username)
    if active is not None:
        staff.set_employee_active(uow_factory(), employee_id, active, actor=principal.username)
    with uow_factory() as uow:
        record = find_employee(uow.employees, employee_id)
    return _public(database, [record])[0]


@router.delete("/{employee_id}", status_code=204)
def delete_employee(employee_id: str, database: DatabaseDep, _: StaffDep) -> Response:
    """Delete an employee without attendance history (409: deactivate them instead)."""
    with database.uow_factory() as uow:
        current = find_employee(uow.employees, employee_id)
        uow.employees.delete(current.id)
        uow.commit()
    return Response(status_code=204)
