"""Models of the report endpoints (JSON form; CSV and XLSX are files)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, Field

from hadir.domain.attendance import DisciplineRules
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
    categories: list[str] = Field(description="TL/PSW categories of the day, e.g. tl2, psw1")
    corrected: bool = Field(
        default=False, description="Check-in or check-out from an approved correction"
    )

    @classmethod
    def of(cls, r: DailyRow) -> DailyRowPublic:
        return cls.model_validate(cls.fields_of(r))

    @staticmethod
    def fields_of(r: DailyRow) -> dict[str, object]:
        """The row's fields as plain values, in the model's order (validated once per
        report, not per row: a whole agency's month is 310,000 rows at 10,000 staff)."""
        return {
            "employee_id": r.nip,
            "name": r.name,
            "unit": r.unit,
            "day": r.day,
            "status": r.status.value,
            "check_in": _hhmm(r.check_in),
            "check_out": _hhmm(r.check_out),
            "late_minutes": r.late_minutes,
            "left_early_minutes": r.left_early_minutes,
            "leave_kind": None if r.leave_kind is None else r.leave_kind.value,
            "holiday": r.holiday,
            "final": r.final,
            "categories": [c.value for c in r.categories],
            "corrected": r.corrected,
        }


def _hhmm(value: time | None) -> str | None:
    """``HH:MM`` (as ``strftime("%H:%M")``, without its cost per row)."""
    return None if value is None else f"{value.hour:02d}:{value.minute:02d}"


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
    tl1: int = Field(description="late arrivals in band 1 (default 1-30 min)")
    tl2: int
    tl3: int
    tl4: int = Field(description="late beyond band 3 (default > 90 min) or no check-in")
    psw1: int = Field(description="early departures in band 1 (default 1-30 min)")
    psw2: int
    psw3: int
    psw4: int = Field(description="early beyond band 3 (default > 90 min) or no check-out")
    tpp_deduction_percent: float = Field(
        description="TPP deduction in percent of the monthly allowance, capped as configured"
    )

    @classmethod
    def of(cls, r: RecapRow) -> RecapRowPublic:
        return cls.model_validate(cls.fields_of(r))

    @staticmethod
    def fields_of(r: RecapRow) -> dict[str, object]:
        return dict(
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
            tl1=r.discipline.tl1,
            tl2=r.discipline.tl2,
            tl3=r.discipline.tl3,
            tl4=r.discipline.tl4,
            psw1=r.discipline.psw1,
            psw2=r.discipline.psw2,
            psw3=r.discipline.psw3,
            psw4=r.discipline.psw4,
            tpp_deduction_percent=float(r.discipline.deduction_percent),
        )


class DisciplineRulesPublic(BaseModel):
    """The TL/PSW bands (upper bounds in minutes of categories 1-3, inclusive) and TPP
    percentages (per occurrence of categories 1-4, per absent day, and the cap)."""

    late_bounds: list[int]
    early_bounds: list[int]
    late_percent: list[float]
    early_percent: list[float]
    absent_percent: float
    cap_percent: float

    @classmethod
    def of(cls, rules: DisciplineRules) -> DisciplineRulesPublic:
        return cls(
            late_bounds=list(rules.late_bounds),
            early_bounds=list(rules.early_bounds),
            late_percent=[float(p) for p in rules.late_percent],
            early_percent=[float(p) for p in rules.early_percent],
            absent_percent=float(rules.absent_percent),
            cap_percent=float(rules.cap_percent),
        )


class ReportPublic(BaseModel):
    title: str
    first: date
    last: date
    unit: str | None
    generated_at: datetime
    daily: list[DailyRowPublic]
    recap: list[RecapRowPublic]
    discipline: DisciplineRulesPublic

    @classmethod
    def of(cls, report: AttendanceReport) -> ReportPublic:
        """The report, validated in one call (rows as plain values first)."""
        return cls.model_validate(
            {
                "title": report.title,
                "first": report.first,
                "last": report.last,
                "unit": report.unit,
                "generated_at": report.generated_at,
                "daily": [DailyRowPublic.fields_of(r) for r in report.daily],
                "recap": [RecapRowPublic.fields_of(r) for r in report.recap],
                "discipline": DisciplineRulesPublic.of(report.discipline),
            }
        )

    @classmethod
    def json_of(cls, report: AttendanceReport) -> bytes:
        """``ReportPublic.of(report).model_dump_json()``, the same bytes, with the daily
        rows encoded by ``json`` from their plain values instead of validated one by one
        (a whole agency's month: 310,000 rows at 10,000 staff; tests hold the two equal).
        The rows' values are typed already: strings, whole numbers, booleans, ``None``,
        lists of strings and a date (ISO, as pydantic writes it)."""
        head = cls.of(replace(report, daily=()))
        body = head.model_dump_json()
        marker = '"daily":[]'
        if body.count(marker) != 1:  # a title or unit quoting the marker: the slow way
            return cls.of(report).model_dump_json().encode()
        daily = json.dumps(
            [_plain(DailyRowPublic.fields_of(r)) for r in report.daily],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return body.replace(marker, f'"daily":{daily}').encode()


def _plain(fields: dict[str, object]) -> dict[str, object]:
    day = fields["day"]
    assert isinstance(day, date)
    fields["day"] = day.isoformat()
    return fields
