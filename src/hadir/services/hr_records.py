"""Plain values of the regency HR records (issue 15) that cross the unit-of-work
boundary: corrections of a day's attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from hadir.domain.attendance.correction import CorrectionReason, CorrectionStatus
from hadir.domain.errors import DomainValidationError


@dataclass(frozen=True)
class NewCorrection:
    employee_id: int
    day: date
    reason_kind: CorrectionReason
    reason: str
    check_in: time | None
    check_out: time | None
    requested_by: str

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "reason_kind", CorrectionReason(self.reason_kind))
        except ValueError as exc:
            raise DomainValidationError(
                "reason_kind must be one of " + ", ".join(r.value for r in CorrectionReason),
                field="reason_kind",
            ) from exc
        object.__setattr__(self, "reason", self.reason.strip())
        if not self.reason:
            raise DomainValidationError("say why the day needs correcting", field="reason")
        if self.check_in is None and self.check_out is None:
            raise DomainValidationError(
                "give the check-in time, the check-out time or both", field="check_in"
            )
        if self.check_in and self.check_out and self.check_out <= self.check_in:
            raise DomainValidationError("check_out must be after check_in", field="check_out")


@dataclass(frozen=True, kw_only=True)
class CorrectionRecord(NewCorrection):
    id: int
    status: CorrectionStatus
    decided_by: str | None
    decider_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime
