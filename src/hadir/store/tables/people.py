"""Tables of offices, employees and their enrolled face templates.

``employees.employee_id`` is the staff number (NIP); every other ``employee_id`` column is
a foreign key to ``employees.id``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
)
from hadir.domain.staff import EmployeeType
from hadir.store.tables.base import Base, one_of


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
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    """The unit of the managed tree; ``unit`` keeps its name (see ``tables.hr.Unit``)."""


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
