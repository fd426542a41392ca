"""Active liveness over HTTP: ask for a challenge, then check in or out with a burst of
frames taken while following it. Roles as for the plain check-in (employees only as
themselves)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from hadir.api.deps import (
    ActorDep,
    CheckerDep,
    Clock,
    ClockDep,
    DatabaseDep,
    EngineDep,
    IndexDep,
    LivenessDep,
    SecurityDep,
    SettingsDep,
    read_upload,
)
from hadir.api.schemas.attendance import CheckPublic
from hadir.api.schemas.liveness import ChallengeCreate, ChallengePublic, FrameCount, Prompt
from hadir.domain.attendance import AttendanceKind
from hadir.domain.errors import DomainValidationError
from hadir.face.liveness import LivenessThresholds
from hadir.face.pipeline import FaceEngine
from hadir.http.session import secret_key
from hadir.services.audit import Actor
from hadir.services.auth import Principal
from hadir.services.challenge import FRAME_INTERVAL_MS, issue_challenge
from hadir.services.checkaccess import challenge_for, checking_as
from hadir.services.checkin import CheckResult
from hadir.services.container import Database, Security
from hadir.services.index import TemplateIndexProvider
from hadir.services.liveness import LiveCheckRequest, verify_and_check
from hadir.services.records import Role
from hadir.settings import Settings

router = APIRouter(prefix="/api/v1/attendance", tags=["attendance"])


@router.post("/challenge", response_model=ChallengePublic, status_code=201)
def create_challenge(
    body: ChallengeCreate,
    request: Request,
    principal: CheckerDep,
    database: DatabaseDep,
    liveness: LivenessDep,
    clock: ClockDep,
) -> ChallengePublic:
    """A signed single-use challenge (about 60 s) for ``/check-in/live`` or
    ``/check-out/live``: a motion to perform and how many frames to send."""
    nip = challenge_for(database.uow_factory, principal, (body.employee_id or "").strip() or None)
    challenge = issue_challenge(
        secret_key(request),
        body.kind,
        nip,
        clock(),
        actions=list(liveness.actions),
    )
    return ChallengePublic(
        challenge=challenge.token,
        action=challenge.action.value,
        frames=FrameCount(min=liveness.limits.min_frames, max=liveness.limits.max_frames),
        interval_ms=FRAME_INTERVAL_MS,
        expires_at=challenge.expires_at,
        prompt=Prompt(**liveness.prompts[challenge.action]),
    )


@dataclass(frozen=True)
class LiveForm:
    challenge: str
    frames: list[UploadFile]
    employee_id: str | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    client_request_id: str | None
    device: str | None


def live_form(
    challenge: Annotated[str, Form(max_length=2048, description="the token from /challenge")],
    frames: Annotated[
        list[UploadFile], File(description="3-8 frames taken during the challenge, in order")
    ],
    employee_id: Annotated[str | None, Form(max_length=64, description="NIP (1:1)")] = None,
    latitude: Annotated[float | None, Form(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Form(ge=-180, le=180)] = None,
    accuracy_m: Annotated[float | None, Form(ge=0, le=1e7)] = None,
    client_request_id: Annotated[str | None, Form(max_length=128)] = None,
    device: Annotated[str | None, Form(max_length=128)] = None,
) -> LiveForm:
    return LiveForm(
        challenge=challenge,
        frames=frames,
        employee_id=(employee_id or "").strip() or None,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        client_request_id=client_request_id,
        device=device,
    )


LiveFormDep = Annotated[LiveForm, Depends(live_form)]


async def _live(
    kind: AttendanceKind,
    form: LiveForm,
    request: Request,
    response: Response,
    principal: Principal,
    actor: Actor,
    database: Database,
    engine: FaceEngine,
    index: TemplateIndexProvider,
    settings: Settings,
    security: Security,
    limits: LivenessThresholds,
    clock: Clock,
) -> CheckPublic:
    if len(form.frames) > limits.max_frames:
        raise DomainValidationError(
            f"Send at most {limits.max_frames} frames.", field="frames", frames=len(form.frames)
        )
    frames = [await read_upload(f, settings.max_image_bytes) for f in form.frames]
    secret = secret_key(request)

    def work() -> CheckResult:
        live = LiveCheckRequest(
            kind=kind,
            challenge=form.challenge,
            frames=frames,
            employee_id=checking_as(database.uow_factory, principal, form.employee_id),
            client_request_id=form.client_request_id,
            device=form.device,
            latitude=form.latitude,
            longitude=form.longitude,
            accuracy_m=form.accuracy_m,
            self_service=principal.role is Role.EMPLOYEE,
            actor=actor,
        )
        return verify_and_check(
            database.uow_factory,
            engine,
            index,
            secret,
            live,
            clock=clock,
            thresholds=limits,
            policy=security.check,
        )

    result = await run_in_threadpool(work)
    if result.replayed:
        response.status_code = 200
        response.headers["Hadir-Replayed"] = "true"
    return CheckPublic.of(result)


@router.post("/check-in/live", response_model=CheckPublic, status_code=201)
async def check_in_live(
    form: LiveFormDep,
    request: Request,
    response: Response,
    principal: CheckerDep,
    actor: ActorDep,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    security: SecurityDep,
    liveness: LivenessDep,
    clock: ClockDep,
) -> CheckPublic:
    """Check in with a challenge and its frames: 201 as ``/check-in``. A refused burst is
    403 ``liveness_failed`` with ``details.reason`` (and recorded); a used challenge 409
    ``challenge_reused``; an expired one 410 ``challenge_expired``."""
    return await _live(
        AttendanceKind.CHECK_IN,
        form,
        request,
        response,
        principal,
        actor,
        database,
        engine,
        index,
        settings,
        security,
        liveness.limits,
        clock,
    )


@router.post("/check-out/live", response_model=CheckPublic, status_code=201)
async def check_out_live(
    form: LiveFormDep,
    request: Request,
    response: Response,
    principal: CheckerDep,
    actor: ActorDep,
    database: DatabaseDep,
    engine: EngineDep,
    index: IndexDep,
    settings: SettingsDep,
    security: SecurityDep,
    liveness: LivenessDep,
    clock: ClockDep,
) -> CheckPublic:
    """Check out with a challenge and its frames (same rules as ``/check-in/live``)."""
    return await _live(
        AttendanceKind.CHECK_OUT,
        form,
        request,
        response,
        principal,
        actor,
        database,
        engine,
        index,
        settings,
        security,
        liveness.limits,
        clock,
    )
