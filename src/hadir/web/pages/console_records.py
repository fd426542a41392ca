"""Console page of the attendance log: every attempt of a period, filtered."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceKind,
    Decision,
    local_date_of,
)
from hadir.domain.errors import HadirError
from hadir.http.deps import ClockDep, DatabaseDep, own_unit
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.enrolment import find_employee
from hadir.services.records import EventFilter
from hadir.web.deps import ConsolePage
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

LOG_PAGE = 100
"""Rows of the log per page (as the API pages): 500 rows of a full day cost a fifth of a
second of rendering at 10,000 staff."""


def _log_page(
    request: Request,
    database: Database,
    template: str,
    *,
    unit: str | None,
    first: date,
    last: date,
    decision: Decision | None,
    kind: AttendanceKind | None,
    nip: str | None,
    offset: int = 0,
) -> Response:
    employee_id = None
    problem = None
    if nip:
        try:
            with database.uow_factory() as uow:
                employee_id = find_employee(uow.employees, nip).id
        except HadirError as exc:
            problem = problem_text(request, exc)
    criteria = EventFilter.for_days(
        first,
        last,
        unit=unit,
        decision=decision,
        kind=kind,
        employee_id=employee_id,
        limit=LOG_PAGE + 1,  # one more: is there a next page?
        offset=offset,
    )
    entries = [] if problem else event_log(database.uow_factory(), criteria)
    has_more = len(entries) > LOG_PAGE
    if has_more:  # the extra one is the last in the log's order (time, then id)
        entries.remove(max(entries, key=lambda e: (e.event.occurred_at, e.event.id)))
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    return render(
        request,
        template,
        {
            "entries": entries,
            "show_employee": True,
            "first": first,
            "last": last,
            "decision": decision.value if decision else "",
            "kind": kind.value if kind else "",
            "nip": nip or "",
            "decisions": [d.value for d in Decision],
            "kinds": [k.value for k in AttendanceKind],
            "problem": problem,
            "offset": offset,
            "limit": LOG_PAGE,
            "has_more": has_more,
            "page_query": urlencode(kept) + "&" if kept else "",
        },
    )


@router.get("/kehadiran")
def attendance_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    decision: Decision | None = None,
    kind: AttendanceKind | None = None,
    nip: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    return _log_page(
        request,
        database,
        "console/attendance.html",
        unit=own_unit(principal, None),
        first=date_from or today,
        last=date_to or date_from or today,
        decision=decision,
        kind=kind,
        nip=nip,
        offset=offset,
    )
