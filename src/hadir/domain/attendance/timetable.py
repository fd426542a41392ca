"""Which hours apply to one employee on one date, and which date an event belongs to.

Rules:

* Resolution order for a date, the first that applies wins:
  1. a **shift assignment** of the employee covering the date (rosters of units that work
     around the clock): the date is a working day whatever its weekday, with the shift's
     hours and grace;
  2. a **date override** of the employee's scope covering the date (Ramadan hours), on
     the schedule's working weekdays only;
  3. the **weekday's own hours** in the schedule (a shorter Friday);
  4. the schedule's start and end (the scope's schedule, else Monday-Friday 08:00-16:00
     WIB).
  Holidays, leave and the service period are applied afterwards by ``evaluate_day``; a
  shifted date stays a working day on a holiday (the roster is what the unit keeps) but
  approved leave still wins.
* Several assignments covering a date: the last one given wins (pass them oldest first).
* An event belongs to its local date, except a **check-out after midnight that closes a
  night shift**: when the previous date's hours cross midnight and the check-out is
  before their end plus ``OVERNIGHT_CHECKOUT_HOURS``, it belongs to the previous date. So
  20:00-08:00 with a check-out at 08:05 the next morning is one complete day, not an
  absence plus an orphan check-out. Check-ins always belong to their local date (a
  shift starts on its date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hadir.domain.attendance.events import AttendanceEvent, AttendanceKind, EmployeeId
from hadir.domain.attendance.schedule import (
    DaySchedule,
    ScheduleOverride,
    Shift,
    WorkSchedule,
    schedule_for,
)
from hadir.domain.attendance.timeutil import to_local
from hadir.domain.errors import DomainValidationError


@dataclass(frozen=True)
class ShiftAssignment:
    """Employee ``employee_id`` works ``shift`` on every date of ``start_date``..``end_date``
    (inclusive)."""

    employee_id: EmployeeId
    start_date: date
    end_date: date
    shift: Shift

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise DomainValidationError(
                f"shift assignment ends ({self.end_date}) before it starts ({self.start_date})",
                field="end_date",
            )

    def covers(self, employee_id: EmployeeId, day: date) -> bool:
        return employee_id == self.employee_id and self.start_date <= day <= self.end_date


def shift_on(
    assignments: Iterable[ShiftAssignment], employee_id: EmployeeId, day: date
) -> Shift | None:
    """The shift ``employee_id`` works on ``day`` (the last covering assignment), if any."""
    chosen: Shift | None = None
    for assignment in assignments:
        if assignment.covers(employee_id, day):
            chosen = assignment.shift
    return chosen


@dataclass(frozen=True)
class Timetable:
    """Everything that decides one employee's hours: the scope's schedule, its overrides
    and the employee's shift assignments (others' are ignored)."""

    employee_id: EmployeeId
    schedule: WorkSchedule
    overrides: tuple[ScheduleOverride, ...] = ()
    shifts: tuple[ShiftAssignment, ...] = ()

    @classmethod
    def of(
        cls,
        employee_id: EmployeeId,
        schedule: WorkSchedule,
        overrides: Iterable[ScheduleOverride] = (),
        shifts: Iterable[ShiftAssignment] = (),
    ) -> Timetable:
        own = tuple(s for s in shifts if s.employee_id == employee_id)
        return cls(employee_id, schedule, tuple(overrides), own)

    def hours_on(self, day: date) -> DaySchedule | None:
        """The resolved hours of ``day`` (``None``: not a working day)."""
        shift = shift_on(self.shifts, self.employee_id, day)
        return schedule_for(day, self.schedule, self.overrides, shift)

    def duty_date(self, kind: AttendanceKind, at: datetime) -> date:
        """The date an event of ``kind`` at ``at`` (aware) counts for."""
        local = to_local(at, self.schedule.tz)
        day = local.date()
        if kind is AttendanceKind.CHECK_OUT and self.shifts:  # only shifts cross midnight
            before = self.hours_on(day - timedelta(days=1))
            if before is not None and before.overnight and local < before.checkout_until:
                return day - timedelta(days=1)
        return day

    def event_date(self, event: AttendanceEvent) -> date:
        return self.duty_date(event.kind, event.occurred_at)
