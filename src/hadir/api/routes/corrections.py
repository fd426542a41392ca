"""Corrections of a day's attendance (issue 15): an employee asks, the direct superior
(or HR when there is none) decides, HR corrects directly. Every route translates only;
``hadir.services.corrections`` owns the rules, the transaction and the audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import ActorDep, ClockDep, DatabaseDep, PrincipalDep
from hadir.api.schemas.corrections import (
    CorrectionCreate,
    CorrectionDecision,
    CorrectionPublic,
    CorrectionVerdict,
)
from hadir.domain.attendance import DEFAULT_TIMEZONE, local_date_of
from hadir.services import corrections as service
from hadir.services.auth import Principal
from hadir.services.errors import ForbiddenError
from hadir.services.records import Role

router = APIRouter(prefix="/api/v1/corrections", tags=["corrections"])

HR_ROLES = frozenset({Role.ADMIN, Role.OPERATOR})


def decider_of(principal: Principal) -> service.Decider:
    return service.Decider(
        user_id=principal.user_id,
        username=principal.username,
        employee_id=principal.employee_id,
        hr=principal.role in HR_ROLES,
    )


def _own_nip(database: DatabaseDep, principal: Principal, nip: str | None) -> str:
    """The NIP a request is about: anyone for HR, only their own for everyone else."""
    if principal.role in HR_ROLES and nip:
        return nip
    if principal.employee_id is None:
        raise ForbiddenError("This account is not an employee's: name the employee (HR).")
    with database.uow_factory() as uow:
        own = uow.employees.get(principal.employee_id).employee_id
    if nip and nip.replace(" ", "") != own:
        raise ForbiddenError("An employee asks for corrections of their own days only.")
    return own


@router.post("", response_model=CorrectionPublic, status_code=201)
def create_correction(
    body: CorrectionCreate,
    database: DatabaseDep,
    principal: PrincipalDep,
    actor: ActorDep,
    clock: ClockDep,
) -> CorrectionPublic:
    """Ask for a correction of a day (status ``requested``), or with ``direct`` (HR
    only) correct it at once."""
    ask = service.CorrectionAsk(
        body.day, body.reason_kind, body.reason, body.check_in, body.check_out
    )
    today = local_date_of(clock(), DEFAULT_TIMEZONE)
    if body.direct:
        if not body.employee_id:
            raise ForbiddenError("A direct correction names the employee.")
        entry = service.correct_directly(
            database.uow_factory,
            body.employee_id,
            ask,
            decider=decider_of(principal),
            actor=actor,
            today=today,
        )
    else:
        nip = _own_nip(database, principal, body.employee_id)
        entry = service.request_correction(database.uow_factory, nip, ask, actor=actor, today=today)
    return CorrectionPublic.of(entry)


@router.get("", response_model=list[CorrectionPublic])
def list_corrections(
    database: DatabaseDep,
    principal: PrincipalDep,
    queue: Annotated[bool, Query(description="the ones the caller may decide")] = False,
) -> list[CorrectionPublic]:
    """``queue=true``: the requested corrections the caller decides; otherwise every
    correction (HR) or the caller's own."""
    if queue:
        entries = service.approval_queue(database.uow_factory, decider_of(principal))
    elif principal.role in HR_ROLES:
        entries = service.all_corrections(database.uow_factory)
    elif principal.employee_id is not None:
        entries = service.own_corrections(database.uow_factory, principal.employee_id)
    else:
        entries = []
    return [CorrectionPublic.of(e) for e in entries]


@router.post("/{correction_id}/decision", response_model=CorrectionPublic)
def decide_correction(
    correction_id: int,
    body: CorrectionDecision,
    database: DatabaseDep,
    principal: PrincipalDep,
    actor: ActorDep,
) -> CorrectionPublic:
    """Approve or refuse (the direct superior; HR when the employee has none)."""
    entry = service.decide_correction(
        database.uow_factory,
        correction_id,
        body.decision is CorrectionVerdict.APPROVE,
        decider=decider_of(principal),
        actor=actor,
        note=body.note,
    )
    return CorrectionPublic.of(entry)
