"""Work schedules and overrides, holidays, leave."""

from __future__ import annotations

from datetime import date, time

import pytest

from hadir.domain.attendance import (
    DEFAULT_SCHEDULE,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    Weekday,
    WorkSchedule,
    evaluate_day,
)
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services.records import HolidaySource, Role
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, utc

SIX_DAYS = frozenset(Weekday(d) for d in range(6))


def test_schedules_resolve_from_unit_to_office_to_global(uow: SqlUnitOfWork) -> None:
    with uow:
        office = uow.offices.add("RSUD", "Rumah Sakit").id
        assert uow.schedules.resolve(office_id=office, unit="IGD") == DEFAULT_SCHEDULE
        uow.schedules.set(WorkSchedule(grace_minutes=5))
        uow.schedules.set(
            WorkSchedule(working_days=SIX_DAYS, start=time(7, 30), end=time(14)),
            office_id=office,
        )
        uow.schedules.set(
            WorkSchedule(start=time(7), end=time(15), checkin_opens_at=time(5)), unit="IGD"
        )
        uow.commit()
    with uow:
        assert uow.schedules.resolve().grace_minutes == 5
        assert uow.schedules.resolve(unit="").grace_minutes == 5  # blank unit = none
        assert uow.schedules.resolve(office_id=office).working_days == SIX_DAYS
        igd = uow.schedules.resolve(office_id=office, unit="IGD")
        assert (igd.start, igd.end, igd.checkin_opens_at) == (time(7), time(15), time(5))
        # setting a scope again replaces its schedule
        uow.schedules.set(WorkSchedule(grace_minutes=10))
        assert uow.schedules.get().schedule.grace_minutes == 10
        assert len(uow.schedules.list()) == 3
        with pytest.raises(NotFoundError):
            uow.schedules.get(unit="Nowhere")
        with pytest.raises(DomainValidationError):
            uow.schedules.set(WorkSchedule(), office_id=office, unit="IGD")


def test_overrides_come_in_priority_order(uow: SqlUnitOfWork) -> None:
    ramadan = ScheduleOverride(date(2025, 3, 1), date(2025, 3, 30), time(8), time(15), 0, "Ramadan")
    unit_one = ScheduleOverride(date(2025, 3, 10), date(2025, 3, 10), time(9), time(15))
    office_one = ScheduleOverride(date(2025, 3, 5), date(2025, 3, 20), time(8), time(14))
    with uow:
        office = uow.offices.add("RSUD", "Rumah Sakit").id
        uow.schedules.add_override(unit_one, unit="IGD")
        uow.schedules.add_override(office_one, office_id=office)
        uow.schedules.add_override(ramadan)
        uow.schedules.add_override(unit_one, unit="Other")
        uow.commit()
    with uow:
        march = (date(2025, 3, 1), date(2025, 3, 31))
        found = uow.schedules.overrides_for(*march, office_id=office, unit="IGD")
        assert found == [ramadan, office_one, unit_one]
        assert uow.schedules.overrides_for(date(2025, 4, 1), date(2025, 4, 30)) == []
        assert uow.schedules.overrides_for(*march) == [ramadan]


def test_holidays_are_unique_per_scope(uow: SqlUnitOfWork) -> None:
    nyepi = date(2025, 3, 29)
    with uow:
        office = uow.offices.add("KEC-1", "Kecamatan Satu").id
        uow.holidays.add(nyepi, "Hari Suci Nyepi")
        uow.holidays.add(date(2025, 3, 31), "Idul Fitri")
        uow.holidays.add(nyepi, "Nyepi (kantor)", source=HolidaySource.OFFICE, office_id=office)
        uow.holidays.add(
            date(2025, 4, 2), "Cuti bersama", source=HolidaySource.OFFICE, office_id=office
        )
        with pytest.raises(ConflictError, match="2025-03-29"):
            uow.holidays.add(nyepi, "again")
        with pytest.raises(ConflictError):
            uow.holidays.add(nyepi, "again", office_id=office)
        uow.commit()
    with uow:
        april = uow.holidays.list(date(2025, 3, 1), date(2025, 4, 30))
        assert [h.name for h in april] == ["Hari Suci Nyepi", "Idul Fitri"]
        calendar = uow.holidays.calendar(date(2025, 3, 1), date(2025, 4, 30), office_id=office)
        assert calendar == {
            nyepi: "Nyepi (kantor)",
            date(2025, 3, 31): "Idul Fitri",
            date(2025, 4, 2): "Cuti bersama",
        }
        record = evaluate_day(1, date(2025, 4, 2), [], now=utc(2025, 5, 1), holidays=calendar)
        assert record.holiday_name == "Cuti bersama"
        uow.holidays.delete(april[0].id)
        assert len(uow.holidays.list(date(2025, 3, 1), date(2025, 4, 30))) == 1


def test_leave_lifecycle(uow: SqlUnitOfWork) -> None:
    from hadir.domain.attendance import Leave

    with uow:
        alice = uow.employees.add(new_employee(1, unit="Bappeda")).id
        bob = uow.employees.add(new_employee(2, unit="Dinkes")).id
        boss = uow.users.add("kabid", "hash", Role.SUPERVISOR, unit="Bappeda").id
        sick = uow.leaves.add(
            Leave(alice, LeaveKind.SAKIT, date(2025, 3, 3), date(2025, 3, 4)), reason=" demam "
        )
        uow.leaves.add(Leave(bob, LeaveKind.CUTI, date(2025, 3, 10), date(2025, 3, 14)))
        uow.commit()
    assert sick.reason == "demam" and sick.status is LeaveStatus.REQUESTED
    with uow:
        approved = uow.leaves.decide(sick.id, LeaveStatus.APPROVED, approver_id=boss)
        uow.commit()
    assert approved.approver_id == boss and approved.decided_at is not None
    with uow:
        assert uow.leaves.get(sick.id) == approved
        assert [r.id for r in uow.leaves.list(status=LeaveStatus.APPROVED)] == [sick.id]
        assert [r.employee_id for r in uow.leaves.list(unit="Dinkes")] == [bob]
        overlapping = uow.leaves.list(first=date(2025, 3, 4), last=date(2025, 3, 10))
        assert [r.employee_id for r in overlapping] == [alice, bob]
        assert uow.leaves.list(first=date(2025, 3, 15)) == []
        assert uow.leaves.list(employee_id=alice)[0].to_domain().is_approved
        with pytest.raises(NotFoundError):
            uow.leaves.add(Leave(999, LeaveKind.IZIN, date(2025, 3, 3), date(2025, 3, 3)))
        with pytest.raises(NotFoundError):
            uow.leaves.decide(sick.id, LeaveStatus.REJECTED, approver_id=999)
