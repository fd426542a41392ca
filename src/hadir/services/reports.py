"""Attendance reports: one row per employee per day, and a recap per employee.

Day statuses and totals come from the domain (``evaluate_day`` / ``build_monthly_recap``);
this module only gathers the inputs from the store (each employee's resolved schedule,
overrides, holidays of their office, approved leave, accepted events) and exports.
Times are shown in the schedule's timezone (WIB by default).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from hadir.domain.attendance import (
    DEFAULT_DISCIPLINE,
    PRESENT_STATUSES,
    Category,
    DayFlag,
    DayRecord,
    DayStatus,
    DisciplineRules,
    DisciplineTally,
    Leave,
    LeaveKind,
    LeaveStatus,
    LeaveTally,
    PeriodPlan,
    Punch,
    ShiftAssignment,
    YearMonth,
    build_monthly_recap,
    dates_between,
    day_categories,
    discipline_tally,
    evaluate_days,
    parse_month,
)
from hadir.services.ports import AbstractUnitOfWork, Clock
from hadir.services.records import EmployeeRecord, EventFilter


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DailyRow:
    nip: str
    name: str
    unit: str
    day: date
    status: DayStatus
    check_in: time | None
    """Local wall-clock time (WIB by default), whole minutes."""
    check_out: time | None
    late_minutes: int
    left_early_minutes: int
    leave_kind: LeaveKind | None
    holiday: str | None
    final: bool
    categories: tuple[Category, ...] = ()
    """The day's TL/PSW categories under the report's discipline rules."""
    corrected: bool = False
    """Its counted check-in or check-out comes from an approved correction (issue 15);
    who approved it is on the event (attendance log) and in the audit log."""


@dataclass(frozen=True)
class RecapRow:
    nip: str
    name: str
    unit: str
    working_days: int
    days_present: int
    on_time_days: int
    late_days: int
    late_minutes: int
    left_early_days: int
    left_early_minutes: int
    absences: int
    leave: LeaveTally
    holidays: int
    pending_days: int
    discipline: DisciplineTally = field(default_factory=DisciplineTally)
    """TL1-TL4 / PSW1-PSW4 counts and the TPP deduction (capped)."""

    @property
    def leave_days(self) -> int:
        return self.leave.total


@dataclass(frozen=True)
class AttendanceReport:
    first: date
    last: date
    unit: str | None
    generated_at: datetime
    daily: tuple[DailyRow, ...]
    recap: tuple[RecapRow, ...]
    discipline: DisciplineRules = DEFAULT_DISCIPLINE
    """The TL/PSW bands and TPP percentages the report was computed with."""

    @property
    def title(self) -> str:
        period = (
            self.first.isoformat()
            if self.first == self.last
            else f"{self.first.isoformat()} s.d. {self.last.isoformat()}"
        )
        return f"Rekap Kehadiran {period}" + (f" - {self.unit}" if self.unit else "")


def daily_report(
    uow: AbstractUnitOfWork,
    day: date,
    unit: str | None = None,
    *,
    clock: Clock = _utc_now,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
) -> AttendanceReport:
    """Every employee's status on ``day`` (optionally of one unit)."""
    return _report(uow, day, day, unit, clock(), month=None, discipline=discipline)


def monthly_report(
    uow: AbstractUnitOfWork,
    month: str | YearMonth,
    unit: str | None = None,
    *,
    clock: Clock = _utc_now,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
) -> AttendanceReport:
    """Every employee's days of ``month`` ("YYYY-MM") and their monthly recap, with the
    TL/PSW categories and TPP deduction under ``discipline``."""
    ym = month if isinstance(month, YearMonth) else parse_month(month)
    return _report(uow, ym.first_day, ym.last_day, unit, clock(), month=ym, discipline=discipline)


