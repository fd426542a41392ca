"""Enrolment over a real (SQLite) store with the fake face engine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hadir.domain.errors import DomainValidationError, ErrorCode
from hadir.services.enrolment import delete_faces, enrol_faces, list_faces, sha256_of
from hadir.services.errors import InactiveEmployeeError, UnknownEmployeeError

from .conftest import QUALITY, FakeFaceEngine, FixedClock, UowFactory, photo
from .helpers import ARIO, SRI, add_employee

CONSENT_AT = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


def test_enrol_stores_templates_and_consent(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    images = [photo("sri", seed=1), photo("sri", seed=2)]
    changes: list[int] = []

    outcomes = enrol_faces(
        uow_factory,
        fake_engine,
        SRI,
        images,
        consent=True,
        clock=FixedClock(CONSENT_AT),
        on_change=lambda: changes.append(1),
    )

    assert [o.accepted for o in outcomes] == [True, True]
    assert [o.position for o in outcomes] == [0, 1]
    assert all(o.template_id is not None and o.quality == QUALITY for o in outcomes)
    assert outcomes[0].image_sha256 == sha256_of(images[0])
    assert changes == [1]
    assert set(fake_engine.calls) == {"enrol"}
    faces = list_faces(uow_factory, SRI)
    assert [f.template_id for f in faces] == [o.template_id for o in outcomes]
    assert faces[0].image_sha256 == sha256_of(images[0])
    assert faces[0].quality == QUALITY
    with uow_factory() as uow:
        assert uow.employees.get_by_employee_id(SRI).consent_at == CONSENT_AT


def test_a_photo_already_enrolled_is_refused_per_image(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    first = photo("sri", seed=1)
    enrol_faces(uow_factory, fake_engine, SRI, [first], consent=True)

    outcomes = enrol_faces(
        uow_factory,
        fake_engine,
        SRI,
        [first, photo("sri", seed=2), photo("sri", seed=2), b"error=face_blurry"],
        consent=False,  # recorded earlier
    )

    assert [(o.accepted, o.error_code) for o in outcomes] == [
        (False, ErrorCode.CONFLICT),
        (True, None),
        (False, ErrorCode.CONFLICT),
        (False, ErrorCode.FACE_BLURRY),
    ]
    assert outcomes[3].message == "fake refusal"
    assert len(list_faces(uow_factory, SRI)) == 2


def test_unknown_and_inactive_employees_are_refused(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), ARIO, "Ario", active=False)
    with pytest.raises(UnknownEmployeeError) as unknown:
        enrol_faces(uow_factory, fake_engine, "000", [photo("x")], consent=True)
    assert unknown.value.code is ErrorCode.UNKNOWN_EMPLOYEE
    with pytest.raises(InactiveEmployeeError):
        enrol_faces(uow_factory, fake_engine, ARIO, [photo("ario")], consent=True)
    assert fake_engine.calls == []


def test_no_consent_no_enrolment(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    with pytest.raises(DomainValidationError):
        enrol_faces(uow_factory, fake_engine, SRI, [photo("sri")], consent=False)
    assert list_faces(uow_factory, SRI) == []


def test_delete_faces(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    enrol_faces(uow_factory, fake_engine, SRI, [photo("sri")], consent=True)
    changes: list[int] = []

    assert delete_faces(uow_factory, SRI, on_change=lambda: changes.append(1)) == 1
    assert list_faces(uow_factory, SRI) == []
    assert changes == [1]
