"""Change counters and single-use nonces, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import numpy as np
import pytest

from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.face.types import Embedding, EmbeddingContract
from hadir.services.ports import TEMPLATES_COUNTER
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, utc

CONTRACT = EmbeddingContract("fake", "0" * 64, "test", 4)


def _counter(uow: SqlUnitOfWork) -> int:
    with uow:
        return uow.counters.get(TEMPLATES_COUNTER)


def test_template_changes_bump_the_counter_only_when_committed(uow: SqlUnitOfWork) -> None:
    start = _counter(uow)
    with uow:
        employee = uow.employees.add(new_employee(1))
        uow.commit()
    assert _counter(uow) == start  # a new employee has no templates yet
    vector = np.ones(4, dtype=np.float32) / 2
    with uow:
        uow.templates.add(employee.id, Embedding(vector, CONTRACT))
    assert _counter(uow) == start  # rolled back
    with uow:
        uow.templates.add(employee.id, Embedding(vector, CONTRACT))
        uow.commit()
    assert _counter(uow) == start + 1
    with uow:
        assert uow.templates.delete_for(employee.id) == 1
        assert uow.templates.delete_for(employee.id) == 0
        uow.commit()
    assert _counter(uow) == start + 2


def test_unknown_counters_start_at_zero_and_count(uow: SqlUnitOfWork) -> None:
    with uow:
        assert uow.counters.get("other") == 0
        uow.counters.bump("other")
        uow.counters.bump("other")
        uow.commit()
    with uow:
        assert uow.counters.get("other") == 2


def test_a_nonce_is_used_once(uow: SqlUnitOfWork) -> None:
    nonce = hashlib.sha256(b"challenge-1").hexdigest()
    expires = utc(2025, 3, 3, 8, 1)
    with uow:
        uow.nonces.consume(nonce, "liveness", expires)
        uow.commit()
    with uow, pytest.raises(ConflictError):
        uow.nonces.consume(nonce, "liveness", expires)
    with uow, pytest.raises(DomainValidationError):
        uow.nonces.consume("not-a-hash", "liveness", expires)
    with uow:
        assert uow.nonces.purge_expired(expires - timedelta(seconds=1)) == 0
        assert uow.nonces.purge_expired(expires + timedelta(seconds=1)) == 1
        uow.commit()
    with uow:  # purged: the primary key is free again (its signature has expired anyway)
        uow.nonces.consume(nonce, "liveness", expires)
