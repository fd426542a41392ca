"""Enrolment: turn an employee's photos into stored face templates.

Only the embedding, its contract, the quality figures and the SHA-256 of the image bytes
are stored, never the photo. Each image gets its own outcome: one bad photo does not
refuse the others. The face work runs outside any database transaction; the accepted
templates (and the consent time) are written in one short unit of work, with the audit
entry of the change. The functions take a unit-of-work factory: the employee is read in
one short transaction, the photos are analysed outside any transaction, and the change
is written in a second one (which checks again that the employee is still active).

Cross-checks (``hadir.services.facecheck``): a photo that matches another employee, or
does not match the employee's own faces, is refused; ``override_by`` (an admin's name)
lets a photo that matches another employee through (e.g. identical twins), with an audit
entry in the same unit of work.

Consent: biometric data is only stored with the employee's consent. ``consent=True``
records ``consent_at`` (if not recorded yet); ``consent=False`` is accepted only when a
consent was recorded earlier, otherwise nothing is enrolled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from hadir.domain.errors import (
    ConflictError,
    DomainValidationError,
    ErrorCode,
    HadirError,
    NotFoundError,
)
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.face.types import QualityReport
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.errors import InactiveEmployeeError, UnknownEmployeeError
from hadir.services.face_records import TemplateRecord
from hadir.services.facecheck import cross_check
from hadir.services.ports import Clock, EmployeeRepo, FaceAnalyser, UowFactory
from hadir.services.records import EmployeeRecord
from hadir.services.sitecal import match_policy

OnChange = Callable[[], None]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class EnrolmentOutcome:
    """What happened to one image (``position`` is its index in the request)."""

    position: int
    image_sha256: str
    accepted: bool
    template_id: int | None = None
    quality: QualityReport | None = None
    face_size_px: float | None = None
    error_code: ErrorCode | None = None
    message: str | None = None
    other_employee_id: str | None = None
    """``face_matches_other_employee``: the NIP whose face this is (for staff only)."""
    similarity: float | None = None
    """The similarity behind a cross-check refusal, when there is one."""


@dataclass(frozen=True)
class FaceTemplateInfo:
    """A stored template as shown to operators (no vector)."""

    template_id: int
    contract: str
    image_sha256: str | None
    quality: QualityReport | None
    created_at: datetime

    @classmethod
    def of(cls, template: TemplateRecord) -> FaceTemplateInfo:
        return cls(
            template_id=template.id,
            contract=template.embedding.contract.key(),
            image_sha256=template.image_sha256,
            quality=template.quality,
            created_at=template.created_at,
        )


def find_employee(employees: EmployeeRepo, nip: str) -> EmployeeRecord:
    """The employee with staff number ``nip``, or ``UnknownEmployeeError``."""
    try:
        return employees.get_by_employee_id(nip)
    except NotFoundError as exc:
        raise UnknownEmployeeError(
            f"No employee with employee_id {nip!r}.", employee_id=nip
        ) from exc


def require_active(employee: EmployeeRecord) -> EmployeeRecord:
    if not employee.active:
        raise InactiveEmployeeError(
            f"Employee {employee.employee_id!r} is inactive.", employee_id=employee.employee_id
        )
    return employee


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _refused(position: int, digest: str, error: HadirError) -> EnrolmentOutcome:
    other = error.details.get("other_employee_id")
    similarity = error.details.get("similarity")
    return EnrolmentOutcome(
        position=position,
        image_sha256=digest,
        accepted=False,
        error_code=error.code,
        message=error.message,
        other_employee_id=other if isinstance(other, str) else None,
        similarity=float(similarity) if isinstance(similarity, int | float) else None,
    )


def enrol_faces(
    uows: UowFactory,
    engine: FaceAnalyser,
    employee_id: str,
    images: list[bytes],
    *,
    consent: bool,
    actor: Actor | None = None,
    clock: Clock = _utc_now,
    on_change: OnChange | None = None,
    override_by: str | None = None,
) -> list[EnrolmentOutcome]:
    """Enrol ``images`` for the employee with NIP ``employee_id``; one outcome per image.

    Raises ``UnknownEmployeeError``, ``InactiveEmployeeError`` or (no consent)
    ``DomainValidationError`` before any face work. ``on_change`` (e.g.
    ``TemplateIndexProvider.invalidate``) is called after templates were stored.
    ``override_by`` (the admin who decided it; callers check the role) skips the check
    against other employees' faces and is audited.
    """
    if not images:
        raise DomainValidationError("Send at least one photo to enrol.", field="images")
    by = actor or Actor.system()
    with uows() as uow:
        employee = require_active(find_employee(uow.employees, employee_id))
        known = {t.image_sha256 for t in uow.templates.list_for(employee.id) if t.image_sha256}
    if not consent and employee.consent_at is None:
        raise DomainValidationError(
            "The employee's consent is required before enrolling faces.", field="consent"
        )

    outcomes: list[EnrolmentOutcome | None] = []
    analyses: dict[int, tuple[str, FaceAnalysis]] = {}
    for position, data in enumerate(images):
        digest = sha256_of(data)
        if digest in known:
            duplicate = ConflictError("This photo is already enrolled for this employee.")
            outcomes.append(_refused(position, digest, duplicate))
            continue
        try:
            analysis = engine.analyse(data, Purpose.ENROL)
        except HadirError as error:
            outcomes.append(_refused(position, digest, error))
            continue
        known.add(digest)
        analyses[position] = (digest, analysis)
        outcomes.append(None)

    if analyses:
        with uows() as uow:
            employee = require_active(uow.employees.get(employee.id))
            refusals = cross_check(
                uow,
                engine.embedder.contract,
                employee.id,
                {position: analysis.embedding for position, (_, analysis) in analyses.items()},
                match_policy(uow, engine),
                allow_other_match=override_by is not None,
            )
            for position, refusal in refusals.items():
                outcomes[position] = _refused(position, analyses[position][0], refusal)
                del analyses[position]
            for position, (digest, analysis) in analyses.items():
                template = uow.templates.add(
                    employee.id, analysis.embedding, quality=analysis.quality, image_sha256=digest
                )
                outcomes[position] = EnrolmentOutcome(
                    position=position,
                    image_sha256=digest,
                    accepted=True,
                    template_id=template.id,
                    quality=analysis.quality,
                    face_size_px=analysis.quality.face_size_px,
                )
            consented = consent and employee.consent_at is None
            if consented:
                uow.employees.update(replace(employee, consent_at=clock()))
            accepted = [outcomes[p] for p in analyses]
            if analyses or consented:
                detail = {
                    "templates": [o.template_id for o in accepted if o is not None],
                    "refused": len(images) - len(analyses),
                    "consent_recorded": consented,
                }
                audit.write(uow, by, "faces.enrol", _target(employee_id), detail)
            if override_by is not None and analyses:
                audit.record(
                    uow,
                    override_by,
                    "faces.enrol_override",
                    employee.employee_id,
                    ip=by.ip,
                    detail={"templates": [o.template_id for o in outcomes if o and o.accepted]},
                )
            uow.commit()
        if on_change is not None and analyses:
            on_change()
    elif consent and employee.consent_at is None:
        with uows() as uow:
            current = uow.employees.get(employee.id)
            uow.employees.update(replace(current, consent_at=clock()))
            audit.write(uow, by, "employee.consent", _target(employee_id), {"consent": True})
            uow.commit()
    return [o for o in outcomes if o is not None]


def _target(nip: str) -> str:
    return f"employee:{nip}"


def list_faces(uows: UowFactory, employee_id: str) -> list[FaceTemplateInfo]:
    """The employee's stored templates, oldest first."""
    with uows() as uow:
        employee = find_employee(uow.employees, employee_id)
        templates = uow.templates.list_for(employee.id)
    return [FaceTemplateInfo.of(t) for t in templates]


