"""Face templates: exact float32 round trip, contracts, cascade on employee delete."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sqlalchemy import Engine, text

from hadir.domain.errors import DomainValidationError, NotFoundError
from hadir.face.types import Embedding
from hadir.store.uow import SqlUnitOfWork

from .builders import CONTRACT, QUALITY, embedding, new_employee


def test_template_round_trip_is_bit_exact(uow: SqlUnitOfWork) -> None:
    tricky = np.array(
        [1e-45, -0.0, 0.1, -1 / 3, 3.4028235e38, 1.1754944e-38, 0.7071068, -0.5],
        dtype=np.float32,
    )
    original = Embedding(tricky, CONTRACT)
    with uow:
        employee = uow.employees.add(new_employee(1))
        added = uow.templates.add(employee.id, original, quality=QUALITY, image_sha256="b" * 64)
        uow.templates.add(employee.id, embedding(7))  # no quality figures
        uow.commit()

    with uow:
        first, second = uow.templates.list_for(employee.id)
    assert first.id == added.id
    assert first.employee_id == employee.id
    assert first.embedding.contract == CONTRACT
    assert first.embedding.vector.dtype == np.float32
    assert first.embedding.vector.tobytes() == tricky.tobytes()
    assert first.quality == QUALITY
    assert first.image_sha256 == "b" * 64
    assert second.quality is None
    assert second.embedding.vector.tobytes() == embedding(7).vector.tobytes()


def test_templates_by_contract_skip_other_pipelines_and_inactive_staff(
    uow: SqlUnitOfWork,
) -> None:
    other = replace(CONTRACT, preprocessing="mtcnn-160-margin0.20")
    with uow:
        alice = uow.employees.add(new_employee(1))
        bob = uow.employees.add(new_employee(2))
        gone = uow.employees.add(replace(new_employee(3), active=False))
        uow.templates.add(alice.id, embedding(1))
        uow.templates.add(bob.id, embedding(2))
        uow.templates.add(bob.id, embedding(3, other))
        uow.templates.add(gone.id, embedding(4))
        uow.commit()
    with uow:
        current = uow.templates.list_all_for_contract(CONTRACT)
        assert [(t.employee_id, t.embedding.contract) for t in current] == [
            (alice.id, CONTRACT),
            (bob.id, CONTRACT),
        ]
        assert len(uow.templates.list_all_for_contract(CONTRACT, active_only=False)) == 3
        assert [t.employee_id for t in uow.templates.list_all_for_contract(other)] == [bob.id]


def test_deleting_an_employee_deletes_their_templates(uow: SqlUnitOfWork, engine: Engine) -> None:
    with uow:
        alice = uow.employees.add(new_employee(1))
        bob = uow.employees.add(new_employee(2))
        for seed in range(3):
            uow.templates.add(alice.id, embedding(seed))
        uow.templates.add(bob.id, embedding(9))
        uow.commit()
    with uow:
        uow.employees.delete(alice.id)
        uow.commit()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT employee_id FROM face_templates")).all()
    assert rows == [(bob.id,)]


def test_delete_for_and_missing_employee(uow: SqlUnitOfWork) -> None:
    with uow:
        alice = uow.employees.add(new_employee(1))
        uow.templates.add(alice.id, embedding(1))
        uow.templates.add(alice.id, embedding(2))
        bob = uow.employees.add(new_employee(2))
        kept = uow.templates.add(bob.id, embedding(3))
        assert not uow.templates.delete_one(alice.id, kept.id)  # not hers
        assert uow.templates.delete_one(bob.id, kept.id)
        assert not uow.templates.delete_one(bob.id, kept.id)
        assert uow.templates.delete_for(alice.id) == 2
        assert uow.templates.list_for(alice.id) == []
        with pytest.raises(NotFoundError, match="employee 4242"):
            uow.templates.add(4242, embedding(1))


def test_vectors_must_be_float32() -> None:
    from hadir.store.types import vector_to_bytes

    with pytest.raises(DomainValidationError, match="float32"):
        vector_to_bytes(np.zeros(8, dtype=np.float64))
