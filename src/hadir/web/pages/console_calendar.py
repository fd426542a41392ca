"""Console pages of the calendar: work schedules (with weekday hours), holidays and cuti
bersama (per year, synced from the ``holidays`` package or entered), and offices.

Each form parses its fields, calls the one service of its use case and redirects; a
refused change shows the page again with the reason (422). Deletes go through the
console's confirm step (``data-confirm``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from hadir.domain.attendance import Weekday, WeekdayHours, WorkSchedule, local_date_of
from hadir.domain.errors import DomainValidationError, HadirError
from hadir.http.deps import ClockDep, DatabaseDep
from hadir.services import calendar as offices_service
from hadir.services import schedules as schedules_service
from hadir.services.container import Database
from hadir.services.holidays import sync_national_holidays
from hadir.services.records import HolidaySource
from hadir.web.deps import ConsolePage, Form, PageActor, StaffPage
from hadir.web.forms import optional_float, optional_int, parse_date, text_field
from hadir.web.pages.console_people import problem_text
from hadir.web.render import render

router = APIRouter(prefix="/admin", include_in_schema=False)


@dataclass(frozen=True)
class Editing:
    """What the page's forms are filled with (``?unit=``, ``?office=``, ``?holiday=``,
    ``?office_edit=``)."""

    unit: str = ""
    office_id: int | None = None
    holiday_id: int | None = None
    office_code: str = ""


def _calendar_page(
    request: Request,
    database: Database,
    year: int,
    problem: str | None = None,
    editing: Editing = Editing(),
) -> Response:
    with database.uow_factory() as uow:
        schedules = uow.schedules.list()
        schedule = uow.schedules.resolve(office_id=editing.office_id, unit=editing.unit or None)
        holidays = uow.holidays.list(date(year, 1, 1), date(year, 12, 31))
        offices = uow.offices.list()
    holiday = next((h for h in holidays if h.id == editing.holiday_id), None)
    office = next((o for o in offices if o.code == editing.office_code), None)
    return render(
        request,
        "console/calendar.html",
        {
            "schedules": schedules,
            "default_schedule": WorkSchedule(),
            "editing": schedule,
            "editing_unit": editing.unit,
            "editing_office": editing.office_id,
            "own_hours": {int(h.weekday): h for h in schedule.weekday_hours},
            "holidays": holidays,
            "holiday": holiday,
            "offices": offices,
            "office": office,
            "office_codes": {o.id: o.code for o in offices},
            "year": year,
            "problem": problem,
        },
        status=200 if problem is None else 422,
    )


def _this_year(clock: ClockDep) -> int:
    return local_date_of(clock()).year


def _attempt(
    request: Request, database: Database, year: int, change: Callable[[], str]
) -> Response:
    """Run ``change`` (which returns where to go next); a refusal shows the page again."""
    try:
        target = change()
    except HadirError as exc:
        return _calendar_page(request, database, year, problem_text(request, exc))
    return RedirectResponse(target, 303)


@router.get("/kalender")
def calendar_page(
    request: Request,
    _: ConsolePage,
    database: DatabaseDep,
    clock: ClockDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
    office: Annotated[int | None, Query(ge=1)] = None,
    holiday: Annotated[int | None, Query(ge=1)] = None,
    office_edit: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """The forms are filled with the schedule of ``unit`` or ``office`` (default: the
    office-wide one), the holiday ``holiday`` and the office ``office_edit``."""
    editing = Editing(unit or "", office, holiday, office_edit or "")
    return _calendar_page(request, database, year or _this_year(clock), editing=editing)


def _hhmm(form: Any, name: str, *, required: bool = True) -> time | None:
    text = text_field(form, name, max_length=5)
    if not text and not required:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise DomainValidationError(f"{name} is not a time (HH:MM)", field=name) from exc


def _weekday_hours(form: Any, days: frozenset[Weekday]) -> tuple[WeekdayHours, ...]:
    """Rows ``wd<d>_start``/``wd<d>_end`` filled for a working day; blank rows (and rows
    of days not ticked) keep the schedule's hours."""
    hours = []
    for day in sorted(days):
        start = _hhmm(form, f"wd{int(day)}_start", required=False)
        end = _hhmm(form, f"wd{int(day)}_end", required=False)
        if start is None and end is None:
            continue
        if start is None or end is None:
            raise DomainValidationError(
                f"give both times for {day.name.title()}", field="weekday_hours"
            )
        hours.append(WeekdayHours(day, start, end))
    return tuple(hours)


