"""Models of the token, audit and personal-data endpoints."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from hadir.api.schemas.employees import EmployeePublic
from hadir.services.access_records import AuditRecord, TokenRecord
from hadir.services.audit import AuditPage
from hadir.services.privacy import EmployeeExport, Erased, Purged


class TokenInfo(BaseModel):
    """A token without its secret (never stored) or hash."""

    id: int
    name: str
    role: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    current: bool = False

    @classmethod
    def of(cls, t: TokenRecord, *, current_id: int | None = None) -> TokenInfo:
        return cls(
            id=t.id,
            name=t.name,
            role=t.role.value,
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
            last_used_at=t.last_used_at,
            current=t.id == current_id,
        )


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: dict[str, object]
    hash: str

    @classmethod
    def of(cls, r: AuditRecord) -> AuditEntryPublic:
        return cls(
            id=r.id,
            at=r.at,
            actor=r.actor,
            action=r.action,
            target=r.target,
            detail=r.detail,
            hash=r.hash,
        )


class AuditPagePublic(BaseModel):
    items: list[AuditEntryPublic]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: AuditPage) -> AuditPagePublic:
        return cls(
            items=[AuditEntryPublic.of(r) for r in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


class AuditVerifyPublic(BaseModel):
    intact: bool
    first_bad_id: int | None
    entries: int


class ConsentExport(BaseModel):
    what: str
    given_at: datetime | None


class LeaveExport(BaseModel):
    kind: str
    start_date: date
    end_date: date
    status: str
    reason: str
    decided_at: datetime | None
    created_at: datetime


class EventExport(BaseModel):
    id: int
    kind: str
    occurred_at: datetime
    decision: str
    method: str
    similarity: float | None
    refusal_code: str | None
    device: str | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None


class TemplateExport(BaseModel):
    """A face template's metadata; the vector itself is never exported."""

    template_id: int
    contract: str
    image_sha256: str | None
    created_at: datetime


class DataExport(BaseModel):
    profile: EmployeePublic
    consents: list[ConsentExport]
    leave: list[LeaveExport]
    attendance: list[EventExport]
    face_templates: list[TemplateExport]
    evidence_photos: int
    leave_attachments: int = 0

    @classmethod
    def of(cls, x: EmployeeExport) -> DataExport:
        return cls(
            profile=EmployeePublic.of(x.employee),
            consents=[ConsentExport(what=c.what, given_at=c.given_at) for c in x.consents],
            leave=[
                LeaveExport(
                    kind=r.kind.value,
                    start_date=r.start_date,
                    end_date=r.end_date,
                    status=r.status.value,
                    reason=r.reason,
                    decided_at=r.decided_at,
                    created_at=r.created_at,
                )
                for r in x.leaves
            ],
            attendance=[
                EventExport(
                    id=v.id,
                    kind=v.kind.value,
                    occurred_at=v.occurred_at,
                    decision=v.decision.value,
                    method=v.method.value,
                    similarity=v.similarity,
                    refusal_code=v.refusal_code,
                    device=v.device,
                    latitude=v.latitude,
                    longitude=v.longitude,
                    accuracy_m=v.accuracy_m,
                )
                for v in x.events
            ],
            face_templates=[
                TemplateExport(
                    template_id=t.template_id,
                    contract=t.contract,
                    image_sha256=t.image_sha256,
                    created_at=t.created_at,
                )
                for t in x.templates
            ],
            evidence_photos=x.evidence_photos,
            leave_attachments=x.leave_attachments,
        )


class ErasedPublic(BaseModel):
    employee_id: str
    templates: int
    evidence_photos: int
    image_hashes: int
    leave_attachments: int = 0

    @classmethod
    def of(cls, nip: str, e: Erased) -> ErasedPublic:
        return cls(
            employee_id=nip,
            templates=e.templates,
            evidence_photos=e.evidence_photos,
            image_hashes=e.image_hashes,
            leave_attachments=e.leave_attachments,
        )


class PurgedPublic(BaseModel):
    evidence_photos: int
    nonces: int
    refused_details: int
    face_fingerprints: int
    leave_attachments: int = 0

    @classmethod
    def of(cls, p: Purged) -> PurgedPublic:
        return cls(
            evidence_photos=p.evidence_photos,
            nonces=p.nonces,
            refused_details=p.refused_details,
            face_fingerprints=p.face_fingerprints,
            leave_attachments=p.leave_attachments,
        )
