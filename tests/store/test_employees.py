"""Offices and employees: CRUD, search, unique NIP, missing rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any

import pytest

from hadir.domain.errors import (
    ConflictError,
    DomainValidationError,
    ErrorCode,
    NotFoundError,
)
from hadir.services.records import NewEmployee
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, new_event, nip, utc


def test_employee_crud(uow: SqlUnitOfWork) -> None:
    with uow:
        office = uow.offices.add("PEMKAB", "Kantor Bupati", latitude=-6.2, longitude=106.8)
        added = uow.employees.add(
            NewEmployee(
                employee_id=f"  {nip(1)} ",
                name="Sri Wahyuni",
                unit="Bappeda",
                position="Analis",
                office_id=office.id,
                email="sri@example.go.id",
                consent_at=utc(2025, 1, 2, 3),
            )
        )
        uow.commit()
    assert added.employee_id == nip(1)
    assert added.created_at.tzinfo is UTC

    with uow:
        by_nip = uow.employees.get_by_employee_id(nip(1))
        assert by_nip == added
        assert by_nip.office_id == office.id
        assert by_nip.consent_at == utc(2025, 1, 2, 3)
        assert uow.employees.get(added.id) == added
        assert uow.offices.get_by_code("PEMKAB").timezone == "Asia/Jakarta"

        updated = uow.employees.update(replace(by_nip, name="Sri W.", active=False))
        uow.commit()
    assert updated.updated_at >= added.updated_at

    with uow:
        assert uow.employees.get(added.id).name == "Sri W."
        assert uow.employees.get(added.id).active is False
        uow.employees.delete(added.id)
        uow.commit()
    with uow, pytest.raises(NotFoundError):
        uow.employees.get(added.id)


def test_list_filters_and_search(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1, name="Budi Santoso", unit="Bappeda"))
        uow.employees.add(new_employee(2, name="Ani Lestari", unit="Dinkes"))
        uow.employees.add(replace(new_employee(3, name="budiman", unit="Dinkes"), active=False))
        uow.employees.add(new_employee(4, name="100% Hadir", unit="Dinkes"))
        uow.commit()
    with uow:

        def names(**criteria: Any) -> list[str]:
            return [e.name for e in uow.employees.list(**criteria)]

        assert names() == ["100% Hadir", "Ani Lestari", "Budi Santoso", "budiman"]
        assert names(search="BUDI") == ["Budi Santoso", "budiman"]
        assert names(search=nip(2)[-4:]) == ["Ani Lestari"]
        assert names(search="%") == ["100% Hadir"]  # wildcards are escaped
        assert names(unit="Dinkes", active=True) == ["100% Hadir", "Ani Lestari"]
        assert names(active=False) == ["budiman"]
        assert names(limit=2, offset=1) == ["Ani Lestari", "Budi Santoso"]


def test_duplicate_nip_is_a_conflict_and_the_unit_of_work_goes_on(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1))
        uow.commit()
    with uow:
        with pytest.raises(ConflictError) as caught:
            uow.employees.add(new_employee(1, name="Someone Else"))
        assert caught.value.code is ErrorCode.CONFLICT
        assert nip(1) in caught.value.message
        uow.employees.add(new_employee(2))  # only the failed insert was undone
        uow.commit()
    with uow:
        assert [e.employee_id for e in uow.employees.list()] == [nip(1), nip(2)]
        assert uow.employees.get_by_employee_id(nip(1)).name == "Pegawai 1"


def test_changing_nip_to_a_taken_one_is_a_conflict(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1))
        second = uow.employees.add(new_employee(2))
        uow.commit()
    with uow:
        with pytest.raises(ConflictError):
            uow.employees.update(replace(second, employee_id=nip(1)))
        uow.commit()
    with uow:
        assert uow.employees.get(second.id).employee_id == nip(2)


def test_missing_rows_and_references(uow: SqlUnitOfWork) -> None:
    with uow:
        with pytest.raises(NotFoundError) as caught:
            uow.employees.get_by_employee_id("nobody")
        assert caught.value.code is ErrorCode.NOT_FOUND
        with pytest.raises(NotFoundError):
            uow.employees.get(12345)
        with pytest.raises(NotFoundError):
            uow.employees.delete(12345)
        with pytest.raises(NotFoundError, match="office 999"):
            uow.employees.add(replace(new_employee(1), office_id=999))
        with pytest.raises(NotFoundError):
            uow.offices.get_by_code("NOPE")


def test_blank_nip_and_naive_datetimes_are_refused() -> None:
    with pytest.raises(DomainValidationError):
        NewEmployee(employee_id="   ", name="X")
    with pytest.raises(DomainValidationError):
        NewEmployee(employee_id="1", name="X", consent_at=utc(2025, 1, 1).replace(tzinfo=None))


def test_any_non_empty_staff_number_is_accepted(uow: SqlUnitOfWork) -> None:
    with uow:
        record = uow.employees.add(NewEmployee(employee_id="PPPK-0042", name="Honorer"))
        uow.commit()
    assert record.employee_id == "PPPK-0042"


def test_employee_with_attendance_history_cannot_be_deleted(uow: SqlUnitOfWork) -> None:
    with uow:
        employee = uow.employees.add(new_employee(1))
        uow.events.add(new_event(employee.id, utc(2025, 3, 3, 1)))
        uow.commit()
    with uow:
        with pytest.raises(ConflictError, match="deactivate"):
            uow.employees.delete(employee.id)
        assert uow.employees.get(employee.id) == employee


def test_office_codes_are_unique(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.offices.add("DINKES", "Dinas Kesehatan")
        with pytest.raises(ConflictError, match="DINKES"):
            uow.offices.add("DINKES", "Dinas Kesehatan 2")
        with pytest.raises(DomainValidationError):
            uow.offices.add("X", "Bad zone", timezone="Mars/Olympus")
        assert [o.code for o in uow.offices.list()] == ["DINKES"]


def test_get_many_reads_several_employees_in_one_query(uow: SqlUnitOfWork) -> None:
    with uow:
        keys = [uow.employees.add(new_employee(i)).id for i in range(1, 5)]
        uow.commit()
    with uow:
        found = uow.employees.get_many([keys[0], keys[2], keys[2], 999_999])
        assert uow.employees.get_many([]) == {}
    assert sorted(found) == [keys[0], keys[2]]  # duplicates once, unknown keys absent
    assert found[keys[2]].employee_id == nip(3)
