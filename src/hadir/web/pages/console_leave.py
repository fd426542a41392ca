"""Console pages of leave: the list by status, a request on an employee's behalf and the
decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    LeaveKind,
    LeaveStatus,
    local_date_of,
)
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep, LeavePolicyDep, own_unit
from hadir.services.container import Database
from hadir.services.leave import decide_leave, leave_list, request_leave
from hadir.services.leave_files import with_attachment
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import parse_date, text_field, typed
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)

LEAVE_KINDS = tuple(k.value for k in LeaveKind)


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
    documents = with_attachment(database.uow_factory, [e.leave.id for e in leaves])
    return render(
        request,
        "console/leave.html",
        {
            "leaves": leaves,
            "documents": documents,
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
            place=text_field(form, "place", max_length=255),
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
