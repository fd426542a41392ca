"""Check-in guards over a real store: replay (exact, near-duplicate, concurrent), geofence
(inside, outside, accuracy, location required, dinas luar, kiosk), per-employee rate,
audit entries; SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import AttendanceKind, Decision, Leave, LeaveKind, LeaveStatus
from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.intake import decode_image, encode_jpeg
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.services.checkguard import CheckPolicy
from hadir.services.checkin import CheckRequest, CheckResult, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ratelimit import RateLimiter
from hadir.services.records import NewEmployee
from services.helpers import POLICY

from .conftest import FakeFaceEngine, FixedClock, UowFactory, factory_for, photo, wib
from .helpers import SRI

WHEN = wib(2025, 3, 3, 7, 50)
OFFICE = (-6.595, 106.816)
METRE = 1 / 111_195  # degrees of latitude per metre


class PhotoEngine(FakeFaceEngine):
    """Any real image is "Sri" (the fake embedding); the spec bytes still work."""

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
    ) -> FaceAnalysis:
        if data[:2] in (b"\xff\xd8", b"\x89P"):
            seed = int.from_bytes(hashlib.sha256(data).digest()[:2], "little")
            data = photo("sri", seed=seed)
        return super().analyse(data, purpose)


def _setup(make: UowFactory, engine: FakeFaceEngine, *, office: bool = False) -> int:
    with make() as uow:
        office_id = None
        if office:
            office_id = uow.offices.add(
                "PEMDA", "Kantor Bupati", latitude=OFFICE[0], longitude=OFFICE[1], radius_m=100
            ).id
        employee = uow.employees.add(NewEmployee(SRI, "Sri Wahyuni", office_id=office_id))
        uow.commit()
    outcomes = enrol_faces(
        make, engine, SRI, [photo("sri", seed=1), photo("sri", seed=2)], consent=True
    )
    assert all(o.accepted for o in outcomes)
    return employee.id


def _check(
    make: UowFactory,
    engine: FakeFaceEngine,
    image: bytes,
    *,
    kind: AttendanceKind = AttendanceKind.CHECK_IN,
    policy: CheckPolicy = POLICY,
    **fields: object,
) -> CheckResult:
    request = CheckRequest(kind, image, fields.pop("employee_id", SRI), **fields)  # type: ignore[arg-type]
    return check(
        make, engine, TemplateIndexProvider(make), request, clock=FixedClock(WHEN), policy=policy
    )


def _refusal(
    make: UowFactory, engine: FakeFaceEngine, image: bytes, **fields: object
) -> HadirError:
    with pytest.raises(HadirError) as refused:
        _check(make, engine, image, **fields)
    return refused.value


def _dev_photo(faces: Path, name: str = "Serena_Williams/Serena_Williams_0010.jpg") -> bytes:
    return (faces / name).read_bytes()


def test_exact_replay_is_refused_and_recorded(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)
    first = _check(make, engine, photo("sri", seed=7))
    assert first.decision is Decision.ACCEPTED
    again = _refusal(make, engine, photo("sri", seed=7), kind=AttendanceKind.CHECK_OUT)
    assert again.code is ErrorCode.REPLAYED_IMAGE
    assert again.details["earlier_event_id"] == first.event.id
    # an enrolment photo is a replay too
    assert _refusal(make, engine, photo("sri", seed=1)).code is ErrorCode.REPLAYED_IMAGE
    with make() as uow:
        events = uow.events.list()
        actions = [e.action for e in reversed(uow.audit.list())]
        assert uow.audit.verify() is None
    assert [e.refusal_code for e in events] == [None, "replayed_image", "replayed_image"]
    assert events[1].image_sha256 is None  # the refused copy is not "used"
    assert actions.count("attendance.check_in") == 2
    assert actions.count("attendance.check_out") == 1
    # a new photo works
    assert _check(make, engine, photo("sri", seed=8), kind=AttendanceKind.CHECK_OUT).decision


def test_near_duplicates_are_refused_but_another_photo_is_not(any_db: Engine, faces: Path) -> None:
    make = factory_for(any_db)
    engine = PhotoEngine()
    _setup(make, engine)
    original = _dev_photo(faces)
    assert _check(make, engine, original).decision is Decision.ACCEPTED
    image = decode_image(original)
    re_encoded = encode_jpeg(image, quality=60)
    resized = encode_jpeg(cv2.resize(image, (220, 220), interpolation=cv2.INTER_AREA))
    for copy in (re_encoded, resized):
        refused = _refusal(make, engine, copy, kind=AttendanceKind.CHECK_OUT)
        assert refused.code is ErrorCode.REPLAYED_IMAGE
        assert refused.details["match"] == "similar"
    other = _dev_photo(faces, "Serena_Williams/Serena_Williams_0016.jpg")
    result = _check(make, engine, other, kind=AttendanceKind.CHECK_OUT)
    assert result.decision is Decision.ACCEPTED


def test_replay_can_be_switched_off(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)
    off = CheckPolicy(replay=False)
    _check(make, engine, photo("sri", seed=7), policy=off)
    out = _check(make, engine, photo("sri", seed=7), kind=AttendanceKind.CHECK_OUT, policy=off)
    assert out.decision is Decision.ACCEPTED


def test_the_same_image_sent_twice_at_once(any_db: Engine) -> None:
    """Same bytes, no client_request_id, concurrently: one accepted, the others replayed."""
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)
    image = photo("sri", seed=11)

    def send(_: int) -> str:
        try:
            return _check(make, engine, image).decision.value
        except HadirError as exc:
            return exc.code.value

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(send, range(8)))
    assert sorted(results) == ["accepted"] + ["replayed_image"] * 7
    with make() as uow:
        accepted = [e for e in uow.events.list() if e.decision is Decision.ACCEPTED]
        assert uow.audit.verify() is None
    assert len(accepted) == 1


def test_same_request_id_and_image_at_once_is_idempotent(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)

    def send(_: int) -> int:
        return _check(make, engine, photo("sri", seed=12), client_request_id="r-9").event.id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(send, range(8)))
    assert len(ids) == 1


def _at(metres_north: float) -> dict[str, float]:
    return {"latitude": OFFICE[0] + metres_north * METRE, "longitude": OFFICE[1]}


def test_geofence_for_self_check_ins(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine, office=True)
    missing = _refusal(make, engine, photo("sri", seed=20), self_service=True)
    assert missing.code is ErrorCode.LOCATION_REQUIRED
    far = _refusal(
        make, engine, photo("sri", seed=21), self_service=True, accuracy_m=10.0, **_at(450)
    )
    assert far.code is ErrorCode.OUTSIDE_GEOFENCE
    assert far.details["distance_m"] == pytest.approx(450, abs=2)
    assert far.details["office"] == "PEMDA"
    # 150 m away with 60 m accuracy: credited, inside
    ok = _check(make, engine, photo("sri", seed=22), self_service=True, accuracy_m=60.0, **_at(150))
    assert ok.decision is Decision.ACCEPTED
    # the kiosk (not self service) is exempt, even without a location
    kiosk = _check(make, engine, photo("sri", seed=23), kind=AttendanceKind.CHECK_OUT)
    assert kiosk.decision is Decision.ACCEPTED
    with make() as uow:
        codes = [e.refusal_code for e in uow.events.list()]
    assert codes == ["location_required", "outside_geofence", None, None]


@pytest.mark.parametrize("kind", [LeaveKind.DINAS_LUAR, LeaveKind.WFH])
def test_dinas_luar_and_wfh_lift_the_geofence(any_db: Engine, kind: LeaveKind) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    employee_id = _setup(make, engine, office=True)
    day = date(2025, 3, 3)
    with make() as uow:
        uow.leaves.add(Leave(employee_id, LeaveKind.CUTI, day, day, LeaveStatus.REQUESTED))
        uow.commit()
    far = _refusal(make, engine, photo("sri", seed=30), self_service=True, **_at(5000))
    assert far.code is ErrorCode.OUTSIDE_GEOFENCE  # only approved dinas luar or WFH counts
    with make() as uow:
        uow.leaves.add(Leave(employee_id, kind, day, day, LeaveStatus.APPROVED))
        uow.commit()
    result = _check(make, engine, photo("sri", seed=31), self_service=True, **_at(5000))
    assert result.decision is Decision.ACCEPTED


def test_employees_without_office_may_use_any_office(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)  # Sri has no office
    with make() as uow:
        uow.offices.add("A", "A", latitude=OFFICE[0], longitude=OFFICE[1], radius_m=100)
        uow.offices.add("B", "B", latitude=OFFICE[0] + 0.1, longitude=OFFICE[1], radius_m=100)
        uow.offices.add("C", "no coordinates")
        uow.commit()
    near_b = {"latitude": OFFICE[0] + 0.1 + 20 * METRE, "longitude": OFFICE[1]}
    assert _check(make, engine, photo("sri", seed=40), self_service=True, **near_b).decision
    between = _refusal(make, engine, photo("sri", seed=41), self_service=True, **_at(5000))
    assert between.code is ErrorCode.OUTSIDE_GEOFENCE


def test_per_employee_rate_limit(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)
    policy = CheckPolicy(employee_limiter=RateLimiter(2, burst=2))
    _check(make, engine, photo("sri", seed=50), policy=policy)
    _check(make, engine, photo("sri", seed=51), policy=policy, kind=AttendanceKind.CHECK_OUT)
    limited = _refusal(make, engine, photo("sri", seed=52), policy=policy)
    assert limited.code is ErrorCode.RATE_LIMITED
    assert int(str(limited.details["retry_after"])) >= 1


def test_garbage_bytes_have_no_perceptual_hash(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make, engine)
    _check(make, engine, photo("sri", seed=60))
    with make() as uow:
        event = uow.events.list()[0]
    assert event.image_sha256 == hashlib.sha256(photo("sri", seed=60)).hexdigest()
    assert event.image_phash is None


def test_phash_is_stored_for_real_images(any_db: Engine, faces: Path) -> None:
    make = factory_for(any_db)
    engine = PhotoEngine()
    _setup(make, engine)
    _check(make, engine, _dev_photo(faces))
    with make() as uow:
        stored = uow.events.list()[0].image_phash
    assert stored is not None and len(stored) == 16
    assert np.uint64(int(stored, 16)) >= 0
