"""Import of employees from a CSV or XLSX file (create or update by NIP).

Two steps, so parsing can be tested without a database:

1. ``parse_csv`` / ``parse_xlsx`` / ``read_employee_file`` turn the file into
   ``EmployeeRow`` values and ``RowProblem`` refusals (with the file's line numbers).
2. ``import_employees`` writes each row in its own short unit of work, through the same
   steps as ``hadir.services.employees`` (an audit entry per created or changed employee,
   a deactivation switches their accounts off): a row the store refuses (unknown office,
   a taken e-mail, ...) is reported and the others still go in.

Columns (header names, any case; Indonesian aliases accepted): ``employee_id`` (NIP),
``name``, ``unit``, ``position``, ``office`` (an office code, optional), ``email``,
``phone``, ``active``. Only ``employee_id`` and ``name`` are required. On update, a
column missing from the file leaves that field as it is; a blank cell clears it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hadir.domain.errors import DomainValidationError, HadirError, NotFoundError
from hadir.services.audit import Actor
from hadir.services.employees import EDITABLE, add_employee_in, update_in
from hadir.services.ports import UowFactory
from hadir.services.records import EmployeeRecord, NewEmployee

COLUMNS = ("employee_id", "name", "unit", "position", "office", "email", "phone", "active")
REQUIRED = ("employee_id", "name")
ALIASES = {
    "nip": "employee_id",
    "employee id": "employee_id",
    "nama": "name",
    "jabatan": "position",
    "kantor": "office",
    "office_code": "office",
    "telepon": "phone",
    "hp": "phone",
    "aktif": "active",
    "e-mail": "email",
}
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "ya", "aktif", "active"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "tidak", "nonaktif", "inactive"})
MAX_ROWS = 50_000

Cell = str | int | float | bool | None


@dataclass(frozen=True)
class EmployeeRow:
    """One parsed row. ``None`` for a column the file does not have."""

    line: int
    employee_id: str
    name: str
    unit: str | None = None
    position: str | None = None
    office: str | None = None
    email: str | None = None
    phone: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class RowProblem:
    line: int
    employee_id: str | None
    reason: str


@dataclass(frozen=True)
class ParsedFile:
    rows: tuple[EmployeeRow, ...]
    refused: tuple[RowProblem, ...]
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    refused: tuple[RowProblem, ...] = field(default_factory=tuple)


def _column(header: str) -> str:
    key = header.strip().lower()
    key = ALIASES.get(key, key)
    return key.replace(" ", "_")


def _text(value: Cell) -> str:
    """A cell as text; whole numbers from spreadsheets lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _active(value: str) -> bool:
    word = value.strip().lower()
    if not word or word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise DomainValidationError(f"active must be yes/no (ya/tidak), got {value!r}")


def _row(line: int, values: dict[str, str]) -> EmployeeRow:
    email = values.get("email")
    if email and ("@" not in email or " " in email):
        raise DomainValidationError(f"not an e-mail address: {email!r}")
    employee_id = values.get("employee_id", "")
    if not employee_id:
        raise DomainValidationError("employee_id (NIP) is empty")
    if not values.get("name", ""):
        raise DomainValidationError("name is empty")
    active = values.get("active")
    return EmployeeRow(
        line=line,
        employee_id=employee_id,
        name=values["name"],
        unit=values.get("unit"),
        position=values.get("position"),
        office=values.get("office"),
        email=email,
        phone=values.get("phone"),
        active=None if active is None else _active(active),
    )


