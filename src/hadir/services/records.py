"""Plain values that cross the unit-of-work boundary, in and out of the store.

Repositories never hand out ORM objects: they return these frozen dataclasses (or domain
objects such as ``WorkSchedule``, ``ScheduleOverride``, ``Leave`` and ``Embedding``), so a
record stays valid after its session is closed and services can be tested with fakes.
``New*`` classes are what callers pass to ``add``; ``*Record`` classes are what is stored,
with database ids and timestamps. Only stdlib and the domain value objects are imported
here, never SQLAlchemy.

This module holds the staff and attendance records; accounts, tokens and the audit chain
are in ``hadir.services.access_records``, face templates, evidence photos and calibrations
in ``hadir.services.face_records``.

Naming: ``EmployeeRecord.id`` is the database key, which the domain calls ``EmployeeId``;
every ``employee_id: int`` field below means that key. ``EmployeeRecord.employee_id`` is
the only exception: it is the staff number (NIP, a string).

Datetimes are aware and in UTC; naive ones are refused with ``DomainValidationError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NewType

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceEvent,
    AttendanceKind,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    ServicePeriod,
    WorkSchedule,
    as_utc,
)
from hadir.domain.attendance.timeutil import start_of_day
from hadir.domain.errors import DomainValidationError
from hadir.domain.staff import (
    EmployeeType,
    normalize_echelon,
    normalize_grade,
    normalize_staff_id,
    rank_of,
)


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    EMPLOYEE = "employee"
    KIOSK = "kiosk"


class MatchMethod(StrEnum):
    """How the face was checked: 1:1 against a claimed employee, or 1:N."""

    VERIFY = "verify"
    IDENTIFY = "identify"
    CORRECTION = "correction"
    """Not a face check: written by an approved correction (``hadir.services.corrections``)."""


class HolidaySource(StrEnum):
    NATIONAL = "national"
    OFFICE = "office"


def clean_text(value: str, *, field_name: str) -> str:
    """``value`` without surrounding blanks; an empty result is a validation error."""
    cleaned = value.strip()
    if not cleaned:
        raise DomainValidationError(f"{field_name} must not be empty", field=field_name)
    return cleaned


def optional_utc(value: datetime | None, *, field_name: str) -> datetime | None:
    return None if value is None else as_utc(value, field=field_name)


Nip = NewType("Nip", str)
"""An employee's NIP (nomor induk pegawai): the identifier people type and see."""

EmployeeKey = NewType("EmployeeKey", int)
"""An employee's database key (``EmployeeRecord.id``): never shown, never typed."""


@dataclass(frozen=True)
class OfficeRecord:
    id: int
    code: str
    name: str
    timezone: str
    latitude: float | None
    longitude: float | None
    radius_m: float | None
    require_liveness: bool = False
    """Self and kiosk check-ins at this office must pass a liveness challenge."""


@dataclass(frozen=True)
class NewEmployee:
    """An employee to register. ``employee_id`` is the NIP of ASN staff (18 digits, given
    in any grouping and stored bare) or the office's number of non-ASN staff: see
    ``hadir.domain.staff.identity``. The type defaults to ``non_asn`` here, the least
    specific kind; the API, the console and the import default to ``pns`` instead.

    ``superior_id`` is the database key of the direct superior (atasan langsung);
    ``start_date`` (TMT at this office) and ``end_date`` bound the days that count."""

    employee_id: str
    name: str
    unit: str = ""
    position: str = ""
    office_id: int | None = None
    email: str | None = None
    phone: str | None = None
    active: bool = True
    consent_at: datetime | None = None
    employee_type: EmployeeType = EmployeeType.NON_ASN
    grade: str = ""
    """Golongan/ruang ("III/a") of PNS, golongan ("IX") of PPPK; the pangkat follows."""
    echelon: str = ""
    superior_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None

    def __post_init__(self) -> None:
        self._check()
        object.__setattr__(
            self, "employee_id", normalize_staff_id(self.employee_id, self.employee_type)
        )

    def _check(self) -> None:
        """Every rule but the identifier's (which a stored record keeps as it was)."""
        try:
            kind = EmployeeType(self.employee_type)
        except ValueError as exc:
            raise DomainValidationError(
                "employee_type must be pns, pppk or non_asn", field="employee_type"
            ) from exc
        object.__setattr__(self, "employee_type", kind)
        object.__setattr__(self, "employee_id", clean_text(self.employee_id, field_name="nip"))
        object.__setattr__(self, "name", clean_text(self.name, field_name="name"))
        object.__setattr__(
            self, "consent_at", optional_utc(self.consent_at, field_name="consent_at")
        )
        object.__setattr__(self, "grade", normalize_grade(self.grade, kind))
        object.__setattr__(self, "echelon", normalize_echelon(self.echelon))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise DomainValidationError(
                "end_date is before start_date", field="end_date", start_date=str(self.start_date)
            )

    @property
    def rank(self) -> str:
        """The pangkat of a PNS grade ("Penata Muda"), "" otherwise."""
        return rank_of(self.grade)

    @property
    def service(self) -> ServicePeriod:
        return ServicePeriod(self.start_date, self.end_date)


@dataclass(frozen=True, kw_only=True)
class EmployeeRecord(NewEmployee):
    """A stored employee. Change it with ``dataclasses.replace`` and pass it to ``update``.

    Its identifier is not re-checked: numbers stored before the NIP rules keep working."""

    id: EmployeeKey
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        self._check()
        if self.superior_id is not None and self.superior_id == self.id:
            raise DomainValidationError("nobody is their own superior", field="superior")


