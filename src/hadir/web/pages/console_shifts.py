"""Console page of shifts (units that work around the clock) and the roster: add, edit
and delete shifts; assign a shift to an employee for a range of dates and take it off
again. Each form calls the one service of its use case (``hadir.services.shifts``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import DEFAULT_TIMEZONE, Shift, YearMonth, local_date_of
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services import shifts as service
from hadir.services.container import Database
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import optional_int, parse_date, text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


def _page(
    request: Request,
    database: Database,
    month: YearMonth,
    problem: str | None = None,
    edit: int | None = None,
) -> Response:
    with database.uow_factory() as uow:
        shifts = uow.shifts.list()
        roster = uow.shifts.assignments(month.first_day, month.last_day)
    following = month.last_day + timedelta(days=1)
    previous = month.first_day - timedelta(days=1)
    return render(
        request,
        "console/shifts.html",
        {
            "shifts": shifts,
            "editing": next((s for s in shifts if s.id == edit), None),
            "roster": sorted(roster, key=lambda a: (a.start_date, a.name.lower())),
            "month": month,
            "next_month": f"{following:%Y-%m}",
            "previous_month": f"{previous:%Y-%m}",
            "problem": problem,
        },
        status=200 if problem is None else 422,
    )


def _this_month(clock: ClockDep) -> YearMonth:
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    return YearMonth(today.year, today.month)


def _attempt(
    request: Request, database: Database, month: YearMonth, change: Callable[[], str]
) -> Response:
    try:
        target = change()
    except HadirError as exc:
        return _page(request, database, month, problem_text(request, exc))
    return RedirectResponse(target, 303)


@router.get("/shift")
def shifts_page(
    request: Request,
    _: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    edit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The shifts, and the roster of ``month`` (default: this month)."""
    chosen = _this_month(clock)
    if month:
        with contextlib.suppress(HadirError):  # month 13: this month instead
            chosen = YearMonth(int(month[:4]), int(month[5:]))
    return _page(request, database, chosen, edit=edit)


def _hhmm(form: Any, name: str) -> time:
    try:
        return time.fromisoformat(text_field(form, name, max_length=5))
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a time (HH:MM)", field=name) from exc


@router.post("/shift")
def shift_save(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Add a shift, or (``shift_id`` given) change its hours and name."""

    def change() -> str:
        shift = Shift(
            code=text_field(form, "code", max_length=32),
            start=_hhmm(form, "start"),
            end=_hhmm(form, "end"),
            grace_minutes=optional_int(form, "grace_minutes") or 0,
            name=text_field(form, "name", max_length=255),
        )
        shift_id = optional_int(form, "shift_id")
        if shift_id:
            service.update_shift(database.uow_factory, shift_id, shift, actor=actor)
        else:
            service.create_shift(database.uow_factory, shift, actor=actor)
        return "/admin/shift?ok=saved"

    return _attempt(request, database, _this_month(clock), change)


@router.post("/shift/{shift_id}/hapus")
def shift_delete(
    request: Request,
    shift_id: int,
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    def change() -> str:
        service.delete_shift(database.uow_factory, shift_id, actor=actor)
        return "/admin/shift?ok=shift.deleted"

    return _attempt(request, database, _this_month(clock), change)


@router.post("/shift/jadwal")
def roster_add(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Employee (NIP) works a shift on a range of dates."""

    def change() -> str:
        first = parse_date(form, "start_date")
        last = parse_date(form, "end_date") if text_field(form, "end_date") else first
        service.assign_shift(
            database.uow_factory,
            text_field(form, "employee_id", max_length=64),
            text_field(form, "shift", max_length=32),
            first,
            last,
            actor=actor,
        )
        return f"/admin/shift?month={first:%Y-%m}&ok=shift.assigned#roster-title"

    return _attempt(request, database, _this_month(clock), change)


@router.post("/shift/jadwal/{assignment_id}/hapus")
def roster_delete(
    request: Request,
    assignment_id: int,
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    def change() -> str:
        gone = service.unassign_shift(database.uow_factory, assignment_id, actor=actor)
        return f"/admin/shift?month={gone.start_date:%Y-%m}&ok=shift.unassigned#roster-title"

    return _attempt(request, database, _this_month(clock), change)
