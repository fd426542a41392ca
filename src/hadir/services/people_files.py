"""Reading employee files (CSV or XLSX) into rows and per-line refusals, without a
database; ``hadir.services.people`` writes them. The columns are described there."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hadir.domain.errors import DomainValidationError
from hadir.domain.staff import EmployeeType, normalize_staff_id

COLUMNS = (
    "employee_id",
    "name",
    "employee_type",
    "unit",
    "position",
    "grade",
    "echelon",
    "superior",
    "start_date",
    "end_date",
    "office",
    "email",
    "phone",
    "active",
)
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
    "type": "employee_type",
    "jenis": "employee_type",
    "jenis_pegawai": "employee_type",
    "golongan": "grade",
    "eselon": "echelon",
    "atasan": "superior",
    "atasan_langsung": "superior",
    "nip_atasan": "superior",
    "tmt": "start_date",
    "tanggal_berhenti": "end_date",
    "unit_kerja": "unit",
}
SAFE_FLOAT_DIGITS = 15
"""A spreadsheet number with more digits than this has lost some (NIPs have 18)."""
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "ya", "aktif", "active"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "tidak", "nonaktif", "inactive"})
MAX_ROWS = 50_000

Cell = str | int | float | bool | date | None


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
    employee_type: EmployeeType = EmployeeType.PNS
    grade: str | None = None
    echelon: str | None = None
    superior: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    given: frozenset[str] = frozenset()
    """The optional columns the file has (the others are left as they are on update)."""


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
class RowResult:
    """What happened to one line: ``created``, ``updated``, ``unchanged`` or ``refused``."""

    line: int
    employee_id: str | None
    outcome: str
    reason: str = ""


@dataclass(frozen=True)
class ImportSummary:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    refused: tuple[RowProblem, ...] = field(default_factory=tuple)
    lines: tuple[RowResult, ...] = ()
    """Every line with data, in file order."""


def _column(header: str) -> str:
    key = header.strip().lower().replace(" ", "_")
    return ALIASES.get(key, ALIASES.get(key.replace("_", " "), key))


def _text(value: Cell) -> str:
    """A cell as text; whole numbers from spreadsheets lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
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


def _date(values: dict[str, str], name: str) -> date | None:
    text = values.get(name) or ""
    if not text:
        return None
    day, _, rest = text.partition("/")
    iso = text if not rest else "-".join(reversed([day, *rest.split("/")]))
    try:
        return date.fromisoformat(iso.strip()[:10])
    except ValueError as exc:
        raise DomainValidationError(
            f"{name} is not a date (YYYY-MM-DD or DD/MM/YYYY): {text!r}", field=name
        ) from exc


def _row(line: int, values: dict[str, str]) -> EmployeeRow:
    email = values.get("email")
    if email and ("@" not in email or " " in email):
        raise DomainValidationError(f"not an e-mail address: {email!r}")
    if not values.get("employee_id", ""):
        raise DomainValidationError("employee_id (NIP) is empty")
    if not values.get("name", ""):
        raise DomainValidationError("name is empty")
    try:
        kind = EmployeeType(values.get("employee_type") or "pns")
    except ValueError as exc:
        raise DomainValidationError(
            "employee_type must be pns, pppk or non_asn", field="employee_type"
        ) from exc
    employee_id = normalize_staff_id(values["employee_id"], kind)
    active = values.get("active")
    return EmployeeRow(
        line=line,
        employee_id=employee_id,
        employee_type=kind,
        grade=values.get("grade"),
        echelon=values.get("echelon"),
        superior=values.get("superior"),
        start_date=_date(values, "start_date"),
        end_date=_date(values, "end_date"),
        given=frozenset(values),
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
        raw = cells[known["employee_id"]] if known["employee_id"] < len(cells) else None
        if isinstance(raw, float) and abs(raw) >= 10**SAFE_FLOAT_DIGITS:
            refused.append(
                RowProblem(
                    line,
                    nip,
                    "the NIP cell is a number the spreadsheet rounded; format the column as "
                    "text and type the NIP again",
                )
            )
            continue
        try:
            row = _row(line, values)
        except DomainValidationError as exc:
            refused.append(RowProblem(line, nip, exc.message))
            continue
        if row.employee_id in seen:
            first = seen[row.employee_id]
            refused.append(
                RowProblem(line, row.employee_id, f"duplicate employee_id, first on line {first}")
            )
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


def parse_employee_file(name: str, data: bytes) -> ParsedFile:
    """A file's rows by its name's suffix (``.csv``, ``.xlsx``/``.xlsm``)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return parse_csv(data)
    if suffix in (".xlsx", ".xlsm"):
        return parse_xlsx(data)
    raise DomainValidationError(f"use a .csv or .xlsx file, not {name!r}", field="file")


def read_employee_file(path: Path) -> ParsedFile:
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise DomainValidationError(f"use a .csv or .xlsx file, not {path.name!r}", field="file")
    return parse_employee_file(path.name, path.read_bytes())
