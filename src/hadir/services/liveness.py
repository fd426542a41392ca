"""Active liveness: a signed single-use challenge, a burst of frames, then the check.

1. :func:`hadir.services.challenge.issue_challenge` picks a motion and signs it into a
   single-use token.
2. :func:`verify_and_check` opens the token (signature, expiry, same kind and employee),
   burns its nonce (``uow.nonces``: a second use is ``challenge_reused``), analyses every
   frame (one face each), checks every frame is the claimed employee (or, at a kiosk,
   one and the same identified employee), judges the motion
   (:func:`hadir.face.liveness.judge`) and records the attendance with the most frontal
   frame through :func:`hadir.services.checkin.check`. A refused burst is recorded as a
   rejected event (``refusal_code`` ``liveness_failed``) and raised as that error with
   the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import NoReturn

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.intake import IntakeLimits, decode_image
from hadir.face.liveness import (
    FrameObservation,
    LivenessThresholds,
    LivenessVerdict,
    face_patch,
    judge,
)
from hadir.face.matching import MatchDecision, verify
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.face.texture import face_texture
from hadir.face.types import Embedding, Image
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.challenge import consume_challenge, open_challenge
from hadir.services.checkguard import CheckPolicy
from hadir.services.checkin import CheckRequest, CheckResult, check
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import FaceMismatchError, NotEnrolledError
from hadir.services.identify import identify
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import AbstractUnitOfWork, Clock, FaceAnalyser, UowFactory
from hadir.services.records import EmployeeKey, EmployeeRecord, MatchMethod, NewEvent, Role


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LiveCheckRequest:
    kind: AttendanceKind
    challenge: str
    frames: Sequence[bytes]
    employee_id: str | None = None
    client_request_id: str | None = None
    device: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    self_service: bool = False
    """An employee on their own device: the geofence applies (``CheckRequest``)."""
    actor: Actor | None = None
    """Who sent it, for the audit trail (``CheckRequest``)."""


def observe(engine: FaceAnalyser, data: bytes) -> tuple[FaceAnalysis, FrameObservation]:
    """One frame: the engine's analysis and what :func:`judge` needs of it."""
    return observe_image(engine, data, decode_image(data))


def observe_image(
    engine: FaceAnalyser, data: bytes, image: Image
) -> tuple[FaceAnalysis, FrameObservation]:
    """:func:`observe` of a frame already decoded (each frame is decoded once)."""
    analysis = engine.analyse(data, Purpose.VERIFY, image=image)
    landmarks = analysis.detection.landmarks
    observation = FrameObservation(
        landmarks=landmarks,
        box=analysis.detection.box,
        image_size=analysis.image_size,
        patch=face_patch(image, landmarks),
        digest=hashlib.sha256(data).digest(),
        texture=face_texture(image, landmarks),
    )
    return analysis, observation


def verify_and_check(
    uow_factory: UowFactory,
    engine: FaceAnalyser,
    index_provider: TemplateIndexProvider,
    secret: bytes,
    request: LiveCheckRequest,
    *,
    policy: CheckPolicy,
    thresholds: LivenessThresholds,
    clock: Clock = _utc_now,
) -> CheckResult:
    """Check a burst against its challenge, then record the attendance (module doc) with
    the same guards as a plain check (``policy``: replay, geofence, audit, evidence;
    ``thresholds``: the liveness limits). Both come from the composition root."""
    occurred_at = clock()
    challenge = open_challenge(secret, request.challenge, occurred_at)
    kind = AttendanceKind(request.kind)
    if challenge.kind is not kind or challenge.employee_id != request.employee_id:
        raise HadirError(
            "The challenge was issued for another check; ask for a new one.",
            code=ErrorCode.LIVENESS_FAILED,
            reason="challenge_mismatch",
        )
    consume_challenge(uow_factory, challenge)
    attempt = _LiveAttempt(uow_factory, request, kind, occurred_at)
    employee, templates = _claimed(uow_factory, engine, request.employee_id)
    if employee is not None:
        attempt.employee_key = employee.id
        attempt.method = MatchMethod.VERIFY
        if not templates:
            attempt.refuse(
                NotEnrolledError(
                    "No face is enrolled for this employee with the current face model.",
                    employee_id=employee.employee_id,
                )
            )
    if not thresholds.min_frames <= len(request.frames) <= thresholds.max_frames:
        attempt.refuse(_failed("too_few_frames", frames=len(request.frames)))
    intake = policy.intake
    images, analyses, observations = _observe_all(attempt, engine, request.frames, intake)
    if employee is None:
        employee, templates = _identified(uow_factory, engine, index_provider, analyses)
        attempt.employee_key = None if employee is None else employee.id
    matches = [bool(templates) and _matches(engine, a.embedding, templates) for a in analyses]
    if employee is None or not any(matches):
        attempt.refuse(
            FaceMismatchError(
                "The face does not match an enrolled employee. Try again facing the camera."
            )
        )
    observations = [_with_identity(o, same) for o, same in zip(observations, matches, strict=True)]
    verdict = judge(challenge.action, observations, thresholds)
    if not verdict.passed:
        attempt.refuse(_verdict_error(verdict))
    return check(
        uow_factory,
        engine,
        index_provider,
        CheckRequest(
            kind=kind,
            image=request.frames[verdict.best_frame],
            employee_id=employee.employee_id,
            identified=request.employee_id is None,
            decoded=images[verdict.best_frame],
            analysis=analyses[verdict.best_frame],
            client_request_id=request.client_request_id,
            device=request.device,
            latitude=request.latitude,
            longitude=request.longitude,
            accuracy_m=request.accuracy_m,
            self_service=request.self_service,
            actor=request.actor,
        ),
        clock=lambda: occurred_at,
        policy=policy,
    )


