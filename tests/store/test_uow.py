"""The unit of work: commit, rollback, lifetime, clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine

from hadir.domain.errors import DomainValidationError
from hadir.store.db import make_session_factory
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, utc


def test_nothing_is_kept_without_commit(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1))
    with uow:
        assert uow.employees.list() == []


def test_an_exception_rolls_back_and_propagates(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1))
        uow.commit()
    with pytest.raises(RuntimeError, match="boom"), uow:
        uow.employees.add(new_employee(2))
        uow.templates.delete_for(1)
        raise RuntimeError("boom")
    with uow:
        assert [e.employee_id for e in uow.employees.list()] == [new_employee(1).employee_id]


def test_explicit_rollback_then_more_work(uow: SqlUnitOfWork) -> None:
    with uow:
        uow.employees.add(new_employee(1))
        uow.rollback()
        uow.employees.add(new_employee(2))
        uow.commit()
    with uow:
        assert [e.name for e in uow.employees.list()] == ["Pegawai 2"]


def test_repositories_only_inside_the_block(uow: SqlUnitOfWork) -> None:
    with pytest.raises(RuntimeError, match="with"):
        uow.employees.list()
    with uow:
        with pytest.raises(RuntimeError, match="already in use"), uow:
            pass
        assert uow.employees.list() == []
    with pytest.raises(RuntimeError):
        uow.commit()


def test_records_outlive_the_session(uow: SqlUnitOfWork) -> None:
    with uow:
        record = uow.employees.add(new_employee(1))
        uow.commit()
    assert record.name == "Pegawai 1"  # a plain dataclass: no lazy loading, no session


def test_the_clock_stamps_records(engine: Engine) -> None:
    fixed = utc(2025, 6, 1, 2, 3)
    uow = SqlUnitOfWork(make_session_factory(engine), clock=lambda: fixed)
    with uow:
        record = uow.employees.add(new_employee(1))
        uow.commit()
    assert record.created_at == record.updated_at == fixed
    with uow:
        assert uow.employees.get(record.id).created_at == fixed

    naive = SqlUnitOfWork(make_session_factory(engine), clock=datetime.now)
    with naive, pytest.raises(DomainValidationError):
        naive.employees.add(new_employee(2))
