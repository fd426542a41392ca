"""evaluate_day: on time, late, grace, timezone, leave, holidays, odd event sequences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayFlag,
    DayRecord,
    DayStatus,
    Decision,
    HolidayCalendar,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    Weekday,
    WorkSchedule,
    evaluate_day,
)
from hadir.domain.errors import DomainValidationError, ErrorCode

WIB = ZoneInfo("Asia/Jakarta")
MON = date(2025, 6, 2)  # a Monday
SAT = date(2025, 6, 7)
LONG_AFTER = datetime(2025, 7, 1, tzinfo=UTC)
IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT


def wib(hh: int, mm: int, ss: int = 0, day: date = MON) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=WIB)


def ev(
    kind: AttendanceKind,
    when: datetime,
    decision: Decision = Decision.ACCEPTED,
    employee_id: int = 1,
) -> AttendanceEvent:
    return AttendanceEvent(employee_id, kind, when, decision)


def evaluate(
    events: Sequence[AttendanceEvent],
    *,
    day: date = MON,
    now: datetime = LONG_AFTER,
    schedule: WorkSchedule | None = None,
    overrides: Sequence[ScheduleOverride] = (),
    holidays: HolidayCalendar | None = None,
    leaves: Sequence[Leave] = (),
) -> DayRecord:
    return evaluate_day(
        1,
        day,
        events,
        now=now,
        schedule=schedule or WorkSchedule(),
        overrides=overrides,
        holidays=holidays if holidays is not None else {},
        leaves=leaves,
    )


def full_day(in_at: datetime, out_at: datetime | None = None) -> list[AttendanceEvent]:
    return [ev(IN, in_at), ev(OUT, out_at or wib(16, 0))]


@pytest.mark.parametrize("arrival", [wib(7, 55), wib(8, 0), wib(8, 0, 59)])
def test_on_time_up_to_the_start_minute(arrival: datetime) -> None:
    rec = evaluate(full_day(arrival))
    assert rec.status is DayStatus.ON_TIME
    assert rec.late_minutes == 0
    assert rec.flags == frozenset()
    assert rec.is_present and rec.final


def test_one_minute_late_without_grace() -> None:
    rec = evaluate(full_day(wib(8, 1)))
    assert rec.status is DayStatus.LATE
    assert rec.late_minutes == 1


@pytest.mark.parametrize(
    ("arrival", "status", "minutes"),
    [
        (wib(8, 4), DayStatus.ON_TIME, 0),
        (wib(8, 5, 59), DayStatus.ON_TIME, 0),
        (wib(8, 6), DayStatus.LATE, 6),
        (wib(8, 7), DayStatus.LATE, 7),  # counted from 08:00, not from the end of grace
    ],
)
def test_grace_minutes(arrival: datetime, status: DayStatus, minutes: int) -> None:
    rec = evaluate(full_day(arrival), schedule=WorkSchedule(grace_minutes=5))
    assert rec.status is status
    assert rec.late_minutes == minutes


def test_utc_event_is_compared_in_wib() -> None:
    rec = evaluate(full_day(datetime(2025, 6, 2, 1, 30, tzinfo=UTC)))
    assert rec.status is DayStatus.LATE
    assert rec.late_minutes == 30
    assert rec.check_in == wib(8, 30)
    assert rec.check_in is not None
    assert (rec.check_in.hour, rec.check_in.minute) == (8, 30)  # shown in local time


def test_event_belongs_to_its_local_date() -> None:
    # 17:30 UTC on Monday is 00:30 WIB on Tuesday.
    late_evening_utc = datetime(2025, 6, 2, 17, 30, tzinfo=UTC)
    monday = evaluate([ev(IN, late_evening_utc)])
    tuesday = evaluate([ev(IN, late_evening_utc)], day=date(2025, 6, 3))
    assert monday.status is DayStatus.ABSENT
    assert tuesday.status is DayStatus.ON_TIME
    assert tuesday.check_in == datetime(2025, 6, 3, 0, 30, tzinfo=WIB)


def test_left_early() -> None:
    rec = evaluate(full_day(wib(7, 50), wib(15, 30)))
    assert rec.status is DayStatus.ON_TIME
    assert rec.left_early_minutes == 30
    assert rec.left_early and DayFlag.LEFT_EARLY in rec.flags
    assert rec.worked_minutes == 460


def test_check_out_at_or_after_end_is_not_early() -> None:
    assert evaluate(full_day(wib(7, 50), wib(16, 0))).left_early_minutes == 0
    assert evaluate(full_day(wib(7, 50), wib(17, 10))).left_early_minutes == 0


def test_missing_check_out_only_once_the_day_is_over() -> None:
    events = [ev(IN, wib(7, 45))]
    during = evaluate(events, now=wib(17, 0))
    assert during.status is DayStatus.ON_TIME
    assert not during.missing_check_out
    assert not during.final
    after = evaluate(events, now=wib(0, 0, day=date(2025, 6, 3)))
    assert after.missing_check_out
    assert after.final
    assert after.left_early_minutes == 0


def test_absent_on_a_past_working_day() -> None:
    rec = evaluate([])
    assert rec.status is DayStatus.ABSENT
    assert rec.final
    assert not rec.is_present
    assert rec.check_in is None and rec.check_out is None


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (wib(7, 0), DayStatus.NOT_YET),
        (wib(8, 0, 59), DayStatus.NOT_YET),  # a check-in now would still be on time
        (wib(8, 1), DayStatus.ABSENT),
        (wib(12, 0, day=date(2025, 5, 30)), DayStatus.NOT_YET),  # a future date
    ],
)
def test_pending_until_a_check_in_would_be_late(now: datetime, status: DayStatus) -> None:
    rec = evaluate([], now=now)
    assert rec.status is status
    assert not rec.final


def test_pending_respects_grace() -> None:
    rec = evaluate([], now=wib(8, 3), schedule=WorkSchedule(grace_minutes=5))
    assert rec.status is DayStatus.NOT_YET


def test_weekend_without_and_with_work() -> None:
    idle = evaluate([], day=SAT)
    assert idle.status is DayStatus.WEEKEND
    assert idle.schedule is None
    assert not idle.worked
    busy = evaluate([ev(IN, wib(9, 0, day=SAT)), ev(OUT, wib(12, 0, day=SAT))], day=SAT)
    assert busy.status is DayStatus.WEEKEND
    assert busy.worked
    assert busy.check_in == wib(9, 0, day=SAT)
    assert busy.check_out == wib(12, 0, day=SAT)
    assert busy.late_minutes == 0


def test_saturday_is_a_working_day_when_configured() -> None:
    six_days = WorkSchedule(working_days=frozenset(Weekday(d) for d in range(6)))
    assert evaluate([], day=SAT, schedule=six_days).status is DayStatus.ABSENT


def test_holiday_with_name_and_work_on_it() -> None:
    holidays = {MON: "Hari Raya Waisak"}
    rec = evaluate([], holidays=holidays)
    assert rec.status is DayStatus.HOLIDAY
    assert rec.holiday_name == "Hari Raya Waisak"
    assert not rec.is_working_day
    worked = evaluate([ev(IN, wib(10, 0))], holidays=holidays)
    assert worked.status is DayStatus.HOLIDAY
    assert worked.worked
    assert worked.late_minutes == 0
    assert not worked.missing_check_out


def test_holiday_on_a_weekend_reports_weekend_but_keeps_the_name() -> None:
    rec = evaluate([], day=SAT, holidays={SAT: "Idul Adha"})
    assert rec.status is DayStatus.WEEKEND
    assert rec.holiday_name == "Idul Adha"


def test_approved_leave_wins_over_absence() -> None:
    leave = Leave(1, LeaveKind.SAKIT, MON, MON, LeaveStatus.APPROVED)
    rec = evaluate([], leaves=[leave])
    assert rec.status is DayStatus.ON_LEAVE
    assert rec.leave_kind is LeaveKind.SAKIT
    assert rec.is_working_day and not rec.is_present


@pytest.mark.parametrize("status", [LeaveStatus.REQUESTED, LeaveStatus.REJECTED])
def test_unapproved_leave_does_not_count(status: LeaveStatus) -> None:
    leave = Leave(1, LeaveKind.CUTI, date(2025, 6, 1), date(2025, 6, 4), status)
    rec = evaluate([], leaves=[leave])
    assert rec.status is DayStatus.ABSENT
    assert rec.leave_kind is None


def test_leave_of_another_employee_does_not_count() -> None:
    leave = Leave(2, LeaveKind.CUTI, MON, MON, LeaveStatus.APPROVED)
    assert evaluate([], leaves=[leave]).status is DayStatus.ABSENT


def test_holiday_wins_over_leave_and_work_during_leave_is_flagged() -> None:
    leave = Leave(1, LeaveKind.DINAS_LUAR, MON, MON, LeaveStatus.APPROVED)
    assert evaluate([], leaves=[leave], holidays={MON: "X"}).status is DayStatus.HOLIDAY
    rec = evaluate(full_day(wib(9, 0)), leaves=[leave])
    assert rec.status is DayStatus.ON_LEAVE
    assert rec.worked
    assert rec.late_minutes == 0


def test_work_from_home_is_a_working_day_judged_by_its_check_ins() -> None:
    wfh = Leave(1, LeaveKind.WFH, MON, MON, LeaveStatus.APPROVED)
    late = evaluate(full_day(wib(8, 10)), leaves=[wfh])
    assert late.status is DayStatus.LATE and late.late_minutes == 10
    assert late.leave_kind is LeaveKind.WFH and late.is_present
    assert evaluate([], leaves=[wfh]).status is DayStatus.ABSENT
    sick = Leave(1, LeaveKind.SAKIT, MON, MON, LeaveStatus.APPROVED)
    assert evaluate([], leaves=[wfh, sick]).status is DayStatus.ON_LEAVE  # absence wins


def test_ramadan_override_changes_the_end_time() -> None:
    ramadan = ScheduleOverride(
        date(2025, 6, 1), date(2025, 6, 30), time(8, 0), time(15, 0), label="Ramadan"
    )
    events = full_day(wib(7, 58), wib(15, 0))
    normal = evaluate(events)
    short = evaluate(events, overrides=[ramadan])
    assert normal.left_early_minutes == 60
    assert short.left_early_minutes == 0
    assert not short.left_early
    assert short.schedule is not None
    assert short.schedule.end == time(15, 0)
    assert short.schedule.label == "Ramadan"
    assert evaluate(full_day(wib(7, 58), wib(14, 45)), overrides=[ramadan]).left_early_minutes == 15


def test_first_check_in_and_last_check_out_count() -> None:
    events = [
        ev(OUT, wib(16, 5)),
        ev(IN, wib(8, 30)),
        ev(IN, wib(7, 50)),
        ev(OUT, wib(15, 0)),
    ]
    rec = evaluate(events)
    assert rec.status is DayStatus.ON_TIME
    assert rec.check_in == wib(7, 50)
    assert rec.check_out == wib(16, 5)
    assert rec.left_early_minutes == 0


@pytest.mark.parametrize("decision", [Decision.REJECTED, Decision.NEEDS_REVIEW])
def test_only_accepted_events_count(decision: Decision) -> None:
    ignored = [ev(IN, wib(7, 30), decision), ev(OUT, wib(17, 0), decision)]
    assert evaluate(ignored).status is DayStatus.ABSENT
    rec = evaluate([*ignored, ev(IN, wib(8, 10)), ev(OUT, wib(15, 50))])
    assert rec.status is DayStatus.LATE
    assert rec.late_minutes == 10
    assert rec.left_early_minutes == 10


def test_events_of_other_employees_are_ignored() -> None:
    assert evaluate([ev(IN, wib(7, 30), employee_id=2)]).status is DayStatus.ABSENT


def test_check_in_after_the_end_of_the_day() -> None:
    rec = evaluate([ev(IN, wib(16, 30)), ev(OUT, wib(17, 0))])
    assert rec.status is DayStatus.LATE
    assert rec.late_minutes == 510
    assert rec.checked_in_after_end
    assert rec.left_early_minutes == 0


def test_check_out_without_check_in_is_incomplete() -> None:
    rec = evaluate([ev(OUT, wib(15, 50))])
    assert rec.status is DayStatus.INCOMPLETE
    assert rec.missing_check_in
    assert rec.is_present
    assert rec.late_minutes == 0
    assert rec.left_early_minutes == 10
    assert rec.check_in is None and rec.check_out == wib(15, 50)


def test_check_out_before_the_check_in_is_ignored() -> None:
    rec = evaluate([ev(OUT, wib(7, 0)), ev(IN, wib(7, 55))])
    assert rec.status is DayStatus.ON_TIME
    assert rec.check_out is None
    assert rec.missing_check_out
    assert not rec.missing_check_in


def test_now_must_be_aware() -> None:
    with pytest.raises(DomainValidationError, match="timezone-aware") as info:
        evaluate([], now=datetime(2025, 6, 2, 9, 0))
    assert info.value.code is ErrorCode.VALIDATION_ERROR


def test_days_outside_the_service_period_are_not_employed() -> None:
    """Issue 15: nobody is absent before their TMT or after their end date, even with a
    leave or an event that day (kept as worked)."""
    from datetime import UTC, date, datetime

    from hadir.domain.attendance import DayStatus, ServicePeriod, evaluate_day

    later = datetime(2025, 4, 1, tzinfo=UTC)
    period = ServicePeriod(date(2025, 3, 17), date(2025, 3, 28))
    before = evaluate_day(1, date(2025, 3, 14), [], now=later, service=period)
    first = evaluate_day(1, date(2025, 3, 17), [], now=later, service=period)
    last = evaluate_day(1, date(2025, 3, 28), [], now=later, service=period)
    after = evaluate_day(1, date(2025, 3, 31), [], now=later, service=period)
    assert (before.status, first.status, last.status, after.status) == (
        DayStatus.NOT_EMPLOYED,
        DayStatus.ABSENT,
        DayStatus.ABSENT,
        DayStatus.NOT_EMPLOYED,
    )
    assert not before.is_working_day and before.schedule is None
