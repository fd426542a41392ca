"""Work schedules (global, per office, per unit) and their dated overrides (e.g. Ramadan
hours), plus the schedule an employee has on a date. Staff write; staff and supervisors
read."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import ActorDep, DatabaseDep, ReaderDep, StaffDep
from hadir.api.schemas.schedules import (
    OverrideCreate,
    OverridePublic,
    ResolvedPublic,
    ScheduleCreate,
    SchedulePublic,
    ScheduleUpdate,
)
from hadir.domain.attendance import ScheduleOverride, WorkSchedule
from hadir.services import schedules as service
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import OfficeRecord, ScheduleRecord

router = APIRouter(prefix="/api/v1/schedules", tags=["schedules"])


def _public(uow: AbstractUnitOfWork, record: ScheduleRecord) -> SchedulePublic:
    offices: dict[int, OfficeRecord] = {}
    if record.office_id is not None:
        offices[record.office_id] = uow.offices.get(record.office_id)
    return SchedulePublic.of(record, offices)


@router.get("", response_model=list[SchedulePublic])
def list_schedules(database: DatabaseDep, _: ReaderDep) -> list[SchedulePublic]:
    """Every schedule, global first, then offices, then units."""
    with database.uow_factory() as uow:
        offices = {o.id: o for o in uow.offices.list()}
        records = uow.schedules.list()
    return [SchedulePublic.of(r, offices) for r in records]


@router.post("", response_model=SchedulePublic, status_code=201)
def create_schedule(
    body: ScheduleCreate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> SchedulePublic:
    """The schedule of a scope; 409 if that scope already has one (PATCH it instead)."""
    schedule = WorkSchedule(
        working_days=frozenset(body.working_days),
        start=body.start,
        end=body.end,
        grace_minutes=body.grace_minutes,
        timezone=body.timezone,
        checkin_opens_at=body.checkin_opens_at,
        weekday_hours=tuple(h.to_domain() for h in body.weekday_hours),
    )
    with database.uow_factory() as uow:
        office_id = None
        if body.office_code is not None:
            office_id = uow.offices.get_by_code(body.office_code).id
    scope = service.Scope(office_id=office_id, unit=body.unit)
    record = service.create_schedule(database.uow_factory, schedule, scope, actor=actor)
    with database.uow_factory() as uow:
        return _public(uow, record)


@router.get("/resolve", response_model=ResolvedPublic)
def resolve_schedule(
    database: DatabaseDep,
    _: ReaderDep,
    employee_id: Annotated[str, Query(min_length=1, max_length=64, description="NIP")],
    day: Annotated[date, Query(alias="date", description="YYYY-MM-DD")],
) -> ResolvedPublic:
    """The hours that apply to an employee on a date: the most specific schedule, any
    override covering the date, and whether it is a holiday."""
    with database.uow_factory() as uow:
        return ResolvedPublic.of(service.resolve_day(uow, employee_id, day))


@router.delete("/overrides/{override_id}", status_code=204)
def delete_override(
    override_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> Response:
    service.delete_override(database.uow_factory, override_id, actor=actor)
    return Response(status_code=204)


@router.get("/{schedule_id}", response_model=SchedulePublic)
def get_schedule(schedule_id: int, database: DatabaseDep, _: ReaderDep) -> SchedulePublic:
    with database.uow_factory() as uow:
        return _public(uow, uow.schedules.get_by_id(schedule_id))


@router.patch("/{schedule_id}", response_model=SchedulePublic)
def update_schedule(
    schedule_id: int, body: ScheduleUpdate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> SchedulePublic:
    """Change the hours of a schedule (only the fields given; not its scope)."""
    changes = body.model_dump(exclude_unset=True)
    with database.uow_factory() as uow:
        current = uow.schedules.get_by_id(schedule_id).schedule
        schedule = WorkSchedule(
            working_days=frozenset(changes.get("working_days") or current.working_days),
            start=changes.get("start") or current.start,
            end=changes.get("end") or current.end,
            grace_minutes=_given(changes, "grace_minutes", current.grace_minutes),
            timezone=changes.get("timezone") or current.timezone,
            checkin_opens_at=changes.get("checkin_opens_at", current.checkin_opens_at),
            weekday_hours=current.weekday_hours
            if body.weekday_hours is None
            else tuple(h.to_domain() for h in body.weekday_hours),
        )
    record = service.update_schedule(database.uow_factory, schedule_id, schedule, actor=actor)
    with database.uow_factory() as uow:
        return _public(uow, record)


@router.delete("/{schedule_id}", status_code=204)
def delete_schedule(
    schedule_id: int, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> Response:
    """Remove a schedule; its scope falls back to the office, then the global schedule.
    The scope's overrides stay (delete them first if they should go too)."""
    service.delete_schedule(database.uow_factory, schedule_id, actor=actor)
    return Response(status_code=204)


@router.post("/{schedule_id}/overrides", response_model=OverridePublic, status_code=201)
def add_override(
    schedule_id: int, body: OverrideCreate, database: DatabaseDep, _: StaffDep, actor: ActorDep
) -> OverridePublic:
    """Different hours for a date range in this schedule's scope; 409 if the scope already
    has an override for exactly these dates."""
    override = ScheduleOverride(
        start_date=body.start_date,
        end_date=body.end_date,
        start=body.start,
        end=body.end,
        grace_minutes=body.grace_minutes,
        label=body.label.strip(),
    )
    record = service.add_override(database.uow_factory, schedule_id, override, actor=actor)
    return OverridePublic.of(record)


@router.get("/{schedule_id}/overrides", response_model=list[OverridePublic])
def list_overrides(schedule_id: int, database: DatabaseDep, _: ReaderDep) -> list[OverridePublic]:
    """The overrides of this schedule's scope, by start date."""
    with database.uow_factory() as uow:
        return [OverridePublic.of(r) for r in service.list_overrides(uow, schedule_id)]


def _given(changes: dict[str, object], key: str, default: int) -> int:
    value = changes.get(key)
    return value if isinstance(value, int) else default
