"""The review queue: checks whose face score fell in the review band wait here for a
human to accept or reject them. Staff review all; supervisors their own unit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from hadir.api.deps import ActorDep, DatabaseDep, ReaderDep, own_unit
from hadir.api.schemas.review import ReviewDecision, ReviewPublic
from hadir.services.review import review_event, review_queue

router = APIRouter(prefix="/api/v1/attendance", tags=["attendance"])


@router.get("/review", response_model=list[ReviewPublic])
def list_review(
    database: DatabaseDep,
    principal: ReaderDep,
    unit: Annotated[str | None, Query(max_length=255)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[ReviewPublic]:
    """Events with decision ``needs_review``, oldest first."""
    unit = own_unit(principal, unit)
    with database.uow_factory() as uow:
        items = review_queue(uow, unit=unit, limit=limit)
    return [ReviewPublic.of(i) for i in items]


@router.post("/{event_id}/review", response_model=ReviewPublic)
def decide_review(
    event_id: int,
    body: ReviewDecision,
    database: DatabaseDep,
    principal: ReaderDep,
    actor: ActorDep,
) -> ReviewPublic:
    """Accept or reject an event that needs review; 409 if it was already decided. An
    accepted event then counts for the day in the reports."""
    unit = own_unit(principal, None)
    item = review_event(
        database.uow_factory,
        event_id,
        body.verdict,
        reviewer_id=principal.user_id,
        actor=actor,
        note=body.note,
        unit=unit,
    )
    return ReviewPublic.of(item)
