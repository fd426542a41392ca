"""Weekday hours, overrides and shifts: the resolution order and the night shift's
check-out after midnight (``timetable`` and ``evaluate_day``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayFlag,
    DayStatus,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    Shift,
    ShiftAssignment,
    Timetable,
    Weekday,
    WeekdayHours,
    WorkSchedule,
    evaluate_day,
    monthly_recap,
    schedule_for,
)
from hadir.domain.errors import DomainValidationError

WIB = ZoneInfo("Asia/Jakarta")
MON = date(2025, 6, 2)
FRI = date(2025, 6, 6)
SAT = date(2025, 6, 7)
LONG_AFTER = datetime(2025, 8, 1, tzinfo=UTC)
IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT
SHORT_FRIDAY = WorkSchedule(
    grace_minutes=5, weekday_hours=(WeekdayHours(Weekday.FRIDAY, time(7, 30), time(11, 30)),)
)
NIGHT = Shift("malam", time(20, 0), time(8, 0), grace_minutes=10, name="Malam")
RAMADAN = ScheduleOverride(MON, FRI, time(8, 0), time(15, 0), label="Ramadan")


def wib(day: date, hh: int, mm: int) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=WIB)


def ev(kind: AttendanceKind, when: datetime, employee_id: int = 1) -> AttendanceEvent:
    return AttendanceEvent(employee_id, kind, when, Decision.ACCEPTED)


def test_a_weekday_of_its_own_and_the_others_unchanged() -> None:
    friday = schedule_for(FRI, SHORT_FRIDAY)
    thursday = schedule_for(FRI - timedelta(days=1), SHORT_FRIDAY)
    assert friday is not None and thursday is not None
    assert (friday.start, friday.end, friday.grace_minutes) == (time(7, 30), time(11, 30), 5)
    assert (thursday.start, thursday.end) == (time(8, 0), time(16, 0))
    assert schedule_for(SAT, SHORT_FRIDAY) is None


def test_the_default_is_unchanged_without_weekday_hours() -> None:
    monday = schedule_for(MON, WorkSchedule())
    assert monday is not None and (monday.start, monday.end) == (time(8, 0), time(16, 0))


def test_resolution_order_shift_then_override_then_weekday_then_default() -> None:
    ramadan_friday = ScheduleOverride(FRI, FRI, time(8, 0), time(15, 0), label="Ramadan")
    overridden = schedule_for(FRI, SHORT_FRIDAY, [ramadan_friday])
    assert overridden is not None
    assert (overridden.end, overridden.label) == (time(15, 0), "Ramadan")
    shifted = schedule_for(FRI, SHORT_FRIDAY, [ramadan_friday], NIGHT)
    assert shifted is not None
    assert (shifted.start, shifted.end, shifted.shift, shifted.grace_minutes) == (
        time(20, 0),
        time(8, 0),
        "malam",
        10,
    )
    # a shift makes a Saturday a working day
    saturday = schedule_for(SAT, SHORT_FRIDAY, [], NIGHT)
    assert saturday is not None and saturday.end_at == wib(SAT + timedelta(days=1), 8, 0)


def test_friday_hours_set_lateness_and_early_leave() -> None:
    events = [ev(IN, wib(FRI, 7, 40)), ev(OUT, wib(FRI, 11, 0))]
    record = evaluate_day(1, FRI, events, now=LONG_AFTER, schedule=SHORT_FRIDAY)
    assert record.status is DayStatus.LATE
    assert (record.late_minutes, record.left_early_minutes) == (10, 30)


@pytest.mark.parametrize(
    "hours",
    [
        (WeekdayHours(Weekday.SATURDAY, time(8, 0), time(12, 0)),),
        (
            WeekdayHours(Weekday.FRIDAY, time(7, 30), time(11, 30)),
            WeekdayHours(Weekday.FRIDAY, time(8, 0), time(11, 0)),
        ),
    ],
)
def test_weekday_hours_only_once_and_only_on_working_days(
    hours: tuple[WeekdayHours, ...],
) -> None:
    with pytest.raises(DomainValidationError) as caught:
        WorkSchedule(weekday_hours=hours)
    assert caught.value.details["field"] == "weekday_hours"


def test_weekday_hours_must_fit_the_grace() -> None:
    with pytest.raises(DomainValidationError):
        WorkSchedule(
            grace_minutes=60,
            weekday_hours=(WeekdayHours(Weekday.FRIDAY, time(8, 0), time(8, 30)),),
        )
    with pytest.raises(DomainValidationError):
        WeekdayHours(Weekday.FRIDAY, time(11, 30), time(7, 30))


def test_night_shift_check_out_after_midnight_belongs_to_the_shift_day() -> None:
    """20:00-08:00 on Monday, check-out Tuesday 08:05: one complete Monday, and Tuesday
    (no shift, a normal office day) has no orphan check-out."""
    shifts = [ShiftAssignment(1, MON, MON, NIGHT)]
    tue = MON + timedelta(days=1)
    events = [ev(IN, wib(MON, 19, 55)), ev(OUT, wib(tue, 8, 5))]
    monday = evaluate_day(1, MON, events, now=LONG_AFTER, shifts=shifts)
    assert monday.status is DayStatus.ON_TIME
    assert monday.check_out == wib(tue, 8, 5)
    assert monday.flags == frozenset()
    assert monday.worked_minutes == 12 * 60 + 10
    tuesday = evaluate_day(1, tue, events, now=LONG_AFTER, shifts=shifts)
    assert tuesday.status is DayStatus.ABSENT  # an office day he did not come in for
    assert tuesday.check_out is None and not tuesday.missing_check_in


def test_night_shift_is_not_absent_nor_finished_at_midnight() -> None:
    shifts = [ShiftAssignment(1, MON, MON, NIGHT)]
    events = [ev(IN, wib(MON, 20, 5))]
    at_2am = wib(MON + timedelta(days=1), 2, 0)
    record = evaluate_day(1, MON, events, now=at_2am, shifts=shifts)
    assert (record.status, record.final, record.missing_check_out) == (
        DayStatus.ON_TIME,
        False,
        False,
    )
    before_start = evaluate_day(1, MON, [], now=wib(MON, 19, 0), shifts=shifts)
    assert before_start.status is DayStatus.NOT_YET
    later = evaluate_day(1, MON, events, now=wib(MON + timedelta(days=1), 12, 0), shifts=shifts)
    assert later.final and later.missing_check_out


def test_a_check_out_long_after_the_night_shift_is_the_next_day() -> None:
    shifts = [ShiftAssignment(1, MON, MON, NIGHT)]
    timetable = Timetable.of(1, WorkSchedule(), shifts=shifts)
    tue = MON + timedelta(days=1)
    assert timetable.duty_date(OUT, wib(tue, 11, 59)) == MON
    assert timetable.duty_date(OUT, wib(tue, 12, 0)) == tue
    assert timetable.duty_date(IN, wib(tue, 7, 0)) == tue  # check-ins keep their date


def test_consecutive_night_shifts_over_a_weekend_in_the_month() -> None:
    """Friday, Saturday and Sunday nights: three complete shift days, no absence, no
    orphan; the other June working days are office days without events (absent)."""
    sun = SAT + timedelta(days=1)
    shifts = [ShiftAssignment(1, FRI, sun, NIGHT)]
    events = []
    for day in (FRI, SAT, sun):
        events += [ev(IN, wib(day, 19, 50)), ev(OUT, wib(day + timedelta(days=1), 8, 2))]
    recap = monthly_recap(1, "2025-06", events, now=LONG_AFTER, shifts=shifts)
    # June 2025: 21 weekdays, plus the shifted Saturday and Sunday
    assert (recap.working_days, recap.days_present, recap.late_days) == (23, 3, 0)
    assert (recap.missing_check_in_days, recap.missing_check_out_days) == (0, 0)
    assert recap.absences == 20


def test_a_shift_on_a_holiday_is_worked_and_leave_still_wins() -> None:
    shifts = [ShiftAssignment(1, MON, MON, NIGHT)]
    events = [ev(IN, wib(MON, 20, 30))]
    holiday = evaluate_day(
        1, MON, events, now=LONG_AFTER, shifts=shifts, holidays={MON: "Idul Adha"}
    )
    assert (holiday.status, holiday.late_minutes, holiday.holiday_name) == (
        DayStatus.LATE,
        30,
        "Idul Adha",
    )
    leave = Leave(1, LeaveKind.SAKIT, MON, MON, LeaveStatus.APPROVED)
    on_leave = evaluate_day(1, MON, [], now=LONG_AFTER, shifts=shifts, leaves=[leave])
    assert on_leave.status is DayStatus.ON_LEAVE


def test_other_employees_shifts_do_not_apply() -> None:
    shifts = [ShiftAssignment(2, MON, MON, NIGHT)]
    record = evaluate_day(1, MON, [ev(IN, wib(MON, 8, 0))], now=LONG_AFTER, shifts=shifts)
    assert record.schedule is not None and record.schedule.shift is None
    assert record.status is DayStatus.ON_TIME


def test_ramadan_override_beats_the_short_friday_but_not_a_shift() -> None:
    shifts = [ShiftAssignment(1, FRI, FRI, NIGHT)]
    timetable = Timetable.of(1, SHORT_FRIDAY, [RAMADAN], shifts)
    thursday = timetable.hours_on(FRI - timedelta(days=1))
    friday = timetable.hours_on(FRI)
    assert thursday is not None and thursday.end == time(15, 0)
    assert friday is not None and friday.shift == "malam"


def test_invalid_shifts() -> None:
    with pytest.raises(DomainValidationError):
        Shift(" ", time(8, 0), time(16, 0))
    with pytest.raises(DomainValidationError):
        Shift("x", time(20, 0), time(8, 0), grace_minutes=12 * 60)
    with pytest.raises(DomainValidationError):
        ShiftAssignment(1, FRI, MON, NIGHT)
    assert Shift("24h", time(8, 0), time(8, 0)).overnight
    assert (
        DayFlag.LEFT_EARLY
        not in evaluate_day(
            1,
            MON,
            [ev(IN, wib(MON, 8, 0)), ev(OUT, wib(MON + timedelta(days=1), 8, 0))],
            now=LONG_AFTER,
            shifts=[ShiftAssignment(1, MON, MON, Shift("24h", time(8, 0), time(8, 0)))],
        ).flags
    )
