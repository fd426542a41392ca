"""Offices and holidays: the one implementation behind the API and the console.

Every change takes a unit-of-work factory, writes the change and its audit entry in one
transaction and commits. An office's position and radius are checked by
``hadir.domain.geofence.check_location`` whichever door they come through, so no form can
store a latitude of 500 or an infinite radius (which would switch the geofence off).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from hadir.domain.attendance import DEFAULT_TIMEZONE
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.domain.geofence import check_location
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.ports import UowFactory
from hadir.services.records import HolidayRecord, HolidaySource, OfficeRecord

OFFICE_FIELDS = ("name", "timezone", "latitude", "longitude", "radius_m", "require_liveness")
"""What an office update may change (the code never changes)."""
NOT_NULL = ("name", "timezone", "require_liveness")


def _office(record: OfficeRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in OFFICE_FIELDS}


def create_office(
    uows: UowFactory,
    code: str,
    name: str,
    *,
    actor: Actor,
    timezone: str = DEFAULT_TIMEZONE,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_m: float | None = None,
    require_liveness: bool = False,
) -> OfficeRecord:
    """Register an office; a ConflictError if the code is taken."""
    check_location(latitude, longitude, radius_m)
    with uows() as uow:
        record = uow.offices.add(
            code,
            name,
            timezone=timezone,
            latitude=latitude,
            longitude=longitude,
            radius_m=radius_m,
            require_liveness=require_liveness,
        )
        audit.write(uow, actor, "office.create", f"office:{record.code}", _office(record))
        uow.commit()
    return record


def update_office(
    uows: UowFactory, code: str, changes: Mapping[str, object], *, actor: Actor
) -> OfficeRecord:
    """Change the fields in ``changes``; the audit entry gives each one's before and
    after (a geofence moved or widened, liveness turned off)."""
    unknown = set(changes) - set(OFFICE_FIELDS)
    if unknown:
        raise DomainValidationError(f"not editable: {', '.join(sorted(unknown))}")
    for name in NOT_NULL:
        if name in changes and changes[name] is None:
            raise DomainValidationError(f"{name} must not be null", field=name)
    with uows() as uow:
        office = uow.offices.get_by_code(code)
        wanted = replace(office, **changes)  # type: ignore[arg-type]
        check_location(wanted.latitude, wanted.longitude, wanted.radius_m)
        record = uow.offices.update(wanted)
        diff = audit.changes(office, record, OFFICE_FIELDS)
        if diff:
            audit.write(uow, actor, "office.update", f"office:{code}", {"changes": diff})
        uow.commit()
    return record


def delete_office(uows: UowFactory, code: str, *, actor: Actor) -> None:
    """Remove an office with its schedules and holidays; a ConflictError while employees
    still belong to it."""
    with uows() as uow:
        office = uow.offices.get_by_code(code)
        staff = uow.employees.list(office_id=office.id, limit=1)
        if staff:
            raise ConflictError(
                f"office {code!r} still has employees (e.g. {staff[0].employee_id}); "
                "move them to another office first",
                office=code,
                field="staff",
            )
        uow.offices.delete(office.id)
        audit.write(uow, actor, "office.delete", f"office:{code}", _office(office))
        uow.commit()


def add_holiday(
    uows: UowFactory,
    day: date,
    name: str,
    *,
    actor: Actor,
    source: HolidaySource = HolidaySource.OFFICE,
    office_id: int | None = None,
) -> HolidayRecord:
    """A holiday of every office (``office_id`` None) or of one office; a ConflictError
    if the day already is one in that scope."""
    with uows() as uow:
        record = uow.holidays.add(day, name, source=source, office_id=office_id)
        detail = {"day": day.isoformat(), "name": record.name, "source": record.source.value}
        audit.write(
            uow, actor, "holiday.create", f"holiday:{record.id}", detail | {"office_id": office_id}
        )
        uow.commit()
    return record


def _holiday(record: HolidayRecord) -> dict[str, object]:
    return {
        "day": record.day.isoformat(),
        "name": record.name,
        "source": record.source.value,
        "office_id": record.office_id,
    }


def update_holiday(
    uows: UowFactory, holiday_id: int, day: date, name: str, *, actor: Actor
) -> HolidayRecord:
    """A holiday moved or renamed (e.g. cuti bersama shifted by decree); its scope and
    source stay. A ConflictError if the new date already is one in that scope."""
    with uows() as uow:
        before = uow.holidays.get(holiday_id)
        record = uow.holidays.update(holiday_id, day, name)
        diff = audit.changes(before, record, ("day", "name"))
        if diff:
            audit.write(uow, actor, "holiday.update", f"holiday:{holiday_id}", {"changes": diff})
        uow.commit()
    return record


def delete_holiday(uows: UowFactory, holiday_id: int, *, actor: Actor) -> HolidayRecord:
    """Remove a holiday; returns what was removed."""
    with uows() as uow:
        before = uow.holidays.get(holiday_id)
        uow.holidays.delete(holiday_id)
        audit.write(uow, actor, "holiday.delete", f"holiday:{holiday_id}", _holiday(before))
        uow.commit()
    return before
