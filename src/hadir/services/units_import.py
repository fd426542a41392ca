"""Import of units from CSV: one line per unit, parents before (or already in the tree).

Columns (any case, Indonesian aliases): ``unit`` (``nama``, ``nama unit``, ``name``),
``parent`` (``induk``, ``unit induk``; blank: the top of the tree) and ``head``
(``kepala``, ``nip kepala``; the head's NIP, blank: none). A unit already in the tree is
moved and given its head as the file says; each line is written on its own and listed
with its result (``created``, ``updated``, ``unchanged`` or ``refused`` with the reason).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace

from hadir.domain.errors import DomainValidationError, HadirError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.ports import UowFactory
from hadir.services.units import ancestors, create_unit_in, target

ALIASES = {
    "unit": "unit",
    "nama": "unit",
    "nama unit": "unit",
    "name": "unit",
    "unit kerja": "unit",
    "parent": "parent",
    "induk": "parent",
    "unit induk": "parent",
    "head": "head",
    "kepala": "head",
    "nip kepala": "head",
}
MAX_LINES = 5_000
MAX_BYTES = 2_000_000
"""The largest file either door (console or API) takes; read ``MAX_BYTES + 1`` and pass it."""


@dataclass(frozen=True)
class UnitLine:
    line: int
    name: str
    outcome: str
    reason: str = ""


def _rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainValidationError("The file is not UTF-8 text (CSV).", field="file") from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _lines(reader)
    except csv.Error as exc:  # a quote left open, say: the whole file is refused
        raise DomainValidationError(f"The file is not valid CSV: {exc}.", field="file") from exc


def _lines(reader: Iterator[list[str]]) -> list[tuple[int, dict[str, str]]]:
    header = next(reader, None)
    if header is None:
        raise DomainValidationError("The file is empty.", field="file")
    names = [ALIASES.get(h.strip().lower().replace("_", " "), "") for h in header]
    if "unit" not in names:
        raise DomainValidationError("The file has no 'unit' (nama) column.", field="file")
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        values = {n: c.strip() for n, c in zip(names, cells, strict=False) if n}
        if any(values.values()):
            rows.append((number, values))
        if len(rows) > MAX_LINES:
            raise DomainValidationError(f"At most {MAX_LINES} lines.", field="file")
    return rows


def _write(uows: UowFactory, values: dict[str, str], actor: Actor) -> str:
    name, parent, head = values.get("unit", ""), values.get("parent", ""), values.get("head", "")
    if not name:
        raise DomainValidationError("the unit name is empty", field="unit")
    with uows() as uow:
        current = uow.units.find_by_name(name)
        if current is None:
            create_unit_in(uow, name, parent=parent or None, head_nip=head or None, actor=actor)
            uow.commit()
            return "created"
        above = uow.units.find_by_name(parent) if parent else None
        if parent and above is None:
            raise DomainValidationError(f"no unit named {parent!r}", field="parent")
        units = {u.id: u for u in uow.units.list()}
        if above is not None and current.id in ancestors(units, above.id):
            raise DomainValidationError("a unit cannot go under itself", field="parent")
        head_id = uow.employees.get_by_employee_id(head).id if head else None
        wanted = replace(current, parent_id=above.id if above else None, head_id=head_id)
        if wanted == current:
            return "unchanged"
        uow.units.update(wanted)
        detail = {"parent": parent or None, "head": head or None, "import": True}
        audit.write(uow, actor, "unit.update", target(name), detail)
        uow.commit()
        return "updated"


def import_units(uows: UowFactory, data: bytes, *, actor: Actor) -> list[UnitLine]:
    """Write each line of a units CSV (see the module docstring); a result per line."""
    if len(data) > MAX_BYTES:
        raise DomainValidationError(
            f"The file is larger than {MAX_BYTES // 1_000_000} MB.", field="file"
        )
    results: list[UnitLine] = []
    for line, values in _rows(data):
        name = values.get("unit", "")
        try:
            outcome = _write(uows, values, actor)
        except HadirError as exc:
            results.append(UnitLine(line, name, "refused", exc.message))
            continue
        results.append(UnitLine(line, name, outcome))
    return results
