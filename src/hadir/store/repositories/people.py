"""Offices, employees and their face templates."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import fields

from sqlalchemy import delete, func, or_, select

from hadir.domain.attendance import DEFAULT_TIMEZONE
from hadir.domain.attendance.timeutil import zone
from hadir.domain.errors import ConflictError, NotFoundError
from hadir.face.types import Embedding, EmbeddingContract, QualityReport
from hadir.services.face_records import TemplateRecord
from hadir.services.ports import TEMPLATES_COUNTER as TEMPLATES
from hadir.services.records import (
    EmployeeKey,
    EmployeeRecord,
    NewEmployee,
    OfficeRecord,
    RosterEntry,
    clean_text,
)
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.hr import Unit
from hadir.store.tables.people import Employee, FaceTemplate, Office
from hadir.store.types import vector_from_bytes, vector_to_bytes

_EMPLOYEE_FIELDS = tuple(f.name for f in fields(NewEmployee))


def _office(row: Office) -> OfficeRecord:
    return OfficeRecord(
        id=row.id,
        code=row.code,
        name=row.name,
        timezone=row.timezone,
        latitude=row.latitude,
        longitude=row.longitude,
        radius_m=row.radius_m,
        require_liveness=bool(row.require_liveness),
    )


def _employee(row: Employee) -> EmployeeRecord:
    values = {name: getattr(row, name) for name in _EMPLOYEE_FIELDS}
    return EmployeeRecord(
        **values, id=EmployeeKey(row.id), created_at=row.created_at, updated_at=row.updated_at
    )


def _nip_taken(nip: str) -> ConflictError:
    return ConflictError(
        f"an employee with employee_id (NIP) {nip!r} already exists",
        field="employee_id",
        employee_id=nip,
    )


def _no_office(office_id: int | None) -> NotFoundError:
    return NotFoundError(f"office {office_id} does not exist", field="office_id")


class OfficeRepository(SqlRepository):
    def add(
        self,
        code: str,
        name: str,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        latitude: float | None = None,
        longitude: float | None = None,
        radius_m: float | None = None,
        require_liveness: bool = False,
    ) -> OfficeRecord:
        zone(timezone)  # validates the name
        row = Office(
            code=clean_text(code, field_name="code"),
            name=clean_text(name, field_name="name"),
            timezone=timezone,
            latitude=latitude,
            longitude=longitude,
            radius_m=radius_m,
            require_liveness=require_liveness,
        )
        taken = ConflictError(f"an office with code {row.code!r} already exists", field="code")
        with guarded(self._session, unique=taken):
            self._session.add(row)
        return _office(row)

    def get(self, office_id: int) -> OfficeRecord:
        return _office(self._row(Office, office_id, "office"))

    def get_by_code(self, code: str) -> OfficeRecord:
        row = self._session.scalars(select(Office).where(Office.code == code)).one_or_none()
        if row is None:
            raise NotFoundError(f"no office with code {code!r}", field="code")
        return _office(row)

    def list(self) -> list[OfficeRecord]:
        return [_office(r) for r in self._session.scalars(select(Office).order_by(Office.code))]

    def update(self, office: OfficeRecord) -> OfficeRecord:
        """Store ``office``'s name, timezone and location (the code is its identity)."""
        zone(office.timezone)  # validates the name
        row = self._row(Office, office.id, "office")
        with guarded(self._session):
            row.name = clean_text(office.name, field_name="name")
            row.timezone = office.timezone
            row.latitude = office.latitude
            row.longitude = office.longitude
            row.radius_m = office.radius_m
            row.require_liveness = office.require_liveness
        return _office(row)

    def delete(self, office_id: int) -> None:
        """Remove an office (its schedules and holidays go with it); a ConflictError while
        employees still belong to it."""
        row = self._row(Office, office_id, "office")
        used = ConflictError(
            f"office {row.code!r} still has employees; move them first", field="code"
        )
        with guarded(self._session, foreign_key=used):
            self._session.delete(row)