@dataclass(frozen=True)
class NewEvent:
    """A check-in/check-out attempt, accepted or not. ``employee_id`` is ``None`` for an
    unidentified 1:N attempt; a blank ``client_request_id`` means none."""

    employee_id: int | None
    kind: AttendanceKind
    occurred_at: datetime
    decision: Decision
    method: MatchMethod
    similarity: float | None = None
    threshold: float | None = None
    device: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    client_request_id: str | None = None
    refusal_code: str | None = None
    image_sha256: str | None = None
    """SHA-256 of the uploaded bytes (replay protection); unique per employee."""
    image_phash: str | None = None
    """64-bit perceptual hash of the decoded photo (near-duplicate replay protection)."""
    face_fingerprint: str | None = None
    """64-bit hash of the aligned face (:mod:`hadir.face.fingerprint`) of an attempt that
    counted (accepted or awaiting review): an edited copy of it later is a replay. Kept as
    long as evidence photos (``evidence_days``), then cleared by ``hadir purge``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", as_utc(self.occurred_at, field="occurred_at"))
        try:
            object.__setattr__(self, "kind", AttendanceKind(self.kind))
            object.__setattr__(self, "decision", Decision(self.decision))
            object.__setattr__(self, "method", MatchMethod(self.method))
        except ValueError as exc:
            raise DomainValidationError(str(exc), field="kind/decision/method") from exc
        crid = (self.client_request_id or "").strip() or None
        object.__setattr__(self, "client_request_id", crid)


@dataclass(frozen=True, kw_only=True)
class EventRecord(NewEvent):
    id: int
    created_at: datetime
    reviewed_by: int | None = None
    """The reviewing user's id."""
    reviewed_at: datetime | None = None
    review_note: str | None = None

    def to_domain(self) -> AttendanceEvent:
        """The event as the attendance rules see it (identified events only)."""
        if self.employee_id is None:
            raise DomainValidationError(
                f"event {self.id} has no employee", field="employee_id", event_id=self.id
            )
        return AttendanceEvent(
            employee_id=self.employee_id,
            kind=self.kind,
            occurred_at=self.occurred_at,
            decision=self.decision,
            client_request_id=self.client_request_id,
            corrected=self.method is MatchMethod.CORRECTION,
        )


@dataclass(frozen=True)
class EventFilter:
    """Which events ``EventRepository.list`` returns; ``None`` means "any".

    ``start`` is inclusive and ``end`` exclusive (aware datetimes; see ``for_days``).
    """

    start: datetime | None = None
    end: datetime | None = None
    employee_id: int | None = None
    unit: str | None = None
    decision: Decision | None = None
    kind: AttendanceKind | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", optional_utc(self.start, field_name="start"))
        object.__setattr__(self, "end", optional_utc(self.end, field_name="end"))

    @classmethod
    def for_days(
        cls, first: date, last: date, tz: str = DEFAULT_TIMEZONE, **criteria: Any
    ) -> EventFilter:
        """Events whose local date in ``tz`` is within ``first``..``last`` inclusive."""
        start = start_of_day(first, tz)
        end = start_of_day(last + timedelta(days=1), tz)
        return cls(start=start, end=end, **criteria)


@dataclass(frozen=True)
class RosterEntry:
    """What a day's status needs of an employee (``EmployeeRepository.roster``): read as
    plain columns, not as a full record."""

    id: int
    office_id: int | None
    unit: str
    active: bool
    start_date: date | None
    end_date: date | None

    @property
    def service(self) -> ServicePeriod:
        return ServicePeriod(self.start_date, self.end_date)


@dataclass(frozen=True)
class EventSpan:
    """An employee's accepted events in a period reduced to the first check-in and the
    last check-out (``EventRepository.spans``): all a day's status needs of them."""

    employee_id: int
    first_check_in: datetime | None
    last_check_out: datetime | None


@dataclass(frozen=True)
class ScheduleRecord:
    """A work schedule and its scope: an office, a unit, or (both ``None``) the default."""

    id: int
    office_id: int | None
    unit: str | None
    schedule: WorkSchedule


@dataclass(frozen=True)
class OverrideRecord:
    id: int
    office_id: int | None
    unit: str | None
    override: ScheduleOverride


@dataclass(frozen=True)
class HolidayRecord:
    id: int
    day: date
    name: str
    source: HolidaySource
    office_id: int | None
    """``None`` for a holiday of every office."""


@dataclass(frozen=True)
class UnitRecord:
    """A unit of the managed tree; ``parent_id`` ``None`` at the top (the agency)."""

    id: int
    name: str
    parent_id: int | None
    head_id: int | None
    """The head's employee key (kepala unit), if one is set."""
    created_at: datetime


@dataclass(frozen=True)
class LeaveRecord:
    id: int
    employee_id: int
    kind: LeaveKind
    start_date: date
    end_date: date
    status: LeaveStatus
    reason: str
    approver_id: int | None
    decided_at: datetime | None
    created_at: datetime
    place: str = ""
    """Where an official duty (dinas luar) takes place."""
    endorsed_by: int | None = None
    """The direct superior's account that approved before HR (two-step approval)."""

    def to_domain(self) -> Leave:
        return Leave(
            employee_id=self.employee_id,
            kind=self.kind,
            start_date=self.start_date,
            end_date=self.end_date,
            status=self.status,
        )


@dataclass(frozen=True)
class LeaveAttachmentRecord:
    """The encrypted document of a leave request (see ``hadir.services.leave_files``)."""

    id: int
    leave_id: int
    employee_id: int
    content_type: str
    size: int
    nonce: bytes
    ciphertext: bytes
    sha256: str
    created_at: datetime
