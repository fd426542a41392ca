"""Annual leave balance (issue 15), hand-computed."""

from __future__ import annotations

from datetime import date

from hadir.domain.attendance import Leave, LeaveKind, LeaveStatus
from hadir.domain.attendance.leave_balance import AnnualLeaveRules, annual_balance, leave_days

E = 1
HOLIDAYS = {date(2025, 3, 31): "Idul Fitri", date(2025, 4, 1): "Idul Fitri"}


def _cuti(first: date, last: date, status: LeaveStatus = LeaveStatus.APPROVED) -> Leave:
    return Leave(E, LeaveKind.CUTI, first, last, status)


def test_working_days_skip_weekends_holidays_and_other_years() -> None:
    # Fri 28 Mar .. Wed 2 Apr 2025: Fri, Mon(holiday), Tue(holiday), Wed = 2 working days
    assert leave_days(_cuti(date(2025, 3, 28), date(2025, 4, 2)), HOLIDAYS, 2025) == 2
    # Mon 29 Dec 2025 .. Fri 2 Jan 2026: 3 days in 2025, 2 in 2026
    span = _cuti(date(2025, 12, 29), date(2026, 1, 2))
    assert (leave_days(span, {}, 2025), leave_days(span, {}, 2026)) == (3, 2)


def test_balance_with_carry_over_used_and_pending() -> None:
    leaves = [
        _cuti(date(2024, 7, 1), date(2024, 7, 5)),  # 5 days of 2024: 7 unused, 6 carried
        _cuti(date(2024, 8, 5), date(2024, 8, 5), LeaveStatus.REJECTED),  # does not count
        _cuti(date(2025, 3, 28), date(2025, 4, 2)),  # 2 days used
        _cuti(date(2025, 5, 5), date(2025, 5, 7), LeaveStatus.REQUESTED),  # 3 pending
        Leave(E, LeaveKind.SAKIT, date(2025, 6, 2), date(2025, 6, 6), LeaveStatus.APPROVED),
    ]
    balance = annual_balance(leaves, HOLIDAYS, 2025, AnnualLeaveRules(12, 6))
    assert (balance.entitlement, balance.carried_over, balance.used, balance.pending) == (
        12,
        6,
        2,
        3,
    )
    assert (balance.available, balance.remaining) == (16, 13)
    no_carry = annual_balance(leaves, HOLIDAYS, 2025, AnnualLeaveRules(12, 0))
    assert no_carry.remaining == 7