def _observe_all(
    attempt: _LiveAttempt, engine: FaceAnalyser, frames: Sequence[bytes], intake: IntakeLimits
) -> tuple[list[Image], list[FaceAnalysis], list[FrameObservation]]:
    """Every frame decoded once and analysed (one face each); the first refusal is
    recorded and raised."""
    images: list[Image] = []
    analyses: list[FaceAnalysis] = []
    observations: list[FrameObservation] = []
    for data in frames:
        try:
            image = decode_image(data, intake)
            analysis, observation = observe_image(engine, data, image)
        except HadirError as exc:
            attempt.refuse(exc)
        images.append(image)
        analyses.append(analysis)
        observations.append(observation)
    return images, analyses, observations


def _identified(
    uow_factory: UowFactory,
    engine: FaceAnalyser,
    index_provider: TemplateIndexProvider,
    analyses: Sequence[FaceAnalysis],
) -> tuple[EmployeeRecord | None, list[Embedding]]:
    """A kiosk's 1:N: the employee the most frontal frame identifies, with their templates
    (every frame is then verified against them)."""
    frontal = min(analyses, key=lambda a: abs(a.quality.yaw))
    found = _identify(engine, index_provider, frontal.embedding)
    if found is None:
        return None, []
    with uow_factory() as uow:
        nip = uow.employees.get(found).employee_id
    return _claimed(uow_factory, engine, nip)


def _failed(reason: str, **details: object) -> HadirError:
    return HadirError(
        "The liveness check failed; follow the instructions and try again.",
        code=ErrorCode.LIVENESS_FAILED,
        reason=reason,
        **details,
    )


def _verdict_error(verdict: LivenessVerdict) -> HadirError:
    reason = "unknown" if verdict.reason is None else verdict.reason.value
    return _failed(reason)


def _with_identity(observation: FrameObservation, same: bool) -> FrameObservation:
    return replace(observation, same_person=same)


def _claimed(
    uow_factory: UowFactory, engine: FaceAnalyser, nip: str | None
) -> tuple[EmployeeRecord | None, list[Embedding]]:
    if nip is None:
        return None, []
    contract = engine.embedder.contract
    with uow_factory() as uow:
        employee = require_active(find_employee(uow.employees, nip))
        templates = [
            t.embedding
            for t in uow.templates.list_for(employee.id)
            if t.embedding.contract == contract
        ]
    return employee, templates


def _matches(engine: FaceAnalyser, embedding: Embedding, templates: list[Embedding]) -> bool:
    return verify(embedding, templates, engine.thresholds).decision is not MatchDecision.REJECT


def _identify(
    engine: FaceAnalyser, index_provider: TemplateIndexProvider, embedding: Embedding
) -> EmployeeKey | None:
    found = identify(engine, index_provider, embedding)
    return None if found.decision is MatchDecision.REJECT else found.employee_key


class _LiveAttempt:
    """Records a refused burst as a rejected attendance event, then raises."""

    def __init__(
        self,
        uow_factory: UowFactory,
        request: LiveCheckRequest,
        kind: AttendanceKind,
        occurred_at: datetime,
    ) -> None:
        self.uow_factory = uow_factory
        self.request = request
        self.kind = kind
        self.occurred_at = occurred_at
        self.employee_key: EmployeeKey | None = None
        self.method = MatchMethod.IDENTIFY

    def refuse(self, error: HadirError) -> NoReturn:
        event = NewEvent(
            employee_id=self.employee_key,
            kind=self.kind,
            occurred_at=self.occurred_at,
            decision=Decision.REJECTED,
            method=self.method,
            similarity=None,
            threshold=None,
            device=self.request.device,
            latitude=self.request.latitude,
            longitude=self.request.longitude,
            accuracy_m=self.request.accuracy_m,
            client_request_id=None,  # a retry with a new challenge may reuse it
            refusal_code=error.code.value,
        )
        with self.uow_factory() as uow:
            recorded = uow.events.add(event)
            audit.record_attendance(
                uow,
                recorded,
                actor=self.request.actor,
                liveness=error.details.get("reason"),
            )
            uow.commit()
        raise error


def require_liveness_check(uow: AbstractUnitOfWork, role: Role, employee_id: str | None) -> None:
    """For the plain (single-photo) check: ``liveness_required`` when a self or kiosk
    check-in concerns an office that requires liveness. A kiosk identifying (no
    ``employee_id``) is refused as soon as any office requires it."""
    if role not in (Role.EMPLOYEE, Role.KIOSK):
        return
    if employee_id is None:
        required = any(o.require_liveness for o in uow.offices.list())
    else:
        employee = find_employee(uow.employees, employee_id)
        required = (
            employee.office_id is not None and uow.offices.get(employee.office_id).require_liveness
        )
    if required:
        raise HadirError(
            "This office requires the liveness check; use the camera challenge.",
            code=ErrorCode.LIVENESS_REQUIRED,
        )
