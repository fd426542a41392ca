"""Annotated dependencies shared by the routers: settings, face engine, database, auth."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Request, UploadFile

from hadir.bootstrap import Database
from hadir.domain.errors import ErrorCode, HadirError, ImageError, ModelUnavailableError
from hadir.face.pipeline import FaceEngine
from hadir.services.audit import Actor
from hadir.services.auth import Principal, SignInPolicy, authenticate
from hadir.services.errors import ForbiddenError, UnauthorizedError
from hadir.services.index import TemplateIndexProvider
from hadir.services.records import Role
from hadir.settings import Settings
from hadir.web import session

Clock = Callable[[], datetime]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> FaceEngine:
    engine: FaceEngine | None = getattr(request.app.state, "face_engine", None)
    if engine is None:
        raise ModelUnavailableError("The face engine is still starting; try again shortly.")
    return engine


def get_database(request: Request) -> Database:
    database: Database | None = getattr(request.app.state, "database", None)
    if database is None:
        raise HadirError(
            "The database is not ready; try again shortly.", code=ErrorCode.MODEL_UNAVAILABLE
        )
    return database


def get_index(request: Request) -> TemplateIndexProvider:
    provider: TemplateIndexProvider | None = getattr(request.app.state, "index_provider", None)
    if provider is None:
        raise HadirError(
            "The database is not ready; try again shortly.", code=ErrorCode.MODEL_UNAVAILABLE
        )
    return provider


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[FaceEngine, Depends(get_engine)]
DatabaseDep = Annotated[Database, Depends(get_database)]
IndexDep = Annotated[TemplateIndexProvider, Depends(get_index)]
ClockDep = Annotated[Clock, Depends(get_clock)]


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
    from hadir.api.ratelimit import request_context

    return request_context().ip or (request.client.host if request.client else None)


def get_actor(request: Request, principal: PrincipalDep) -> Actor:
    """The signed-in caller with their address: who the audit entry of a change names."""
    return Actor(principal.username, client_ip(request))


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_sign_in_policy(request: Request) -> SignInPolicy:
    security = getattr(request.app.state, "security", None)
    policy: SignInPolicy = security.sign_in if security is not None else SignInPolicy()
    return policy


SignInPolicyDep = Annotated[SignInPolicy, Depends(get_sign_in_policy)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting ``roles`` (and always admin); 403 ``forbidden`` otherwise."""
    allowed = frozenset(roles) | {Role.ADMIN}

    def dependency(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            raise ForbiddenError(
                f"The {principal.role.value} role may not do this.", role=principal.role.value
            )
        return principal

    return dependency


AdminDep = Annotated[Principal, Depends(require())]
StaffDep = Annotated[Principal, Depends(require(Role.OPERATOR))]
"""Admin and operator (HR): employees, faces, leave and the calendar."""
ReaderDep = Annotated[Principal, Depends(require(Role.OPERATOR, Role.SUPERVISOR))]
"""Staff plus supervisors (who only see their own unit)."""
CheckerDep = Annotated[Principal, Depends(require(Role.OPERATOR, Role.EMPLOYEE, Role.KIOSK))]
"""Who may check in and out (employees only as themselves)."""


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
