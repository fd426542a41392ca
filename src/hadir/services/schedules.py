"""Work schedules and their dated overrides: the one implementation behind the API and
the console.

Schedules have a scope (global, an office or a unit; see ``ScheduleRepository``). Only one
schedule per scope and one override per scope and date range may exist: a second one is
a ``ConflictError``. Every change takes a unit-of-work factory, writes the change and its
audit entry in one transaction and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.domain.attendance import (
    DaySchedule,
    ScheduleOverride,
    WorkSchedule,
)
from hadir.domain.errors import ConflictError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.enrolment import find_employee
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, OverrideRecord, ScheduleRecord
from hadir.services.shifts import timetable_for


@dataclass(frozen=True)
class Scope:
    """Where a schedule applies: an office (by database id), a unit, or neither (global)."""

    office_id: int | None = None
    unit: str | None = None

    @classmethod
    def of(cls, record: ScheduleRecord | OverrideRecord) -> Scope:
        return cls(record.office_id, record.unit)

    def label(self) -> str:
        if self.office_id is not None:
            return f"office:{self.office_id}"
        return f"unit:{self.unit}" if self.unit else "default"


def _hours(schedule: WorkSchedule) -> dict[str, object]:
    return {
        "days": sorted(int(d) for d in schedule.working_days),
        "start": schedule.start.isoformat("minutes"),
        "end": schedule.end.isoformat("minutes"),
        "grace_minutes": schedule.grace_minutes,
        "timezone": schedule.timezone,
        "checkin_opens_at": None
        if schedule.checkin_opens_at is None
        else schedule.checkin_opens_at.isoformat("minutes"),
        "weekday_hours": [
            f"{h.weekday.name.lower()} {h.start:%H:%M}-{h.end:%H:%M}"
            + ("" if h.grace_minutes is None else f" grace {h.grace_minutes}")
            for h in schedule.weekday_hours
        ],
    }


def _target(record: ScheduleRecord) -> str:
    return f"schedule:{record.id}"


def _create_in(
    uow: AbstractUnitOfWork, schedule: WorkSchedule, scope: Scope, actor: Actor
) -> ScheduleRecord:
    scope = _normal(scope)
    taken = [s for s in uow.schedules.list() if Scope.of(s) == scope]
    if taken:
        raise ConflictError(
            "this scope already has a work schedule; change it instead",
            schedule_id=taken[0].id,
        )
    record = uow.schedules.set(schedule, office_id=scope.office_id, unit=scope.unit)
    detail = {"scope": scope.label(), "after": _hours(schedule)}
    audit.write(uow, actor, "schedule.create", _target(record), detail)
    return record


def _update_in(
    uow: AbstractUnitOfWork, current: ScheduleRecord, schedule: WorkSchedule, actor: Actor
) -> ScheduleRecord:
    record = uow.schedules.set(schedule, office_id=current.office_id, unit=current.unit)
    before, after = _hours(current.schedule), _hours(schedule)
    diff = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    detail = {"scope": Scope.of(current).label(), "changes": diff}
    audit.write(uow, actor, "schedule.update", _target(record), detail)
    return record


def create_schedule(
    uows: UowFactory, schedule: WorkSchedule, scope: Scope, *, actor: Actor
) -> ScheduleRecord:
    """A new schedule for ``scope``; a ConflictError if that scope already has one."""
    with uows() as uow:
        record = _create_in(uow, schedule, scope, actor)
        uow.commit()
    return record


def update_schedule(
    uows: UowFactory, schedule_id: int, schedule: WorkSchedule, *, actor: Actor
) -> ScheduleRecord:
    """New hours for an existing schedule (its scope stays)."""
    with uows() as uow:
        record = _update_in(uow, uow.schedules.get_by_id(schedule_id), schedule, actor)
        uow.commit()
    return record


def set_schedule(
    uows: UowFactory, schedule: WorkSchedule, scope: Scope, *, actor: Actor
) -> ScheduleRecord:
    """The hours of ``scope``: its schedule is changed, or created when it has none."""
    scope = _normal(scope)
    with uows() as uow:
        existing = [s for s in uow.schedules.list() if Scope.of(s) == scope]
        if existing:
            record = _update_in(uow, existing[0], schedule, actor)
        else:
            record = _create_in(uow, schedule, scope, actor)
        uow.commit()
    return record


def delete_schedule(uows: UowFactory, schedule_id: int, *, actor: Actor) -> None:
    with uows() as uow:
        current = uow.schedules.get_by_id(schedule_id)
        uow.schedules.delete(schedule_id)
        detail = {"scope": Scope.of(current).label(), "before": _hours(current.schedule)}
        audit.write(uow, actor, "schedule.delete", _target(current), detail)
        uow.commit()


def _override_detail(scope: Scope, override: ScheduleOverride) -> dict[str, object]:
    return {
        "scope": scope.label(),
        "start_date": override.start_date.isoformat(),
        "end_date": override.end_date.isoformat(),
        "start": override.start.isoformat("minutes"),
        "end": override.end.isoformat("minutes"),
        "grace_minutes": override.grace_minutes,
        "label": override.label,
    }


def add_override(
    uows: UowFactory, schedule_id: int, override: ScheduleOverride, *, actor: Actor
) -> OverrideRecord:
    """An override in the scope of schedule ``schedule_id``; a ConflictError if that scope
    already has one for exactly the same dates."""
    with uows() as uow:
        scope = Scope.of(uow.schedules.get_by_id(schedule_id))
        for existing in uow.schedules.list_overrides(office_id=scope.office_id, unit=scope.unit):
            same = existing.override
            if (same.start_date, same.end_date) == (override.start_date, override.end_date):
                raise ConflictError(
                    f"this scope already has an override for {same.start_date}..{same.end_date}",
                    override_id=existing.id,
                )
        record = uow.schedules.add_override(override, office_id=scope.office_id, unit=scope.unit)
        detail = _override_detail(scope, override)
        audit.write(uow, actor, "override.create", f"override:{record.id}", detail)
        uow.commit()
    return record


def delete_override(uows: UowFactory, override_id: int, *, actor: Actor) -> None:
    with uows() as uow:
        current = uow.schedules.get_override(override_id)
        uow.schedules.delete_override(override_id)
        detail = _override_detail(Scope.of(current), current.override)
        audit.write(uow, actor, "override.delete", f"override:{override_id}", detail)
        uow.commit()


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
        """A working day: a shift, or a working weekday that is not a holiday."""
        if self.hours is not None and self.hours.shift is not None:
            return True
        return self.hours is not None and self.holiday is None


def resolve_day(uow: AbstractUnitOfWork, nip: str, day: date) -> ResolvedDay:
    """The effective schedule of employee ``nip`` on ``day`` (as the reports see it)."""
    employee = find_employee(uow.employees, nip)
    timetable = timetable_for(uow, employee, day, day)
    hours = timetable.hours_on(day)
    holiday = uow.holidays.calendar(day, day, office_id=employee.office_id).get(day)
    return ResolvedDay(employee, day, timetable.schedule, hours, holiday)


def _normal(scope: Scope) -> Scope:
    unit = scope.unit.strip() if scope.unit is not None else None
    return Scope(scope.office_id, unit or None)
