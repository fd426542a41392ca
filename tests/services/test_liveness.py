"""Liveness challenges and the live check over a real store (SQLite and PostgreSQL) with a
fake engine that returns chosen landmarks for real (noise) frames."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import Engine

from face.liveness_shapes import head, sheet
from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.liveness import ChallengeAction, LivenessThresholds
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.face.types import Detection
from hadir.services.challenge import issue_challenge, open_challenge
from hadir.services.checkin import CheckResult
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.liveness import LiveCheckRequest, require_liveness_check, verify_and_check
from hadir.services.records import MatchMethod, Role
from services.helpers import POLICY

from .conftest import NOW, FakeFaceEngine, FixedClock, UowFactory, factory_for, photo
from .helpers import ARIO, SRI, add_employee

SECRET = b"a-test-secret-of-32-bytes-length"


class LandmarkEngine(FakeFaceEngine):
    """The fake engine, but frames are real images registered with a person and the
    landmarks the detector should report."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: dict[bytes, tuple[str, npt.NDArray[np.float32]]] = {}

    def frame(self, person: str, landmarks: npt.NDArray[np.float32]) -> bytes:
        rng = np.random.default_rng(len(self.frames))
        image = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
        ok, buffer = cv2.imencode(".png", image)
        assert ok
        data = bytes(buffer.tobytes())
        self.frames[data] = (person, landmarks)
        return data

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
    ) -> FaceAnalysis:
        if data not in self.frames:
            return super().analyse(data, purpose)
        person, landmarks = self.frames[data]
        base = super().analyse(photo(person, seed=len(self.frames)), purpose)
        x1, y1 = landmarks.min(axis=0) - 40
        x2, y2 = landmarks.max(axis=0) + 40
        box = (float(x1), float(y1), float(x2), float(y2))
        return replace(base, detection=Detection(box, 0.99, landmarks), image_size=(480, 640))


def turn(engine: LandmarkEngine, person: str = "sri") -> list[bytes]:
    return [engine.frame(person, head(y)) for y in (0, 30, 5, -30)]


def flat(engine: LandmarkEngine, person: str = "sri") -> list[bytes]:
    return [engine.frame(person, sheet(y)) for y in (0, 35, 0, -35)]


@pytest.fixture
def live_engine() -> LandmarkEngine:
    return LandmarkEngine()


def setup(make_uow: UowFactory, engine: LandmarkEngine) -> None:
    add_employee(make_uow(), SRI, "Sri Wahyuni")
    add_employee(make_uow(), ARIO, "Ario Nugroho")
    for nip, person in ((SRI, "sri"), (ARIO, "ario")):
        outcomes = enrol_faces(
            make_uow, engine, nip, [photo(person, seed=1), photo(person, seed=2)], consent=True
        )
        assert all(o.accepted for o in outcomes)


def challenge(nip: str | None, action: ChallengeAction) -> str:
    return issue_challenge(SECRET, AttendanceKind.CHECK_IN, nip, NOW, action=action).token


def live(
    make_uow: UowFactory,
    engine: LandmarkEngine,
    token: str,
    frames: list[bytes],
    nip: str | None = SRI,
    at: datetime = NOW,
) -> CheckResult:
    return verify_and_check(
        make_uow,
        engine,
        TemplateIndexProvider(make_uow),
        SECRET,
        LiveCheckRequest(AttendanceKind.CHECK_IN, token, frames, employee_id=nip, device="k1"),
        clock=FixedClock(at),
        policy=POLICY,
        thresholds=LivenessThresholds(),
    )


def code_of(excinfo: pytest.ExceptionInfo[HadirError]) -> tuple[ErrorCode, object]:
    return excinfo.value.code, excinfo.value.details.get("reason")


