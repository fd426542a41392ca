"""Console pages of the calendar: work schedules, holidays and offices."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import (
    Weekday,
    WorkSchedule,
    local_date_of,
)
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services.calendar import add_holiday, create_office
from hadir.services.container import Database
from hadir.services.records import HolidaySource
from hadir.services.schedules import Scope, set_schedule
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import optional_float, optional_int, parse_date, text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


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
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
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
        set_schedule(database.uow_factory, schedule, Scope(office_id=None, unit=unit), actor=actor)
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse("/admin/kalender?ok=saved", 303)


@router.post("/kalender/libur")
def holiday_add(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    try:
        day = parse_date(form, "day")
        name = text_field(form, "name", max_length=255)
        add_holiday(database.uow_factory, day, name, actor=actor, source=HolidaySource.OFFICE)
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse(f"/admin/kalender?year={day.year}&ok=cal.holiday_added", 303)


@router.post("/kalender/kantor")
def office_add(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Register an office; the position and radius are checked as the API checks them."""
    try:
        create_office(
            database.uow_factory,
            text_field(form, "code", max_length=32),
            text_field(form, "name", max_length=255),
            actor=actor,
            latitude=optional_float(form, "latitude"),
            longitude=optional_float(form, "longitude"),
            radius_m=optional_float(form, "radius_m"),
        )
    except HadirError as exc:
        return _calendar_page(
            request, database, local_date_of(clock()).year, problem_text(request, exc)
        )
    return RedirectResponse("/admin/kalender?ok=cal.office_added", 303)
