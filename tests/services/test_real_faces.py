"""The use cases end to end with the real face model on real faces (dev set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ErrorCode, HadirError
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.errors import FaceMismatchError
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import FaceAnalyser
from hadir.services.records import MatchMethod
from services.helpers import POLICY

from .conftest import FixedClock, UowFactory, wib
from .helpers import ARIO, SRI, add_employee

pytestmark = pytest.mark.slow


def test_enrol_check_in_mismatch_and_identify(
    uow_factory: UowFactory, engine: FaceAnalyser, faces: Path
) -> None:
    serena = faces / "Serena_Williams"
    add_employee(uow_factory(), SRI, "Serena Williams")
    add_employee(uow_factory(), ARIO, "Ariel Sharon")
    provider = TemplateIndexProvider(uow_factory)
    outcomes = enrol_faces(
        uow_factory,
        engine,
        SRI,
        [(serena / f"Serena_Williams_{n}.jpg").read_bytes() for n in ("0001", "0004")],
        consent=True,
        on_change=provider.invalidate,
    )
    assert [o.accepted for o in outcomes] == [True, True], outcomes
    enrol_faces(
        uow_factory,
        engine,
        ARIO,
        [(faces / "Ariel_Sharon" / "Ariel_Sharon_0002.jpg").read_bytes()],
        consent=True,
        on_change=provider.invalidate,
    )
    clock = FixedClock(wib(2025, 3, 3, 7, 45))
    probe = (serena / "Serena_Williams_0010.jpg").read_bytes()

    accepted = check(
        uow_factory,
        engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_IN, probe, SRI),
        clock=clock,
        policy=POLICY,
    )
    assert accepted.decision is Decision.ACCEPTED, accepted.similarity

    sharon = (faces / "Ariel_Sharon" / "Ariel_Sharon_0001.jpg").read_bytes()
    with pytest.raises(FaceMismatchError) as raised:
        check(
            uow_factory,
            engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_OUT, sharon, SRI),
            clock=clock,
            policy=POLICY,
        )
    assert raised.value.code is ErrorCode.FACE_MISMATCH
    with uow_factory() as uow:
        rejected = uow.events.get(int(str(raised.value.details["event_id"])))
    assert rejected.decision is Decision.REJECTED
    assert rejected.employee_id == accepted.employee.id

    # the same photo again is a replay, even to identify
    with pytest.raises(HadirError) as replayed:
        check(
            uow_factory,
            engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_OUT, probe),
            policy=POLICY,
        )
    assert replayed.value.code is ErrorCode.REPLAYED_IMAGE

    another = (serena / "Serena_Williams_0016.jpg").read_bytes()
    identified = check(
        uow_factory,
        engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_OUT, another),
        clock=FixedClock(wib(2025, 3, 3, 16, 5)),
        policy=POLICY,
    )
    assert identified.employee.employee_id == SRI
    assert identified.event.method is MatchMethod.IDENTIFY
    assert identified.decision is Decision.ACCEPTED
