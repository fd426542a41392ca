"""What a reviewer needs to judge a doubtful or refused attempt: who, when, where (the
office and the distance from it), whether its photo was kept; and opening that photo,
which is audited every time (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hadir.domain.errors import NotFoundError
from hadir.domain.geofence import haversine_m
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.evidence import EvidenceVault
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, EventRecord, OfficeRecord


@dataclass(frozen=True)
class AttemptFacts:
    event: EventRecord
    employee: EmployeeRecord | None
    office: OfficeRecord | None
    """The employee's office (``None``: none set, or the person is unknown)."""
    distance_m: float | None
    """From the office's point to the reported position, when both are known."""
    has_photo: bool

    @property
    def outside(self) -> bool:
        """Reported beyond the office's radius."""
        radius = None if self.office is None else self.office.radius_m
        return self.distance_m is not None and radius is not None and self.distance_m > radius


def attempt_facts(
    uow: AbstractUnitOfWork, attempts: Sequence[tuple[EventRecord, EmployeeRecord | None]]
) -> list[AttemptFacts]:
    """The facts of each (event, employee) pair, in the same order."""
    facts = []
    with uow:
        photos = uow.evidence.events_with_photo(event.id for event, _ in attempts)
        offices: dict[int, OfficeRecord] = {}
        for event, employee in attempts:
            office = None
            if employee is not None and employee.office_id is not None:
                if employee.office_id not in offices:
                    offices[employee.office_id] = uow.offices.get(employee.office_id)
                office = offices[employee.office_id]
            distance = None
            if (
                office is not None
                and office.latitude is not None
                and office.longitude is not None
                and event.latitude is not None
                and event.longitude is not None
            ):
                distance = haversine_m(
                    office.latitude, office.longitude, event.latitude, event.longitude
                )
            facts.append(AttemptFacts(event, employee, office, distance, event.id in photos))
    return facts


def open_photo(
    uow_factory: UowFactory,
    vault: EvidenceVault | None,
    event_id: int,
    *,
    actor: Actor,
) -> bytes:
    """The JPEG kept for attempt ``event_id``; the view is in the audit trail before the
    bytes leave. ``not_found`` when none is kept or evidence photos are off."""
    with uow_factory() as uow:
        record = None if vault is None else uow.evidence.find_for_event(event_id)
        if vault is None or record is None:
            raise NotFoundError(f"no photo is kept for attempt {event_id}", id=event_id)
        photo = vault.open(record)
        audit.write(uow, actor, "evidence.view", f"event:{event_id}")
        uow.commit()
    return photo
