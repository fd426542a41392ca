"""Models of the shift endpoints: shifts and the roster."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from hadir.api.schemas.schedules import Grace, WallTime, hhmm
from hadir.domain.attendance import Shift
from hadir.services.shift_records import AssignmentRecord, ShiftRecord


class ShiftIn(BaseModel):
    """``end`` at or before ``start``: the shift ends the next day (20:00-08:00)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(default="", max_length=255)
    start: WallTime
    end: WallTime
    grace_minutes: Grace = 0

    def to_domain(self) -> Shift:
        return Shift(self.code.strip(), self.start, self.end, self.grace_minutes, self.name.strip())


class ShiftPublic(BaseModel):
    id: int
    code: str
    name: str
    start: str
    end: str
    grace_minutes: int
    overnight: bool

    @classmethod
    def of(cls, r: ShiftRecord) -> ShiftPublic:
        s = r.shift
        return cls(
            id=r.id,
            code=s.code,
            name=s.name,
            start=hhmm(s.start) or "",
            end=hhmm(s.end) or "",
            grace_minutes=s.grace_minutes,
            overnight=s.overnight,
        )


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64, description="NIP")
    shift: str = Field(min_length=1, max_length=32, description="the shift's code")
    start_date: date
    end_date: date | None = Field(default=None, description="null: start_date only")


class AssignmentPublic(BaseModel):
    id: int
    employee_id: str
    name: str
    shift: str
    start_date: date
    end_date: date

    @classmethod
    def of(cls, r: AssignmentRecord) -> AssignmentPublic:
        return cls(
            id=r.id,
            employee_id=r.nip,
            name=r.name,
            shift=r.shift.code,
            start_date=r.start_date,
            end_date=r.end_date,
        )
