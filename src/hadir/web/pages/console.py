"""Console pages: dashboard, reports (downloads come from the reports API) and audit log."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hadir.domain.attendance import DEFAULT_TIMEZONE, local_date_of
from hadir.http.deps import ClockDep, DatabaseDep, PastDaysDep, own_unit
from hadir.services.dashboard import dashboard, known_units
from hadir.services.setup import setup_progress
from hadir.web.chart import week_chart
from hadir.web.deps import AdminPage, ConsolePage
from hadir.web.render import page_language, render

router = APIRouter(prefix="/admin", include_in_schema=False)

AUDIT_PAGE = 100


@router.get("")
def dashboard_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    past: PastDaysDep,
) -> Response:
    unit = own_unit(principal, None)
    data = dashboard(database.uow_factory, unit=unit, clock=clock, past=past)
    chart = week_chart(data.week, page_language(request))
    setup = setup_progress(database.uow_factory())
    return render(
        request,
        "console/dashboard.html",
        {"data": data, "chart": chart, "unit": unit, "setup": setup},
    )


@router.get("/laporan")
def reports_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    month: Annotated[str | None, Query(max_length=7, pattern=r"^\d{4}-\d{2}$")] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    chosen = month or local_date_of(clock(), DEFAULT_TIMEZONE).strftime("%Y-%m")
    unit = own_unit(principal, unit or None)
    base = {"month": chosen, **({"unit": unit} if unit else {})}
    api = "/api/v1/reports/monthly?"
    links = {
        "xlsx": api + urlencode({**base, "format": "xlsx"}),
        "recap": api + urlencode({**base, "format": "csv", "part": "rekap"}),
        "daily": api + urlencode({**base, "format": "csv", "part": "harian"}),
        "print": "/admin/laporan/cetak?" + urlencode(base),
        "print_pdf": "/admin/laporan/cetak.pdf?" + urlencode(base),
    }
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    return render(
        request,
        "console/reports.html",
        {
            "month": chosen,
            "unit": unit,
            "units": known_units(database.uow_factory()),
            "locked_unit": principal.unit is not None and principal.role.value == "supervisor",
            "links": links,
            "today": today.isoformat(),
        },
    )


@router.get("/audit")
def audit_page(
    request: Request,
    _: AdminPage,
    database: DatabaseDep,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    with database.uow_factory() as uow:
        entries = uow.audit.list(limit=AUDIT_PAGE + 1, offset=offset)
        broken = uow.audit.verify()
    return render(
        request,
        "console/audit.html",
        {
            "entries": entries[:AUDIT_PAGE],
            "has_more": len(entries) > AUDIT_PAGE,
            "offset": offset,
            "limit": AUDIT_PAGE,
            "broken": broken,
        },
    )
