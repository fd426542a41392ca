"""The employee's pages: check-in by camera, own history, own leave requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    Decision,
    LeaveKind,
    LeavePolicy,
    local_date_of,
)
from hadir.domain.errors import HadirError
from hadir.http.deps import ClockDep, DatabaseDep, LeavePolicyDep, LeaveVaultDep
from hadir.services.auth import Principal
from hadir.services.checkguard import location_needed
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.leave import (
    leave_balance,
    leave_list,
    request_leave,
    superior_decide_leave,
    superior_queue,
)
from hadir.services.leave_files import attach_leave_file, with_attachment
from hadir.services.records import EmployeeRecord, EventFilter
from hadir.services.schedules import resolve_day
from hadir.web import i18n
from hadir.web.deps import EmployeePage, Form, PageActor
from hadir.web.forms import parse_date, text_field, typed
from hadir.web.render import page_language, render

router = APIRouter(include_in_schema=False)

HISTORY_DAYS = 31
LEAVE_KINDS = tuple(k.value for k in LeaveKind)


def _employee(database: Database, principal: Principal) -> EmployeeRecord | None:
    if principal.employee_id is None:
        return None
    with database.uow_factory() as uow:
        return uow.employees.get(principal.employee_id)


@router.get("/absen")
def checkin_page(
    request: Request, principal: EmployeePage, database: DatabaseDep, clock: ClockDep
) -> Response:
    employee = _employee(database, principal)
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    needed, day_end, done = False, "", []
    if employee is not None:
        with database.uow_factory() as uow:
            needed = location_needed(uow, employee, at=clock())
            hours = resolve_day(uow, employee.employee_id, today).hours
        day_end = "" if hours is None else hours.end.strftime("%H:%M")
        criteria = EventFilter.for_days(
            today, today, employee_id=employee.id, decision=Decision.ACCEPTED
        )
        done = [
            {"kind": e.event.kind.value, "time": e.event.occurred_at.isoformat()}
            for e in event_log(database.uow_factory(), criteria)
        ]
    return render(
        request,
        "checkin.html",
        {
            "employee": employee,
            "today": today,
            "location": "required" if needed else "optional",
            "day_end": day_end,
            "done_today": done,
        },
    )


@router.get("/absen/riwayat")
def history_page(
    request: Request, principal: EmployeePage, database: DatabaseDep, clock: ClockDep
) -> Response:
    employee = _employee(database, principal)
    entries = []
    if employee is not None:
        today = local_date_of(clock(), DEFAULT_TIMEZONE)
        criteria = EventFilter.for_days(
            today - timedelta(days=HISTORY_DAYS), today, employee_id=employee.id
        )
        entries = event_log(database.uow_factory(), criteria)
    return render(
        request, "history.html", {"employee": employee, "entries": entries, "show_employee": False}
    )


def _leave_page(
    request: Request,
    database: Database,
    employee: EmployeeRecord | None,
    problem: str | None,
    policy: LeavePolicy | None = None,
    year: int = 0,
    **kept: Any,
) -> Response:
    """``kept``: the refused form's ``leave_values`` and the wrong field ``leave_bad``."""
    leaves = [] if employee is None else leave_list(database.uow_factory, employee_id=employee.id)
    balance = None
    staff = [] if employee is None else superior_queue(database.uow_factory, employee.id)
    if employee is not None and policy is not None:
        balance = leave_balance(database.uow_factory, employee.employee_id, year, policy)
    shown = [e.leave.id for e in leaves] + [e.leave.id for e in staff]
    documents = with_attachment(database.uow_factory, shown)
    return render(
        request,
        "my_leave.html",
        {
            "employee": employee,
            "leaves": leaves,
            "leave_kinds": LEAVE_KINDS,
            "leave_action": "/absen/izin",
            "balance": balance,
            "staff_leave": staff,
            "documents": documents,
            "leave_attach": True,
            "problem": problem,
            **kept,
        },
        status=200 if problem is None else 422,
    )


@router.get("/absen/izin")
def my_leave_page(
    request: Request,
    principal: EmployeePage,
    database: DatabaseDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> Response:
    year = local_date_of(clock(), DEFAULT_TIMEZONE).year
    employee = _employee(database, principal)
    return _leave_page(request, database, employee, None, leave_policy, year)


@router.post("/absen/izin")
def my_leave_submit(
    request: Request,
    principal: EmployeePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
    vault: LeaveVaultDep,
) -> Response:
    """An employee files their own leave request (HR or a supervisor decides it), with
    a doctor's note if they attach one (checked before the request is filed)."""
    employee = _employee(database, principal)
    if employee is None:
        return _leave_page(request, database, None, None)
    upload = form.get("attachment")
    document = None
    if isinstance(upload, UploadFile) and upload.filename:
        document = upload.file.read(vault.max_bytes + 1)
    try:
        if document is not None:
            vault.check(document)
        entry = request_leave(
            database.uow_factory,
            employee.employee_id,
            LeaveKind(text_field(form, "kind")),
            parse_date(form, "start_date"),
            parse_date(form, "end_date"),
            reason=text_field(form, "reason"),
            place=text_field(form, "place", max_length=255),
            actor=actor,
            today=local_date_of(clock(), DEFAULT_TIMEZONE),
            policy=leave_policy,
        )
        if document is not None:
            attach_leave_file(
                database.uow_factory,
                vault,
                entry.leave.id,
                document,
                principal=principal,
                actor=actor,
            )
    except (HadirError, ValueError) as exc:
        code = exc.code.value if isinstance(exc, HadirError) else "validation_error"
        field = exc.details.get("field") if isinstance(exc, HadirError) else None
        return _leave_page(
            request,
            database,
            employee,
            i18n.problem(page_language(request), code, field),
            leave_policy,
            local_date_of(clock(), DEFAULT_TIMEZONE).year,
            leave_values=typed(form),
            leave_bad=field,
        )
    return RedirectResponse("/absen/izin?ok=leave.created", 303)


@router.post("/absen/izin/{leave_id}/keputusan")
def staff_leave_decide(
    request: Request,
    leave_id: int,
    principal: EmployeePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> Response:
    """The direct superior approves or rejects a staff member's leave."""
    try:
        superior_decide_leave(
            database.uow_factory,
            leave_id,
            text_field(form, "decision", max_length=16) == "approve",
            user_id=principal.user_id,
            employee_id=principal.employee_id,
            actor=actor,
            policy=leave_policy,
        )
    except HadirError as exc:
        field = exc.details.get("field")
        return _leave_page(
            request,
            database,
            _employee(database, principal),
            i18n.problem(page_language(request), exc.code.value, field),
            leave_policy,
            local_date_of(clock(), DEFAULT_TIMEZONE).year,
        )
    return RedirectResponse("/absen/izin?ok=corr.ok_decided", 303)