def test_token_signature_expiry_and_random_action() -> None:
    issued = issue_challenge(SECRET, "check_in", SRI, NOW, random.Random(1))
    opened = open_challenge(SECRET, issued.token, NOW + timedelta(seconds=59))
    assert (opened.nonce, opened.action, opened.employee_id) == (
        issued.nonce,
        issued.action,
        SRI,
    )
    assert opened.kind is AttendanceKind.CHECK_IN
    assert issued.expires_at == NOW + timedelta(seconds=60)
    with pytest.raises(HadirError) as expired:
        open_challenge(SECRET, issued.token, NOW + timedelta(seconds=60))
    assert expired.value.code is ErrorCode.CHALLENGE_EXPIRED
    body, _, signature = issued.token.partition(".")
    for bad in (
        f"{body}.{signature[:-2]}AA",
        f"{body[:-2]}AA.{signature}",
        issued.token.replace(".", ""),
        "",
        "x.y",
    ):
        with pytest.raises(HadirError) as tampered:
            open_challenge(SECRET, bad, NOW)
        assert code_of(tampered) == (ErrorCode.LIVENESS_FAILED, "invalid_challenge"), bad
    with pytest.raises(HadirError):
        open_challenge(b"another-secret-of-enough-length!", issued.token, NOW)
    default = {
        issue_challenge(SECRET, "check_in", None, NOW, random.Random(s)).action for s in range(20)
    }
    assert default == {ChallengeAction.TURN_LEFT_RIGHT}  # "come closer" is opt-in
    every = tuple(ChallengeAction)
    actions = {
        issue_challenge(SECRET, "check_in", None, NOW, random.Random(s), actions=every).action
        for s in range(20)
    }
    assert actions == set(ChallengeAction)
    nonces = {issue_challenge(SECRET, "check_in", None, NOW).nonce for _ in range(50)}
    assert len(nonces) == 50


def test_genuine_turn_is_recorded_and_the_challenge_is_single_use(
    any_db: Engine, live_engine: LandmarkEngine
) -> None:
    make_uow = factory_for(any_db)
    setup(make_uow, live_engine)
    token = challenge(SRI, ChallengeAction.TURN_LEFT_RIGHT)
    result = live(make_uow, live_engine, token, turn(live_engine), at=NOW + timedelta(seconds=5))
    assert result.decision is Decision.ACCEPTED
    assert result.employee.employee_id == SRI
    assert result.event.method is MatchMethod.VERIFY
    assert result.event.occurred_at == NOW + timedelta(seconds=5)
    with pytest.raises(HadirError) as reused:
        live(make_uow, live_engine, token, turn(live_engine), at=NOW + timedelta(seconds=10))
    assert reused.value.code is ErrorCode.CHALLENGE_REUSED
    with make_uow() as uow:
        events = uow.events.list()
    assert [e.decision for e in events] == [Decision.ACCEPTED]


def test_refused_bursts_are_recorded_as_liveness_failed(
    any_db: Engine, live_engine: LandmarkEngine
) -> None:
    make_uow = factory_for(any_db)
    setup(make_uow, live_engine)
    attacks = {
        "planar_motion": flat(live_engine),
        "identity_changed": [
            live_engine.frame("sri", head(0)),
            live_engine.frame("ario", head(30)),
            live_engine.frame("sri", head(-30)),
        ],
        "identical_frames": [live_engine.frame("sri", head(0))] * 3,
        "wrong_direction": [live_engine.frame("sri", head(y)) for y in (0, -30, 30)],
        "too_few_frames": turn(live_engine)[:2],
    }
    for reason, frames in attacks.items():
        token = challenge(SRI, ChallengeAction.TURN_LEFT_RIGHT)
        with pytest.raises(HadirError) as refused:
            live(make_uow, live_engine, token, frames)
        code, got = code_of(refused)
        assert code is ErrorCode.LIVENESS_FAILED
        if reason == "planar_motion":
            assert got in {"planar_motion", "no_motion"}
        else:
            assert got == reason
    with make_uow() as uow:
        events = uow.events.list()
    assert len(events) == len(attacks)
    assert {e.decision for e in events} == {Decision.REJECTED}
    assert {e.refusal_code for e in events} == {"liveness_failed"}
    assert {e.employee_id for e in events} == {events[0].employee_id} != {None}


