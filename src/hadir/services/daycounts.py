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

A range of days (the dashboard's week) is read once (``dayinputs.RangeInputs``: the spans
of every day in one query grouped by employee and date) and each day evaluated on its
own slice; a single day is the range of one day, so both follow the same rules.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from datetime import date, datetime

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayStatus,
    Decision,
    LeaveKind,
    Timetable,
    evaluate_day,
)
from hadir.services.dayinputs import DayInputs, RangeInputs
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EventSpan, RosterEntry, from_epoch_us

MINUTE_US = 60_000_000
_Scope = tuple[int | None, str]
_Key = tuple[_Scope, Hashable, tuple[tuple[LeaveKind, bool], ...]]
"""Scope, arrival and leave: employees without shifts with the same key get one status."""


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
    return range_statuses(uow, day, day, unit, now)[day]


def range_statuses(
    uow: AbstractUnitOfWork, first: date, last: date, unit: str | None, now: datetime
) -> dict[date, dict[str, Counter[DayStatus]]]:
    """``unit_statuses`` of every day of ``first``..``last``, from one read of the range
    (``RangeInputs``): the dashboard's week costs one pass, not seven."""
    with uow:
        inputs = RangeInputs.read(uow, first, last, unit)
    return {day: _evaluated(inputs.on(day), now) for day in inputs.days}


def _evaluated(inputs: DayInputs, now: datetime) -> dict[str, Counter[DayStatus]]:
    """The counts per unit of one day's inputs."""
    day = inputs.day
    by_unit: defaultdict[str, Counter[DayStatus]] = defaultdict(Counter)
    decided: dict[_Key, RosterEntry] = {}
    counted: Counter[_Key] = Counter()  # the key of each employee without shifts
    for employee in inputs.employees:
        scope = (employee.office_id, employee.unit)
        schedule, overrides = inputs.schedules[scope]
        leaves = inputs.leaves_of.get(employee.id)
        if employee.id in inputs.shifts_of:
            shifts = inputs.shifts_of[employee.id]
            timetable = Timetable.of(employee.id, schedule, overrides, shifts)
            events = inputs.events_of.get(employee.id, ())
            own = [e for e in events if timetable.event_date(e) == day]
            record = evaluate_day(employee.id, day, own, now=now, schedule=schedule,
                                  overrides=overrides,
                                  holidays=inputs.holidays_of[employee.office_id],
                                  leaves=leaves or [], service=employee.service,
                                  shifts=shifts)  # fmt: skip
            by_unit[employee.unit][record.status] += 1
            continue
        span = inputs.spans_of[schedule.timezone].get(employee.id)
        key = (
            scope,
            _arrival(inputs.starts[scope], span),
            () if leaves is None else tuple((v.kind, v.covers(day)) for v in leaves),
        )
        counted[key] += 1
        if key not in decided:
            decided[key] = employee  # the first employee of each key stands for the others
    for key, how_many in counted.items():
        employee = decided[key]
        schedule, overrides = inputs.schedules[key[0]]
        span = inputs.spans_of[schedule.timezone].get(employee.id)
        status = evaluate_day(employee.id, day, _reduced(employee.id, span), now=now,
                              schedule=schedule, overrides=overrides,
                              holidays=inputs.holidays_of[employee.office_id],
                              leaves=inputs.leaves_of.get(employee.id, []),
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
