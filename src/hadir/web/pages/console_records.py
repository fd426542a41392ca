"""Console pages about records: attendance log, refused attempts, review queue, leave and
the calendar (schedules, holidays, offices)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceKind,
    Decision,
    LeaveKind,
    LeaveStatus,
    Weekday,
    WorkSchedule,
    local_date_of,
)
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep, LeavePolicyDep, own_unit
from hadir.services.container import Database
from hadir.services.dashboard import event_log
from hadir.services.enrolment import find_employee
from hadir.services.records import EventFilter, HolidaySource
from hadir.services.review import review_event
from hadir.services.schedules import Scope, create_schedule, update_schedule
from hadir.services.staff import decide_leave, leave_list, request_leave
from hadir.web.deps import ConsolePage, Form, StaffPage
from hadir.web.forms import optional_float, optional_int, parse_date, text_field, typed
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
    request: Request, event_id: int, principal: ConsolePage, form: Form, database: DatabaseDep
) -> Response:
    """Approve or reject an event that needs review, with a note (required to reject)."""
    try:
        verdict = Decision(text_field(form, "verdict"))
        note = text_field(form, "note", max_length=500)
        if verdict is Decision.REJECTED and not note:
            raise DomainValidationError("Give a reason to reject.", field="note")
        with database.uow_factory() as uow:
            review_event(
                uow,
                event_id,
                verdict,
                reviewer_id=principal.user_id,
                note=note,
                unit=own_unit(principal, None),
            )
            uow.audit.append(
                principal.username, f"review.{verdict.value}", str(event_id), {"note": note}
            )
            uow.commit()
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
    leaves = leave_list(database.uow_factory(), unit=unit, status=chosen)
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
    principal: StaffPage,
    form: Form,
    database: DatabaseDep,
    leave_policy: LeavePolicyDep,
    clock: ClockDep,
) -> Response:
    try:
        request_leave(
            database.uow_factory(),
            text_field(form, "employee_id", max_length=64),
            LeaveKind(text_field(form, "kind")),
            parse_date(form, "start_date"),
            parse_date(form, "end_date"),
            reason=text_field(form, "reason"),
            actor=principal.username,
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
    request: Request, leave_id: int, principal: ConsolePage, form: Form, database: DatabaseDep
) -> Response:
    unit = own_unit(principal, None)
    try:
        decide_leave(
            database.uow_factory(),
            leave_id,
            LeaveStatus(text_field(form, "decision")),
            approver_id=principal.user_id,
            actor=principal.username,
            unit=unit,
        )
    except (HadirError, ValueError) as exc:
        error = exc if isinstance(exc, HadirError) else DomainValidationError(str(exc))
        return _leave_page(request, database, unit, "requested", problem_text(request, error))
    return RedirectResponse("/admin/izin?ok=leave.decided", 303)


def _calendar_page(
    request: Request,
    database: Database,
    year: int,
    problem: str | None = None,
    edit_unit: str | None = None,
) -> Response:
    with database.uow_factory() as uow:
        schedules = uow.schedules.list()
        editing = uow.schedules.resolve(office_id=None, unit=edit_unit or None)
        holidays = uow.holidays.list(date(year, 1, 1), date(year, 12, 31))
        offices = uow.offices.list()
    names = {o.id: o.code for o in offices}
    return render(
        request,
        "console/calendar.html",
        {
            "schedules": schedules,
            "default_schedule": WorkSchedule(),
            "editing": editing,
            "editing_unit": edit_unit or "",
            "holidays": holidays,
            "offices": offices,
            "office_codes": names,
            "year": year,
            "problem": problem,
        },
        status=200 if problem is None else 422,
    )


@router.get("/kalender")
def calendar_page(
    request: Request,
    _: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
) -> Response:
    """``unit``: the schedule the form is filled with (default: the office-wide one)."""
    return _calendar_page(request, database, year or local_date_of(clock()).year, edit_unit=unit)


def _hhmm(form: Any, name: str) -> time:
    try:
        return time.fromisoformat(text_field(form, name, max_length=5))
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a time (HH:MM)", field=name) from exc


@router.post("/kalender/jadwal")
def schedule_save(
    request: Request, principal: StaffPage, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    """Set the hours of a scope (default, a unit or an office): created or changed."""
    try:
        days = frozenset(
            Weekday(int(d)) for d in form.getlist("days") if isinstance(d, str) and d.isdigit()
        )
        schedule = WorkSchedule(
            working_days=days,
            start=_hhmm(form, "start"),
            end=_hhmm(form, "end"),
            grace_minutes=optional_int(form, "grace_minutes") or 0,
        )
        unit = text_field(form, "unit", max_length=255) or None
        with database.uow_factory() as uow:
            scope = Scope(office_id=None, unit=unit)
            existing = [s for s in uow.schedules.list() if (s.office_id, s.unit) == (None, unit)]
            if existing:
                update_schedule(uow, existing[0].id, schedule)
            else:
                create_schedule(uow, schedule, scope)
            uow.audit.append(principal.username, "schedule.set", unit or "default")
            uow.commit()
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse("/admin/kalender?ok=saved", 303)


@router.post("/kalender/libur")
def holiday_add(
    request: Request, principal: StaffPage, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    try:
        day = parse_date(form, "day")
        name = text_field(form, "name", max_length=255)
        with database.uow_factory() as uow:
            uow.holidays.add(day, name, source=HolidaySource.OFFICE)
            uow.audit.append(principal.username, "holiday.add", day.isoformat(), {"name": name})
            uow.commit()
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse(f"/admin/kalender?year={day.year}&ok=cal.holiday_added", 303)


@router.post("/kalender/kantor")
def office_add(
    request: Request, principal: StaffPage, form: Form, database: DatabaseDep, clock: ClockDep
) -> Response:
    try:
        code = text_field(form, "code", max_length=32)
        with database.uow_factory() as uow:
            uow.offices.add(
                code,
                text_field(form, "name", max_length=255),
                latitude=optional_float(form, "latitude"),
                longitude=optional_float(form, "longitude"),
                radius_m=optional_float(form, "radius_m"),
            )
            uow.audit.append(principal.username, "office.add", code)
            uow.commit()
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse("/admin/kalender?ok=cal.office_added", 303)
