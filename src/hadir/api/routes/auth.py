"""Sign-in: a password for a session token."""

from __future__ import annotations

from fastapi import APIRouter

from hadir.api.deps import ClockDep, DatabaseDep, PrincipalDep
from hadir.api.schemas.auth import PrincipalPublic, TokenCreate, TokenPublic
from hadir.services.auth import sign_in

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", response_model=TokenPublic)
def create_token(body: TokenCreate, database: DatabaseDep, clock: ClockDep) -> TokenPublic:
    """Username and password → a bearer token (valid 12 hours), its expiry and role."""
    with database.uow_factory() as uow:
        issued = sign_in(uow, body.username, body.password, now=clock())
        uow.commit()
    return TokenPublic(
        token=issued.token, expires_at=issued.record.expires_at, role=issued.record.role.value
    )


@router.get("/me", response_model=PrincipalPublic)
def me(principal: PrincipalDep) -> PrincipalPublic:
    """Who the token belongs to."""
    return PrincipalPublic.of(principal)
