"""Work schedules, their dated overrides and offices: the use cases behind the admin API.

Schedules have a scope (global, an office or a unit; see ``ScheduleRepository``). Only one
schedule per scope and one override per scope and date range may exist: a second one is
a ``ConflictError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from hadir.domain.attendance import (
    DaySchedule,
    ScheduleOverride,
    WorkSchedule,
    schedule_for,
)
from hadir.domain.errors import ConflictError
from hadir.services.enrolment import find_employee
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import (
    EmployeeRecord,
    OfficeRecord,
    OverrideRecord,
    ScheduleRecord,
)


@dataclass(frozen=True)
class Scope:
    """Where a schedule applies: an office (by database id), a unit, or neither (global)."""

    office_id: int | None = None
    unit: str | None = None

    @classmethod
    def of(cls, record: ScheduleRecord | OverrideRecord) -> Scope:
        return cls(record.office_id, record.unit)


def create_schedule(
    uow: AbstractUnitOfWork, schedule: WorkSchedule, scope: Scope
) -> ScheduleRecord:
    """A new schedule for ``scope``; a ConflictError if that scope already has one."""
    taken = [s for s in uow.schedules.list() if Scope.of(s) == _normal(scope)]
    if taken:
        raise ConflictError(
            "this scope already has a work schedule; change it instead",
            schedule_id=taken[0].id,
        )
    return uow.schedules.set(schedule, office_id=scope.office_id, unit=scope.unit)


def update_schedule(
    uow: AbstractUnitOfWork, schedule_id: int, schedule: WorkSchedule
) -> ScheduleRecord:
    current = uow.schedules.get_by_id(schedule_id)
    return uow.schedules.set(schedule, office_id=current.office_id, unit=current.unit)


def add_override(
    uow: AbstractUnitOfWork, schedule_id: int, override: ScheduleOverride
) -> OverrideRecord:
    """An override in the scope of schedule ``schedule_id``; a ConflictError if that scope
    already has one for exactly the same dates."""
    scope = Scope.of(uow.schedules.get_by_id(schedule_id))
    for existing in uow.schedules.list_overrides(office_id=scope.office_id, unit=scope.unit):
        same = existing.override
        if (same.start_date, same.end_date) == (override.start_date, override.end_date):
            raise ConflictError(
                f"this scope already has an override for {same.start_date}..{same.end_date}",
                override_id=existing.id,
            )
    return uow.schedules.add_override(override, office_id=scope.office_id, unit=scope.unit)


def list_overrides(uow: AbstractUnitOfWork, schedule_id: int) -> list[OverrideRecord]:
    scope = Scope.of(uow.schedules.get_by_id(schedule_id))
    return uow.schedules.list_overrides(office_id=scope.office_id, unit=scope.unit)


@dataclass(frozen=True)
class ResolvedDay:
    """What applies to one employee on one date."""

    employee: EmployeeRecord
    day: date
    schedule: WorkSchedule
    hours: DaySchedule | None
    """``None`` when the weekday is not a working day."""
    holiday: str | None

    @property
    def working(self) -> bool:
        return self.hours is not None and self.holiday is None


def resolve_day(uow: AbstractUnitOfWork, nip: str, day: date) -> ResolvedDay:
    """The effective schedule of employee ``nip`` on ``day`` (as the reports see it)."""
    employee = find_employee(uow.employees, nip)
    office_id, unit = employee.office_id, employee.unit
    schedule = uow.schedules.resolve(office_id=office_id, unit=unit)
    overrides = uow.schedules.overrides_for(day, day, office_id=office_id, unit=unit)
    holiday = uow.holidays.calendar(day, day, office_id=office_id).get(day)
    return ResolvedDay(employee, day, schedule, schedule_for(day, schedule, overrides), holiday)


def update_office(uow: AbstractUnitOfWork, code: str, changes: Mapping[str, Any]) -> OfficeRecord:
    """Change an office's name, timezone or location (the fields in ``changes``)."""
    office = uow.offices.get_by_code(code)
    return uow.offices.update(replace(office, **changes))


def delete_office(uow: AbstractUnitOfWork, code: str) -> None:
    """Remove an office; a ConflictError while employees still belong to it."""
    office = uow.offices.get_by_code(code)
    staff = uow.employees.list(office_id=office.id, limit=1)
    if staff:
        raise ConflictError(
            f"office {code!r} still has employees (e.g. {staff[0].employee_id}); "
            "move them to another office first",
            office=code,
        )
    uow.offices.delete(office.id)


def _normal(scope: Scope) -> Scope:
    unit = scope.unit.strip() if scope.unit is not None else None
    return Scope(scope.office_id, unit or None)
