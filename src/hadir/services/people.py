"""Import of employees from a CSV or XLSX file (create or update by NIP).

Two steps, so parsing can be tested without a database:

1. ``parse_csv`` / ``parse_xlsx`` / ``read_employee_file`` turn the file into
   ``EmployeeRow`` values and ``RowProblem`` refusals (with the file's line numbers).
2. ``import_employees`` writes each row in its own short unit of work: a row the store
   refuses (unknown office, a taken e-mail, ...) is reported and the others still go in.

Columns (header names, any case; Indonesian aliases accepted): ``employee_id`` (NIP),
``name``, ``employee_type`` (``pns``, ``pppk`` or ``non_asn``; ``pns`` when absent or
blank), ``unit``, ``position``, ``grade`` (golongan), ``echelon``, ``superior`` (the direct
superior's NIP, registered earlier or higher up in the same file), ``start_date`` (TMT)
and ``end_date`` (YYYY-MM-DD or DD/MM/YYYY), ``office`` (an office code), ``email``,
``phone``, ``active``. Only ``employee_id`` and ``name`` are required. The NIP is checked
by the staff rules (a wrong part is named in the line's refusal) and stored bare; a NIP
cell that a spreadsheet turned into a rounded number is refused. On update, a column
missing from the file leaves that field as it is; a blank cell clears it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from hadir.domain.errors import DomainValidationError, HadirError, NotFoundError
from hadir.services.people_files import (
    COLUMNS,
    EmployeeRow,
    ImportSummary,
    ParsedFile,
    RowProblem,
    RowResult,
    parse_csv,
    parse_employee_file,
    parse_table,
    parse_xlsx,
    read_employee_file,
)
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EmployeeRecord, NewEmployee
from hadir.services.staff import superior_key

__all__ = [
    "COLUMNS",
    "EmployeeRow",
    "ImportSummary",
    "ParsedFile",
    "RowProblem",
    "RowResult",
    "import_employees",
    "parse_csv",
    "parse_employee_file",
    "parse_table",
    "parse_xlsx",
    "read_employee_file",
]


T = TypeVar("T")


def _kept(current: T, row: EmployeeRow, name: str, value: T) -> T:
    """``value`` when the file has the column ``name``, else the current value."""
    return value if name in row.given else current


def _merged(
    current: EmployeeRecord, row: EmployeeRow, office_id: int | None, superior: int | None
) -> EmployeeRecord:
    return replace(
        current,
        name=row.name,
        unit=current.unit if row.unit is None else row.unit,
        position=current.position if row.position is None else row.position,
        office_id=current.office_id if row.office is None else office_id,
        email=current.email if row.email is None else (row.email or None),
        phone=current.phone if row.phone is None else (row.phone or None),
        active=current.active if row.active is None else row.active,
        employee_type=_kept(current.employee_type, row, "employee_type", row.employee_type),
        grade=_kept(current.grade, row, "grade", row.grade or ""),
        echelon=_kept(current.echelon, row, "echelon", row.echelon or ""),
        superior_id=_kept(current.superior_id, row, "superior", superior),
        start_date=_kept(current.start_date, row, "start_date", row.start_date),
        end_date=_kept(current.end_date, row, "end_date", row.end_date),
    )


FIELDS = (
    "name",
    "unit",
    "position",
    "office_id",
    "email",
    "phone",
    "active",
    "employee_type",
    "grade",
    "echelon",
    "superior_id",
    "start_date",
    "end_date",
)


def _changed(left: EmployeeRecord, right: EmployeeRecord) -> list[str]:
    return [f for f in FIELDS if getattr(left, f) != getattr(right, f)]


def _write(uow: AbstractUnitOfWork, row: EmployeeRow, actor: str) -> str:
    """Create or update one employee; ``"created"``, ``"updated"`` or ``"unchanged"``."""
    with uow:
        office_id: int | None = None
        if row.office:
            try:
                office_id = uow.offices.get_by_code(row.office).id
            except NotFoundError as exc:
                raise DomainValidationError(f"unknown office code {row.office!r}") from exc
        superior = superior_key(uow, row.superior)
        try:
            current = uow.employees.get_by_employee_id(row.employee_id)
        except NotFoundError:
            uow.employees.add(
                NewEmployee(
                    employee_id=row.employee_id,
                    name=row.name,
                    unit=row.unit or "",
                    position=row.position or "",
                    office_id=office_id,
                    email=row.email or None,
                    phone=row.phone or None,
                    active=True if row.active is None else row.active,
                    employee_type=row.employee_type,
                    grade=row.grade or "",
                    echelon=row.echelon or "",
                    superior_id=superior,
                    start_date=row.start_date,
                    end_date=row.end_date,
                )
            )
            uow.audit.append(actor, "employee.import", row.employee_id, {"created": True})
            uow.commit()
            return "created"
        merged = _merged(current, row, office_id, superior)
        changed = _changed(current, merged)
        if not changed:
            return "unchanged"
        uow.employees.update(merged)
        uow.audit.append(actor, "employee.import", row.employee_id, {"fields": changed})
        uow.commit()
        return "updated"


def import_employees(uow: AbstractUnitOfWork, parsed: ParsedFile, *, actor: str) -> ImportSummary:
    """Write every parsed row (see the module docstring), each audited under ``actor``;
    refusals keep their line."""
    outcome: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    refused = list(parsed.refused)
    lines = [RowResult(p.line, p.employee_id, "refused", p.reason) for p in parsed.refused]
    for row in parsed.rows:
        try:
            done = _write(uow, row, actor)
        except HadirError as exc:
            refused.append(RowProblem(row.line, row.employee_id, exc.message))
            lines.append(RowResult(row.line, row.employee_id, "refused", exc.message))
            continue
        outcome[done].append(row.employee_id)
        lines.append(RowResult(row.line, row.employee_id, done))
    return ImportSummary(
        created=tuple(outcome["created"]),
        updated=tuple(outcome["updated"]),
        unchanged=tuple(outcome["unchanged"]),
        refused=tuple(sorted(refused, key=lambda p: p.line)),
        lines=tuple(sorted(lines, key=lambda r: r.line)),
    )