def _office_id(form: Any) -> int | None:
    value = optional_int(form, "office_id")
    return value if value else None


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

    def change() -> str:
        days = frozenset(
            Weekday(int(d)) for d in form.getlist("days") if isinstance(d, str) and d.isdigit()
        )
        schedule = WorkSchedule(
            working_days=days,
            start=_hhmm(form, "start") or time(8, 0),
            end=_hhmm(form, "end") or time(16, 0),
            grace_minutes=optional_int(form, "grace_minutes") or 0,
            weekday_hours=_weekday_hours(form, days),
        )
        unit = text_field(form, "unit", max_length=255) or None
        scope = schedules_service.Scope(office_id=_office_id(form), unit=unit)
        schedules_service.set_schedule(database.uow_factory, schedule, scope, actor=actor)
        return "/admin/kalender?ok=saved"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/jadwal/{schedule_id}/hapus")
def schedule_delete(
    request: Request,
    schedule_id: int,
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Remove a schedule: its scope falls back to the office's, then the default."""

    def change() -> str:
        schedules_service.delete_schedule(database.uow_factory, schedule_id, actor=actor)
        return "/admin/kalender?ok=cal.schedule_deleted"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/libur")
def holiday_save(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Add a holiday of every office, or (``holiday_id`` given) move or rename one."""

    def change() -> str:
        day = parse_date(form, "day")
        name = text_field(form, "name", max_length=255)
        holiday_id = optional_int(form, "holiday_id")
        if holiday_id:
            offices_service.update_holiday(database.uow_factory, holiday_id, day, name, actor=actor)
            return f"/admin/kalender?year={day.year}&ok=cal.holiday_saved#hol-title"
        offices_service.add_holiday(
            database.uow_factory, day, name, actor=actor, source=HolidaySource.OFFICE
        )
        return f"/admin/kalender?year={day.year}&ok=cal.holiday_added#hol-title"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/libur/{holiday_id}/hapus")
def holiday_delete(
    request: Request,
    holiday_id: int,
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    def change() -> str:
        gone = offices_service.delete_holiday(database.uow_factory, holiday_id, actor=actor)
        return f"/admin/kalender?year={gone.day.year}&ok=cal.holiday_deleted#hol-title"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/libur/sinkron")
def holiday_sync(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """National holidays and cuti bersama of a year from the ``holidays`` package
    (idempotent; holidays the office entered are kept)."""

    def change() -> str:
        year = optional_int(form, "year") or _this_year(clock)
        result = sync_national_holidays(database.uow_factory, year, actor=actor)
        return f"/admin/kalender?year={year}&ok=cal.synced&n={result.total}#hol-title"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/kantor")
def office_save(
    request: Request,
    _: StaffPage,
    actor: PageActor,
    form: Form,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Register an office, or (``original`` given) change one; the position and radius
    are checked as the API checks them."""

    def change() -> str:
        original = text_field(form, "original", max_length=32)
        fields: dict[str, object] = {
            "name": text_field(form, "name", max_length=255),
            "latitude": optional_float(form, "latitude"),
            "longitude": optional_float(form, "longitude"),
            "radius_m": optional_float(form, "radius_m"),
        }
        if original:
            offices_service.update_office(database.uow_factory, original, fields, actor=actor)
            return "/admin/kalender?ok=cal.office_saved#off-title"
        offices_service.create_office(
            database.uow_factory,
            text_field(form, "code", max_length=32),
            text_field(form, "name", max_length=255),
            actor=actor,
            latitude=optional_float(form, "latitude"),
            longitude=optional_float(form, "longitude"),
            radius_m=optional_float(form, "radius_m"),
        )
        return "/admin/kalender?ok=cal.office_added#off-title"

    return _attempt(request, database, _this_year(clock), change)


@router.post("/kalender/kantor/{code}/hapus")
def office_delete(
    request: Request,
    code: str,
    _: StaffPage,
    actor: PageActor,
    database: DatabaseDep,
    clock: ClockDep,
) -> Response:
    """Remove an office with its schedules and holidays; refused while it has staff."""

    def change() -> str:
        offices_service.delete_office(database.uow_factory, code, actor=actor)
        return "/admin/kalender?ok=cal.office_deleted#off-title"

    return _attempt(request, database, _this_year(clock), change)
