"""Daily and monthly attendance reports as JSON, CSV or XLSX.

Supervisors get their own unit only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import ClockDep, DatabaseDep, DisciplineDep, ReaderDep, own_unit
from hadir.api.schemas.reports import ReportFormat, ReportPublic
from hadir.services.export import ReportPart, to_csv, to_xlsx
from hadir.services.reports import AttendanceReport, daily_report, monthly_report

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MEDIA_TYPES = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {media: {} for media in MEDIA_TYPES.values()},
        "description": "The report (JSON, or a CSV/XLSX download)",
    }
}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _respond(
    report: AttendanceReport, fmt: ReportFormat, part: ReportPart, stem: str
) -> ReportPublic | Response:
    if fmt is ReportFormat.JSON:
        # serialised here, once: returned as a model, FastAPI would dump it to a dict and
        # validate it again (a whole agency's month is 310,000 rows at 10,000 staff)
        return Response(ReportPublic.json_of(report), media_type="application/json")
    name = stem + (f"-{_slug(report.unit)}" if report.unit else "")
    if fmt is ReportFormat.CSV:
        content, name = to_csv(report, part), f"{name}-{part.value}.csv"
    else:
        content, name = to_xlsx(report), f"{name}.xlsx"
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/daily", response_model=ReportPublic, responses=FILE_RESPONSES)
def daily(
    database: DatabaseDep,
    principal: ReaderDep,
    clock: ClockDep,
    discipline: DisciplineDep,
    day: Annotated[date, Query(alias="date", description="YYYY-MM-DD (local date)")],
    unit: Annotated[str | None, Query(max_length=255)] = None,
    format: ReportFormat = ReportFormat.JSON,
    part: Annotated[ReportPart, Query(description="CSV only: harian or rekap")] = (
        ReportPart.DAILY
    ),
) -> ReportPublic | Response:
    """Every employee's status on one day."""
    report = daily_report(
        database.uow_factory(),
        day,
        own_unit(principal, unit),
        clock=clock,
        discipline=discipline,
    )
    return _respond(report, format, part, f"kehadiran-{day.isoformat()}")


@router.get("/monthly", response_model=ReportPublic, responses=FILE_RESPONSES)
def monthly(
    database: DatabaseDep,
    principal: ReaderDep,
    clock: ClockDep,
    discipline: DisciplineDep,
    month: Annotated[str, Query(max_length=16, description="YYYY-MM")],
    unit: Annotated[str | None, Query(max_length=255)] = None,
    format: ReportFormat = ReportFormat.JSON,
    part: Annotated[ReportPart, Query(description="CSV only: harian or rekap")] = (
        ReportPart.RECAP
    ),
) -> ReportPublic | Response:
    """Every employee's days of a month and their recap with the TL/PSW counts and TPP
    deduction (XLSX: sheets Rekap, Harian and Ketentuan)."""
    report = monthly_report(
        database.uow_factory(),
        month,
        own_unit(principal, unit),
        clock=clock,
        discipline=discipline,
    )
    return _respond(report, format, part, f"rekap-kehadiran-{report.first:%Y-%m}")
