"""The review queue: check-ins and check-outs whose face score fell in the review band.

A reviewer accepts or rejects each one; an accepted event then counts for the day like
any other accepted event (the reports read only ``accepted`` events).
"""

from __future__ import annotations

from dataclasses import dataclass

from hadir.domain.attendance import Decision
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.errors import ForbiddenError
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, EventFilter, EventRecord


@dataclass(frozen=True)
class ReviewItem:
    event: EventRecord
    employee: EmployeeRecord | None


def review_queue(
    uow: AbstractUnitOfWork, *, unit: str | None = None, limit: int | None = None
) -> list[ReviewItem]:
    """Events waiting for a human decision, oldest first (of ``unit`` only, if given)."""
    events = uow.events.list(EventFilter(decision=Decision.NEEDS_REVIEW, unit=unit, limit=limit))
    ids = {e.employee_id for e in events if e.employee_id is not None}
    people = uow.employees.get_many(ids)  # one query, not one per person
    return [ReviewItem(e, None if e.employee_id is None else people[e.employee_id]) for e in events]


def review_event(
    uows: UowFactory,
    event_id: int,
    decision: Decision,
    *,
    reviewer_id: int,
    actor: Actor,
    note: str | None = None,
    unit: str | None = None,
) -> ReviewItem:
    """Accept or reject an event that needs review, with its audit entry, in one
    transaction. ``unit`` (a supervisor's) limits which events the reviewer may decide;
    an event already decided is a ConflictError."""
    if decision is Decision.NEEDS_REVIEW:
        raise DomainValidationError("decide accepted or rejected", field="decision")
    with uows() as uow:
        item = _review_in(uow, event_id, decision, reviewer_id, note, unit)
        detail = {
            "employee": None if item.employee is None else item.employee.employee_id,
            "note": item.event.review_note,
        }
        audit.write(uow, actor, f"review.{decision.value}", f"event:{event_id}", detail)
        uow.commit()
    return item


def _review_in(
    uow: AbstractUnitOfWork,
    event_id: int,
    decision: Decision,
    reviewer_id: int,
    note: str | None,
    unit: str | None,
) -> ReviewItem:
    event = uow.events.get(event_id)
    employee = None if event.employee_id is None else uow.employees.get(event.employee_id)
    if unit is not None and (employee is None or employee.unit != unit):
        raise ForbiddenError("Supervisors may only review events of their own unit.")
    if event.decision is not Decision.NEEDS_REVIEW or event.reviewed_at is not None:
        raise ConflictError(
            f"event {event_id} was already decided ({event.decision.value})",
            decision=event.decision.value,
        )
    note = (note or "").strip() or None
    reviewed = uow.events.review(event_id, decision=decision, reviewed_by=reviewer_id, note=note)
    return ReviewItem(reviewed, employee)
