"""The audit trail (admin) and personal data: own export, biometric erasure, purge."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import (
    ActorDep,
    AdminDep,
    ClockDep,
    DatabaseDep,
    PrincipalDep,
    SettingsDep,
)
from hadir.api.schemas.security import (
    AuditPagePublic,
    AuditVerifyPublic,
    DataExport,
    ErasedPublic,
    PurgedPublic,
)
from hadir.services import audit, privacy
from hadir.services.errors import ForbiddenError

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.get("/audit", response_model=AuditPagePublic)
def audit_log(
    _: AdminDep,
    database: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditPagePublic:
    """The audit trail, newest first (admin)."""
    with database.uow_factory() as uow:
        return AuditPagePublic.of(audit.page(uow, limit=limit, offset=offset))


@router.get("/audit/verify", response_model=AuditVerifyPublic)
def audit_verify(_: AdminDep, database: DatabaseDep) -> AuditVerifyPublic:
    """Recompute the hash chain: ``first_bad_id`` is the first entry that was altered."""
    with database.uow_factory() as uow:
        bad = audit.verify(uow)
        total = uow.audit.count()
    return AuditVerifyPublic(intact=bad is None, first_bad_id=bad, entries=total)


@router.get("/me/export", response_model=DataExport)
def export_own_data(principal: PrincipalDep, database: DatabaseDep, actor: ActorDep) -> DataExport:
    """Everything Hadir holds about the caller's employee record, as JSON: profile,
    consent, leave, attendance attempts, face template metadata (never the vectors)."""
    if principal.employee_id is None:
        raise ForbiddenError("This account is not linked to an employee.")
    data = privacy.export_own_data(database.uow_factory, principal.employee_id, actor=actor)
    return DataExport.of(data)


@router.post("/employees/{employee_id}/erase-biometrics", response_model=ErasedPublic)
def erase_biometrics(
    employee_id: str, _: AdminDep, actor: ActorDep, database: DatabaseDep
) -> ErasedPublic:
    """Delete a deactivated employee's face templates, evidence photos and image hashes
    (admin); attendance history stays. 409 for an active employee."""
    erased = privacy.erase_biometrics(database.uow_factory, employee_id, actor=actor)
    return ErasedPublic.of(employee_id, erased)


@router.post("/admin/purge", response_model=PurgedPublic)
def purge(
    _: AdminDep, actor: ActorDep, database: DatabaseDep, settings: SettingsDep, clock: ClockDep
) -> PurgedPublic:
    """Remove what is past its retention now (the same as ``hadir purge``)."""
    done = privacy.purge(
        database.uow_factory,
        now=clock(),
        refused_detail_days=settings.refused_detail_days,
        fingerprint_days=settings.evidence_days,
        attachment_days=settings.leave_attachment_days,
        actor=actor,
    )
    return PurgedPublic.of(done)
