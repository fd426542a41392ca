"""Models of the correction endpoints (issue 15)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hadir.domain.attendance.correction import CorrectionReason
from hadir.services.corrections import CorrectionEntry


class CorrectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str | None = Field(
        default=None, max_length=64, description="NIP (an employee: blank or their own)"
    )
    day: date
    reason_kind: CorrectionReason
    reason: str = Field(min_length=1, max_length=1000)
    check_in: time | None = None
    check_out: time | None = None
    direct: bool = Field(
        default=False, description="HR only: correct the day at once (approved by the caller)"
    )


class CorrectionVerdict(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


class CorrectionDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: CorrectionVerdict
    note: str = Field(default="", max_length=1000)


class CorrectionPublic(BaseModel):
    id: int
    employee_id: str
    name: str
    unit: str
    day: date
    reason_kind: str
    reason: str
    check_in: str | None
    check_out: str | None
    status: str
    requested_by: str
    approver: str | None = Field(description="NIP of the direct superior who decides; null: HR")
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @classmethod
    def of(cls, entry: CorrectionEntry) -> CorrectionPublic:
        c = entry.correction
        return cls(
            id=c.id,
            employee_id=entry.employee.employee_id,
            name=entry.employee.name,
            unit=entry.employee.unit,
            day=c.day,
            reason_kind=c.reason_kind.value,
            reason=c.reason,
            check_in=c.check_in.strftime("%H:%M") if c.check_in else None,
            check_out=c.check_out.strftime("%H:%M") if c.check_out else None,
            status=c.status.value,
            requested_by=c.requested_by,
            approver=entry.approver.employee_id if entry.approver else None,
            decided_by=c.decided_by,
            decided_at=c.decided_at,
            decision_note=c.decision_note,
            created_at=c.created_at,
        )
