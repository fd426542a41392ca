"""Tables of attendance: check attempts, work schedules and their overrides, holidays and
leave."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.domain.attendance import (
    AttendanceKind,
    Decision,
    LeaveKind,
    LeaveStatus,
)
from hadir.services.records import HolidaySource, MatchMethod
from hadir.store.tables.base import Base, one_of


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
        # the review queue and the refused attempts are a sliver of a year's events:
        # partial indexes find them without walking every accepted event (migration 0017)
        Index(
            "ix_attendance_events_needs_review",
            "occurred_at",
            "id",
            sqlite_where=text("decision = 'needs_review'"),
            postgresql_where=text("decision = 'needs_review'"),
        ),
        Index(
            "ix_attendance_events_rejected",
            "occurred_at",
            "id",
            sqlite_where=text("decision = 'rejected'"),
            postgresql_where=text("decision = 'rejected'"),
        ),
        # a unit's month for the reports (EventRepository.punches): each employee's accepted
        # punches are one range of this index, and every column the read needs is in it, so
        # PostgreSQL never visits the table (migration 0018). Key columns rather than
        # PostgreSQL's INCLUDE, so one definition serves SQLite too (which searches by it).
        Index(
            "ix_attendance_events_accepted_punches",
            "employee_id",
            "occurred_at",
            "kind",
            "method",
            "id",
            sqlite_where=text("decision = 'accepted'"),
            postgresql_where=text("decision = 'accepted'"),
        ),
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
    face_fingerprint: Mapped[str | None] = mapped_column(String(16))
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
        Index(None, "status", "start_date"),  # the leave lists by status (migration 0017)
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
    place: Mapped[str] = mapped_column(server_default="")
    """Where an official duty (dinas luar) takes place (issue 15)."""
    endorsed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    """The direct superior's account that approved before HR (two-step approval)."""
