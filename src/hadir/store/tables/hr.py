"""ORM models of the regency HR records (issue 15): the unit tree, corrections and the
attachments of leave requests.

Registered by ``hadir.store.tables`` with the others.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.domain.attendance.correction import CorrectionReason, CorrectionStatus
from hadir.store.tables.base import Base, one_of


class Unit(Base):
    """A unit of the agency's tree (agency → bidang → seksi). ``name`` is unique: it is
    also the text kept on each employee (``employees.unit``) that reports, schedules and
    supervisors' scopes read, so a rename renames it everywhere."""

    __tablename__ = "units"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    """NO ACTION (checked at the statement's end): a whole subtree may go in one delete."""
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="SET NULL", use_alter=True), index=True
    )
    """The head of the unit (kepala): the direct superior of its staff by default."""
    created_at: Mapped[datetime]


class CorrectionRow(Base):
    """A correction of one day of an employee's attendance: asked for by the employee
    (status ``requested``, decided by the direct superior or HR) or made directly by HR
    (``approved`` at once). An approved one writes its check-in/check-out as attendance
    events of method ``correction`` (``client_request_id`` ``correction:<id>:in|out``)."""

    __tablename__ = "corrections"
    __table_args__ = (
        Index(None, "employee_id", "day"),
        one_of("reason_kind", CorrectionReason),
        one_of("status", CorrectionStatus),
        CheckConstraint("check_in IS NOT NULL OR check_out IS NOT NULL", name="some_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="RESTRICT"))
    day: Mapped[date] = mapped_column(Date)
    reason_kind: Mapped[str] = mapped_column(String(32))
    check_in: Mapped[time | None] = mapped_column(Time)
    check_out: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    requested_by: Mapped[str] = mapped_column(String(255))
    decided_by: Mapped[str | None] = mapped_column(String(255))
    """The username of who approved or refused (HR's own for a direct correction)."""
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[datetime]


class LeaveAttachmentRow(Base):
    """The document of a leave request (a doctor's note: PDF, JPEG or PNG), AES-GCM
    encrypted like evidence photos: the associated data names the leave, so a row copied
    onto another leave does not decrypt. ``sha256`` is of the plain document (checked on
    opening). Removed by ``hadir purge`` after ``HADIR_LEAVE_ATTACHMENT_DAYS`` and with the
    employee's biometric/evidence data."""

    __tablename__ = "leave_attachments"
    __table_args__ = (
        CheckConstraint(
            "content_type IN ('application/pdf', 'image/jpeg', 'image/png')",
            name="content_type",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    leave_id: Mapped[int] = mapped_column(ForeignKey("leaves.id", ondelete="CASCADE"), unique=True)
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    """Bytes of the plain document."""
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(index=True)
