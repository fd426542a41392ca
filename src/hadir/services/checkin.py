"""Check-in and check-out by face: 1:1 with a claimed employee, or 1:N without one.

Order of work, so a failure never leaves half a record:

1. A short read: the employee, an earlier event of the same ``client_request_id``
   (a retry is answered with that event, before any face work) and their templates.
2. The face work, outside any transaction.
3. One short unit of work inserting the event. Every attempt is recorded, accepted or
   not; a rejected attempt is recorded and then raised as an error. If a concurrent
   delivery of the same request wins the insert (unique constraint), the winner's event
   is read back and answered.
4. A read of the employee's day (schedule, overrides, holidays, leave, events) for the
   day status.

Matching follows the site calibration in force (``hadir.services.sitecal``), else the
engine's thresholds. Identification (no employee given) follows the 1:N rules of
:func:`hadir.services.identify.identify`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from hadir.domain.attendance import (
    AttendanceKind,
    Decision,
    find_replay,
)
from hadir.domain.errors import ConflictError, ErrorCode, HadirError
from hadir.face.fingerprint import FaceFingerprint, face_fingerprint
from hadir.face.matching import MatchDecision, verify
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.face.types import Image
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.checkanswer import CheckResult as CheckResult
from hadir.services.checkanswer import answer
from hadir.services.checkguard import (
    CheckPolicy,
    Photo,
    check_copied_face,
    check_location,
    check_replay,
    replayed_concurrently,
    same_photo_refusal,
)
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import NotEnrolledError
from hadir.services.identify import identify
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import AbstractUnitOfWork, Clock, FaceAnalyser, UowFactory
from hadir.services.records import EmployeeKey, EmployeeRecord, EventRecord, MatchMethod, NewEvent
from hadir.services.sitecal import match_policy, shipped_policy

_DECISIONS = {
    MatchDecision.ACCEPT: Decision.ACCEPTED,
    MatchDecision.REVIEW: Decision.NEEDS_REVIEW,
    MatchDecision.REJECT: Decision.REJECTED,
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CheckRequest:
    """One check attempt. ``employee_id`` is the NIP; ``None`` asks for identification."""

    kind: AttendanceKind
    image: bytes
    employee_id: str | None = None
    client_request_id: str | None = None
    device: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    self_service: bool = False
    """An employee checking in on their own device: the geofence applies (not kiosks)."""
    actor: Actor | None = None
    """Who sent it (username and client address), for the audit trail; ``None``: system."""
    identified: bool = False
    """``employee_id`` was found by identification (the kiosk's live check): the event
    is recorded as ``method=identify``."""
    decoded: Image | None = None
    """``image`` already decoded by the caller (not decoded again)."""
    analysis: FaceAnalysis | None = None
    """The photo already analysed by the caller (the live check's chosen frame): it is
    not analysed (decoded, detected, embedded) a second time."""


@dataclass(frozen=True)
class _Match:
    decision: Decision
    similarity: float | None
    threshold: float | None
    employee_key: EmployeeKey | None
    method: MatchMethod
    refusal: ErrorCode | None = None
    fingerprint: FaceFingerprint | None = None
    """The aligned face's fingerprint, for a face that matched (stored with the event)."""


def check(
    uow_factory: UowFactory,
    engine: FaceAnalyser,
    index_provider: TemplateIndexProvider,
    request: CheckRequest,
    *,
    policy: CheckPolicy,
    clock: Clock = _utc_now,
) -> CheckResult:
    """Record one check-in/check-out attempt and answer it (see the module docstring).
    ``policy`` comes from the composition root (never a default at request time)."""
    rules = policy
    kind = AttendanceKind(request.kind)
    crid = (request.client_request_id or "").strip() or None
    occurred_at = clock()
    contract = engine.embedder.contract
    photo = Photo.of(request.image, rules.intake, decoded=request.decoded)
    attempt = _Attempt(request, kind, crid, occurred_at, photo, rules)
    employee: EmployeeRecord | None = None
    templates = []
    site = shipped_policy(engine)
    claimed = MatchMethod.IDENTIFY if request.identified else MatchMethod.VERIFY
    if request.employee_id is not None:
        with uow_factory() as uow:
            employee = require_active(find_employee(uow.employees, request.employee_id))
            replay = _replay(uow, employee.id, crid, kind)
            if replay is None:
                site = match_policy(uow, engine)
                templates = [
                    t.embedding
                    for t in uow.templates.list_for(employee.id)
                    if t.embedding.contract == contract
                ]
        if replay is not None:
            return answer(uow_factory, replay, clock, replayed=True)
        if templates:  # not enrolled: refused below without decoding the photo
            earlier = _guard(uow_factory, attempt, employee, claimed, None)
            if earlier is not None:
                return answer(uow_factory, earlier, clock, replayed=True)

    match: _Match
    analysis: FaceAnalysis | None = None
    error: HadirError | None = None
    if employee is not None and not templates:
        error = NotEnrolledError(
            "No face is enrolled for this employee with the current face model.",
            employee_id=employee.employee_id,
        )
    elif request.analysis is not None:
        analysis = request.analysis
    else:
        purpose = Purpose.VERIFY if employee is not None else Purpose.IDENTIFY
        try:
            analysis = engine.analyse(request.image, purpose, image=photo.image)
        except HadirError as exc:
            error = exc
    if error is not None:
        method = claimed if employee is not None else MatchMethod.IDENTIFY
        match = _Match(
            Decision.REJECTED, None, None, employee.id if employee else None, method, error.code
        )
        refused, _ = _record(uow_factory, attempt, match)
        error.details.setdefault("event_id", refused.id)  # retries answer with the same id
        raise error
    assert analysis is not None
    if employee is not None:
        probe = site.embedding(analysis.embedding)
        result = verify(probe, site.embeddings(templates), site.thresholds)
        decision = _DECISIONS[result.decision]
        match = _Match(
            decision,
            result.similarity,
            result.threshold,
            employee.id,
            claimed,
            ErrorCode.FACE_MISMATCH if decision is Decision.REJECTED else None,
        )
    else:
        match = _identify(engine, index_provider, analysis)
        if match.employee_key is not None:
            with uow_factory() as uow:
                replay = _replay(uow, match.employee_key, crid, kind)
                identified = uow.employees.get(match.employee_key)
            if replay is not None:
                return answer(uow_factory, replay, clock, replayed=True)
            earlier = _guard(uow_factory, attempt, identified, MatchMethod.IDENTIFY, match)
            if earlier is not None:
                return answer(uow_factory, earlier, clock, replayed=True)
    if match.decision is not Decision.REJECTED and photo.image is not None:
        fingerprint = face_fingerprint(photo.image, analysis.detection.landmarks)
        match = replace(match, fingerprint=fingerprint)
    copied = same_photo_refusal(match.similarity, engine.embedder.contract.model_id)
    if copied is None and match.fingerprint is not None and match.employee_key is not None:
        with uow_factory() as uow:
            copied = check_copied_face(
                uow, match.employee_key, match.fingerprint, now=occurred_at, policy=rules
            )
    if copied is not None and rules.replay and match.employee_key is not None:
        as_replay = replace(match, decision=Decision.REJECTED, refusal=copied.code)
        _record(uow_factory, attempt, as_replay, keep_image=False)
        raise copied
    event, replayed = _record(uow_factory, attempt, match)
    return answer(uow_factory, event, clock, replayed=replayed)


@dataclass(frozen=True)
class _Attempt:
    request: CheckRequest
    kind: AttendanceKind
    crid: str | None
    occurred_at: datetime
    photo: Photo
    policy: CheckPolicy


def _guard(
    uow_factory: UowFactory,
    attempt: _Attempt,
    employee: EmployeeRecord,
    method: MatchMethod,
    match: _Match | None,
) -> EventRecord | None:
    """Rate, geofence and replay (``hadir.services.checkguard``); a refusal is recorded
    (without the image hashes: the photo was not used) and raised. Returns the event of
    an earlier delivery of the same request that committed meanwhile, if any."""
    request, rules = attempt.request, attempt.policy
    if rules.employee_limiter is not None:
        rules.employee_limiter.hit(f"employee:{employee.id}")
    with uow_factory() as uow:
        earlier = _replay(uow, employee.id, attempt.crid, attempt.kind)
        if earlier is not None:
            return earlier
        refusal = None
        if request.self_service:
            refusal = check_location(
                uow,
                employee,
                latitude=request.latitude,
                longitude=request.longitude,
                accuracy_m=request.accuracy_m,
                at=attempt.occurred_at,
                policy=rules,
            )
        refusal = refusal or check_replay(
            uow, employee, attempt.photo, now=attempt.occurred_at, policy=rules
        )
        if refusal is not None and refusal.code is ErrorCode.REPLAYED_IMAGE:
            # the "earlier" photo may be this very request, committed by a concurrent
            # delivery after the first look (each statement sees the latest commits)
            earlier = _replay(uow, employee.id, attempt.crid, attempt.kind)
            if earlier is not None:
                return earlier
    if refusal is None:
        return None
    refused = _Match(
        Decision.REJECTED,
        None if match is None else match.similarity,
        None if match is None else match.threshold,
        employee.id,
        method,
        refusal.code,
    )
    _record(uow_factory, attempt, refused, keep_image=False)
    raise refusal


def _identify(
    engine: FaceAnalyser, index_provider: TemplateIndexProvider, analysis: FaceAnalysis
) -> _Match:
    found = identify(engine, index_provider, analysis.embedding)
    decision = _DECISIONS[found.decision]
    return _Match(
        decision,
        found.similarity,
        found.threshold,
        found.employee_key,
        MatchMethod.IDENTIFY,
        ErrorCode.FACE_MISMATCH if decision is Decision.REJECTED else None,
    )


def _replay(
    uow: AbstractUnitOfWork, employee_key: int, crid: str | None, kind: AttendanceKind
) -> EventRecord | None:
    """The event an earlier delivery of this request created (ConflictError if it was
    for the other kind)."""
    if crid is None:
        return None
    earlier = uow.events.get_by_client_request_id(employee_key, crid)
    if earlier is None:
        return None
    find_replay([earlier.to_domain()], employee_id=employee_key, client_request_id=crid, kind=kind)
    return earlier


def _record(
    uow_factory: UowFactory, attempt: _Attempt, match: _Match, *, keep_image: bool = True
) -> tuple[EventRecord, bool]:
    """Insert the event (with its audit entry and, if on, its evidence photo) in one short
    unit of work; returns (event, replayed)."""
    request, photo = attempt.request, attempt.photo
    new = NewEvent(
        employee_id=match.employee_key,
        kind=attempt.kind,
        occurred_at=attempt.occurred_at,
        decision=match.decision,
        method=match.method,
        similarity=match.similarity,
        threshold=match.threshold,
        device=request.device,
        latitude=request.latitude,
        longitude=request.longitude,
        accuracy_m=request.accuracy_m,
        client_request_id=attempt.crid,
        refusal_code=None if match.refusal is None else match.refusal.value,
        image_sha256=photo.sha256 if keep_image and attempt.policy.replay else None,
        image_phash=photo.phash if keep_image else None,
        face_fingerprint=(
            match.fingerprint.value
            if keep_image
            and attempt.policy.replay
            and match.fingerprint is not None
            and match.decision is not Decision.REJECTED
            else None
        ),
    )
    try:
        with uow_factory() as uow:
            event = uow.events.add(new)
            _audit(uow, attempt, event)
            vault = attempt.policy.evidence
            if (
                vault is not None
                and keep_image
                and photo.image is not None
                and vault.keeps(event.decision)
            ):
                vault.store(uow, event.id, event.employee_id, photo.image, now=attempt.occurred_at)
            uow.commit()
        return event, False
    except ConflictError as exc:
        if exc.details.get("field") == "image_sha256" and match.employee_key is not None:
            # the same bytes arrived twice at once and the other delivery won
            if attempt.crid is not None:
                with uow_factory() as uow:
                    winner = _replay(uow, match.employee_key, attempt.crid, attempt.kind)
                if winner is not None:
                    return winner, True
            refused = replace(match, decision=Decision.REJECTED, refusal=ErrorCode.REPLAYED_IMAGE)
            _record(uow_factory, attempt, refused, keep_image=False)
            raise replayed_concurrently() from exc
        if attempt.crid is None or match.employee_key is None:
            raise
        # a concurrent delivery of the same request got there first: answer with its event
        with uow_factory() as uow:
            winner = _replay(uow, match.employee_key, attempt.crid, attempt.kind)
        if winner is None:
            raise
        return winner, True


def _audit(uow: AbstractUnitOfWork, attempt: _Attempt, event: EventRecord) -> None:
    audit.record_attendance(uow, event, actor=attempt.request.actor)