def test_kiosk_identifies_and_mismatched_challenge_is_refused(
    db: Engine, live_engine: LandmarkEngine
) -> None:
    make_uow = factory_for(db)
    setup(make_uow, live_engine)
    token = challenge(None, ChallengeAction.TURN_LEFT_RIGHT)
    result = live(make_uow, live_engine, token, turn(live_engine, "ario"), nip=None)
    assert result.employee.employee_id == ARIO
    other = challenge(SRI, ChallengeAction.TURN_LEFT_RIGHT)
    with pytest.raises(HadirError) as mismatch:
        live(make_uow, live_engine, other, turn(live_engine, "ario"), nip=ARIO)
    assert code_of(mismatch) == (ErrorCode.LIVENESS_FAILED, "challenge_mismatch")
    stranger = challenge(None, ChallengeAction.TURN_LEFT_RIGHT)
    with pytest.raises(HadirError) as nobody:
        live(make_uow, live_engine, stranger, turn(live_engine, "budi"), nip=None)
    assert nobody.value.code is ErrorCode.FACE_MISMATCH


def test_come_closer(db: Engine, live_engine: LandmarkEngine) -> None:
    make_uow = factory_for(db)
    setup(make_uow, live_engine)
    frames = [live_engine.frame("sri", head(0, depth=d)) for d in (600, 500, 420)]
    token = challenge(SRI, ChallengeAction.COME_CLOSER)
    assert live(make_uow, live_engine, token, frames).decision is Decision.ACCEPTED


def test_require_liveness_check(any_db: Engine) -> None:
    make_uow = factory_for(any_db)
    add_employee(make_uow(), SRI, "Sri Wahyuni")
    with make_uow() as uow:
        require_liveness_check(uow, Role.KIOSK, SRI)  # no office: not required
        require_liveness_check(uow, Role.KIOSK, None)
        office = uow.offices.add("BPD", "Bappeda", require_liveness=True)
        uow.employees.update(replace(uow.employees.get_by_employee_id(SRI), office_id=office.id))
        uow.commit()
    with make_uow() as uow:
        assert uow.offices.get(office.id).require_liveness
        for role in (Role.KIOSK, Role.EMPLOYEE):
            for nip in (SRI, None):
                with pytest.raises(HadirError) as required:
                    require_liveness_check(uow, role, nip)
                assert required.value.code is ErrorCode.LIVENESS_REQUIRED
        require_liveness_check(uow, Role.OPERATOR, SRI)
        require_liveness_check(uow, Role.ADMIN, SRI)
        relaxed = uow.offices.update(replace(uow.offices.get(office.id), require_liveness=False))
        uow.commit()
    assert relaxed.require_liveness is False
    with make_uow() as uow:
        assert uow.offices.list()[0].require_liveness is False
        require_liveness_check(uow, Role.KIOSK, SRI)


def test_kiosk_live_check_is_one_identification(db: Engine, live_engine: LandmarkEngine) -> None:
    """The kiosk's live path identifies like the plain one: recorded as ``identify``, the
    chosen frame analysed once (no second analysis by the check), and the runner-up
    margin applies (two employees enrolled with the same face: nobody is identified)."""
    make_uow = factory_for(db)
    setup(make_uow, live_engine)
    frames = turn(live_engine, "ario")
    live_engine.calls.clear()
    token = challenge(None, ChallengeAction.TURN_LEFT_RIGHT)
    result = live(make_uow, live_engine, token, frames, nip=None)
    assert result.employee.employee_id == ARIO
    assert result.event.method is MatchMethod.IDENTIFY
    assert len(live_engine.calls) == len(frames)
    twin = "199001012020011099"
    add_employee(make_uow(), twin, "Ario's twin")
    outcomes = enrol_faces(
        make_uow, live_engine, twin, [photo("ario", seed=5)], consent=True, override_by="root"
    )
    assert all(o.accepted for o in outcomes)
    again = challenge(None, ChallengeAction.TURN_LEFT_RIGHT)
    with pytest.raises(HadirError) as refused:
        live(make_uow, live_engine, again, turn(live_engine, "ario"), nip=None)
    assert refused.value.code is ErrorCode.FACE_MISMATCH
