"""Models of the leave endpoints."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hadir.domain.attendance import LeaveKind, LeaveStatus
from hadir.services.leave_files import AttachmentInfo
from hadir.services.records import EmployeeRecord, LeaveRecord


class LeaveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64, description="NIP")
    kind: LeaveKind
    start_date: date
    end_date: date
    reason: str = Field(default="", max_length=1000)
    place: str = Field(default="", max_length=255, description="required for dinas_luar")


class LeaveVerdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"

    @property
    def status(self) -> LeaveStatus:
        return LeaveStatus.APPROVED if self is LeaveVerdict.APPROVE else LeaveStatus.REJECTED


class LeaveDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: LeaveVerdict


class LeavePublic(BaseModel):
    id: int
    employee_id: str
    name: str
    unit: str
    kind: str
    start_date: date
    end_date: date
    status: str
    reason: str
    place: str = ""
    decided_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, leave: LeaveRecord, employee: EmployeeRecord) -> LeavePublic:
        return cls(
            id=leave.id,
            employee_id=employee.employee_id,
            name=employee.name,
            unit=employee.unit,
            kind=leave.kind.value,
            start_date=leave.start_date,
            end_date=leave.end_date,
            status=leave.status.value,
            reason=leave.reason,
            place=leave.place,
            decided_at=leave.decided_at,
            created_at=leave.created_at,
        )


class LeaveBalancePublic(BaseModel):
    """Annual leave (cuti tahunan) of one year, in working days."""

    employee_id: str
    year: int
    entitlement: int
    carried_over: int = Field(description="unused days of last year carried over (capped)")
    used: int = Field(description="approved annual leave days")
    pending: int = Field(description="requested (or endorsed), not yet decided by HR")
    remaining: int = Field(description="what a new request may still take")


class AttachmentPublic(BaseModel):
    """A leave's document as stored (its bytes are downloaded separately)."""

    leave_id: int
    content_type: str
    size: int
    sha256: str
    created_at: datetime

    @classmethod
    def of(cls, info: AttachmentInfo) -> AttachmentPublic:
        return cls(
            leave_id=info.leave_id,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
            created_at=info.created_at,
        )
