"""Annual leave (cuti tahunan) balance per year (issue 15).

Rules: each year an employee is entitled to ``entitlement`` working days of annual leave
(12 by default); unused days of the previous year carry over up to ``carry_over_max``
(0: none). A day of annual leave is a working day it covers: Monday to Friday, not a
holiday. Approved leave uses the balance; a new request is refused when it asks more
than what is left after approved and still-pending requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from hadir.domain.attendance.leave import Leave, LeaveKind, LeaveStatus

DEFAULT_ANNUAL_DAYS = 12
DEFAULT_CARRY_OVER_DAYS = 6


@dataclass(frozen=True)
class AnnualLeaveRules:
    entitlement: int = DEFAULT_ANNUAL_DAYS
    carry_over_max: int = DEFAULT_CARRY_OVER_DAYS


@dataclass(frozen=True)
class LeaveBalance:
    year: int
    entitlement: int
    carried_over: int
    used: int
    """Approved annual-leave days of the year."""
    pending: int
    """Requested (or endorsed by the superior), not yet decided."""

    @property
    def available(self) -> int:
        return self.entitlement + self.carried_over - self.used

    @property
    def remaining(self) -> int:
        """What a new request may still take (pending requests held back)."""
        return self.available - self.pending


def leave_days(leave: Leave, holidays: Mapping[date, str], year: int) -> int:
    """Working days (Monday-Friday, not a holiday) of ``leave`` within ``year``."""
    first = max(leave.start_date, date(year, 1, 1))
    last = min(leave.end_date, date(year, 12, 31))
    days = 0
    day = first
    while day <= last:
        if day.weekday() < 5 and day not in holidays:
            days += 1
        day += timedelta(days=1)
    return days


def _taken(
    leaves: Iterable[Leave], holidays: Mapping[date, str], year: int, status: LeaveStatus
) -> int:
    return sum(
        leave_days(leave, holidays, year)
        for leave in leaves
        if leave.kind is LeaveKind.CUTI and leave.status is status
    )


def annual_balance(
    leaves: Iterable[Leave], holidays: Mapping[date, str], year: int, rules: AnnualLeaveRules
) -> LeaveBalance:
    """The balance of ``year`` from the employee's leave of ``year - 1`` and ``year``
    (``holidays`` covering both)."""
    leaves = list(leaves)
    unused_before = max(
        0, rules.entitlement - _taken(leaves, holidays, year - 1, LeaveStatus.APPROVED)
    )
    return LeaveBalance(
        year=year,
        entitlement=rules.entitlement,
        carried_over=min(unused_before, rules.carry_over_max),
        used=_taken(leaves, holidays, year, LeaveStatus.APPROVED),
        pending=_taken(leaves, holidays, year, LeaveStatus.REQUESTED)
        + _taken(leaves, holidays, year, LeaveStatus.ENDORSED),
    )