class _Categories:
    """``day_categories`` under one report's rules, once per distinct (status, flags,
    late and early minutes), which is all it reads: a month of 10,000 staff has a few
    hundred distinct days, and each day's categories serve its row and the recap."""

    def __init__(self, rules: DisciplineRules) -> None:
        self._rules = rules
        self._known: dict[tuple[object, ...], tuple[Category, ...]] = {}

    def __call__(self, record: DayRecord) -> tuple[Category, ...]:
        if record.status not in PRESENT_STATUSES:
            return ()
        key = (record.status, record.flags, record.late_minutes, record.left_early_minutes)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = day_categories(record, self._rules)
        return found


def _local_time(value: datetime | None) -> time | None:
    return None if value is None else value.time().replace(second=0, microsecond=0)


def _daily_row(
    employee: EmployeeRecord,
    record: DayRecord,
    discipline: DisciplineRules,
    categories: _Categories | None = None,
) -> DailyRow:
    return DailyRow(
        nip=employee.employee_id,
        name=employee.name,
        unit=employee.unit,
        day=record.day,
        status=record.status,
        check_in=_local_time(record.check_in),
        check_out=_local_time(record.check_out),
        late_minutes=record.late_minutes,
        left_early_minutes=record.left_early_minutes,
        leave_kind=record.leave_kind,
        holiday=record.holiday_name,
        final=record.final,
        categories=(
            day_categories(record, discipline) if categories is None else categories(record)
        ),
        corrected=DayFlag.CORRECTED in record.flags,
    )


def _recap_row(
    employee: EmployeeRecord,
    records: list[DayRecord],
    discipline: DisciplineRules,
    categories: _Categories | None = None,
) -> RecapRow:
    """Totals over ``records`` with the same rules as the domain's monthly recap."""
    working = [r for r in records if r.is_working_day]
    return RecapRow(
        nip=employee.employee_id,
        name=employee.name,
        unit=employee.unit,
        working_days=len(working),
        days_present=sum(1 for r in records if r.is_present),
        on_time_days=sum(1 for r in records if r.status is DayStatus.ON_TIME),
        late_days=sum(1 for r in records if r.status is DayStatus.LATE),
        late_minutes=sum(r.late_minutes for r in working),
        left_early_days=sum(1 for r in working if r.left_early),
        left_early_minutes=sum(r.left_early_minutes for r in working),
        absences=sum(1 for r in records if r.status is DayStatus.ABSENT),
        leave=LeaveTally.of(
            r.leave_kind
            for r in records
            if r.status is DayStatus.ON_LEAVE and r.leave_kind is not None
        ),
        holidays=sum(1 for r in records if r.status is DayStatus.HOLIDAY),
        pending_days=sum(1 for r in records if r.status is DayStatus.NOT_YET),
        discipline=discipline_tally(records, discipline, categories_of=categories),
    )


def _monthly_recap_row(
    employee: EmployeeRecord,
    month: YearMonth,
    records: list[DayRecord],
    discipline: DisciplineRules,
    categories: _Categories | None = None,
) -> RecapRow:
    recap = build_monthly_recap(
        employee.id, month, records, discipline=discipline, categories_of=categories
    )
    return RecapRow(
        nip=employee.employee_id,
        name=employee.name,
        unit=employee.unit,
        working_days=recap.working_days,
        days_present=recap.days_present,
        on_time_days=recap.on_time_days,
        late_days=recap.late_days,
        late_minutes=recap.late_minutes_total,
        left_early_days=recap.left_early_days,
        left_early_minutes=recap.left_early_minutes_total,
        absences=recap.absences,
        leave=recap.leave_days,
        holidays=recap.holidays,
        pending_days=recap.pending_days,
        discipline=recap.discipline,
    )


def _serves_within(employee: EmployeeRecord, first: date, last: date) -> bool:
    """Whether the employee's service period meets ``first``..``last``."""
    start, end = employee.start_date, employee.end_date
    return (start is None or start <= last) and (end is None or end >= first)


