"""One employee's attendance status for one date.

Rules (all comparisons in the schedule's timezone; events are stored in UTC):

* Hours: ``Timetable.hours_on`` (shift assignment > date override > weekday hours >
  the schedule; see ``timetable``). A date with a shift is a working day whatever its
  weekday, and stays one on a holiday (``holiday_name`` is kept).
* Service period: a day before the employee's ``start_date`` (TMT at this office) or
  after their ``end_date`` is ``not_employed``, whatever else happens that day: nobody is
  absent, late or on leave before they join or after they leave. It is not a working
  day (it counts in no attendance total); events on it are kept with the flag ``worked``.
* Precedence: not employed > non-working weekday (``weekend``) > ``holiday`` > approved leave
  (``on_leave``) > the attendance itself. A holiday falling on a weekend is reported as
  ``weekend`` but keeps its ``holiday_name``; leave never "uses up" a holiday or weekend.
* Only ``accepted`` events of that employee that belong to ``day`` count: their local
  date, except a check-out after midnight closing the previous date's night shift, which
  belongs to that date (``Timetable.duty_date``).
* The first accepted check-in counts; later check-ins change nothing. The last accepted
  check-out at or after that check-in counts; earlier check-outs are ignored.
* Whole minutes only: seconds are dropped, so with no grace 08:00:59 is on time.
* Late: a check-in more than ``grace`` whole minutes after the official start is late, and
  the minutes are counted **from the official start**, not from the end of grace
  (common Indonesian practice: grace 5, arriving 08:07 is 7 minutes late, 08:05 on time).
  A check-in at or after the official end is ``late`` too, with the flag
  ``checked_in_after_end``.
* Left early: whole minutes between the counted check-out and the official end.
* ``missing_check_out``: checked in but no check-out, flagged only once the day is over
  (local midnight; for a night shift, the end of its check-out window) since the person
  may still check out; left-early minutes are then 0.
* Check-out without check-in: status ``incomplete`` with the flag ``missing_check_in``.
  The person was verified at the office, so it is not an absence, but the arrival time is
  unknown, so it is neither on time nor late; HR applies its own rule (many regencies
  treat a missing "presensi masuk" like the highest lateness band). Left-early minutes
  are still computed from the check-out.
* ``not_yet``: a working day with no event while a check-in could still be on time
  (any future date, or today before start + grace), so a 07:00 dashboard shows nobody
  absent. After that, no event means ``absent`` (provisional until the day is over:
  a late check-in turns it into ``late``). ``final`` says whether the record can change.
* Events on a weekend, holiday or approved leave day keep that status; their times are
  recorded and the flag ``worked`` is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hadir.domain.attendance.events import AttendanceEvent, AttendanceKind, EmployeeId
from hadir.domain.attendance.holiday_calendar import NO_HOLIDAYS, HolidayCalendar, holiday_name
from hadir.domain.attendance.leave import Leave, LeaveKind, approved_leave_on
from hadir.domain.attendance.schedule import DaySchedule, ScheduleOverride, WorkSchedule
from hadir.domain.attendance.timetable import ShiftAssignment, Timetable
from hadir.domain.attendance.timeutil import as_utc, start_of_day, whole_minutes

DEFAULT_SCHEDULE = WorkSchedule()
"""Monday-Friday, 08:00-16:00 WIB, no grace."""


class DayStatus(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    INCOMPLETE = "incomplete"
    """Checked out without a check-in (see the module docstring)."""
    ABSENT = "absent"
    ON_LEAVE = "on_leave"
    HOLIDAY = "holiday"
    WEEKEND = "weekend"
    """Any non-working weekday of the schedule."""
    NOT_YET = "not_yet"
    """A working day whose check-in could still be on time."""
    NOT_EMPLOYED = "not_employed"
    """Before the employee's start date or after their end date."""


