"""ORM models: the database schema, mirrored by the Alembic migrations.

Conventions: every timestamp is ``UtcDateTime`` (``timestamptz`` on PostgreSQL, naive UTC
text on SQLite); enums are strings guarded by named CHECK constraints; constraint names
follow ``NAMING_CONVENTION`` so SQLite batch migrations can address them. No ORM
relationships: repositories query explicitly and the database does the cascades.

``employees.employee_id`` is the staff number (NIP); every other ``employee_id`` column is
a foreign key to ``employees.id``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceKind,
    Decision,
    LeaveKind,
    LeaveStatus,
)
from hadir.domain.staff import EmployeeType
from hadir.services.records import HolidaySource, MatchMethod, Role
from hadir.store.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        float: Double(),
        str: String(255),
    }


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str]
    timezone: Mapped[str] = mapped_column(String(64), server_default=DEFAULT_TIMEZONE)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    radius_m: Mapped[float | None]
    require_liveness: Mapped[bool] = mapped_column(Boolean, server_default=false())


class Employee(Base):
    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("length(employee_id) > 0", name="employee_id_not_empty"),
        CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="service_dates",
        ),
        one_of("employee_type", EmployeeType),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str]
    unit: Mapped[str] = mapped_column(index=True, server_default="")
    position: Mapped[str] = mapped_column(server_default="")
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("offices.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str | None]
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    employee_type: Mapped[str] = mapped_column(String(16), server_default="non_asn")
    grade: Mapped[str] = mapped_column(String(16), server_default="")
    echelon: Mapped[str] = mapped_column(String(16), server_default="")
    superior_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class FaceTemplate(Base):
    __tablename__ = "face_templates"
    __table_args__ = (CheckConstraint("dim > 0", name="dim_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[str] = mapped_column(String(128))
    model_sha256: Mapped[str] = mapped_column(String(64))
    preprocessing: Mapped[str]
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    face_size_px: Mapped[float | None]
    sharpness: Mapped[float | None]
    brightness: Mapped[float | None]
    yaw: Mapped[float | None]
    roll: Mapped[float | None]
    detection_score: Mapped[float | None]
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class AttendanceEventRow(Base):
    __tablename__ = "attendance_events"
    __table_args__ = (
        # NULLs are distinct in a UNIQUE constraint on both SQLite and PostgreSQL, so this
        # only bites when both the employee and the client_request_id are present.
        UniqueConstraint("employee_id", "client_request_id"),
        # an exact image can be submitted once per employee (replay protection); the
        # refusal of a replay is recorded without its hash
        UniqueConstraint("employee_id", "image_sha256"),
        Index(None, "employee_id", "occurred_at"),
        Index(None, "employee_id", "image_phash"),
        one_of("kind", AttendanceKind),
        one_of("decision", Decision),
        one_of("method", MatchMethod),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    decision: Mapped[str] = mapped_column(String(16))
    similarity: Mapped[float | None]
    threshold: Mapped[float | None]
    method: Mapped[str] = mapped_column(String(16))
    device: Mapped[str | None] = mapped_column(String(128))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    client_request_id: Mapped[str | None] = mapped_column(String(128))
    refusal_code: Mapped[str | None] = mapped_column(String(64))
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    image_phash: Mapped[str | None] = mapped_column(String(16))
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class WorkScheduleRow(Base):
    """``scope_key`` is ``global``, ``office:<id>`` or ``unit:<name>``: one row per scope."""

    __tablename__ = "work_schedules"
    __table_args__ = (
        CheckConstraint("office_id IS NULL OR unit IS NULL", name="single_scope"),
        CheckConstraint("working_days BETWEEN 0 AND 127", name="working_days_mask"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(300), unique=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    unit: Mapped[str | None]
    working_days: Mapped[int] = mapped_column(Integer)
    """Bit ``d`` set means ``Weekday(d)`` is a working day (Monday = bit 0)."""
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    grace_minutes: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    checkin_opens_at: Mapped[time | None] = mapped_column(Time)
    weekday_hours: Mapped[str | None] = mapped_column(String(200))
    """Weekdays with their own hours, e.g. ``4=07:30-11:30`` (``/5``: own grace)."""


class ScheduleOverrideRow(Base):
    __tablename__ = "schedule_overrides"
    __table_args__ = (
        CheckConstraint("office_id IS NULL OR unit IS NULL", name="single_scope"),
        CheckConstraint("end_date >= start_date", name="date_order"),
        Index(None, "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    unit: Mapped[str | None]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    grace_minutes: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(server_default="")


class HolidayRow(Base):
    """``scope_key`` is ``global`` or ``office:<id>``, so a date is unique per scope."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("scope_key", "day"), one_of("source", HolidaySource))

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str]
    source: Mapped[str] = mapped_column(String(16))


