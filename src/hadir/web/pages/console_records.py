"""Console pages about records: attendance log, refused attempts, review queue and leave
(the calendar is ``console_calendar``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceKind,
    Decision,
    LeaveKind,
    LeaveStatus,
    local_date_of,
)
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep, LeavePolicyDep, own_unit
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.enrolment import find_employee
from hadir.services.leave import decide_leave, leave_list, request_leave
from hadir.services.records import EventFilter
from hadir.services.review import review_event
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import parse_date, text_field, typed
from hadir.web.pages.console_people import problem_text
from hadir.web.pages.console_review import refused_view, review_view
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

LOG_LIMIT = 500
LEAVE_KINDS = tuple(k.value for k in LeaveKind)


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
        limit=LOG_LIMIT,
    )
    entries = [] if problem else event_log(database.uow_factory(), criteria)
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
    )


@router.get("/ditolak")
def refused_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
) -> Response:
    """Refused attempts (with their reasons), the last seven days by default."""
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    return refused_view(
        request,
        principal,
        database,
        unit=own_unit(principal, None),
        first=date_from or today - timedelta(days=6),
        last=date_to or today,
    )


@router.get("/pemeriksaan")
def review_page(request: Request, principal: ConsolePage, database: DatabaseDep) -> Response:
    return review_view(request, principal, database, own_unit(principal, None))


@router.post("/pemeriksaan/{event_id}")
def review_decide(
    request: Request,
    event_id: int,
    principal: ConsolePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    """Approve or reject an event that needs review, with a note (required to reject)."""
    try:
        verdict = Decision(text_field(form, "verdict"))
        note = text_field(form, "note", max_length=500)
        if verdict is Decision.REJECTED and not note:
            raise DomainValidationError("Give a reason to reject.", field="note")
        review_event(
            database.uow_factory,
            event_id,
            verdict,
            reviewer_id=principal.user_id,
            actor=actor,
            note=note,
            unit=own_unit(principal, None),
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return review_view(
            request,
            principal,
            database,
            own_unit(principal, None),
            {"problem": problem_text(request, error)},
            status=422,
        )
    return RedirectResponse("/admin/pemeriksaan?ok=review.done", 303)


def _leave_page(
    request: Request,
    database: Database,
    unit: str | None,
    status: str,
    problem: str | None,
    **kept: Any,
) -> Response:
    chosen = LeaveStatus(status) if status in {s.value for s in LeaveStatus} else None
    leaves = leave_list(database.uow_factory, unit=unit, status=chosen)
    return render(
        request,
        "console/leave.html",
        {
            "leaves": leaves,
            "decide": True,
            "status": status,
            "statuses": [s.value for s in LeaveStatus],
            "leave_kinds": LEAVE_KINDS,
            "leave_action": "/admin/izin",
            "ask_nip": True,
            "problem": problem,
            **kept,
        },
        status=200 if problem is None else 422,
    )


@router.get("/izin")
def leave_page(
    request: Request,
    principal: ConsolePage,
    database: DatabaseDep,
    status: Annotated[str, Query(max_length=20)] = "requested",
) -> Response:
    return _leave_page(request, database, own_unit(principal, None), status, None)


@router.post("/izin")
def leave_create(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> Response:
    try:
        request_leave(
            database.uow_factory,
            text_field(form, "employee_id", max_length=64),
            LeaveKind(text_field(form, "kind")),
            parse_date(form, "start_date"),
            parse_date(form, "end_date"),
            reason=text_field(form, "reason"),
            actor=actor,
            today=local_date_of(clock(), DEFAULT_TIMEZONE),
            policy=leave_policy,
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return _leave_page(
            request,
            database,
            None,
            "requested",
            problem_text(request, error),
            leave_values=typed(form),
            leave_bad=error.details.get("field"),
        )
    return RedirectResponse("/admin/izin?ok=leave.created", 303)


@router.post("/izin/{leave_id}/keputusan")
def leave_decide(
    request: Request,
    leave_id: int,
    principal: ConsolePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    unit = own_unit(principal, None)
    try:
        decide_leave(
            database.uow_factory,
            leave_id,
            LeaveStatus(text_field(form, "decision")),
            approver_id=principal.user_id,
            actor=actor,
            unit=unit,
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return _leave_page(request, database, unit, "requested", problem_text(request, error))
    return RedirectResponse("/admin/izin?ok=leave.decided", 303)
