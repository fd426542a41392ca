"""Monthly recap of one employee from the month's DayRecords.

Counting rules:

* ``working_days``: scheduled weekdays that are not holidays (leave days included), i.e.
  ``days_present + absences + leave_days.total + pending_days``.
* ``days_present``: on_time + late + incomplete (verified at the office that day).
  ``dinas_luar`` is counted under ``leave_days``, not as present; add it if HR wants.
  Approved WFH is not leave: the day counts by its check-ins like any other.
* ``holidays``: holidays on scheduled weekdays; a holiday on a weekend counts in
  ``non_working_days``.
* ``not_employed_days``: dates before the start date or after the end date, which count
  nowhere else (so ``working_days + holidays + non_working_days + not_employed_days ==
  days_in_month``).
* ``late_minutes_total`` / ``left_early_minutes_total``: sums over working days.
* ``worked_days_off``: weekend or holiday dates with accepted events.
* ``discipline``: TL1-TL4 / PSW1-PSW4 counts and the TPP deduction under the rules given
  (``discipline.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from hadir.domain.attendance.day_status import (
    ALWAYS,
    DEFAULT_SCHEDULE,
    OFF_STATUSES,
    PRESENT_STATUSES,
    DayFlag,
    DayRecord,
    DayStatus,
    ServicePeriod,
    evaluate_day,
)
from hadir.domain.attendance.discipline import (
    DEFAULT_DISCIPLINE,
    Category,
    DisciplineRules,
    DisciplineTally,
    discipline_tally,
)
from hadir.domain.attendance.events import AttendanceEvent, EmployeeId
from hadir.domain.attendance.holiday_calendar import NO_HOLIDAYS, HolidayCalendar
from hadir.domain.attendance.leave import Leave, LeaveKind
from hadir.domain.attendance.schedule import ScheduleOverride, WorkSchedule
from hadir.domain.attendance.timetable import ShiftAssignment
from hadir.domain.attendance.timeutil import YearMonth, parse_month
from hadir.domain.errors import DomainValidationError


@dataclass(frozen=True)
class LeaveTally:
    """Leave days per kind."""

    izin: int = 0
    sakit: int = 0
    cuti: int = 0
    dinas_luar: int = 0

    def get(self, kind: LeaveKind) -> int:
        """Days of ``kind`` (0 for WFH, which is work, not leave)."""
        return int(getattr(self, LeaveKind(kind).value, 0))

    @property
    def total(self) -> int:
        return self.izin + self.sakit + self.cuti + self.dinas_luar

    @classmethod
    def of(cls, kinds: Iterable[LeaveKind]) -> LeaveTally:
        """Count each kind in ``kinds`` (one entry per leave day)."""
        counts = Counter(LeaveKind(k).value for k in kinds if LeaveKind(k).is_absence)
        return cls(**counts)


@dataclass(frozen=True)
class MonthlyRecap:
    """Totals of one employee for one month (see the module docstring for the rules)."""

    employee_id: EmployeeId
    month: YearMonth
    days_in_month: int
    working_days: int
    days_present: int
    on_time_days: int
    late_days: int
    late_minutes_total: int
    left_early_days: int
    left_early_minutes_total: int
    missing_check_in_days: int
    missing_check_out_days: int
    absences: int
    leave_days: LeaveTally
    holidays: int
    non_working_days: int
    pending_days: int
    """Working days still ``not_yet`` (the current or a future month)."""
    worked_days_off: int
    not_employed_days: int = 0
    discipline: DisciplineTally = field(default_factory=DisciplineTally)


def _as_month(month: YearMonth | str) -> YearMonth:
    return month if isinstance(month, YearMonth) else parse_month(month)


def build_monthly_recap(
    employee_id: EmployeeId,
    month: YearMonth | str,
    records: Iterable[DayRecord],
    *,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
    categories_of: Callable[[DayRecord], tuple[Category, ...]] | None = None,
) -> MonthlyRecap:
    """Sum ``records``, which must be exactly one record per date of ``month`` for
    ``employee_id`` (anything else raises a validation error: a partial month would
    silently under-count working days). ``discipline``: the TL/PSW bands and TPP
    percentages in force; ``categories_of``: ``day_categories`` under them, when the
    caller has it already (``discipline_tally``)."""
    ym = _as_month(month)
    by_day: dict[date, DayRecord] = {}
    for rec in records:
        if rec.employee_id != employee_id:
            raise DomainValidationError(
                f"record of employee {rec.employee_id} in the recap of {employee_id}",
                field="records",
            )
        if not ym.contains(rec.day):
            raise DomainValidationError(f"record of {rec.day} is not in {ym}", field="records")
        if rec.day in by_day:
            raise DomainValidationError(f"two records for {rec.day}", field="records")
        by_day[rec.day] = rec
    missing = [d for d in ym.days() if d not in by_day]
    if missing:
        raise DomainValidationError(
            f"recap of {ym} is missing {len(missing)} day(s), first {missing[0]}",
            field="records",
        )

    recs = list(by_day.values())
    status_count = Counter(r.status for r in recs)
    # one pass over the working days (a whole agency's month is 300,000 records)
    working_days = present = late_minutes = left_early_days = left_early_minutes = 0
    missing_in = missing_out = worked_off = 0
    leave_kinds: list[LeaveKind] = []
    for r in recs:
        status = r.status
        if status in OFF_STATUSES:
            if r.worked and status is not DayStatus.NOT_EMPLOYED:
                worked_off += 1
            continue
        working_days += 1
        flags = r.flags
        late_minutes += r.late_minutes
        left_early_minutes += r.left_early_minutes
        if status in PRESENT_STATUSES:
            present += 1
        elif status is DayStatus.ON_LEAVE and r.leave_kind is not None:
            leave_kinds.append(r.leave_kind)
        if flags:
            left_early_days += DayFlag.LEFT_EARLY in flags
            missing_in += DayFlag.MISSING_CHECK_IN in flags
            missing_out += DayFlag.MISSING_CHECK_OUT in flags
    return MonthlyRecap(
        employee_id=employee_id,
        month=ym,
        days_in_month=len(recs),
        working_days=working_days,
        days_present=present,
        on_time_days=status_count[DayStatus.ON_TIME],
        late_days=status_count[DayStatus.LATE],
        late_minutes_total=late_minutes,
        left_early_days=left_early_days,
        left_early_minutes_total=left_early_minutes,
        missing_check_in_days=missing_in,
        missing_check_out_days=missing_out,
        absences=status_count[DayStatus.ABSENT],
        leave_days=LeaveTally.of(leave_kinds),
        holidays=status_count[DayStatus.HOLIDAY],
        non_working_days=status_count[DayStatus.WEEKEND],
        pending_days=status_count[DayStatus.NOT_YET],
        worked_days_off=worked_off,
        not_employed_days=status_count[DayStatus.NOT_EMPLOYED],
        discipline=discipline_tally(recs, discipline, categories_of=categories_of),
    )


def evaluate_month(
    employee_id: EmployeeId,
    month: YearMonth | str,
    events: Iterable[AttendanceEvent],
    *,
    now: datetime,
    schedule: WorkSchedule = DEFAULT_SCHEDULE,
    overrides: Iterable[ScheduleOverride] = (),
    holidays: HolidayCalendar = NO_HOLIDAYS,
    leaves: Iterable[Leave] = (),
    service: ServicePeriod = ALWAYS,
    shifts: Iterable[ShiftAssignment] = (),
) -> list[DayRecord]:
    """``evaluate_day`` for every date of ``month``, in order."""
    ym = _as_month(month)
    event_list = list(events)
    override_list = list(overrides)
    leave_list = list(leaves)
    shift_list = list(shifts)
    return [
        evaluate_day(
            employee_id,
            day,
            event_list,
            now=now,
            schedule=schedule,
            overrides=override_list,
            holidays=holidays,
            leaves=leave_list,
            service=service,
            shifts=shift_list,
        )
        for day in ym.days()
    ]


def monthly_recap(
    employee_id: EmployeeId,
    month: YearMonth | str,
    events: Iterable[AttendanceEvent],
    *,
    now: datetime,
    schedule: WorkSchedule = DEFAULT_SCHEDULE,
    overrides: Iterable[ScheduleOverride] = (),
    holidays: HolidayCalendar = NO_HOLIDAYS,
    leaves: Iterable[Leave] = (),
    service: ServicePeriod = ALWAYS,
    shifts: Iterable[ShiftAssignment] = (),
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
) -> MonthlyRecap:
    """Evaluate the whole month and sum it."""
    records = evaluate_month(
        employee_id,
        month,
        events,
        now=now,
        schedule=schedule,
        overrides=overrides,
        holidays=holidays,
        leaves=leaves,
        service=service,
        shifts=shifts,
    )
    return build_monthly_recap(employee_id, month, records, discipline=discipline)