class EmployeeRepository(SqlRepository):
    def add(self, employee: NewEmployee) -> EmployeeRecord:
        now = self._now()
        values = {name: getattr(employee, name) for name in _EMPLOYEE_FIELDS}
        row = Employee(**values, created_at=now, updated_at=now, unit_id=self._unit_key(employee))
        with guarded(
            self._session,
            unique=_nip_taken(employee.employee_id),
            foreign_key=_no_office(employee.office_id),
        ):
            self._session.add(row)
        return _employee(row)

    def _unit_key(self, employee: NewEmployee) -> int | None:
        """The tree unit whose name the employee's ``unit`` holds (``None``: not in it)."""
        if not employee.unit.strip():
            return None
        return self._session.scalar(select(Unit.id).where(Unit.name == employee.unit.strip()))

    def get(self, employee_id: int) -> EmployeeRecord:
        """By database key (the domain's ``EmployeeId``)."""
        return _employee(self._row(Employee, employee_id, "employee"))

    def get_many(self, keys: Iterable[int]) -> dict[int, EmployeeRecord]:
        """By database keys, in one query (a page of the attendance log names up to a
        hundred people: one look-up each was the log's N+1)."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        rows = self._session.scalars(select(Employee).where(Employee.id.in_(wanted)))
        return {row.id: _employee(row) for row in rows}

    def get_by_employee_id(self, nip: str) -> EmployeeRecord:
        """By staff number (NIP)."""
        query = select(Employee).where(Employee.employee_id == nip.strip())
        row = self._session.scalars(query).one_or_none()
        if row is None:
            raise NotFoundError(f"no employee with employee_id (NIP) {nip!r}", employee_id=nip)
        return _employee(row)

    def roster(self, *, unit: str | None = None) -> builtins.list[RosterEntry]:
        """Every employee (of ``unit``) as the columns a day's status needs, read as plain
        rows (10,000 full records cost the dashboard a fifth of a second more)."""
        e = Employee
        query = select(e.id, e.office_id, e.unit, e.active, e.start_date, e.end_date)
        if unit is not None:
            query = query.where(e.unit == unit)
        return [RosterEntry(*row) for row in self._session.execute(query.order_by(e.id))]

    def units(self) -> builtins.list[str]:
        """The distinct unit texts of employees, in one query (not every employee)."""
        return list(self._session.scalars(select(Employee.unit).distinct()))

    def list(
        self,
        *,
        search: str | None = None,
        unit: str | None = None,
        active: bool | None = None,
        office_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[EmployeeRecord]:
        """Ordered by name; ``search`` matches part of the name or NIP, any case."""
        query = select(Employee).order_by(func.lower(Employee.name), Employee.id)
        if search and search.strip():
            needle = search.strip()
            query = query.where(
                or_(
                    Employee.name.icontains(needle, autoescape=True),
                    Employee.employee_id.icontains(needle, autoescape=True),
                )
            )
        if unit is not None:
            query = query.where(Employee.unit == unit)
        if active is not None:
            query = query.where(Employee.active == active)
        if office_id is not None:
            query = query.where(Employee.office_id == office_id)
        query = query.offset(offset).limit(limit)
        return [_employee(r) for r in self._session.scalars(query)]

    def update(self, employee: EmployeeRecord) -> EmployeeRecord:
        """Store every field of ``employee`` (found by ``id``); ``updated_at`` is set now."""
        row = self._row(Employee, employee.id, "employee")
        with guarded(
            self._session,
            unique=_nip_taken(employee.employee_id),
            foreign_key=_no_office(employee.office_id),
        ):
            was_active = row.active
            for name in _EMPLOYEE_FIELDS:
                setattr(row, name, getattr(employee, name))
            row.unit_id = self._unit_key(employee)
            row.updated_at = self._now()
        if row.active != was_active:
            self._bump_counter(TEMPLATES)
        return _employee(row)

    def delete(self, employee_id: int) -> None:
        """Delete the employee and (by cascade) their face templates.

        Employees with attendance events or leave keep their history: deleting them is a
        ``ConflictError``; deactivate them instead.
        """
        self._row(Employee, employee_id, "employee")
        in_use = ConflictError(
            f"employee {employee_id} has attendance or leave records; deactivate instead",
            employee_id=employee_id,
        )
        with guarded(self._session, foreign_key=in_use):
            self._session.execute(delete(Employee).where(Employee.id == employee_id))
        self._bump_counter(TEMPLATES)
        self._session.expire_all()


def _quality(row: FaceTemplate) -> QualityReport | None:
    """The stored figures, or ``None`` when the template was saved without them."""
    if (
        row.face_size_px is None
        or row.sharpness is None
        or row.brightness is None
        or row.yaw is None
        or row.detection_score is None
    ):
        return None
    return QualityReport(
        face_size_px=row.face_size_px,
        sharpness=row.sharpness,
        brightness=row.brightness,
        yaw=row.yaw,
        detection_score=row.detection_score,
        roll=row.roll or 0.0,
    )


def _template(row: FaceTemplate) -> TemplateRecord:
    contract = EmbeddingContract(
        model_id=row.model_id,
        model_sha256=row.model_sha256,
        preprocessing=row.preprocessing,
        dim=row.dim,
    )
    return TemplateRecord(
        id=row.id,
        employee_id=row.employee_id,
        embedding=Embedding(vector_from_bytes(row.vector, row.dim), contract),
        quality=_quality(row),
        image_sha256=row.image_sha256,
        created_at=row.created_at,
    )


class TemplateRepository(SqlRepository):
    def add(
        self,
        employee_id: int,
        embedding: Embedding,
        *,
        quality: QualityReport | None = None,
        image_sha256: str | None = None,
    ) -> TemplateRecord:
        contract = embedding.contract
        row = FaceTemplate(
            employee_id=employee_id,
            model_id=contract.model_id,
            model_sha256=contract.model_sha256,
            preprocessing=contract.preprocessing,
            dim=contract.dim,
            vector=vector_to_bytes(embedding.vector),
            image_sha256=image_sha256,
            created_at=self._now(),
        )
        if quality is not None:
            row.face_size_px = quality.face_size_px
            row.sharpness = quality.sharpness
            row.brightness = quality.brightness
            row.yaw = quality.yaw
            row.roll = quality.roll
            row.detection_score = quality.detection_score
        missing = NotFoundError(f"employee {employee_id} does not exist", employee_id=employee_id)
        with guarded(self._session, foreign_key=missing):
            self._session.add(row)
        self._bump_counter(TEMPLATES)
        return _template(row)

    def list_for(self, employee_id: int) -> list[TemplateRecord]:
        query = select(FaceTemplate).where(FaceTemplate.employee_id == employee_id)
        return [_template(r) for r in self._session.scalars(query.order_by(FaceTemplate.id))]

    def counts(self, employee_ids: Iterable[int]) -> dict[int, int]:
        """How many templates each of ``employee_ids`` has (absent: none), in one query."""
        wanted = sorted(set(employee_ids))
        if not wanted:
            return {}
        t = FaceTemplate
        query = (
            select(t.employee_id, func.count())
            .where(t.employee_id.in_(wanted))
            .group_by(t.employee_id)
        )
        return {int(e): int(n) for e, n in self._session.execute(query)}

    def any(self) -> bool:
        """Whether any face is enrolled (one row looked at)."""
        return self._session.scalar(select(FaceTemplate.id).limit(1)) is not None

    def list_all_for_contract(
        self, contract: EmbeddingContract, *, active_only: bool = True
    ) -> list[TemplateRecord]:
        """Every template made by exactly ``contract``'s pipeline (for 1:N identification)."""
        query = select(FaceTemplate).where(
            FaceTemplate.model_id == contract.model_id,
            FaceTemplate.model_sha256 == contract.model_sha256,
            FaceTemplate.preprocessing == contract.preprocessing,
            FaceTemplate.dim == contract.dim,
        )
        if active_only:
            query = query.join(Employee, Employee.id == FaceTemplate.employee_id).where(
                Employee.active
            )
        query = query.order_by(FaceTemplate.employee_id, FaceTemplate.id)
        return [_template(r) for r in self._session.scalars(query)]

    def delete_one(self, employee_id: int, template_id: int) -> bool:
        """Delete one template if it belongs to the employee; whether it did."""
        with guarded(self._session):
            done = self._session.execute(
                delete(FaceTemplate)
                .where(FaceTemplate.id == template_id, FaceTemplate.employee_id == employee_id)
                .execution_options(synchronize_session=False)
            )
        removed = int(getattr(done, "rowcount", 0) or 0) > 0
        if removed:
            self._bump_counter(TEMPLATES)
        return removed

    def delete_for(self, employee_id: int) -> int:
        """Delete every template of the employee; returns how many there were."""
        ids = self._session.scalars(
            select(FaceTemplate.id).where(FaceTemplate.employee_id == employee_id)
        ).all()
        with guarded(self._session):
            self._session.execute(delete(FaceTemplate).where(FaceTemplate.id.in_(ids)))
        if ids:
            self._bump_counter(TEMPLATES)
        return len(ids)
