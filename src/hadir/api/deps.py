"""The API's dependencies: roles over the caller (``hadir.http.deps``) and uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from hadir.http.deps import (
    ActorDep,
    Clock,
    ClockDep,
    ContainerDep,
    DatabaseDep,
    DisciplineDep,
    EngineDep,
    IndexDep,
    LeavePolicyDep,
    LivenessDep,
    PastDaysDep,
    PrincipalDep,
    SecurityDep,
    SettingsDep,
    SignInPolicyDep,
    client_ip,
    own_unit,
    read_upload,
)
from hadir.services.auth import Principal
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role

__all__ = [
    "ActorDep",
    "Clock",
    "ClockDep",
    "ContainerDep",
    "DatabaseDep",
    "DisciplineDep",
    "EngineDep",
    "IndexDep",
    "LeavePolicyDep",
    "LivenessDep",
    "PastDaysDep",
    "PrincipalDep",
    "SecurityDep",
    "SettingsDep",
    "SignInPolicyDep",
    "client_ip",
    "own_unit",
    "read_upload",
]


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
