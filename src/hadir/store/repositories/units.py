"""The managed tree of units. A unit's name is also kept on its employees
(``employees.unit``), on supervisors' accounts (``users.unit``) and on unit-scoped
schedules: ``rename`` changes every copy in the same transaction."""

from __future__ import annotations

from sqlalchemy import func, select, update

from hadir.domain.errors import ConflictError, NotFoundError
from hadir.services.records import UnitRecord, clean_text
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.access import User
from hadir.store.tables.attendance import ScheduleOverrideRow, WorkScheduleRow
from hadir.store.tables.hr import Unit
from hadir.store.tables.people import Employee


def _unit(row: Unit) -> UnitRecord:
    return UnitRecord(
        id=row.id,
        name=row.name,
        parent_id=row.parent_id,
        head_id=row.head_id,
        created_at=row.created_at,
    )


def _taken(name: str) -> ConflictError:
    return ConflictError(f"a unit named {name!r} already exists", field="name", name=name)


def _no_parent(parent_id: int | None) -> NotFoundError:
    return NotFoundError(f"unit {parent_id} does not exist", field="parent_id")


class UnitRepository(SqlRepository):
    def add(self, name: str, *, parent_id: int | None = None) -> UnitRecord:
        row = Unit(
            name=clean_text(name, field_name="name"), parent_id=parent_id, created_at=self._now()
        )
        with guarded(self._session, unique=_taken(row.name), foreign_key=_no_parent(parent_id)):
            self._session.add(row)
        return _unit(row)

    def get(self, unit_id: int) -> UnitRecord:
        return _unit(self._row(Unit, unit_id, "unit"))

    def find_by_name(self, name: str) -> UnitRecord | None:
        row = self._session.scalars(select(Unit).where(Unit.name == name.strip())).one_or_none()
        return None if row is None else _unit(row)

    def list(self) -> list[UnitRecord]:
        query = select(Unit).order_by(func.lower(Unit.name), Unit.id)
        return [_unit(r) for r in self._session.scalars(query)]

    def update(self, unit: UnitRecord) -> UnitRecord:
        """Store ``unit``'s parent and head (its name changes through ``rename``)."""
        row = self._row(Unit, unit.id, "unit")
        missing = NotFoundError("the parent unit or the head does not exist", field="parent_id")
        with guarded(self._session, foreign_key=missing):
            row.parent_id = unit.parent_id
            row.head_id = unit.head_id
        return _unit(row)

    def rename(self, unit_id: int, name: str) -> UnitRecord:
        row = self._row(Unit, unit_id, "unit")
        new = clean_text(name, field_name="name")
        old = row.name
        with guarded(self._session, unique=_taken(new)):
            row.name = new
            self._session.flush()
            for statement in (
                update(Employee).where(Employee.unit_id == unit_id).values(unit=new),
                update(User).where(User.unit == old).values(unit=new),
                update(WorkScheduleRow)
                .where(WorkScheduleRow.unit == old)
                .values(unit=new, scope_key="unit:" + new),
                update(ScheduleOverrideRow).where(ScheduleOverrideRow.unit == old).values(unit=new),
            ):
                self._session.execute(statement.execution_options(synchronize_session=False))
        self._session.expire_all()
        return _unit(self._row(Unit, unit_id, "unit"))

    def delete(self, unit_id: int) -> None:
        """Remove an empty unit; a ``ConflictError`` while it has sub-units or staff."""
        row = self._row(Unit, unit_id, "unit")
        in_use = ConflictError(
            f"unit {row.name!r} still has sub-units or staff; move them first", field="unit"
        )
        if self.staff_counts().get(unit_id) or self._session.scalar(
            select(func.count()).select_from(Unit).where(Unit.parent_id == unit_id)
        ):
            raise in_use
        with guarded(self._session, foreign_key=in_use):
            self._session.delete(row)

    def staff_counts(self) -> dict[int, int]:
        """Unit key -> number of employees (active or not) linked to it."""
        query = (
            select(Employee.unit_id, func.count())
            .where(Employee.unit_id.is_not(None))
            .group_by(Employee.unit_id)
        )
        return {int(key or 0): int(n) for key, n in self._session.execute(query).all()}

    def key_of(self, name: str) -> int | None:
        """The key of the unit named ``name`` (blank or unknown: ``None``)."""
        if not name.strip():
            return None
        return self._session.scalar(select(Unit.id).where(Unit.name == name.strip()))
