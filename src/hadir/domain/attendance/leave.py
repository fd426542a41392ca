"""Leave (izin, sakit, cuti, dinas luar): requests over inclusive date ranges."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hadir.domain.attendance.events import EmployeeId
from hadir.domain.attendance.timeutil import dates_between
from hadir.domain.errors import DomainValidationError


class LeaveKind(StrEnum):
    """Why an employee is away. Values are stored; never rename them."""

    IZIN = "izin"
    """Permission (personal matters)."""
    SAKIT = "sakit"
    """Sick."""
    CUTI = "cuti"
    """Annual or other statutory leave."""
    DINAS_LUAR = "dinas_luar"
    """Official duty outside the office."""
    WFH = "wfh"
    """Work from home: a working day judged by its check-ins like any other, only away
    from the office (the geofence does not apply)."""

    @property
    def is_absence(self) -> bool:
        """Whether an approved day of this kind is ``on_leave`` (WFH is work)."""
        return self is not LeaveKind.WFH


class LeaveStatus(StrEnum):
    REQUESTED = "requested"
    ENDORSED = "endorsed"
    """Approved by the direct superior, waiting for HR (``HADIR_LEAVE_HR_APPROVAL``)."""
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Leave:
    """A leave over ``start_date``..``end_date`` inclusive; only approved leave counts."""

    employee_id: EmployeeId
    kind: LeaveKind
    start_date: date
    end_date: date
    status: LeaveStatus = LeaveStatus.REQUESTED

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise DomainValidationError(
                f"leave ends ({self.end_date.isoformat()}) before it starts "
                f"({self.start_date.isoformat()})",
                field="end_date",
            )
        # Accept the raw string values too ("cuti", "approved").
        try:
            object.__setattr__(self, "kind", LeaveKind(self.kind))
            object.__setattr__(self, "status", LeaveStatus(self.status))
        except ValueError as exc:
            raise DomainValidationError(str(exc), field="kind/status") from exc

    @property
    def is_approved(self) -> bool:
        return self.status is LeaveStatus.APPROVED

    @property
    def calendar_days(self) -> int:
        """Number of dates covered, weekends and holidays included."""
        return (self.end_date - self.start_date).days + 1

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def dates(self) -> list[date]:
        """Every date covered, in order."""
        return dates_between(self.start_date, self.end_date)


MAX_LEAVE_DAYS = 90
"""Longest request, in calendar days: statutory annual leave is 12 working days and long
sick leave is filed in parts; anything longer is a typing mistake or abuse."""
MAX_BACKDATE_DAYS = 30
"""How far back a request may start: last month's absence can still be explained."""
MAX_AHEAD_DAYS = 366
"""How far ahead a request may end: leave is planned within the year."""


@dataclass(frozen=True)
class LeavePolicy:
    """Bounds of a leave request against the office's ``today``.

    Rules: a request covers at most ``max_days`` calendar days; it starts no more than
    ``max_backdate_days`` before today and ends no more than ``max_ahead_days`` after it.
    Without bounds, leave from 0001-01-01 to 9999-12-31 once approved was leave forever.
    """

    max_days: int = MAX_LEAVE_DAYS
    max_backdate_days: int = MAX_BACKDATE_DAYS
    max_ahead_days: int = MAX_AHEAD_DAYS
    annual_days: int = 12
    """Annual leave (cuti) entitlement per year, in working days (issue 15)."""
    carry_over_days: int = 6
    """At most this many unused days of last year's entitlement carry over."""
    hr_approval: bool = False
    """Whether leave the direct superior approved still waits for HR (``endorsed``)."""

    def check(self, start: date, end: date, today: date) -> None:
        """Raise ``DomainValidationError`` (``validation_error``) when out of bounds."""
        if end < start:
            raise DomainValidationError(
                f"leave ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                field="end_date",
            )
        days = (end - start).days + 1
        if days > self.max_days:
            raise DomainValidationError(
                f"A leave request covers at most {self.max_days} days ({days} asked); "
                "file a longer absence in parts.",
                field="end_date",
            )
        if (today - start).days > self.max_backdate_days:
            raise DomainValidationError(
                f"A leave request may start at most {self.max_backdate_days} days ago "
                f"(earliest {(today - timedelta(days=self.max_backdate_days)).isoformat()}).",
                field="start_date",
            )
        if (end - today).days > self.max_ahead_days:
            raise DomainValidationError(
                f"A leave request may end at most {self.max_ahead_days} days ahead.",
                field="end_date",
            )


def approved_leave_on(
    leaves: Iterable[Leave], employee_id: EmployeeId, day: date, *, absence: bool = True
) -> Leave | None:
    """The first approved leave of ``employee_id`` covering ``day`` (in the given order)
    whose kind is an absence (``absence=False``: one that is not, i.e. WFH)."""
    for leave in leaves:
        if (
            leave.employee_id == employee_id
            and leave.is_approved
            and leave.covers(day)
            and leave.kind.is_absence is absence
        ):
            return leave
    return None