PRESENT_STATUSES: frozenset[DayStatus] = frozenset(
    {DayStatus.ON_TIME, DayStatus.LATE, DayStatus.INCOMPLETE}
)
"""Statuses of a working day on which the employee was verified at the office."""

OFF_STATUSES: frozenset[DayStatus] = frozenset(
    {DayStatus.WEEKEND, DayStatus.HOLIDAY, DayStatus.NOT_EMPLOYED}
)
"""Statuses of a day the employee is not expected to work."""


@dataclass(frozen=True)
class ServicePeriod:
    """The dates an employee works here: ``start`` (TMT) and ``end``, inclusive; ``None``
    means open (an unknown start counts from the beginning)."""

    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


ALWAYS = ServicePeriod()


class DayFlag(StrEnum):
    MISSING_CHECK_IN = "missing_check_in"
    MISSING_CHECK_OUT = "missing_check_out"
    CHECKED_IN_AFTER_END = "checked_in_after_end"
    LEFT_EARLY = "left_early"
    WORKED = "worked"
    """Accepted events on a weekend, holiday or approved leave day."""
    CORRECTED = "corrected"
    """The counted check-in or check-out comes from an approved correction (issue 15)."""


@dataclass(frozen=True)
class DayRecord:
    """The evaluated day. ``check_in``/``check_out`` are aware, in the schedule's timezone."""

    employee_id: EmployeeId
    day: date
    status: DayStatus
    schedule: DaySchedule | None = None
    """The hours that applied; ``None`` on a non-working weekday."""
    check_in: datetime | None = None
    check_out: datetime | None = None
    late_minutes: int = 0
    left_early_minutes: int = 0
    flags: frozenset[DayFlag] = frozenset()
    leave_kind: LeaveKind | None = None
    holiday_name: str | None = None
    final: bool = True
    """False while the day is not over (local midnight) and the record may still change."""

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES

    @property
    def is_working_day(self) -> bool:
        """A scheduled weekday that is not a holiday (leave days included)."""
        return self.status not in OFF_STATUSES

    @property
    def missing_check_in(self) -> bool:
        return DayFlag.MISSING_CHECK_IN in self.flags

    @property
    def missing_check_out(self) -> bool:
        return DayFlag.MISSING_CHECK_OUT in self.flags

    @property
    def checked_in_after_end(self) -> bool:
        return DayFlag.CHECKED_IN_AFTER_END in self.flags

    @property
    def left_early(self) -> bool:
        return DayFlag.LEFT_EARLY in self.flags

    @property
    def worked(self) -> bool:
        return DayFlag.WORKED in self.flags

    @property
    def worked_minutes(self) -> int | None:
        """Whole minutes between check-in and check-out, when both are known."""
        if self.check_in is None or self.check_out is None:
            return None
        return whole_minutes(self.check_out - self.check_in)


def evaluate_day(
    employee_id: EmployeeId,
    day: date,
    events: Iterable[AttendanceEvent],
    **rules: Any,
) -> DayRecord:
    """Evaluate ``day`` for ``employee_id`` (``_evaluate_day`` has the rules); a day whose
    counted check-in or check-out is a corrected event carries the flag ``corrected``."""
    events = list(events)
    record = _evaluate_day(employee_id, day, events, **rules)
    corrected = {
        e.occurred_at for e in events if e.corrected and e.employee_id == employee_id and e.counts
    }
    if corrected and (
        (record.check_in is not None and record.check_in in corrected)
        or (record.check_out is not None and record.check_out in corrected)
    ):
        return replace(record, flags=record.flags | {DayFlag.CORRECTED})
    return record


def _at(event: AttendanceEvent) -> datetime:
    return event.occurred_at


