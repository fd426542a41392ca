"""How many employees had each status on one day, without reading the day's events.

The monthly report evaluates every employee's events (``reports.period_report``); at
10,000 staff that is some 60,000 event rows and 10,000 ``evaluate_day`` calls for one day
of the dashboard. Here the database reduces the day to one row per employee (the first
accepted check-in and the last accepted check-out, ``EventRepository.spans``) and the
domain evaluates
once per distinct set of inputs: employees of the same scope whose first check-in falls
in the same whole minute after the start (and who have the same leave) get the same
status, so the day costs a few hundred evaluations, not one per person.

The statuses are the domain's (``evaluate_day``) on the same inputs the report gives it:
the first accepted check-in of the day and the last accepted check-out at or after it are
all a status depends on (the rules in ``domain/attendance/day_status.py``): the last
check-out overall is that one when it is at or after the first check-in, and otherwise
the status does not depend on it (a check-in decides on time or late). Employees on a
shift roster (a night shift owns an early check-out of the next date) are evaluated on
all their events, as the report does.
``tests/services/test_daycounts.py`` checks that both give the same counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from datetime import date, datetime, timedelta

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayStatus,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    ShiftAssignment,
    Timetable,
    WorkSchedule,
    evaluate_day,
)
from hadir.domain.attendance.timeutil import start_of_day
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import (
    EventFilter,
    EventSpan,
    RosterEntry,
    epoch_us,
    from_epoch_us,
)

MINUTE_US = 60_000_000
_Scope = tuple[int | None, str]
_Key = tuple[_Scope, Hashable, tuple[tuple[LeaveKind, bool], ...]]
"""Scope, arrival and leave: employees without shifts with the same key get one status."""


def _serves_on(employee: RosterEntry, day: date) -> bool:
    start, end = employee.start_date, employee.end_date
    return (start is None or start <= day) and (end is None or end >= day)


def _reduced(employee_id: int, span: EventSpan | None) -> list[AttendanceEvent]:
    """The first check-in and the last check-out: the events a status depends on."""
    events = []
    if span is not None and span.first_check_in is not None:
        at = from_epoch_us(span.first_check_in)
        events.append(AttendanceEvent(employee_id, AttendanceKind.CHECK_IN, at, Decision.ACCEPTED))
    if span is not None and span.last_check_out is not None:
        at = from_epoch_us(span.last_check_out)
        events.append(AttendanceEvent(employee_id, AttendanceKind.CHECK_OUT, at, Decision.ACCEPTED))
    return events


def day_statuses(
    uow: AbstractUnitOfWork, day: date, unit: str | None, now: datetime
) -> Counter[DayStatus]:
    """Each status's count on ``day`` over the employees the report would list (active, or
    with an event in the report's window; serving on ``day``), of ``unit`` or all."""
    return summed(unit_statuses(uow, day, unit, now))


def summed(by_unit: dict[str, Counter[DayStatus]]) -> Counter[DayStatus]:
    """The counts of every unit together."""
    statuses: Counter[DayStatus] = Counter()
    for counted in by_unit.values():
        statuses.update(counted)
    return statuses


