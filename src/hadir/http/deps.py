"""Annotated dependencies over the process's ``Container`` (on ``app.state.container``)
and who is calling: a bearer token or the session cookie (with its CSRF proof)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request, UploadFile

from hadir.domain.attendance import DisciplineRules, LeavePolicy
from hadir.domain.errors import ErrorCode, HadirError, ImageError
from hadir.face.pipeline import FaceEngine
from hadir.http import session
from hadir.http.ratelimit import request_context
from hadir.services.audit import Actor
from hadir.services.auth import Principal, SignInPolicy, authenticate
from hadir.services.container import Container, Database, Liveness, Security
from hadir.services.dashboard import PastDays
from hadir.services.errors import ForbiddenError, UnauthorizedError
from hadir.services.evidence import parse_key
from hadir.services.index import TemplateIndexProvider
from hadir.services.leave_files import AttachmentVault, derive_key
from hadir.services.ports import Clock
from hadir.services.printing import Letterhead
from hadir.services.records import Role
from hadir.settings import Settings

__all__ = ["Clock"]


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_settings(container: ContainerDep) -> Settings:
    return container.settings


def get_engine(container: ContainerDep) -> FaceEngine:
    return container.face_engine


def get_database(container: ContainerDep) -> Database:
    return container.database


def get_index(container: ContainerDep) -> TemplateIndexProvider:
    return container.index


def get_clock(container: ContainerDep) -> Clock:
    return container.clock


def get_past_days(container: ContainerDep) -> PastDays:
    return container.past_days


def get_security(container: ContainerDep) -> Security:
    return container.security


def get_leave_policy(container: ContainerDep) -> LeavePolicy:
    return container.leave


def get_discipline(container: ContainerDep) -> DisciplineRules:
    return container.discipline


def get_letterhead(container: ContainerDep) -> Letterhead:
    return container.letterhead


def get_liveness(container: ContainerDep) -> Liveness:
    return container.liveness


def get_leave_vault(container: ContainerDep) -> AttachmentVault:
    """Leave documents are sealed with ``HADIR_EVIDENCE_KEY`` when it is set, otherwise
    with a key derived from the server's secret key (``leave_files.derive_key``)."""
    settings = container.settings
    if settings.evidence_key is not None:
        key = parse_key(settings.evidence_key.get_secret_value())
    else:
        key = derive_key(container.secret_key)
    return AttachmentVault(key, settings.leave_attachment_max_bytes)


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[FaceEngine, Depends(get_engine)]
DatabaseDep = Annotated[Database, Depends(get_database)]
IndexDep = Annotated[TemplateIndexProvider, Depends(get_index)]
ClockDep = Annotated[Clock, Depends(get_clock)]
PastDaysDep = Annotated[PastDays, Depends(get_past_days)]
SecurityDep = Annotated[Security, Depends(get_security)]
LivenessDep = Annotated[Liveness, Depends(get_liveness)]
LeavePolicyDep = Annotated[LeavePolicy, Depends(get_leave_policy)]
DisciplineDep = Annotated[DisciplineRules, Depends(get_discipline)]
LetterheadDep = Annotated[Letterhead, Depends(get_letterhead)]
LeaveVaultDep = Annotated[AttachmentVault, Depends(get_leave_vault)]


def session_principal(request: Request, database: Database, clock: Clock) -> Principal | None:
    """The caller behind the session cookie; ``None`` without one. ``UnauthorizedError``
    for an expired or revoked session."""
    token = session.session_token(request)
    if token is None:
        return None
    with database.uow_factory() as uow:
        return authenticate(uow, token, now=clock())


def get_principal(
    request: Request,
    database: DatabaseDep,
    clock: ClockDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Principal:
    """The caller behind ``Authorization: Bearer <token>``, or else behind the web
    session cookie; a cookie-authenticated unsafe method also needs the ``X-CSRF-Token``
    header (403 ``csrf_failed``). 401 ``unauthorized`` without either."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        token = token.strip()
    elif (cookie := session.session_token(request)) is not None:
        if request.method not in session.SAFE_METHODS:
            expected = session.csrf_for(session.secret_key(request), cookie)
            sent = request.headers.get(session.CSRF_HEADER, "")
            if not hmac.compare_digest(sent, expected):
                raise HadirError(
                    "Missing or wrong X-CSRF-Token header; reload the page.",
                    code=ErrorCode.CSRF_FAILED,
                )
        token = cookie
    else:
        raise UnauthorizedError("Send an access token: 'Authorization: Bearer <token>'.")
    with database.uow_factory() as uow:
        return authenticate(uow, token, now=clock())


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def client_ip(request: Request) -> str | None:
    """The caller's address as the security middleware saw it (else the socket peer)."""
    return request_context().ip or (request.client.host if request.client else None)


def get_actor(request: Request, principal: PrincipalDep) -> Actor:
    """The signed-in caller with their address: who the audit entry of a change names."""
    return Actor(principal.username, client_ip(request))


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_sign_in_policy(security: SecurityDep) -> SignInPolicy:
    return security.sign_in


SignInPolicyDep = Annotated[SignInPolicy, Depends(get_sign_in_policy)]


def own_unit(principal: Principal, requested: str | None) -> str | None:
    """The unit filter a caller may use: a supervisor is held to their own unit."""
    if principal.role is not Role.SUPERVISOR:
        return requested
    if principal.unit is None:
        raise ForbiddenError("This supervisor account has no unit.")
    if requested is not None and requested != principal.unit:
        raise ForbiddenError("Supervisors may only see their own unit.", unit=requested)
    return principal.unit


async def read_upload(upload: UploadFile, max_bytes: int) -> bytes:
    """The upload's bytes, refused as soon as it passes ``max_bytes`` (never read whole)."""
    chunks: list[bytes] = []
    total = 0
    while chunk := await upload.read(1 << 16):
        total += len(chunk)
        if total > max_bytes:
            raise ImageError(
                f"The photo is larger than {max_bytes // 1_000_000} MB; send a smaller one.",
                code=ErrorCode.IMAGE_TOO_LARGE,
                max_bytes=max_bytes,
            )
        chunks.append(chunk)
    return b"".join(chunks)