def _report(
    uow: AbstractUnitOfWork,
    first: date,
    last: date,
    unit: str | None,
    now: datetime,
    *,
    month: YearMonth | None,
    discipline: DisciplineRules,
) -> AttendanceReport:
    days = dates_between(first, last)
    recap: list[RecapRow] = []
    records_of: list[tuple[EmployeeRecord, list[DayRecord]]] = []
    categories = _Categories(discipline)
    with uow:
        # one day of slack each side: a date's events are those of its local date, or
        # the previous date's for a night shift's check-out after midnight
        span = EventFilter.for_days(first - timedelta(days=1), last + timedelta(days=1))
        assert span.start is not None and span.end is not None
        listed = uow.employees.list(unit=unit)
        # a unit's events by each of its employees' (employee, time) index range; the
        # whole agency's by one range of the time index
        ids = None if unit is None else [e.id for e in listed]
        punches_of: dict[int, list[Punch]] = defaultdict(list)
        for employee_id, punch in uow.events.punches(span.start, span.end, employee_ids=ids):
            punches_of[employee_id].append(punch)
        leaves_of: dict[int, list[Leave]] = defaultdict(list)
        for leave in uow.leaves.list(
            status=LeaveStatus.APPROVED, first=first, last=last, unit=unit
        ):
            leaves_of[leave.employee_id].append(leave.to_domain())
        serving = [e for e in listed if _serves_within(e, first, last)]
        # an inactive employee is listed when they have any event in the period (a
        # refused attempt too): asked only for them
        idle = [e.id for e in serving if not e.active and e.id not in punches_of]
        seen = uow.events.employees_seen(span.start, span.end, idle) if idle else set()
        employees = [e for e in serving if e.active or e.id in punches_of or e.id in seen]
        # one look-up per scope, not per employee: a whole agency shares a few schedules;
        # the roster once for everyone (from the day before: its night shift may own an
        # early check-out of ``first``)
        before = first - timedelta(days=1)
        shifts_of: dict[int, list[ShiftAssignment]] = defaultdict(list)
        for assignment in uow.shifts.assignments(before, last):
            shifts_of[assignment.employee_id].append(assignment.to_domain())
        plans: dict[tuple[int | None, str], PeriodPlan] = {}
        holidays_of: dict[int | None, dict[date, str]] = {}
        for employee in employees:
            office, scope = employee.office_id, (employee.office_id, employee.unit)
            if scope not in plans:
                if office not in holidays_of:
                    holidays_of[office] = uow.holidays.calendar(first, last, office_id=office)
                plans[scope] = PeriodPlan.of(
                    days,
                    now=now,
                    schedule=uow.schedules.resolve(office_id=office, unit=employee.unit),
                    overrides=uow.schedules.overrides_for(
                        before, last, office_id=office, unit=employee.unit
                    ),
                    holidays=holidays_of[office],
                )
            records = evaluate_days(
                employee.id,
                punches_of.get(employee.id, ()),
                plan=plans[scope],
                leaves=leaves_of.get(employee.id, ()),
                service=employee.service,
                shifts=shifts_of.get(employee.id, ()),
            )
            records_of.append((employee, records))
            recap.append(
                _recap_row(employee, records, discipline, categories)
                if month is None
                else _monthly_recap_row(employee, month, records, discipline, categories)
            )
    # by date, then name and NIP: the employees sorted once, not the period's rows
    ordered = sorted(range(len(records_of)), key=lambda i: _by_name(records_of[i][0]))
    daily = [
        _daily_row(records_of[i][0], records_of[i][1][d], discipline, categories)
        for d in range(len(days))
        for i in ordered
    ]
    return AttendanceReport(
        first=first,
        last=last,
        unit=unit,
        generated_at=now,
        daily=tuple(daily),
        recap=tuple(recap),
        discipline=discipline,
    )


def _by_name(employee: EmployeeRecord) -> tuple[str, str]:
    return employee.name.lower(), employee.employee_id


def period_report(
    uow: AbstractUnitOfWork,
    first: date,
    last: date,
    unit: str | None = None,
    *,
    clock: Clock = _utc_now,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
) -> AttendanceReport:
    """Every employee's days ``first``..``last`` (e.g. the dashboard's week)."""
    return _report(uow, first, last, unit, clock(), month=None, discipline=discipline)