def unit_statuses(
    uow: AbstractUnitOfWork, day: date, unit: str | None, now: datetime
) -> dict[str, Counter[DayStatus]]:
    """``day_statuses`` per unit of the employees (``""``: no unit), in the same pass."""
    by_unit: defaultdict[str, Counter[DayStatus]] = defaultdict(Counter)
    with uow:
        window = EventFilter.for_days(day - timedelta(days=1), day + timedelta(days=1))
        assert window.start is not None and window.end is not None
        serving = [e for e in uow.employees.roster(unit=unit) if _serves_on(e, day)]
        # an inactive employee counts when they have any event in the window (as in the
        # report, which asks the same ``employees_seen`` for its inactive staff)
        idle = [e.id for e in serving if not e.active]
        seen = uow.events.employees_seen(window.start, window.end, idle) if idle else set()
        employees = [e for e in serving if e.active or e.id in seen]
        leaves_of: dict[int, list[Leave]] = defaultdict(list)
        for leave in uow.leaves.list(status=LeaveStatus.APPROVED, first=day, last=day, unit=unit):
            leaves_of[leave.employee_id].append(leave.to_domain())
        before = day - timedelta(days=1)
        shifts_of: dict[int, list[ShiftAssignment]] = defaultdict(list)
        for assignment in uow.shifts.assignments(before, day):
            shifts_of[assignment.employee_id].append(assignment.to_domain())
        rostered = [e.id for e in employees if e.id in shifts_of]
        events_of: dict[int, list[AttendanceEvent]] = defaultdict(list)
        for event in uow.events.list_of(rostered, window.start, window.end):
            if event.employee_id is not None:
                events_of[event.employee_id].append(event.to_domain())
        schedules: dict[tuple[int | None, str], tuple[WorkSchedule, list[ScheduleOverride]]] = {}
        starts: dict[tuple[int | None, str], int | None] = {}
        zones: dict[tuple[int | None, str], str] = {}
        holidays_of: dict[int | None, dict[date, str]] = {}
        spans_of: dict[str, dict[int, EventSpan]] = {}
        anyone_of = {(e.office_id, e.unit): e.id for e in employees}
        resolved = uow.schedules.resolve_scopes(before, day, anyone_of)
        for scope, anyone in anyone_of.items():  # once per scope, not per person
            schedules[scope] = resolved[scope]
            hours = Timetable.of(anyone, *schedules[scope]).hours_on(day)
            # in microseconds since the epoch, as the spans are
            starts[scope] = None if hours is None else epoch_us(hours.start_at)
            tz = zones[scope] = schedules[scope][0].timezone
            if tz not in spans_of:
                start = start_of_day(day, tz)
                spans = uow.events.spans(
                    start, start_of_day(day + timedelta(days=1), tz), unit=unit
                )
                spans_of[tz] = {span.employee_id: span for span in spans}
        for office_id in {e.office_id for e in employees}:
            holidays_of[office_id] = uow.holidays.calendar(day, day, office_id=office_id)
    decided: dict[_Key, RosterEntry] = {}
    counted: Counter[_Key] = Counter()  # the key of each employee without shifts
    for employee in employees:
        if employee.id in shifts_of:
            scope = (employee.office_id, employee.unit)
            schedule, overrides = schedules[scope]
            shifts = shifts_of[employee.id]
            timetable = Timetable.of(employee.id, schedule, overrides, shifts)
            own = [e for e in events_of.get(employee.id, ()) if timetable.event_date(e) == day]
            record = evaluate_day(employee.id, day, own, now=now, schedule=schedule,
                                  overrides=overrides, holidays=holidays_of[employee.office_id],
                                  leaves=leaves_of.get(employee.id, []),
                                  service=employee.service, shifts=shifts)  # fmt: skip
            by_unit[employee.unit][record.status] += 1
            continue
        scope = (employee.office_id, employee.unit)
        span = spans_of[zones[scope]].get(employee.id)
        leaves = leaves_of.get(employee.id)
        key = (
            scope,
            _arrival(starts[scope], span),
            () if leaves is None else tuple((v.kind, v.covers(day)) for v in leaves),
        )
        counted[key] += 1
        if key not in decided:
            decided[key] = employee  # the first employee of each key stands for the others
    for key, how_many in counted.items():
        employee = decided[key]
        schedule, overrides = schedules[key[0]]
        span = spans_of[schedule.timezone].get(employee.id)
        status = evaluate_day(employee.id, day, _reduced(employee.id, span), now=now,
                              schedule=schedule, overrides=overrides,
                              holidays=holidays_of[employee.office_id],
                              leaves=leaves_of.get(employee.id, []),
                              service=employee.service).status  # fmt: skip
        by_unit[employee.unit][status] += how_many
    return dict(by_unit)


def _arrival(start: int | None, span: EventSpan | None) -> Hashable:
    """What the status of an employee without shifts depends on besides the scope (its
    hours, the office's holidays) and the leave covering the day: the whole minutes
    between the start and the first check-in (lateness counts whole minutes from the
    official start, as ``whole_minutes`` does; here on whole microseconds since the epoch)
    or, with no check-in, whether there is a check-out. (Every employee counted serves on
    the day: the others are left out above, as in the report.)"""
    if span is None:
        return "none"
    first = span.first_check_in
    if first is None:
        return "out" if span.last_check_out is not None else "none"
    if start is None:
        return "in"
    return (first - start) // MINUTE_US if first > start else 0
