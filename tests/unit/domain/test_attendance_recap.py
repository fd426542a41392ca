"""Monthly recap, checked against a month counted by hand (February 2026)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayStatus,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    LeaveTally,
    YearMonth,
    build_monthly_recap,
    evaluate_month,
    monthly_recap,
)
from hadir.domain.errors import DomainValidationError

WIB = ZoneInfo("Asia/Jakarta")
IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT
HOLIDAYS = {date(2026, 2, 17): "Tahun Baru Imlek"}  # a Tuesday
LEAVES = [
    Leave(7, LeaveKind.CUTI, date(2026, 2, 5), date(2026, 2, 6), LeaveStatus.APPROVED),
    Leave(7, LeaveKind.IZIN, date(2026, 2, 19), date(2026, 2, 19), LeaveStatus.REQUESTED),
]
AFTER_MONTH = datetime(2026, 3, 2, tzinfo=UTC)


def at(day: int, hh: int, mm: int) -> datetime:
    return datetime(2026, 2, day, hh, mm, tzinfo=WIB)


def ev(
    kind: AttendanceKind, when: datetime, decision: Decision = Decision.ACCEPTED
) -> AttendanceEvent:
    return AttendanceEvent(7, kind, when, decision)


def february_events() -> list[AttendanceEvent]:
    """February 2026 starts on a Sunday: 20 weekdays, one of them (17th) a holiday.

    Special days: 5-6 approved cuti, 10 late 20 min, 11 left 15 min early, 12 absent
    (only a rejected check-in), 13 no check-out, 14 (Saturday) worked, 19 a merely
    requested izin (so an ordinary day). Every other working day: 07:50-16:05.
    """
    special = {5, 6, 10, 11, 12, 13, 17}
    weekdays = [d for d in range(1, 29) if date(2026, 2, d).weekday() < 5]
    events: list[AttendanceEvent] = []
    for d in weekdays:
        if d not in special:
            events += [ev(IN, at(d, 7, 50)), ev(OUT, at(d, 16, 5))]
    events += [ev(IN, at(10, 8, 20)), ev(OUT, at(10, 16, 0))]
    events += [ev(IN, at(11, 7, 45)), ev(OUT, at(11, 15, 45))]
    events += [ev(IN, at(12, 7, 50), Decision.REJECTED)]
    events += [ev(IN, at(13, 7, 55))]
    events += [ev(IN, at(14, 9, 0)), ev(OUT, at(14, 11, 0))]
    return events


def test_recap_of_a_month_counted_by_hand() -> None:
    recap = monthly_recap(
        7, "2026-02", february_events(), now=AFTER_MONTH, holidays=HOLIDAYS, leaves=LEAVES
    )
    assert recap.month == YearMonth(2026, 2)
    assert recap.days_in_month == 28
    assert recap.working_days == 19  # 20 weekdays - Imlek
    assert recap.holidays == 1
    assert recap.non_working_days == 8
    assert recap.leave_days == LeaveTally(cuti=2)
    assert recap.leave_days.total == 2
    assert recap.absences == 1
    assert recap.days_present == 16  # 19 - 2 leave - 1 absent
    assert recap.on_time_days == 15
    assert recap.late_days == 1
    assert recap.late_minutes_total == 20
    assert recap.left_early_days == 1
    assert recap.left_early_minutes_total == 15
    assert recap.missing_check_out_days == 1
    assert recap.missing_check_in_days == 0
    assert recap.pending_days == 0
    assert recap.worked_days_off == 1
    assert (
        recap.days_present + recap.absences + recap.leave_days.total + recap.pending_days
        == recap.working_days
    )


def test_recap_of_a_month_in_progress() -> None:
    now = at(10, 7, 0)  # Tuesday 10 February, 07:00 WIB, nobody has checked in yet
    recap = monthly_recap(7, YearMonth(2026, 2), [], now=now, holidays=HOLIDAYS)
    assert recap.absences == 6  # 2, 3, 4, 5, 6, 9
    assert recap.pending_days == 13  # 10..27 weekdays minus the 17th
    assert recap.working_days == 19
    assert recap.days_present == 0


def test_leave_tally() -> None:
    tally = LeaveTally.of([LeaveKind.SAKIT, LeaveKind.SAKIT, LeaveKind.DINAS_LUAR])
    assert tally == LeaveTally(sakit=2, dinas_luar=1)
    assert tally.get(LeaveKind.SAKIT) == 2
    assert tally.get(LeaveKind.CUTI) == 0
    assert tally.total == 3
    assert LeaveTally.of([LeaveKind.WFH]) == LeaveTally()  # WFH is work, not leave
    assert tally.get(LeaveKind.WFH) == 0


def test_wfh_days_count_as_present() -> None:
    wfh = Leave(7, LeaveKind.WFH, date(2026, 2, 10), date(2026, 2, 11), LeaveStatus.APPROVED)
    recap = monthly_recap(
        7, "2026-02", february_events(), now=AFTER_MONTH, holidays=HOLIDAYS, leaves=[*LEAVES, wfh]
    )
    assert recap.leave_days == LeaveTally(cuti=2)
    assert recap.days_present == 16  # the 10th (late) and 11th (left early) still count
    assert recap.late_days == 1


def test_build_requires_exactly_the_whole_month_of_one_employee() -> None:
    records = evaluate_month(7, "2026-02", [], now=AFTER_MONTH)
    assert [r.day for r in records][:2] == [date(2026, 2, 1), date(2026, 2, 2)]
    assert build_monthly_recap(7, "2026-02", records).absences == 20

    with pytest.raises(DomainValidationError, match="missing 1 day"):
        build_monthly_recap(7, "2026-02", records[:-1])
    with pytest.raises(DomainValidationError, match="two records"):
        build_monthly_recap(7, "2026-02", [*records, records[0]])
    with pytest.raises(DomainValidationError, match="employee"):
        build_monthly_recap(8, "2026-02", records)
    with pytest.raises(DomainValidationError, match="not in 2026-03"):
        build_monthly_recap(7, "2026-03", records)
    moved = replace(records[3], status=DayStatus.ON_TIME)
    assert build_monthly_recap(7, "2026-02", [*records[:3], moved, *records[4:]]).on_time_days == 1


def test_recap_of_a_month_joined_midway() -> None:
    """March 2025 has 21 working days; joining on Monday 17 March leaves 11 (17-21,
    24-28, 31), all absent here, and the 16 days before count nowhere else."""
    from hadir.domain.attendance import ServicePeriod

    recap = monthly_recap(
        1,
        "2025-03",
        [],
        now=datetime(2025, 4, 1, tzinfo=UTC),
        service=ServicePeriod(start=date(2025, 3, 17)),
    )
    assert (recap.working_days, recap.absences, recap.not_employed_days) == (11, 11, 16)
    assert recap.non_working_days == 4  # the weekends of 22/23 and 29/30
    total = recap.working_days + recap.holidays + recap.non_working_days
    assert total + recap.not_employed_days == recap.days_in_month == 31
