"""Attendance events (check-in / check-out) and the idempotency rule for retried requests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import TypeAlias

from hadir.domain.attendance.timeutil import as_utc, local_date_of
from hadir.domain.errors import ConflictError, DomainValidationError

EmployeeId: TypeAlias = int
"""How the domain refers to an employee (the database key)."""


class AttendanceKind(StrEnum):
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"


class Decision(StrEnum):
    """Outcome of the face check for one event; only ``accepted`` counts for the day."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class AttendanceEvent:
    """One check-in or check-out. ``occurred_at`` must be aware and is normalised to UTC."""

    employee_id: EmployeeId
    kind: AttendanceKind
    occurred_at: datetime
    decision: Decision
    client_request_id: str | None = None
    corrected: bool = False
    """Recorded by an approved correction (issue 15), not by a face check."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", as_utc(self.occurred_at, field="occurred_at"))
        try:
            object.__setattr__(self, "kind", AttendanceKind(self.kind))
            object.__setattr__(self, "decision", Decision(self.decision))
        except ValueError as exc:
            raise DomainValidationError(str(exc), field="kind/decision") from exc

    @property
    def counts(self) -> bool:
        """Whether the event counts for the day status (accepted only)."""
        return self.decision is Decision.ACCEPTED

    def local_date(self, tz: tzinfo | str) -> date:
        return local_date_of(self.occurred_at, tz)


def find_replay(
    existing: Iterable[AttendanceEvent],
    *,
    employee_id: EmployeeId,
    client_request_id: str | None,
    kind: AttendanceKind | None = None,
) -> AttendanceEvent | None:
    """The event an earlier delivery of this request created, or ``None`` if it is new.

    A request is a replay when the same employee already has an event with the same
    ``client_request_id`` (whatever its decision); the earliest such event is returned so
    the caller answers the retry exactly as the first time. Without an id (``None`` or
    blank) nothing is a replay. Reusing an id for the other ``kind`` raises ``ConflictError``.
    """
    if not client_request_id or not client_request_id.strip():
        return None
    matches = [
        e
        for e in existing
        if e.employee_id == employee_id and e.client_request_id == client_request_id
    ]
    if not matches:
        return None
    first = min(matches, key=lambda e: e.occurred_at)
    if kind is not None and first.kind != AttendanceKind(kind):
        raise ConflictError(
            f"client_request_id {client_request_id!r} was already used for a {first.kind.value}",
            client_request_id=client_request_id,
            existing_kind=first.kind.value,
        )
    return first
