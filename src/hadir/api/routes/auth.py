"""Sign-in (a password for a session token), the caller's tokens, revocation, unlock."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from hadir.api.deps import AdminDep, ClockDep, DatabaseDep, PrincipalDep, SecurityDep
from hadir.api.schemas.auth import PrincipalPublic, TokenCreate, TokenPublic
from hadir.api.schemas.security import TokenInfo
from hadir.domain.errors import NotFoundError
from hadir.http.ratelimit import request_context
from hadir.services.auth import list_tokens, revoke_token, sign_in, unlock
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenPublic)
def create_token(
    body: TokenCreate, database: DatabaseDep, security: SecurityDep, clock: ClockDep
) -> TokenPublic:
    """Username and password → a bearer token (valid 12 hours by default), its expiry and
    role. 401 for a wrong password, 423 ``account_locked`` after too many, 429
    ``rate_limited`` when too many attempts come at once."""
    if security.signin_username is not None:
        security.signin_username.hit(body.username.strip().lower())
    with database.uow_factory() as uow:
        issued = sign_in(
            uow,
            body.username,
            body.password,
            now=clock(),
            policy=security.sign_in,
            ip=request_context().ip,
        )
        uow.commit()
    return TokenPublic(
        token=issued.token, expires_at=issued.record.expires_at, role=issued.record.role.value
    )


@router.get("/me", response_model=PrincipalPublic)
def me(principal: PrincipalDep) -> PrincipalPublic:
    """Who the token belongs to."""
    return PrincipalPublic.of(principal)


@router.get("/tokens", response_model=list[TokenInfo])
def tokens(
    principal: PrincipalDep,
    database: DatabaseDep,
    username: Annotated[
        str | None, Query(max_length=64, description="another user's tokens (admin only)")
    ] = None,
) -> list[TokenInfo]:
    """The caller's tokens (never their secrets); an admin may name another user."""
    with database.uow_factory() as uow:
        user_id = principal.user_id
        if username is not None and username != principal.username:
            if principal.role is not Role.ADMIN:
                raise ForbiddenError("Only administrators may list other users' tokens.")
            user_id = uow.users.get_by_username(username).id
        records = list_tokens(uow, user_id)
    return [TokenInfo.of(t, current_id=principal.token_id) for t in records]


@router.delete("/tokens/{token_id}", status_code=204)
def revoke(
    token_id: int, principal: PrincipalDep, database: DatabaseDep, response: Response
) -> Response:
    """Revoke one of the caller's tokens (an admin: anyone's). Takes effect at once."""
    with database.uow_factory() as uow:
        revoke_token(uow, principal, token_id, ip=request_context().ip)
        uow.commit()
    response.status_code = 204
    return response


@router.post("/sign-out", status_code=204)
def sign_out(principal: PrincipalDep, database: DatabaseDep, response: Response) -> Response:
    """Revoke the token this request was made with."""
    if principal.token_id is None:
        raise NotFoundError("This session has no token to revoke.")
    with database.uow_factory() as uow:
        revoke_token(uow, principal, principal.token_id, ip=request_context().ip)
        uow.commit()
    response.status_code = 204
    return response


@router.post("/users/{username}/unlock", status_code=204)
def unlock_user(
    username: str, principal: AdminDep, database: DatabaseDep, response: Response
) -> Response:
    """Lift a sign-in lockout (admin)."""
    with database.uow_factory() as uow:
        unlock(uow, username, actor=principal.username, ip=request_context().ip)
        uow.commit()
    response.status_code = 204
    return response
