"""Tables of shifts (units that work around the clock): the named shifts and which
employee works which shift on which dates (the roster).

Registered by ``hadir.store.tables`` with the others.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from hadir.store.tables.base import Base


class ShiftRow(Base):
    """A shift; ``end_time`` at or before ``start_time`` ends on the next date."""

    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("grace_minutes >= 0", name="grace_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    grace_minutes: Mapped[int] = mapped_column(Integer)


class ShiftAssignmentRow(Base):
    """Employee ``employee_id`` works shift ``shift_id`` on ``start_date``..``end_date``.
    A shift still assigned cannot be deleted (past recaps depend on its hours)."""

    __tablename__ = "shift_assignments"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index(None, "employee_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
