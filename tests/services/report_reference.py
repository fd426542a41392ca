"""The monthly report as it was computed before the fast path (issue 17): per employee,
``evaluate_day`` on every date with that date's events (``Timetable.event_date``), every
event read as a record through ``EventRepository.list``. Kept here as the reference the
fast path must equal (test_reports_fastpath.py, bench/volume_inproc.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from hadir.domain.attendance import (
    AttendanceEvent,
    DisciplineRules,
    Leave,
    LeaveStatus,
    ScheduleOverride,
    ShiftAssignment,
    Timetable,
    WorkSchedule,
    YearMonth,
    evaluate_day,
)
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EventFilter
from hadir.services.reports import (
    AttendanceReport,
    DailyRow,
    RecapRow,
    _daily_row,
    _monthly_recap_row,
    _recap_row,
    _serves_within,
)


def reference_report(
    uow: AbstractUnitOfWork,
    first: date,
    last: date,
    unit: str | None,
    now: datetime,
    *,
    month: YearMonth | None,
    discipline: DisciplineRules,
) -> AttendanceReport:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    daily: list[DailyRow] = []
    recap: list[RecapRow] = []
    with uow:
        events = uow.events.list(
            EventFilter.for_days(first - timedelta(days=1), last + timedelta(days=1), unit=unit)
        )
        events_of: dict[int, list[AttendanceEvent]] = defaultdict(list)
        for event in events:
            if event.employee_id is not None:
                events_of[event.employee_id].append(event.to_domain())
        leaves_of: dict[int, list[Leave]] = defaultdict(list)
        for leave in uow.leaves.list(
            status=LeaveStatus.APPROVED, first=first, last=last, unit=unit
        ):
            leaves_of[leave.employee_id].append(leave.to_domain())
        employees = [
            e
            for e in uow.employees.list(unit=unit)
            if (e.active or e.id in events_of) and _serves_within(e, first, last)
        ]
        before = first - timedelta(days=1)
        shifts_of: dict[int, list[ShiftAssignment]] = defaultdict(list)
        for assignment in uow.shifts.assignments(before, last):
            shifts_of[assignment.employee_id].append(assignment.to_domain())
        schedules: dict[tuple[int | None, str], tuple[WorkSchedule, list[ScheduleOverride]]] = {}
        holidays_of: dict[int | None, dict[date, str]] = {}
        for employee in employees:
            scope = (employee.office_id, employee.unit)
            if scope not in schedules:
                schedules[scope] = (
                    uow.schedules.resolve(office_id=employee.office_id, unit=employee.unit),
                    uow.schedules.overrides_for(
                        before, last, office_id=employee.office_id, unit=employee.unit
                    ),
                )
            if employee.office_id not in holidays_of:
                holidays_of[employee.office_id] = uow.holidays.calendar(
                    first, last, office_id=employee.office_id
                )
            schedule, overrides = schedules[scope]
            shifts = shifts_of.get(employee.id, [])
            timetable = Timetable.of(employee.id, schedule, overrides, shifts)
            by_day: dict[date, list[AttendanceEvent]] = defaultdict(list)
            for own in events_of.get(employee.id, ()):
                by_day[timetable.event_date(own)].append(own)
            records = [
                evaluate_day(
                    employee.id,
                    day,
                    by_day.get(day, ()),
                    now=now,
                    schedule=schedule,
                    overrides=overrides,
                    holidays=holidays_of[employee.office_id],
                    leaves=leaves_of.get(employee.id, ()),
                    service=employee.service,
                    shifts=shifts,
                )
                for day in days
            ]
            daily.extend(_daily_row(employee, r, discipline) for r in records)
            recap.append(
                _recap_row(employee, records, discipline)
                if month is None
                else _monthly_recap_row(employee, month, records, discipline)
            )
    return AttendanceReport(
        first=first,
        last=last,
        unit=unit,
        generated_at=now,
        daily=tuple(sorted(daily, key=lambda r: (r.day, r.name.lower(), r.nip))),
        recap=tuple(recap),
        discipline=discipline,
    )