def parse_table(header: Sequence[Cell], rows: Iterable[tuple[int, Sequence[Cell]]]) -> ParsedFile:
    """Rows of cells (with their line numbers) under ``header``; blank rows are skipped."""
    names = [_column(_text(h)) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise DomainValidationError(
            f"missing column(s): {', '.join(missing)} (the header has {', '.join(names)})",
            field="file",
        )
    known = {name: index for index, name in enumerate(names) if name in COLUMNS}
    ignored = tuple(n for n in names if n and n not in COLUMNS)
    parsed: list[EmployeeRow] = []
    refused: list[RowProblem] = []
    seen: dict[str, int] = {}
    for count, (line, cells) in enumerate(rows):
        if count >= MAX_ROWS:
            raise DomainValidationError(f"more than {MAX_ROWS} rows", field="file")
        values = {
            name: _text(cells[index]) if index < len(cells) else "" for name, index in known.items()
        }
        if not any(values.values()):
            continue
        nip = values.get("employee_id") or None
        if nip is not None and nip in seen:
            refused.append(
                RowProblem(line, nip, f"duplicate employee_id, first on line {seen[nip]}")
            )
            continue
        try:
            row = _row(line, values)
        except DomainValidationError as exc:
            refused.append(RowProblem(line, nip, exc.message))
            continue
        seen[row.employee_id] = line
        parsed.append(row)
    return ParsedFile(tuple(parsed), tuple(refused), tuple(known), ignored)


def parse_csv(data: bytes) -> ParsedFile:
    """UTF-8 (with or without BOM) CSV separated by ``,``, ``;`` or tabs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainValidationError("the CSV file is not UTF-8", field="file") from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise DomainValidationError("the file is empty", field="file")

    def numbered() -> Iterable[tuple[int, Sequence[Cell]]]:
        for cells in reader:
            yield reader.line_num, cells

    return parse_table(header, numbered())


def parse_xlsx(data: bytes) -> ParsedFile:
    """The first sheet of an Excel workbook; the header is its first row."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DomainValidationError(f"not a readable .xlsx file ({exc})", field="file") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise DomainValidationError("the sheet is empty", field="file")
        return parse_table(list(header), ((n, list(r)) for n, r in enumerate(rows, start=2)))
    finally:
        workbook.close()


def read_employee_file(path: Path) -> ParsedFile:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(path.read_bytes())
    if suffix in (".xlsx", ".xlsm"):
        return parse_xlsx(path.read_bytes())
    raise DomainValidationError(f"use a .csv or .xlsx file, not {path.name!r}", field="file")


def _merged(current: EmployeeRecord, row: EmployeeRow, office_id: int | None) -> EmployeeRecord:
    return replace(
        current,
        name=row.name,
        unit=current.unit if row.unit is None else row.unit,
        position=current.position if row.position is None else row.position,
        office_id=current.office_id if row.office is None else office_id,
        email=current.email if row.email is None else (row.email or None),
        phone=current.phone if row.phone is None else (row.phone or None),
        active=current.active if row.active is None else row.active,
    )


def _same(left: EmployeeRecord, right: EmployeeRecord) -> bool:
    return all(getattr(left, f) == getattr(right, f) for f in EDITABLE)


def _write(uows: UowFactory, row: EmployeeRow, actor: Actor) -> str:
    """Create or update one employee; ``"created"``, ``"updated"`` or ``"unchanged"``."""
    with uows() as uow:
        office_id: int | None = None
        if row.office:
            try:
                office_id = uow.offices.get_by_code(row.office).id
            except NotFoundError as exc:
                raise DomainValidationError(f"unknown office code {row.office!r}") from exc
        try:
            current = uow.employees.get_by_employee_id(row.employee_id)
        except NotFoundError:
            add_employee_in(
                uow,
                NewEmployee(
                    employee_id=row.employee_id,
                    name=row.name,
                    unit=row.unit or "",
                    position=row.position or "",
                    office_id=office_id,
                    email=row.email or None,
                    phone=row.phone or None,
                    active=True if row.active is None else row.active,
                ),
                actor=actor,
            )
            uow.commit()
            return "created"
        merged = _merged(current, row, office_id)
        if _same(current, merged):
            return "unchanged"
        update_in(uow, current, {f: getattr(merged, f) for f in EDITABLE}, actor)
        uow.commit()
        return "updated"


def import_employees(uows: UowFactory, parsed: ParsedFile, *, actor: Actor) -> ImportSummary:
    """Write every parsed row (see the module docstring); refusals keep their line."""
    outcome: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    refused = list(parsed.refused)
    for row in parsed.rows:
        try:
            outcome[_write(uows, row, actor)].append(row.employee_id)
        except HadirError as exc:
            refused.append(RowProblem(row.line, row.employee_id, exc.message))
    return ImportSummary(
        created=tuple(outcome["created"]),
        updated=tuple(outcome["updated"]),
        unchanged=tuple(outcome["unchanged"]),
        refused=tuple(sorted(refused, key=lambda p: p.line)),
    )
