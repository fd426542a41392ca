"""Check-in and check-out by face, and the attendance log.

Kiosks identify (no ``employee_id``) or verify; employees check in only as themselves;
supervisors read their own unit; employees read their own attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from hadir.api.deps import (
    ActorDep,
    CheckerDep,
    Clock,
    ClockDep,
    DatabaseDep,
    EngineDep,
    IndexDep,
    SecurityDep,
    SettingsDep,
    own_unit,
    read_upload,
    require,
)
from hadir.api.schemas.attendance import CheckPublic, EventPage, EventPublic
from hadir.domain.attendance import DEFAULT_TIMEZONE, AttendanceKind, Decision
from hadir.domain.attendance.timeutil import start_of_day
from hadir.domain.errors import DomainValidationError
from hadir.face.pipeline import FaceEngine
from hadir.services.audit import Actor
from hadir.services.auth import Principal
from hadir.services.checkaccess import own_employee, plain_check_as
from hadir.services.checkguard import CheckPolicy
from hadir.services.checkin import CheckRequest, CheckResult, check
from hadir.services.container import Database
from hadir.services.enrolment import find_employee
from hadir.services.errors import ForbiddenError
from hadir.services.index import TemplateIndexProvider
from hadir.services.records import EmployeeRecord, EventFilter, Role

router = APIRouter(prefix="/api/v1/attendance", tags=["attendance"])

LogReaderDep = Annotated[Principal, Depends(require(Role.OPERATOR, Role.SUPERVISOR, Role.EMPLOYEE))]


@dataclass(frozen=True)
class CheckForm:
    image: UploadFile
    employee_id: str | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    client_request_id: str | None
    device: str | None


def check_form(
    image: Annotated[UploadFile, File(description="a photo of the face (JPEG, PNG, WebP)")],
    employee_id: Annotated[str | None, Form(max_length=64, description="NIP (1:1)")] = None,
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    accuracy_m: Annotated[float | None, Form(ge=0, le=1e7)] = None,
    client_request_id: Annotated[str | None, Form(max_length=128)] = None,
    device: Annotated[str | None, Form(max_length=128)] = None,
) -> CheckForm:
    return CheckForm(
        image=image,
        employee_id=(employee_id or "").strip() or None,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        client_request_id=client_request_id,
        device=device,
    )


CheckFormDep = Annotated[CheckForm, Depends(check_form)]


def _perform(
    kind: AttendanceKind,
    form: CheckForm,
    image: bytes,
    principal: Principal,
    actor: Actor,
    database: Database,
    engine: FaceEngine,
    index: TemplateIndexProvider,
    policy: CheckPolicy,
    clock: Clock,
) -> CheckResult:
    nip = plain_check_as(database.uow_factory, principal, form.employee_id)
    request = CheckRequest(
        kind=kind,
        image=image,
        employee_id=nip,
        client_request_id=form.client_request_id,
        device=form.device,
        latitude=form.latitude,
        longitude=form.longitude,
        accuracy_m=form.accuracy_m,
        self_service=principal.role is Role.EMPLOYEE,
        actor=actor,
    )
    return check(database.uow_factory, engine, index, request, clock=clock, policy=policy)


async def _check(
    kind: AttendanceKind,
    form: CheckForm,
    principal: Principal,
    actor: Actor,
    response: Response,
    database: Database,
    engine: FaceEngine,
    index: TemplateIndexProvider,
    settings_max_bytes: int,
    policy: CheckPolicy,
    clock: Clock,
) -> CheckPublic:
    image = await read_upload(form.image, settings_max_bytes)
    result = await run_in_threadpool(
        _perform, kind, form, image, principal, actor, database, engine, index, policy, clock
    )
    if result.replayed:
        response.status_code = 200
        response.headers["Hadir-Replayed"] = "true"
    return CheckPublic.of(result)


@router.post("/check-in", response_model=CheckPublic, status_code=201)
async def check_in(
    form: CheckFormDep,
    principal: CheckerDep,
    actor: ActorDep,
    response: Response,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    security: SecurityDep,
    clock: ClockDep,
) -> CheckPublic:
    """Check in by face: 201 with the day's status; a retry of the same
    ``client_request_id`` answers the first result (200). A refused face is 403
    ``face_mismatch`` (and recorded). Where the employee's office requires liveness, self
    and kiosk check-ins are 403 ``liveness_required`` (use ``/check-in/live``)."""
    return await _check(
        AttendanceKind.CHECK_IN,
        form,
        principal,
        actor,
        response,
        database,
        engine,
        index,
        settings.max_image_bytes,
        security.check,
        clock,
    )


@router.post("/check-out", response_model=CheckPublic, status_code=201)
async def check_out(
    form: CheckFormDep,
    principal: CheckerDep,
    actor: ActorDep,
    response: Response,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    security: SecurityDep,
    clock: ClockDep,
) -> CheckPublic:
    """Check out by face (same rules as check-in)."""
    return await _check(
        AttendanceKind.CHECK_OUT,
        form,
        principal,
        actor,
        response,
        database,
        engine,
        index,
        settings.max_image_bytes,
        security.check,
        clock,
    )


@router.get("", response_model=EventPage)
def list_attendance(
    database: DatabaseDep,
    principal: LogReaderDep,
    date_from: Annotated[date | None, Query(description="first local (WIB) date")] = None,
    date_to: Annotated[date | None, Query(description="last local (WIB) date")] = None,
    employee_id: Annotated[str | None, Query(max_length=64, description="NIP")] = None,
    unit: Annotated[str | None, Query(max_length=255)] = None,
    decision: Decision | None = None,
    kind: AttendanceKind | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EventPage:
    """Recorded attempts (accepted, needing review and rejected), oldest first."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise DomainValidationError("date_to is before date_from.", field="date_to")
    tz = DEFAULT_TIMEZONE
    unit = own_unit(principal, unit)
    with database.uow_factory() as uow:
        employee: EmployeeRecord | None = None
        if principal.role is Role.EMPLOYEE:
            employee = own_employee(uow, principal)
            if employee_id is not None and employee_id != employee.employee_id:
                raise ForbiddenError("Employees may only read their own attendance.")
        elif employee_id is not None:
            employee = find_employee(uow.employees, employee_id)
        criteria = EventFilter(
            start=None if date_from is None else start_of_day(date_from, tz),
            end=None if date_to is None else start_of_day(date_to + timedelta(days=1), tz),
            employee_id=None if employee is None else employee.id,
            unit=unit,
            decision=decision,
            kind=kind,
            limit=limit,
            offset=offset,
        )
        events = uow.events.list(criteria)
        people = uow.employees.get_many(ev.employee_id for ev in events if ev.employee_id)
    items = [
        EventPublic.of(e, None if e.employee_id is None else people[e.employee_id], tz)
        for e in events
    ]
    return EventPage(items=items, limit=limit, offset=offset)