def _evaluate_day(
    employee_id: EmployeeId,
    day: date,
    events: Iterable[AttendanceEvent],
    *,
    now: datetime,
    schedule: WorkSchedule = DEFAULT_SCHEDULE,
    overrides: Iterable[ScheduleOverride] = (),
    holidays: HolidayCalendar = NO_HOLIDAYS,
    leaves: Iterable[Leave] = (),
    service: ServicePeriod = ALWAYS,
    shifts: Iterable[ShiftAssignment] = (),
) -> DayRecord:
    """Evaluate ``day`` for ``employee_id``; see the module docstring for the rules.

    ``events``, ``leaves`` and ``shifts`` may contain other employees and other dates:
    they are filtered here. ``now`` (aware) decides what is still pending.
    """
    now_utc = as_utc(now, field="now")
    tz = schedule.tz
    timetable = Timetable.of(employee_id, schedule, overrides, shifts)
    day_schedule = timetable.hours_on(day)
    closes = (
        day_schedule.closes_at
        if day_schedule is not None
        else start_of_day(day + timedelta(days=1), tz)
    )
    final = now_utc >= closes

    mine = (e for e in events if e.employee_id == employee_id and e.counts)
    if timetable.shifts:  # a night shift may own an early check-out of the next date
        counted = sorted((e for e in mine if timetable.event_date(e) == day), key=_at)
    else:  # office hours never cross midnight: the local date is the day
        counted = sorted((e for e in mine if e.local_date(tz) == day), key=_at)
    first_in = next((e.occurred_at for e in counted if e.kind is AttendanceKind.CHECK_IN), None)
    outs = [
        e.occurred_at
        for e in counted
        if e.kind is AttendanceKind.CHECK_OUT and (first_in is None or e.occurred_at >= first_in)
    ]
    last_out = outs[-1] if outs else None
    check_in = first_in.astimezone(tz) if first_in is not None else None
    check_out = last_out.astimezone(tz) if last_out is not None else None
    worked = frozenset({DayFlag.WORKED}) if counted else frozenset[DayFlag]()
    holiday = holiday_name(holidays, day)

    base = DayRecord(
        employee_id=employee_id,
        day=day,
        status=DayStatus.NOT_YET,
        schedule=day_schedule,
        check_in=check_in,
        check_out=check_out,
        holiday_name=holiday,
        final=final,
    )

    if not service.covers(day):
        return replace(base, status=DayStatus.NOT_EMPLOYED, flags=worked, schedule=None)
    if day_schedule is None:
        return replace(base, status=DayStatus.WEEKEND, flags=worked)
    if holiday is not None and day_schedule.shift is None:
        return replace(base, status=DayStatus.HOLIDAY, flags=worked)
    leave = approved_leave_on(leaves, employee_id, day)
    if leave is not None:
        return replace(base, status=DayStatus.ON_LEAVE, flags=worked, leave_kind=leave.kind)
    remote = approved_leave_on(leaves, employee_id, day, absence=False)
    if remote is not None:  # WFH: judged below like any day, and labelled
        base = replace(base, leave_kind=remote.kind)

    flags: set[DayFlag] = set()
    early = 0
    if check_out is not None:
        early = day_schedule.left_early_minutes(check_out)
        if early > 0:
            flags.add(DayFlag.LEFT_EARLY)

    if check_in is None:
        if check_out is not None:
            flags.add(DayFlag.MISSING_CHECK_IN)
            return replace(
                base,
                status=DayStatus.INCOMPLETE,
                flags=frozenset(flags),
                left_early_minutes=early,
            )
        if now_utc < day_schedule.late_from:
            return base  # NOT_YET
        return replace(base, status=DayStatus.ABSENT)

    late = day_schedule.late_minutes(check_in)
    if check_in >= day_schedule.end_at:
        flags.add(DayFlag.CHECKED_IN_AFTER_END)
    if check_out is None and final:
        flags.add(DayFlag.MISSING_CHECK_OUT)
    return replace(
        base,
        status=DayStatus.LATE if late > 0 else DayStatus.ON_TIME,
        flags=frozenset(flags),
        late_minutes=late,
        left_early_minutes=early,
    )
