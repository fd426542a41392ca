"""Errors the use cases raise on purpose (entry points map their codes to responses)."""

from __future__ import annotations

from hadir.domain.errors import ErrorCode, HadirError


class UnknownEmployeeError(HadirError):
    """No employee has the given staff number (NIP)."""

    code = ErrorCode.UNKNOWN_EMPLOYEE


class InactiveEmployeeError(HadirError):
    """The employee exists but is deactivated: no enrolment, no attendance."""

    code = ErrorCode.CONFLICT


class NotEnrolledError(HadirError):
    """The employee has no face template made by the current face pipeline."""

    code = ErrorCode.NOT_ENROLLED


class FaceMismatchError(HadirError):
    """The face does not match the claimed employee, or nobody enrolled (1:N)."""

    code = ErrorCode.FACE_MISMATCH


class FaceInconsistentError(HadirError):
    """An enrolment photo does not match the employee's other faces (existing templates,
    or the other photos of the same batch): possibly somebody else's face."""

    code = ErrorCode.FACE_INCONSISTENT


class FaceMatchesOtherEmployeeError(HadirError):
    """An enrolment photo matches another employee's templates at the identification
    threshold: one person behind two NIPs. ``details["other_employee_id"]`` names the other
    NIP (for staff only)."""

    code = ErrorCode.FACE_MATCHES_OTHER_EMPLOYEE


class UnauthorizedError(HadirError):
    """No valid credentials: missing, unknown, expired or revoked token, or a wrong password."""

    code = ErrorCode.UNAUTHORIZED


class ForbiddenError(HadirError):
    """Valid credentials, but the role does not allow this."""

    code = ErrorCode.FORBIDDEN
