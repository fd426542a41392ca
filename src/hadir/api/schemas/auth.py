"""Models of the sign-in endpoint."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from hadir.services.auth import Principal


class TokenCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenPublic(BaseModel):
    token: str
    token_type: str = "bearer"
    expires_at: datetime | None
    role: str


class PrincipalPublic(BaseModel):
    username: str
    role: str
    unit: str | None
    employee: bool
    """True when the account belongs to an employee (may check in as themselves)."""

    @classmethod
    def of(cls, principal: Principal) -> PrincipalPublic:
        return cls(
            username=principal.username,
            role=principal.role.value,
            unit=principal.unit,
            employee=principal.employee_id is not None,
        )
