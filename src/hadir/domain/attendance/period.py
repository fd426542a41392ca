"""Many employees over many dates: ``evaluate_day``'s results, with the look-ups made once.

Rules: exactly those of ``day_status`` (read that module for them); this module changes
only how much work they cost. ``evaluate_days(employee, days, punches, plan=...)`` returns,
for each date of ``days``, the record ``evaluate_day`` returns for that employee and date
given the same events, schedule, overrides, holidays, leave, service period, shifts and
``now``. Tests hold the two equal on generated months (tests/unit/domain).

What is computed once, and where:

* per **scope** (``PeriodPlan.of``: a schedule, its overrides, its holiday calendar and
  ``now``): each date's resolved hours, whether the date is over (``final``), its holiday
  name, whether a check-in could still be on time, and the official start and end as
  local datetimes. A whole agency usually shares one or two scopes;
* per **employee**: the date each accepted event belongs to (its local date; with shift
  assignments ``Timetable.duty_date``, so a night shift keeps its early check-out), the
  approved leave of each date (the first in the given order, as ``approved_leave_on``),
  and, for an employee with shifts, the hours of the dates a shift covers;
* per **employee-day**: only the events of that date and the status rules.

A ``Punch`` is an accepted event as this evaluation reads it: refused or unreviewed
attempts never count for a day, so they are not passed at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from hadir.domain.attendance.day_status import (
    ALWAYS,
    DEFAULT_SCHEDULE,
    DayFlag,
    DayRecord,
    DayStatus,
    ServicePeriod,
)
from hadir.domain.attendance.events import AttendanceKind, EmployeeId
from hadir.domain.attendance.holiday_calendar import NO_HOLIDAYS, HolidayCalendar, holiday_name
from hadir.domain.attendance.leave import Leave, LeaveKind
from hadir.domain.attendance.schedule import DaySchedule, ScheduleOverride, WorkSchedule
from hadir.domain.attendance.timetable import ShiftAssignment, Timetable
from hadir.domain.attendance.timeutil import as_utc, start_of_day, whole_minutes

_NO_FLAGS: frozenset[DayFlag] = frozenset()
_WORKED = frozenset({DayFlag.WORKED})


class Punch(NamedTuple):
    """An accepted check-in or check-out: ``at`` aware (UTC); ``corrected`` when an approved
    correction recorded it (issue 15)."""

    kind: AttendanceKind
    at: datetime
    corrected: bool = False


@dataclass(frozen=True)
class DayPlan:
    """What one date's hours decide before any event is read."""

    day: date
    hours: DaySchedule | None
    """``None``: not a working day of the schedule."""
    holiday: str | None
    final: bool
    pending: bool
    """A working day whose check-in could still be on time (``now`` before ``late_from``)."""
    start_at: datetime | None
    end_at: datetime | None


def plan_day(
    day: date, hours: DaySchedule | None, tz: tzinfo, now_utc: datetime, holidays: HolidayCalendar
) -> DayPlan:
    """The plan of ``day`` under ``hours`` (``Timetable.hours_on``)."""
    closes = hours.closes_at if hours is not None else start_of_day(day + timedelta(days=1), tz)
    return DayPlan(
        day=day,
        hours=hours,
        holiday=holiday_name(holidays, day),
        final=now_utc >= closes,
        pending=hours is not None and now_utc < hours.late_from,
        start_at=None if hours is None else hours.start_at,
        end_at=None if hours is None else hours.end_at,
    )


@dataclass(frozen=True)
class PeriodPlan:
    """The dates of a period under one scope's schedule, overrides and holidays."""

    schedule: WorkSchedule
    overrides: tuple[ScheduleOverride, ...]
    holidays: HolidayCalendar
    now_utc: datetime
    days: tuple[DayPlan, ...]

    @classmethod
    def of(
        cls,
        days: Sequence[date],
        *,
        now: datetime,
        schedule: WorkSchedule = DEFAULT_SCHEDULE,
        overrides: Iterable[ScheduleOverride] = (),
        holidays: HolidayCalendar = NO_HOLIDAYS,
    ) -> PeriodPlan:
        now_utc = as_utc(now, field="now")
        overrides = tuple(overrides)
        tz = schedule.tz
        timetable = Timetable(0, schedule, overrides)
        plans = tuple(plan_day(d, timetable.hours_on(d), tz, now_utc, holidays) for d in days)
        return cls(schedule, overrides, holidays, now_utc, plans)


def _leave_by_day(
    leaves: Iterable[Leave], employee_id: EmployeeId, first: date, last: date
) -> tuple[dict[date, LeaveKind], dict[date, LeaveKind]]:
    """The approved absence and the approved WFH of each date (the first that covers it)."""
    away: dict[date, LeaveKind] = {}
    remote: dict[date, LeaveKind] = {}
    for leave in leaves:
        if leave.employee_id != employee_id or not leave.is_approved:
            continue
        target = away if leave.kind.is_absence else remote
        day = max(leave.start_date, first)
        while day <= min(leave.end_date, last):
            target.setdefault(day, leave.kind)
            day += timedelta(days=1)
    return away, remote


