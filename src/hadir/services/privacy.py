"""Personal data (UU 27/2022 on personal data protection): export, erasure, retention.

* ``export_employee``: everything Hadir holds about one employee, as plain records
  (templates without their vectors).
* ``erase_biometrics``: the employee's face templates, evidence photos, image hashes and
  leave documents (doctor's notes) are deleted; attendance history stays (it is an
  employment record). Meant for a deactivated employee (or withdrawn consent); an active
  one must be deactivated first.
* ``purge``: evidence photos past their retention, expired single-use nonces, the
  location and device of refused attempts older than ``refused_detail_days``, and the
  face fingerprints (replay checks) of attempts older than ``fingerprint_days`` (the
  evidence retention), and leave documents older than ``attachment_days``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.errors import ConflictError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.enrolment import FaceTemplateInfo, find_employee
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, EventFilter, EventRecord, LeaveRecord


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
    leave_attachments: int = 0


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
        leave_attachments=uow.leave_files.count_for(employee.id),
    )


@dataclass(frozen=True)
class Erased:
    templates: int
    evidence_photos: int
    image_hashes: int
    leave_attachments: int = 0


def export_own_data(uows: UowFactory, employee_id: int, *, actor: Actor) -> EmployeeExport:
    """``export_employee`` for the employee themself, with its audit entry."""
    with uows() as uow:
        data = export_employee(uow, employee_id)
        audit.write(uow, actor, "privacy.export", f"employee:{data.employee.employee_id}")
        uow.commit()
    return data


def erase_biometrics(uows: UowFactory, nip: str, *, actor: Actor) -> Erased:
    """Delete the employee's templates, evidence photos, image hashes and leave documents,
    with the audit entry, in one transaction. ``ConflictError`` for an active employee:
    deactivate first."""
    with uows() as uow:
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
            leave_attachments=uow.leave_files.delete_for(employee.id),
        )
        detail = {
            "templates": erased.templates,
            "evidence_photos": erased.evidence_photos,
            "image_hashes": erased.image_hashes,
            "leave_attachments": erased.leave_attachments,
        }
        audit.write(uow, actor, "privacy.erase_biometrics", f"employee:{nip}", detail)
        uow.commit()
    return erased


@dataclass(frozen=True)
class Purged:
    evidence_photos: int
    nonces: int
    refused_details: int
    face_fingerprints: int = 0
    leave_attachments: int = 0


def purge(
    uows: UowFactory,
    *,
    now: datetime,
    refused_detail_days: int = 90,
    fingerprint_days: int = 30,
    attachment_days: int = 365,
    actor: Actor | None = None,
) -> Purged:
    """Remove what is past its retention, with one audit entry, in one transaction."""
    with uows() as uow:
        done = Purged(
            evidence_photos=uow.evidence.purge_expired(now),
            nonces=uow.nonces.purge_expired(now),
            refused_details=uow.events.scrub_refused(now - timedelta(days=refused_detail_days)),
            face_fingerprints=uow.events.clear_face_fingerprints(
                now - timedelta(days=fingerprint_days)
            ),
            leave_attachments=uow.leave_files.purge_before(now - timedelta(days=attachment_days)),
        )
        detail = {
            "evidence_photos": done.evidence_photos,
            "nonces": done.nonces,
            "refused_details": done.refused_details,
            "face_fingerprints": done.face_fingerprints,
            "leave_attachments": done.leave_attachments,
        }
        audit.write(uow, actor or Actor.system(), "privacy.purge", None, detail)
        uow.commit()
    return done
