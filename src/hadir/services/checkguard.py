"""What a check attempt must pass besides the face: rate, place and freshness of the photo.

* **Rate**: at most ``CheckPolicy.employee_limiter`` attempts per employee (in-process).
* **Geofence** (self check-ins only; a kiosk stands at the door): the allowed offices are
  the employee's own office, or every office with coordinates when the employee has no
  office. An office without latitude, longitude and radius imposes nothing. With a fence,
  a self check-in without a position is ``location_required``; outside every fence it is
  ``outside_geofence`` (with the distance), unless the employee has approved
  ``dinas_luar`` or ``wfh`` that day. The reported GPS accuracy is credited up to
  ``max_accuracy_m`` (``hadir.domain.geofence``).
* **Replay**: an image whose SHA-256 equals an earlier attempt's or an enrolment photo's, or
  whose perceptual hash is within ``replay_max_distance`` bits of an earlier attempt's
  (within ``replay_window``), is ``replayed_image``. The database's unique
  (employee, image_sha256) also stops two concurrent deliveries of the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from hadir.domain.attendance import LeaveKind, LeaveStatus, local_date_of
from hadir.domain.errors import ErrorCode, HadirError, ImageError
from hadir.domain.geofence import Fence, judge
from hadir.face.fingerprint import FaceFingerprint
from hadir.face.intake import IntakeLimits, decode_image
from hadir.face.phash import hamming, phash
from hadir.face.types import Image
from hadir.services.evidence import EvidenceVault
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.ratelimit import RateLimiter
from hadir.services.records import EmployeeRecord, OfficeRecord

GEOFENCE_EXEMPT_KINDS = frozenset({LeaveKind.DINAS_LUAR, LeaveKind.WFH})
"""Approved leave of these kinds lifts the geofence for the day."""


@dataclass(frozen=True)
class CheckPolicy:
    """The security rules of check-in/check-out (the API builds one from settings)."""

    replay: bool = True
    replay_max_distance: int = 6
    replay_window: timedelta = timedelta(days=365)
    face_max_distance: int = 6
    """Bits of the aligned-face fingerprint (``bench/replay.py``, docs/security.md)."""
    face_window: timedelta = timedelta(days=30)
    """How far back earlier check-ins' face fingerprints are compared: as long as they
    are kept (``evidence_days``)."""
    max_accuracy_m: float = 100.0
    employee_limiter: RateLimiter | None = None
    evidence: EvidenceVault | None = None
    intake: IntakeLimits = field(default_factory=IntakeLimits)


@dataclass(frozen=True)
class Photo:
    """The upload: its SHA-256 at once; its pixels (and perceptual hash) decoded on first
    use, once, so a refusal that needs no pixels (unknown, inactive or unenrolled
    employee) never decodes them (issue 13, finding 2)."""

    data: bytes
    limits: IntakeLimits
    decoded: Image | None = None
    """The pixels, when the caller has decoded them already."""

    @classmethod
    def of(cls, data: bytes, limits: IntakeLimits, *, decoded: Image | None = None) -> Photo:
        return cls(data, limits, decoded)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def image(self) -> Image | None:
        """The decoded RGB image, or ``None`` when it cannot be decoded."""
        if self.decoded is not None:
            return self.decoded
        try:
            return decode_image(self.data, self.limits)
        except ImageError:
            return None

    @cached_property
    def phash(self) -> str | None:
        image = self.image
        return None if image is None else phash(image)


class GuardError(HadirError):
    """A refusal by one of the guards (the code says which)."""


def fences_for(uow: AbstractUnitOfWork, employee: EmployeeRecord) -> list[Fence]:
    offices: list[OfficeRecord]
    if employee.office_id is not None:
        offices = [uow.offices.get(employee.office_id)]
    else:
        offices = uow.offices.list()
    return [
        Fence(o.code, o.latitude, o.longitude, o.radius_m)
        for o in offices
        if o.latitude is not None and o.longitude is not None and o.radius_m is not None
    ]


def _exempt(uow: AbstractUnitOfWork, employee: EmployeeRecord, at: datetime, tz: str) -> bool:
    day = local_date_of(at, tz)
    return any(
        leave.status is LeaveStatus.APPROVED and leave.kind in GEOFENCE_EXEMPT_KINDS
        for leave in uow.leaves.list(employee_id=employee.id, first=day, last=day)
    )


def location_needed(uow: AbstractUnitOfWork, employee: EmployeeRecord, *, at: datetime) -> bool:
    """Whether a self check-in by ``employee`` at ``at`` must send a position (the check-in
    page says so before the photo)."""
    if not fences_for(uow, employee):
        return False
    schedule = uow.schedules.resolve(office_id=employee.office_id, unit=employee.unit)
    return not _exempt(uow, employee, at, schedule.timezone)


def check_location(
    uow: AbstractUnitOfWork,
    employee: EmployeeRecord,
    *,
    latitude: float | None,
    longitude: float | None,
    accuracy_m: float | None,
    at: datetime,
    policy: CheckPolicy,
) -> GuardError | None:
    """The geofence refusal for a self check-in, or ``None`` when it may proceed."""
    fences = fences_for(uow, employee)
    if not fences:
        return None
    schedule = uow.schedules.resolve(office_id=employee.office_id, unit=employee.unit)
    if _exempt(uow, employee, at, schedule.timezone):
        return None
    if latitude is None or longitude is None:
        return GuardError(
            "Your office checks where you are: allow location access and try again.",
            code=ErrorCode.LOCATION_REQUIRED,
        )
    verdict = judge(latitude, longitude, accuracy_m, fences, max_accuracy_m=policy.max_accuracy_m)
    if verdict.inside:
        return None
    nearest = next(f for f in fences if f.code == verdict.nearest)
    return GuardError(
        f"You are about {round(verdict.distance_m or 0)} m from {nearest.code}, outside the "
        f"allowed {round(nearest.radius_m)} m. Check in at the office, or ask HR to record "
        "dinas luar.",
        code=ErrorCode.OUTSIDE_GEOFENCE,
        distance_m=round(verdict.distance_m or 0.0, 1),
        office=nearest.code,
        radius_m=nearest.radius_m,
        accuracy_credited_m=verdict.margin_m,
    )


def check_replay(
    uow: AbstractUnitOfWork,
    employee: EmployeeRecord,
    photo: Photo,
    *,
    now: datetime,
    policy: CheckPolicy,
) -> GuardError | None:
    """The replay refusal, or ``None`` for a photo not seen before."""
    if not policy.replay:
        return None
    enrolled = {t.image_sha256 for t in uow.templates.list_for(employee.id) if t.image_sha256}
    if photo.sha256 in enrolled:
        return _replayed(None, "enrolment")
    for earlier in uow.events.image_hashes(employee.id, since=now - policy.replay_window):
        if earlier.image_sha256 == photo.sha256:
            return _replayed(earlier.event_id, "exact")
        if (
            photo.phash is not None
            and earlier.image_phash is not None
            and hamming(photo.phash, earlier.image_phash) <= policy.replay_max_distance
        ):
            return _replayed(earlier.event_id, "similar")
    return None


def check_copied_face(
    uow: AbstractUnitOfWork,
    employee_id: int,
    fingerprint: FaceFingerprint,
    *,
    now: datetime,
    policy: CheckPolicy,
) -> GuardError | None:
    """``replayed_image`` (``same_as_checkin``) when the face is an edited copy of one of
    the employee's recent check-in photos, else ``None``."""
    if not policy.replay:
        return None
    for earlier in uow.events.face_fingerprints(employee_id, since=now - policy.face_window):
        if fingerprint.distance(earlier.fingerprint) <= policy.face_max_distance:
            return GuardError(
                "This photo is a copy of one of your earlier check-in photos. Take a new "
                "photo with the camera now.",
                code=ErrorCode.REPLAYED_IMAGE,
                reason="same_as_checkin",
                earlier_event_id=earlier.event_id,
            )
    return None