def delete_face(
    uows: UowFactory,
    employee_id: str,
    template_id: int,
    *,
    actor: Actor | None = None,
    on_change: OnChange | None = None,
) -> None:
    """Delete one of the employee's templates (e.g. a poor photo); ``NotFoundError`` if the
    employee has no template with that id."""
    with uows() as uow:
        employee = find_employee(uow.employees, employee_id)
        if not uow.templates.delete_one(employee.id, template_id):
            raise NotFoundError(
                f"employee {employee_id} has no face template {template_id}",
                employee_id=employee_id,
                template_id=template_id,
            )
        audit.write(
            uow,
            actor or Actor.system(),
            "faces.delete",
            _target(employee_id),
            {"template_id": template_id},
        )
        uow.commit()
    if on_change is not None:
        on_change()


def delete_faces(
    uows: UowFactory,
    employee_id: str,
    *,
    actor: Actor | None = None,
    on_change: OnChange | None = None,
) -> int:
    """Delete every template of the employee (e.g. consent withdrawn); returns the count."""
    with uows() as uow:
        employee = find_employee(uow.employees, employee_id)
        removed = uow.templates.delete_for(employee.id)
        detail = {"deleted": removed}
        audit.write(uow, actor or Actor.system(), "faces.delete", _target(employee_id), detail)
        uow.commit()
    if removed and on_change is not None:
        on_change()
    return removed
