"""Models of the report endpoints (JSON form; CSV and XLSX are files)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel

from hadir.services.reports import AttendanceReport, DailyRow, RecapRow


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class DailyRowPublic(BaseModel):
    employee_id: str
    name: str
    unit: str
    day: date
    status: str
    check_in: str | None
    """Local wall-clock time, HH:MM."""
    check_out: str | None
    late_minutes: int
    left_early_minutes: int
    leave_kind: str | None
    holiday: str | None
    final: bool

    @classmethod
    def of(cls, r: DailyRow) -> DailyRowPublic:
        return cls(
            employee_id=r.nip,
            name=r.name,
            unit=r.unit,
            day=r.day,
            status=r.status.value,
            check_in=None if r.check_in is None else r.check_in.strftime("%H:%M"),
            check_out=None if r.check_out is None else r.check_out.strftime("%H:%M"),
            late_minutes=r.late_minutes,
            left_early_minutes=r.left_early_minutes,
            leave_kind=None if r.leave_kind is None else r.leave_kind.value,
            holiday=r.holiday,
            final=r.final,
        )


class RecapRowPublic(BaseModel):
    employee_id: str
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
    leave_days: int
    holidays: int
    pending_days: int

    @classmethod
    def of(cls, r: RecapRow) -> RecapRowPublic:
        return cls(
            employee_id=r.nip,
            name=r.name,
            unit=r.unit,
            working_days=r.working_days,
            days_present=r.days_present,
            on_time_days=r.on_time_days,
            late_days=r.late_days,
            late_minutes=r.late_minutes,
            left_early_days=r.left_early_days,
            left_early_minutes=r.left_early_minutes,
            absences=r.absences,
            leave_days=r.leave_days,
            holidays=r.holidays,
            pending_days=r.pending_days,
        )


class ReportPublic(BaseModel):
    title: str
    first: date
    last: date
    unit: str | None
    generated_at: datetime
    daily: list[DailyRowPublic]
    recap: list[RecapRowPublic]

    @classmethod
    def of(cls, report: AttendanceReport) -> ReportPublic:
        return cls(
            title=report.title,
            first=report.first,
            last=report.last,
            unit=report.unit,
            generated_at=report.generated_at,
            daily=[DailyRowPublic.of(r) for r in report.daily],
            recap=[RecapRowPublic.of(r) for r in report.recap],
        )