class LeaveRow(Base):
    __tablename__ = "leaves"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="date_order"),
        Index(None, "employee_id", "start_date"),
        one_of("kind", LeaveKind),
        one_of("status", LeaveStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, server_default="")
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str]
    role: Mapped[str] = mapped_column(String(16))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    unit: Mapped[str | None]
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    """Wrong passwords since the last successful sign-in (or the last lockout)."""
    locked_until: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default=false())
    """Set by an administrator's reset: the one-time password must be changed."""


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (one_of("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Append-only, hash-chained: ``hash = sha256(prev_hash + canonical entry)``.

    ``prev_hash`` is unique, so two writers racing to extend the same entry cannot fork
    the chain: the second one gets a conflict and must retry.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None]
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """The audit chain's head, kept outside the rows it covers (issue 13, finding 5): the
    number of entries ever appended and the newest entry's id and hash, updated in the
    same transaction as each append. Deleting the newest rows leaves the chain itself
    valid but no longer reaching this head, so ``verify`` reports the truncation. One row
    (``id`` 1). Someone who can also rewrite this row is caught by an exported, signed
    checkpoint (``hadir audit checkpoint``) kept elsewhere."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))


class AuditVerified(Base):
    """How far ``hadir audit verify`` last found the chain intact (one row, ``id`` 1): the
    entries up to ``head_id``, the newest hash and when. The next verification starts
    there instead of re-hashing years of entries (``--full`` re-hashes everything)."""

    __tablename__ = "audit_verified"

    id: Mapped[int] = mapped_column(primary_key=True)
    entries: Mapped[int] = mapped_column(Integer)
    head_id: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime]


class ChangeCounter(Base):
    """A named counter bumped in the same transaction as the change it counts.

    ``templates`` counts every change that can alter a 1:N index (a template added or
    deleted, an employee activated, deactivated or deleted); each process compares it with
    the version its cached index was built from, so a face enrolled through one server is
    used by every other server at its next check-in.
    """

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, server_default="0")


class UsedNonce(Base):
    """Single-use tokens (liveness challenges, one-time links): the primary key refuses
    a second use. Rows past ``expires_at`` can be purged; an expired nonce is refused by
    its signature's own expiry before it ever gets here."""

    __tablename__ = "used_nonces"

    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    used_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class EvidencePhoto(Base):
    """An optional evidence photo of a check attempt, AES-GCM encrypted (never plain).

    ``nonce`` is the 12-byte GCM nonce; the associated data binds the ciphertext to its
    event id, so a row copied onto another event does not decrypt. Removed after
    ``expires_at`` by ``hadir purge`` and with the employee's biometric data.
    """

    __tablename__ = "evidence_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("attendance_events.id", ondelete="CASCADE"), unique=True
    )
    employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SiteCalibration(Base):
    """The office's own calibration of an embedding contract (``hadir calibrate``); the
    newest row of a contract is the one in force. Holds no photo and no template: only
    the centre of the site transform, thresholds and the estimates behind them."""

    __tablename__ = "site_calibrations"
    __table_args__ = (Index("ix_site_calibrations_contract", "preprocessing", "model_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(String(128))
    model_sha256: Mapped[str] = mapped_column(String(64))
    preprocessing: Mapped[str] = mapped_column(Text)
    dim: Mapped[int] = mapped_column(Integer)
    blocks: Mapped[str] = mapped_column(Text)
    """The model blocks of the vectors: ``start:stop:scale`` joined by ``;``."""
    centre: Mapped[bytes] = mapped_column(LargeBinary)
    accept: Mapped[float] = mapped_column(Double)
    review: Mapped[float] = mapped_column(Double)
    identify: Mapped[float] = mapped_column(Double)
    target_fmr: Mapped[float] = mapped_column(Double)
    fitted: Mapped[float] = mapped_column(Double)
    employees: Mapped[int] = mapped_column(Integer)
    templates: Mapped[int] = mapped_column(Integer)
    impostor_pairs: Mapped[int] = mapped_column(Integer)
    genuine_pairs: Mapped[int] = mapped_column(Integer)
    fmr: Mapped[float] = mapped_column(Double)
    fmr_low: Mapped[float] = mapped_column(Double)
    fmr_high: Mapped[float] = mapped_column(Double)
    tar: Mapped[float] = mapped_column(Double)
    tar_low: Mapped[float] = mapped_column(Double)
    tar_high: Mapped[float] = mapped_column(Double)
    lowered: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
