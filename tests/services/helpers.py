"""Builders shared by the use-case tests."""

from __future__ import annotations

from collections.abc import Callable

from hadir.services.checkguard import CheckPolicy
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EmployeeRecord, NewEmployee

SRI = "198001012005012001"
ARIO = "198502022010011002"
POLICY = CheckPolicy()
"""The check policy at its defaults (the server's comes from its settings)."""


def add_employee(
    uow: AbstractUnitOfWork,
    nip: str,
    name: str,
    *,
    unit: str = "Bappeda",
    active: bool = True,
) -> EmployeeRecord:
    with uow:
        record = uow.employees.add(
            NewEmployee(employee_id=nip, name=name, unit=unit, active=active)
        )
        uow.commit()
    return record


def count_events(make_uow: Callable[[], AbstractUnitOfWork]) -> int:
    with make_uow() as uow:
        return len(uow.events.list())
