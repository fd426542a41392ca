"""ORM models of the regency HR records (issue 15): the managed tree of units.

Registered by ``hadir.store.tables`` with the others.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hadir.store.tables.base import Base


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
