"""Shifts of units that work around the clock and the roster: the one implementation
behind the console (and any future API). Each change writes its audit entry in the same
transaction and commits.

``timetable_for`` is the one place the hours of an employee are gathered (the scope's
schedule, its overrides and the employee's shifts): the check-in answer, the reports,
the dashboard (through the reports) and the resolved day all read it.
"""

from __future__ import annotations

from datetime import date, timedelta

from hadir.domain.attendance import Shift, Timetable
from hadir.domain.errors import DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.enrolment import find_employee
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord
from hadir.services.shift_records import AssignmentRecord, ShiftRecord

MAX_ROSTER_DAYS = 366
"""One assignment covers at most a year (a typo of the year is refused, not stored)."""


def _hours(shift: Shift) -> dict[str, object]:
    return {
        "code": shift.code,
        "name": shift.name,
        "start": shift.start.isoformat("minutes"),
        "end": shift.end.isoformat("minutes"),
        "grace_minutes": shift.grace_minutes,
    }


def create_shift(uows: UowFactory, shift: Shift, *, actor: Actor) -> ShiftRecord:
    """A new shift; a ConflictError if the code is taken."""
    with uows() as uow:
        record = uow.shifts.add(shift)
        audit.write(uow, actor, "shift.create", f"shift:{shift.code}", _hours(record.shift))
        uow.commit()
    return record


def update_shift(uows: UowFactory, shift_id: int, shift: Shift, *, actor: Actor) -> ShiftRecord:
    """New hours or name for a shift (its code stays). Past days on the roster are
    judged with the new hours from now on."""
    with uows() as uow:
        before = uow.shifts.get(shift_id)
        record = uow.shifts.update(shift_id, shift)
        old, new = _hours(before.shift), _hours(record.shift)
        diff = {k: {"before": old[k], "after": new[k]} for k in new if old[k] != new[k]}
        if diff:
            target = f"shift:{before.shift.code}"
            audit.write(uow, actor, "shift.update", target, {"changes": diff})
        uow.commit()
    return record


def delete_shift(uows: UowFactory, shift_id: int, *, actor: Actor) -> ShiftRecord:
    """Remove a shift; a ConflictError while it is on the roster."""
    with uows() as uow:
        before = uow.shifts.get(shift_id)
        uow.shifts.delete(shift_id)
        audit.write(uow, actor, "shift.delete", f"shift:{before.shift.code}", _hours(before.shift))
        uow.commit()
    return before


def assign_shift(
    uows: UowFactory, nip: str, shift_code: str, first: date, last: date, *, actor: Actor
) -> AssignmentRecord:
    """Employee ``nip`` works shift ``shift_code`` on ``first``..``last`` (a later
    assignment covering the same dates wins)."""
    if last < first:
        raise DomainValidationError("the roster ends before it starts", field="end_date")
    if (last - first).days >= MAX_ROSTER_DAYS:
        raise DomainValidationError("one assignment covers at most a year", field="end_date")
    with uows() as uow:
        employee = find_employee(uow.employees, nip)
        shift = uow.shifts.get_by_code(shift_code)
        record = uow.shifts.assign(employee.id, shift.id, first, last)
        detail = {
            "shift": shift_code,
            "start_date": first.isoformat(),
            "end_date": last.isoformat(),
        }
        audit.write(uow, actor, "shift.assign", f"employee:{employee.employee_id}", detail)
        uow.commit()
    return record


def unassign_shift(uows: UowFactory, assignment_id: int, *, actor: Actor) -> AssignmentRecord:
    """Take an assignment off the roster; returns it."""
    with uows() as uow:
        record = uow.shifts.get_assignment(assignment_id)
        uow.shifts.unassign(assignment_id)
        detail = {
            "shift": record.shift.code,
            "start_date": record.start_date.isoformat(),
            "end_date": record.end_date.isoformat(),
        }
        audit.write(uow, actor, "shift.unassign", f"employee:{record.nip}", detail)
        uow.commit()
    return record


def timetable_for(
    uow: AbstractUnitOfWork, employee: EmployeeRecord, first: date, last: date
) -> Timetable:
    """Everything that decides ``employee``'s hours on ``first``..``last`` (and the day
    before, whose night shift may own an early check-out)."""
    before = first - timedelta(days=1)
    schedule = uow.schedules.resolve(office_id=employee.office_id, unit=employee.unit)
    overrides = uow.schedules.overrides_for(
        before, last, office_id=employee.office_id, unit=employee.unit
    )
    shifts = uow.shifts.assignments(before, last, employee_ids=[employee.id])
    return Timetable.of(employee.id, schedule, overrides, [a.to_domain() for a in shifts])
