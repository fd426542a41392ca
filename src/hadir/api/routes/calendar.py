"""Offices and holidays (the calendar the day statuses use). Staff write; staff and
supervisors read."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import ActorDep, DatabaseDep, ReaderDep, StaffDep
from hadir.api.schemas.calendar import (
    HolidayCreate,
    HolidayPublic,
    HolidayUpdate,
    OfficeCreate,
    OfficePublic,
    OfficeUpdate,
)
from hadir.domain.errors import DomainValidationError
from hadir.services import calendar as service

offices = APIRouter(prefix="/api/v1/offices", tags=["calendar"])
holidays = APIRouter(prefix="/api/v1/holidays", tags=["calendar"])


@offices.post("", response_model=OfficePublic, status_code=201)
def create_office(
    body: OfficeCreate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> OfficePublic:
    """Register an office; 409 if the code is taken."""
    record = service.create_office(
        database.uow_factory,
        body.code,
        body.name,
        actor=actor,
        timezone=body.timezone,
        latitude=body.latitude,
        longitude=body.longitude,
        radius_m=body.radius_m,
        require_liveness=body.require_liveness,
    )
    return OfficePublic.of(record)


@offices.get("", response_model=list[OfficePublic])
def list_offices(database: DatabaseDep, _: ReaderDep) -> list[OfficePublic]:
    with database.uow_factory() as uow:
        return [OfficePublic.of(o) for o in uow.offices.list()]


@offices.get("/{code}", response_model=OfficePublic)
def get_office(code: str, database: DatabaseDep, _: ReaderDep) -> OfficePublic:
    with database.uow_factory() as uow:
        return OfficePublic.of(uow.offices.get_by_code(code))


@offices.patch("/{code}", response_model=OfficePublic)
def patch_office(
    code: str, body: OfficeUpdate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> OfficePublic:
    """Change the fields given (``name``, ``timezone`` and ``require_liveness`` cannot be
    null)."""
    changes = body.model_dump(exclude_unset=True)
    return OfficePublic.of(service.update_office(database.uow_factory, code, changes, actor=actor))


@offices.delete("/{code}", status_code=204)
def remove_office(code: str, database: DatabaseDep, _: StaffDep, actor: ActorDep) -> Response:
    """Remove an office with its schedules and holidays; 409 while employees belong to it."""
    service.delete_office(database.uow_factory, code, actor=actor)
    return Response(status_code=204)


@holidays.post("", response_model=HolidayPublic, status_code=201)
def create_holiday(
    body: HolidayCreate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> HolidayPublic:
    """A holiday of every office (``office_id`` null) or of one office; 409 if the day
    already is one in that scope."""
    record = service.add_holiday(
        database.uow_factory,
        body.day,
        body.name,
        actor=actor,
        source=body.source,
        office_id=body.office_id,
    )
    return HolidayPublic.of(record)


@holidays.get("", response_model=list[HolidayPublic])
def list_holidays(
    database: DatabaseDep,
    _: ReaderDep,
    date_from: date,
    date_to: date,
    office_id: Annotated[int | None, Query(description="also this office's own")] = None,
) -> list[HolidayPublic]:
    """Holidays in ``date_from``..``date_to`` inclusive, by date."""
    if date_to < date_from:
        raise DomainValidationError("date_to is before date_from.", field="date_to")
    with database.uow_factory() as uow:
        records = uow.holidays.list(date_from, date_to, office_id=office_id)
    return [HolidayPublic.of(h) for h in records]


@holidays.put("/{holiday_id}", response_model=HolidayPublic)
def update_holiday(
    holiday_id: int, body: HolidayUpdate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> HolidayPublic:
    """Move or rename a holiday; 409 if the new date already is one in its scope."""
    record = service.update_holiday(
        database.uow_factory, holiday_id, body.day, body.name, actor=actor
    )
    return HolidayPublic.of(record)


@holidays.delete("/{holiday_id}", status_code=204)
def delete_holiday(
    holiday_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> Response:
    service.delete_holiday(database.uow_factory, holiday_id, actor=actor)
    return Response(status_code=204)
