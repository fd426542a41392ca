"""Pages of corrections (issue 15): the employee's own page (ask, see their own, and
decide their staff's as direct superior) and the console's (the queue of the caller,
HR's direct correction and every correction). Each form calls one service of
``hadir.services.corrections`` and translates its refusal."""

from __future__ import annotations

from datetime import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from hadir.domain.attendance import DEFAULT_TIMEZONE, local_date_of
from hadir.domain.attendance.correction import CorrectionReason
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services.auth import Principal
from hadir.services.container import Database
from hadir.services.corrections import (
    CorrectionAsk,
    Decider,
    all_corrections,
    approval_queue,
    correct_directly,
    decide_correction,
    own_corrections,
    request_correction,
)
from hadir.services.records import Role
from hadir.web import i18n
from hadir.web.deps import AnyPage, ConsolePage, EmployeePage, Form, PageActor
from hadir.web.forms import parse_date, text_field
from hadir.web.render import page_language, render

router = APIRouter(include_in_schema=False)

REASONS = [r.value for r in CorrectionReason]
HR_ROLES = frozenset({Role.ADMIN, Role.OPERATOR})


def _decider(principal: Principal) -> Decider:
    return Decider(
        principal.user_id, principal.username, principal.employee_id, principal.role in HR_ROLES
    )


def _time(form: FormData, name: str) -> time | None:
    text = text_field(form, name, max_length=8)
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a time (HH:MM)", field=name) from exc


def _ask(form: FormData) -> CorrectionAsk:
    kind = text_field(form, "reason_kind", max_length=32)
    if kind not in REASONS:
        raise DomainValidationError("choose why the day needs correcting", field="reason_kind")
    return CorrectionAsk(
        parse_date(form, "day"),
        CorrectionReason(kind),
        text_field(form, "reason", max_length=1000),
        _time(form, "check_in"),
        _time(form, "check_out"),
    )


def _problem(request: Request, exc: HadirError) -> str:
    return i18n.problem(page_language(request), exc.code.value, exc.details.get("field"))


def _values(form: FormData | None) -> dict[str, str]:
    if form is None:
        return {}
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


def _own_page(
    request: Request,
    database: Database,
    principal: Principal,
    *,
    problem: str | None = None,
    form: FormData | None = None,
) -> Response:
    employee = None
    if principal.employee_id is not None:
        with database.uow_factory() as uow:
            employee = uow.employees.get(principal.employee_id)
    context: dict[str, Any] = {
        "employee": employee,
        "mine": own_corrections(database.uow_factory, employee.id) if employee else [],
        "queue": approval_queue(database.uow_factory, _decider(principal)),
        "reason_kinds": REASONS,
        "values": _values(form),
        "problem": problem,
    }
    return render(request, "my_corrections.html", context, status=200 if not problem else 422)


@router.get("/absen/koreksi")
def my_corrections(request: Request, principal: EmployeePage, database: DatabaseDep) -> Response:
    return _own_page(request, database, principal)


@router.post("/absen/koreksi")
def my_correction_submit(
    request: Request,
    principal: EmployeePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """The employee asks for a correction of one of their days."""
    try:
        if principal.employee_id is None:
            raise DomainValidationError("this account is not an employee's", field="employee_id")
        with database.uow_factory() as uow:
            nip = uow.employees.get(principal.employee_id).employee_id
        today = local_date_of(clock(), DEFAULT_TIMEZONE)
        request_correction(database.uow_factory, nip, _ask(form), actor=actor, today=today)
    except HadirError as exc:
        return _own_page(request, database, principal, problem=_problem(request, exc), form=form)
    return RedirectResponse("/absen/koreksi?ok=corr.ok_asked", 303)


def _decide(
    request: Request, principal: Principal, actor: Any, form: FormData, database: Database, cid: int
) -> HadirError | None:
    try:
        decide_correction(
            database.uow_factory,
            cid,
            text_field(form, "decision", max_length=16) == "approve",
            decider=_decider(principal),
            actor=actor,
            note=text_field(form, "note", max_length=1000),
        )
    except HadirError as exc:
        return exc
    return None


@router.post("/absen/koreksi/{correction_id}/keputusan")
def my_correction_decide(
    request: Request,
    correction_id: int,
    principal: AnyPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    """The direct superior approves or refuses a staff member's correction."""
    failed = _decide(request, principal, actor, form, database, correction_id)
    if failed is not None:
        return _own_page(request, database, principal, problem=_problem(request, failed))
    return RedirectResponse("/absen/koreksi?ok=corr.ok_decided", 303)


def _console_page(
    request: Request,
    database: Database,
    principal: Principal,
    *,
    problem: str | None = None,
    form: FormData | None = None,
) -> Response:
    hr = principal.role in HR_ROLES
    context: dict[str, Any] = {
        "queue": approval_queue(database.uow_factory, _decider(principal)),
        "everything": all_corrections(database.uow_factory) if hr else [],
        "hr": hr,
        "reason_kinds": REASONS,
        "values": _values(form),
        "problem": problem,
    }
    status = 200 if not problem else 422
    return render(request, "console/corrections.html", context, status=status)


@router.get("/admin/koreksi")
def corrections_page(request: Request, principal: ConsolePage, database: DatabaseDep) -> Response:
    return _console_page(request, database, principal)


@router.post("/admin/koreksi")
def correction_direct(
    request: Request,
    principal: ConsolePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """HR corrects a day directly, with a reason."""
    try:
        correct_directly(
            database.uow_factory,
            text_field(form, "employee_id", max_length=64),
            _ask(form),
            decider=_decider(principal),
            actor=actor,
            today=local_date_of(clock(), DEFAULT_TIMEZONE),
        )
    except HadirError as exc:
        problem = _problem(request, exc)
        return _console_page(request, database, principal, problem=problem, form=form)
    return RedirectResponse("/admin/koreksi?ok=corr.ok_direct", 303)


@router.post("/admin/koreksi/{correction_id}/keputusan")
def correction_decide(
    request: Request,
    correction_id: int,
    principal: ConsolePage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
) -> Response:
    failed = _decide(request, principal, actor, form, database, correction_id)
    if failed is not None:
        return _console_page(request, database, principal, problem=_problem(request, failed))
    return RedirectResponse("/admin/koreksi?ok=corr.ok_decided", 303)