def _replayed(event_id: int | None, match: str) -> GuardError:
    return GuardError(
        "This photo was already used. Take a new photo now and try again.",
        code=ErrorCode.REPLAYED_IMAGE,
        earlier_event_id=event_id,
        match=match,
    )


def replayed_concurrently() -> GuardError:
    return _replayed(None, "exact")


SAME_PHOTO_COSINE: dict[str, float] = {"facenet+sface": 0.94, "sface-2021dec-int8bq": 0.93}
"""Per embedding model: a probe this similar to an enrolled template is that enrolment
photo again (edited), not a new photo of the person. Measured by ``bench/replay.py`` on
168 same-person pairs of ``pairs_far.csv`` (docs/security.md, "Replay"). ``facenet+sface``:
one pair of different genuine photos reached 0.942 (0.6 % false replays), while the photo
mirrored, cropped by 10-20 px, rotated 8°, bordered or re-encoded at JPEG 50 stays at or
above 0.94 in 98.8-100 % of cases. ``sface`` (the default since issue 12): genuine pairs
at most 0.927 (0/168 at 0.93), edits at or above 0.93 in 99.4-100 % of cases. Models not
measured (and test fakes) have no such check."""


def same_photo_refusal(similarity: float | None, model_id: str) -> GuardError | None:
    """``replayed_image`` when ``similarity`` to an enrolled template is implausibly high
    for a new photo (an enrolment photo sent again, whatever was edited)."""
    limit = SAME_PHOTO_COSINE.get(model_id)
    if similarity is None or limit is None or similarity < limit:
        return None
    return GuardError(
        "This photo is a copy of an enrolment photo. Take a new photo with the camera.",
        code=ErrorCode.REPLAYED_IMAGE,
        reason="same_as_enrolment",
    )