def _own_plans(
    plan: PeriodPlan, employee_id: EmployeeId, shifts: tuple[ShiftAssignment, ...]
) -> tuple[DayPlan, ...]:
    """The scope's plans, with the dates a shift of the employee covers re-planned."""
    timetable = Timetable(employee_id, plan.schedule, plan.overrides, shifts)
    tz = plan.schedule.tz
    out = []
    for day_plan in plan.days:
        hours = timetable.hours_on(day_plan.day)
        if hours == day_plan.hours:
            out.append(day_plan)
        else:
            out.append(plan_day(day_plan.day, hours, tz, plan.now_utc, plan.holidays))
    return tuple(out)


def evaluate_days(
    employee_id: EmployeeId,
    punches: Iterable[Punch],
    *,
    plan: PeriodPlan,
    leaves: Iterable[Leave] = (),
    service: ServicePeriod = ALWAYS,
    shifts: Iterable[ShiftAssignment] = (),
) -> list[DayRecord]:
    """The employee's record of every date of ``plan`` (``evaluate_day``'s, date by date).

    ``punches``: the employee's accepted events (any order; others' must not be passed).
    ``leaves`` and ``shifts`` may hold other employees': they are filtered here.
    """
    own_shifts = tuple(s for s in shifts if s.employee_id == employee_id)
    days = _own_plans(plan, employee_id, own_shifts) if own_shifts else plan.days
    if not days:
        return []
    tz = plan.schedule.tz
    timetable = Timetable(employee_id, plan.schedule, plan.overrides, own_shifts)
    # each event with its local time, converted once (its date, and the shown time)
    by_day: dict[date, list[tuple[Punch, datetime]]] = {}
    for punch in sorted(punches, key=lambda p: p.at):
        local = punch.at.astimezone(tz)
        own = timetable.duty_date(punch.kind, punch.at) if own_shifts else local.date()
        by_day.setdefault(own, []).append((punch, local))
    away, remote = _leave_by_day(leaves, employee_id, days[0].day, days[-1].day)
    corrections = any(p.corrected for counted in by_day.values() for p, _ in counted)
    return [
        _judge(
            employee_id,
            p,
            by_day.get(p.day, ()),
            away,
            remote,
            service.covers(p.day),
            corrections,
        )
        for p in days
    ]


def _judge(
    employee_id: EmployeeId,
    plan: DayPlan,
    counted: Sequence[tuple[Punch, datetime]],
    away: dict[date, LeaveKind],
    remote: dict[date, LeaveKind],
    employed: bool,
    any_corrected: bool,
) -> DayRecord:
    """``day_status._evaluate_day`` on a planned date and its counted events (in time
    order, each with its time in the schedule's zone), then its ``corrected`` flag."""
    first_in: Punch | None = None
    last_out: Punch | None = None
    check_in: datetime | None = None
    check_out: datetime | None = None
    for punch, local in counted:  # the first check-in; the last check-out at or after it
        if punch.kind is AttendanceKind.CHECK_IN:
            if first_in is None:
                first_in, check_in = punch, local
                if last_out is not None and last_out.at < punch.at:
                    last_out = check_out = None
        elif first_in is None or punch.at >= first_in.at:
            last_out, check_out = punch, local
    corrected = False
    if any_corrected:  # the flag goes with the instant, as in ``evaluate_day``
        instants = {p.at for p, _ in counted if p.corrected}
        corrected = (first_in is not None and first_in.at in instants) or (
            last_out is not None and last_out.at in instants
        )
    worked = _WORKED if counted else _NO_FLAGS
    day = plan.day
    hours = plan.hours
    status: DayStatus
    leave_kind: LeaveKind | None = None
    flags = worked
    late = early = 0
    if not employed:
        status, hours = DayStatus.NOT_EMPLOYED, None
    elif hours is None:
        status = DayStatus.WEEKEND
    elif plan.holiday is not None and hours.shift is None:
        status = DayStatus.HOLIDAY
    elif day in away:
        status, leave_kind = DayStatus.ON_LEAVE, away[day]
    else:
        leave_kind = remote.get(day)
        assert plan.start_at is not None and plan.end_at is not None
        found: set[DayFlag] = set()
        if check_out is not None:
            early = whole_minutes(plan.end_at - check_out)
            if early > 0:
                found.add(DayFlag.LEFT_EARLY)
        if check_in is None:
            if check_out is not None:
                found.add(DayFlag.MISSING_CHECK_IN)
                status = DayStatus.INCOMPLETE
            else:
                status = DayStatus.NOT_YET if plan.pending else DayStatus.ABSENT
        else:
            minutes = whole_minutes(check_in - plan.start_at)
            late = minutes if minutes > hours.grace_minutes else 0
            if check_in >= plan.end_at:
                found.add(DayFlag.CHECKED_IN_AFTER_END)
            if check_out is None and plan.final:
                found.add(DayFlag.MISSING_CHECK_OUT)
            status = DayStatus.LATE if late > 0 else DayStatus.ON_TIME
        flags = frozenset(found) if found else _NO_FLAGS
    if corrected:
        flags = flags | {DayFlag.CORRECTED}
    return DayRecord(
        employee_id=employee_id,
        day=day,
        status=status,
        schedule=hours,
        check_in=check_in,
        check_out=check_out,
        late_minutes=late,
        left_early_minutes=early,
        flags=flags,
        leave_kind=leave_kind,
        holiday_name=plan.holiday,
        final=plan.final,
    )
