"""Pure attendance rules: schedules, leave, events, day status and monthly recap.

No I/O and no frameworks: stdlib and zoneinfo only. Times are stored in UTC and compared
in the schedule's timezone (Asia/Jakarta by default).
"""

from __future__ import annotations

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
    ALL_CATEGORIES,
    DEFAULT_DISCIPLINE,
    EARLY_CATEGORIES,
    LATE_CATEGORIES,
    Category,
    DisciplineRules,
    DisciplineTally,
    day_categories,
    discipline_tally,
)
from hadir.domain.attendance.events import (
    AttendanceEvent,
    AttendanceKind,
    Decision,
    EmployeeId,
    find_replay,
)
from hadir.domain.attendance.holiday_calendar import (
    NO_HOLIDAYS,
    CombinedHolidayCalendar,
    HolidayCalendar,
    holiday_name,
)
from hadir.domain.attendance.leave import (
    Leave,
    LeaveKind,
    LeavePolicy,
    LeaveStatus,
    approved_leave_on,
)
from hadir.domain.attendance.period import DayPlan, PeriodPlan, Punch, evaluate_days
from hadir.domain.attendance.recap import (
    LeaveTally,
    MonthlyRecap,
    build_monthly_recap,
    evaluate_month,
    monthly_recap,
)
from hadir.domain.attendance.schedule import (
    OFFICE_WEEKDAYS,
    OVERNIGHT_CHECKOUT_HOURS,
    DaySchedule,
    ScheduleOverride,
    Shift,
    Weekday,
    WeekdayHours,
    WorkSchedule,
    schedule_for,
)
from hadir.domain.attendance.timetable import ShiftAssignment, Timetable, shift_on
from hadir.domain.attendance.timeutil import (
    DEFAULT_TIMEZONE,
    YearMonth,
    as_utc,
    dates_between,
    local_date_of,
    month_days,
    parse_month,
    to_local,
)

__all__ = [
    "ALL_CATEGORIES",
    "ALWAYS",
    "DEFAULT_DISCIPLINE",
    "DEFAULT_SCHEDULE",
    "DEFAULT_TIMEZONE",
    "EARLY_CATEGORIES",
    "LATE_CATEGORIES",
    "NO_HOLIDAYS",
    "OFFICE_WEEKDAYS",
    "OFF_STATUSES",
    "OVERNIGHT_CHECKOUT_HOURS",
    "PRESENT_STATUSES",
    "AttendanceEvent",
    "AttendanceKind",
    "Category",
    "CombinedHolidayCalendar",
    "DayFlag",
    "DayPlan",
    "DayRecord",
    "DaySchedule",
    "DayStatus",
    "Decision",
    "DisciplineRules",
    "DisciplineTally",
    "EmployeeId",
    "HolidayCalendar",
    "Leave",
    "LeaveKind",
    "LeavePolicy",
    "LeaveStatus",
    "LeaveTally",
    "MonthlyRecap",
    "PeriodPlan",
    "Punch",
    "ScheduleOverride",
    "ServicePeriod",
    "Shift",
    "ShiftAssignment",
    "Timetable",
    "Weekday",
    "WeekdayHours",
    "WorkSchedule",
    "YearMonth",
    "approved_leave_on",
    "as_utc",
    "build_monthly_recap",
    "dates_between",
    "day_categories",
    "discipline_tally",
    "evaluate_day",
    "evaluate_days",
    "evaluate_month",
    "find_replay",
    "holiday_name",
    "local_date_of",
    "month_days",
    "monthly_recap",
    "parse_month",
    "schedule_for",
    "shift_on",
    "to_local",
]
