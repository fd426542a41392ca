"""Domain errors with stable machine codes.

Entry points (API, CLI) map these to responses; nothing in here knows about HTTP.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable machine codes. Never rename a member's value: clients depend on it."""

    IMAGE_UNREADABLE = "image_unreadable"
    IMAGE_TOO_LARGE = "image_too_large"
    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    FACE_TOO_SMALL = "face_too_small"
    FACE_BLURRY = "face_blurry"
    FACE_TOO_DARK = "face_too_dark"
    FACE_TOO_BRIGHT = "face_too_bright"
    FACE_NOT_FRONTAL = "face_not_frontal"
    CONTRACT_MISMATCH = "contract_mismatch"
    MODEL_UNAVAILABLE = "model_unavailable"
    VALIDATION_ERROR = "validation_error"
    UNKNOWN_EMPLOYEE = "unknown_employee"
    NOT_ENROLLED = "not_enrolled"
    FACE_MISMATCH = "face_mismatch"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    # security (issue 5): liveness, replay, location, throttling, sessions
    LIVENESS_REQUIRED = "liveness_required"
    LIVENESS_FAILED = "liveness_failed"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_REUSED = "challenge_reused"
    REPLAYED_IMAGE = "replayed_image"
    OUTSIDE_GEOFENCE = "outside_geofence"
    LOCATION_REQUIRED = "location_required"
    RATE_LIMITED = "rate_limited"
    ACCOUNT_LOCKED = "account_locked"
    CSRF_FAILED = "csrf_failed"
    # enrolment cross-checks (issue 12)
    FACE_INCONSISTENT = "face_inconsistent"
    FACE_MATCHES_OTHER_EMPLOYEE = "face_matches_other_employee"
    TOO_FEW_EMPLOYEES = "too_few_employees"
    # bad days (issue 17): the database is down or its disk is full
    DATABASE_UNAVAILABLE = "database_unavailable"
    STORAGE_FULL = "storage_full"
    # leave attachments (issue 15): a doctor's note of a sick leave
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_TYPE_UNSUPPORTED = "attachment_type_unsupported"


class HadirError(Exception):
    """Base of every error Hadir raises on purpose: a code plus a human message."""

    code: ErrorCode = ErrorCode.VALIDATION_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None, **details: object):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.details: dict[str, object] = details

    def __str__(self) -> str:
        return f"{self.code.value}: {self.message}"


class ImageError(HadirError):
    """The uploaded bytes cannot be used as an image."""

    code = ErrorCode.IMAGE_UNREADABLE


class FaceQualityError(HadirError):
    """An image was read but its face cannot be used (none, several, too small, ...)."""

    code = ErrorCode.NO_FACE


class ContractMismatchError(HadirError):
    """Two embeddings from different pipelines were about to be compared."""

    code = ErrorCode.CONTRACT_MISMATCH


class ModelUnavailableError(HadirError):
    """Model weights could not be found or failed their integrity check."""

    code = ErrorCode.MODEL_UNAVAILABLE


class DomainValidationError(HadirError):
    """Input breaks a domain rule (bad month string, leave ending before it starts, ...)."""

    code = ErrorCode.VALIDATION_ERROR


class NotFoundError(HadirError):
    """A referenced thing does not exist."""

    code = ErrorCode.NOT_FOUND


class ConflictError(HadirError):
    """The request contradicts what is already recorded (e.g. a reused client_request_id)."""

    code = ErrorCode.CONFLICT


class StorageUnavailableError(HadirError):
    """The database cannot be reached (restarting, connection lost) or cannot take more
    data (disk full): nothing of the request was stored; the client may retry."""

    code = ErrorCode.DATABASE_UNAVAILABLE
