"""Personal data (UU 27/2022 on personal data protection): export, erasure, retention.

* ``export_employee``: everything Hadir holds about one employee, as plain records
  (templates without their vectors).
* ``erase_biometrics``: the employee's face templates, evidence photos and image hashes
  are deleted; attendance history stays (it is an employment record). Meant for a
  deactivated employee (or withdrawn consent); an active one must be deactivated first.
* ``purge``: evidence photos past their retention, expired single-use nonces, and the
  location and device of refused attempts older than ``refused_detail_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.errors import ConflictError
from hadir.services import audit
from hadir.services.enrolment import FaceTemplateInfo, find_employee
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import (
    EmployeeRecord,
    EventFilter,
    EventRecord,
    LeaveRecord,
)


@dataclass(frozen=True)
class ConsentRecord:
    what: str
    given_at: datetime | None


@dataclass(frozen=True)
class EmployeeExport:
    employee: EmployeeRecord
    consents: list[ConsentRecord]
    leaves: list[LeaveRecord]
    events: list[EventRecord]
    templates: list[FaceTemplateInfo]
    evidence_photos: int


def export_employee(uow: AbstractUnitOfWork, employee_id: int) -> EmployeeExport:
    employee = uow.employees.get(employee_id)
    templates = [FaceTemplateInfo.of(t) for t in uow.templates.list_for(employee.id)]
    return EmployeeExport(
        employee=employee,
        consents=[ConsentRecord("face_biometrics", employee.consent_at)],
        leaves=uow.leaves.list(employee_id=employee.id),
        events=uow.events.list(EventFilter(employee_id=employee.id)),
        templates=templates,
        evidence_photos=uow.evidence.count_for(employee.id),
    )


@dataclass(frozen=True)
class Erased:
    templates: int
    evidence_photos: int
    image_hashes: int


def erase_biometrics(
    uow: AbstractUnitOfWork, nip: str, *, actor: str, ip: str | None = None
) -> Erased:
    """Delete the employee's templates, evidence photos and image hashes (caller commits).
    ``ConflictError`` for an active employee: deactivate first."""
    employee = find_employee(uow.employees, nip)
    if employee.active:
        raise ConflictError(
            "Deactivate the employee before erasing their biometric data.",
            employee_id=employee.employee_id,
        )
    erased = Erased(
        templates=uow.templates.delete_for(employee.id),
        evidence_photos=uow.evidence.delete_for(employee.id),
        image_hashes=uow.events.clear_image_hashes(employee.id),
    )
    audit.record(
        uow,
        actor,
        "privacy.erase_biometrics",
        f"employee:{employee.employee_id}",
        ip=ip,
        detail={
            "templates": erased.templates,
            "evidence_photos": erased.evidence_photos,
            "image_hashes": erased.image_hashes,
        },
    )
    return erased


@dataclass(frozen=True)
class Purged:
    evidence_photos: int
    nonces: int
    refused_details: int


def purge(
    uow: AbstractUnitOfWork,
    *,
    now: datetime,
    refused_detail_days: int = 90,
    actor: str = audit.SYSTEM,
) -> Purged:
    """Remove what is past its retention (caller commits); writes one audit entry."""
    done = Purged(
        evidence_photos=uow.evidence.purge_expired(now),
        nonces=uow.nonces.purge_expired(now),
        refused_details=uow.events.scrub_refused(now - timedelta(days=refused_detail_days)),
    )
    audit.record(
        uow,
        actor,
        "privacy.purge",
        None,
        detail={
            "evidence_photos": done.evidence_photos,
            "nonces": done.nonces,
            "refused_details": done.refused_details,
        },
    )
    return done
