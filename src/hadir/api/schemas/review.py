"""Models of the review-queue endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hadir.api.schemas.attendance import EmployeeRef
from hadir.domain.attendance import DEFAULT_TIMEZONE, Decision, to_local
from hadir.services.review import ReviewItem


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accepted", "rejected"]
    note: str | None = Field(default=None, max_length=1000)

    @property
    def verdict(self) -> Decision:
        return Decision(self.decision)


class ReviewPublic(BaseModel):
    """An event in (or just out of) the review queue; times are local (WIB)."""

    event_id: int
    employee: EmployeeRef | None
    kind: str
    time: datetime
    decision: str
    method: str
    similarity: float | None
    threshold: float | None
    device: str | None
    reviewed_by: int | None
    """The reviewing user's id."""
    reviewed_at: datetime | None
    review_note: str | None

    @classmethod
    def of(cls, item: ReviewItem, tz: str = DEFAULT_TIMEZONE) -> ReviewPublic:
        e = item.event
        return cls(
            event_id=e.id,
            employee=None if item.employee is None else EmployeeRef.of(item.employee),
            kind=e.kind.value,
            time=to_local(e.occurred_at, tz),
            decision=e.decision.value,
            method=e.method.value,
            similarity=None if e.similarity is None else round(e.similarity, 5),
            threshold=None if e.threshold is None else round(e.threshold, 5),
            device=e.device,
            reviewed_by=e.reviewed_by,
            reviewed_at=None if e.reviewed_at is None else to_local(e.reviewed_at, tz),
            review_note=e.review_note,
        )
