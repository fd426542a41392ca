"""Models of the check-in/check-out and attendance endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from hadir.domain.attendance import to_local
from hadir.services.checkin import CheckResult
from hadir.services.records import EmployeeRecord, EventRecord


class EmployeeRef(BaseModel):
    employee_id: str
    name: str
    unit: str

    @classmethod
    def of(cls, e: EmployeeRecord) -> EmployeeRef:
        return cls(employee_id=e.employee_id, name=e.name, unit=e.unit)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 5)


class CheckPublic(BaseModel):
    """An accepted (or needs-review) check; ``time`` is local (WIB, +07:00)."""

    event_id: int
    employee: EmployeeRef
    kind: str
    time: datetime
    decision: str
    method: str
    status: str | None
    """The day's status after this event: on_time, late, ... (accepted events only)."""
    late_minutes: int
    left_early_minutes: int
    similarity: float | None
    threshold: float | None
    client_request_id: str | None

    @classmethod
    def of(cls, r: CheckResult) -> CheckPublic:
        return cls(
            event_id=r.event.id,
            employee=EmployeeRef.of(r.employee),
            kind=r.event.kind.value,
            time=r.local_time,
            decision=r.decision.value,
            method=r.event.method.value,
            status=None if r.status is None else r.status.value,
            late_minutes=r.late_minutes,
            left_early_minutes=0 if r.day is None else r.day.left_early_minutes,
            similarity=_rounded(r.similarity),
            threshold=_rounded(r.threshold),
            client_request_id=r.event.client_request_id,
        )


class EventPublic(BaseModel):
    """One recorded attempt, accepted or not; ``employee`` is null when nobody matched."""

    id: int
    employee: EmployeeRef | None
    kind: str
    time: datetime
    decision: str
    method: str
    similarity: float | None
    threshold: float | None
    refusal_code: str | None
    device: str | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    client_request_id: str | None

    @classmethod
    def of(cls, e: EventRecord, employee: EmployeeRecord | None, tz: str) -> EventPublic:
        return cls(
            id=e.id,
            employee=None if employee is None else EmployeeRef.of(employee),
            kind=e.kind.value,
            time=to_local(e.occurred_at, tz),
            decision=e.decision.value,
            method=e.method.value,
            similarity=_rounded(e.similarity),
            threshold=_rounded(e.threshold),
            refusal_code=e.refusal_code,
            device=e.device,
            latitude=e.latitude,
            longitude=e.longitude,
            accuracy_m=e.accuracy_m,
            client_request_id=e.client_request_id,
        )


class EventPage(BaseModel):
    items: list[EventPublic]
    limit: int
    offset: int
