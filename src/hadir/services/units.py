"""The managed tree of units (agency → bidang → seksi) and the direct superior.

Each change opens one unit of work, writes the change and its audit entry and commits.
A unit's name is unique and is the text every employee of it carries (``unit``), so
reports, schedules and supervisors' scopes keep reading one name; a rename renames
every copy. A unit is deleted only when it has neither sub-units nor staff.

The direct superior (atasan langsung) of an employee is the one set on their record;
without one, the head of their unit (or of the nearest unit above with a head who is
not the employee themself).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hadir.domain.errors import DomainValidationError, NotFoundError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, UnitRecord

LEVELS = ("instansi", "bidang", "seksi")
"""What a unit is called at each depth of the tree (deeper ones are sub-units)."""


@dataclass(frozen=True)
class UnitNode:
    """A unit as the tree shows it: depth-first order, with its head and staff count."""

    unit: UnitRecord
    depth: int
    path: tuple[str, ...]
    head: EmployeeRecord | None
    staff: int
    children: int

    @property
    def level(self) -> str:
        return LEVELS[self.depth] if self.depth < len(LEVELS) else "subunit"


def target(name: str) -> str:
    return f"unit:{name}"


def ancestors(units: dict[int, UnitRecord], unit_id: int | None) -> list[int]:
    """``unit_id`` and every unit above it, nearest first (stops at a loop)."""
    seen: list[int] = []
    while unit_id is not None and unit_id not in seen and unit_id in units:
        seen.append(unit_id)
        unit_id = units[unit_id].parent_id
    return seen


def tree(uow: AbstractUnitOfWork) -> list[UnitNode]:
    """Every unit, depth-first (parents before children, siblings by name)."""
    units = uow.units.list()
    staff = uow.units.staff_counts()
    heads = uow.employees.get_many(u.head_id for u in units if u.head_id is not None)
    children: dict[int | None, list[UnitRecord]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    nodes: list[UnitNode] = []

    def walk(parent: int | None, depth: int, path: tuple[str, ...]) -> None:
        for unit in children.get(parent, []):
            here = (*path, unit.name)
            head = heads.get(unit.head_id) if unit.head_id is not None else None
            kids = len(children.get(unit.id, []))
            nodes.append(UnitNode(unit, depth, here, head, staff.get(unit.id, 0), kids))
            walk(unit.id, depth + 1, here)

    walk(None, 0, ())
    return nodes


def unit_tree(uows: UowFactory) -> list[UnitNode]:
    with uows() as uow:
        return tree(uow)


def unit_names(uows: UowFactory) -> list[str]:
    """The names to choose an employee's unit from, in tree order."""
    return [node.unit.name for node in unit_tree(uows)]


def _find(uow: AbstractUnitOfWork, name: str | None, field: str) -> UnitRecord | None:
    if name is None or not name.strip():
        return None
    unit = uow.units.find_by_name(name)
    if unit is None:
        raise NotFoundError(f"no unit named {name.strip()!r}", field=field)
    return unit


def _head_key(uow: AbstractUnitOfWork, nip: str | None) -> int | None:
    if nip is None or not nip.strip():
        return None
    try:
        return uow.employees.get_by_employee_id(nip.strip()).id
    except NotFoundError as exc:
        raise DomainValidationError(
            f"no employee with NIP {nip.strip()!r} to head the unit", field="head"
        ) from exc


def ensure_unit_in(uow: AbstractUnitOfWork, name: str) -> bool:
    """Put a unit name that is not in the tree yet at its top (an API client or an
    import naming a new unit; HR moves it under its parent later); whether it did. The
    caller's audit entry says so."""
    if name.strip() and uow.units.find_by_name(name) is None:
        uow.units.add(name)
        return True
    return False


def create_unit(
    uows: UowFactory,
    name: str,
    *,
    parent: str | None = None,
    head_nip: str | None = None,
    actor: Actor,
) -> UnitRecord:
    with uows() as uow:
        record = create_unit_in(uow, name, parent=parent, head_nip=head_nip, actor=actor)
        uow.commit()
    return record


def create_unit_in(
    uow: AbstractUnitOfWork,
    name: str,
    *,
    parent: str | None,
    head_nip: str | None,
    actor: Actor,
) -> UnitRecord:
    above = _find(uow, parent, "parent")
    record = uow.units.add(name, parent_id=above.id if above else None)
    head = _head_key(uow, head_nip)
    if head is not None:
        record = uow.units.update(replace(record, head_id=head))
    detail = {"parent": above.name if above else None, "head": (head_nip or "").strip() or None}
    audit.write(uow, actor, "unit.create", target(record.name), detail)
    return record


def rename_unit(uows: UowFactory, unit_id: int, name: str, *, actor: Actor) -> UnitRecord:
    with uows() as uow:
        record = _rename_in(uow, uow.units.get(unit_id), name, actor)
        uow.commit()
    return record


def move_unit(uows: UowFactory, unit_id: int, parent: str | None, *, actor: Actor) -> UnitRecord:
    """Put the unit under ``parent`` (blank: at the top); never under itself or below."""
    with uows() as uow:
        record = _move_in(uow, uow.units.get(unit_id), parent, actor)
        uow.commit()
    return record


def set_unit_head(
    uows: UowFactory, unit_id: int, head_nip: str | None, *, actor: Actor
) -> UnitRecord:
    """Set (blank: clear) the head of the unit, by NIP."""
    with uows() as uow:
        record = _head_in(uow, uow.units.get(unit_id), head_nip, actor)
        uow.commit()
    return record


@dataclass(frozen=True)
class UnitChange:
    """What an update changes; a field left ``None`` stays as it is (``parent`` and
    ``head`` take ``""`` for "at the top" and "no head")."""

    name: str | None = None
    parent: str | None = None
    head_nip: str | None = None


def update_unit(uows: UowFactory, unit_id: int, change: UnitChange, *, actor: Actor) -> UnitRecord:
    """Rename, move and set the head in one transaction: all of it or nothing, an audit
    entry per part that changed."""
    with uows() as uow:
        record = uow.units.get(unit_id)
        if change.name is not None:
            record = _rename_in(uow, record, change.name, actor)
        if change.parent is not None:
            record = _move_in(uow, record, change.parent, actor)
        if change.head_nip is not None:
            record = _head_in(uow, record, change.head_nip, actor)
        uow.commit()
    return record


def _rename_in(uow: AbstractUnitOfWork, current: UnitRecord, name: str, actor: Actor) -> UnitRecord:
    record = uow.units.rename(current.id, name)
    if record.name != current.name:
        audit.write(uow, actor, "unit.rename", target(record.name), {"from": current.name})
    return record


def _move_in(
    uow: AbstractUnitOfWork, current: UnitRecord, parent: str | None, actor: Actor
) -> UnitRecord:
    above = _find(uow, parent, "parent")
    if above is not None:
        units = {u.id: u for u in uow.units.list()}
        if current.id in ancestors(units, above.id):
            raise DomainValidationError(
                f"{current.name!r} cannot go under itself or one of its sub-units",
                field="parent",
            )
    record = uow.units.update(replace(current, parent_id=above.id if above else None))
    old = uow.units.get(current.parent_id).name if current.parent_id else None
    if old != (above.name if above else None):
        detail = {"from": old, "to": above.name if above else None}
        audit.write(uow, actor, "unit.move", target(record.name), detail)
    return record


def _head_in(
    uow: AbstractUnitOfWork, current: UnitRecord, head_nip: str | None, actor: Actor
) -> UnitRecord:
    record = uow.units.update(replace(current, head_id=_head_key(uow, head_nip)))
    if record.head_id != current.head_id:
        nip = (head_nip or "").strip() or None
        audit.write(uow, actor, "unit.head", target(record.name), {"head": nip})
    return record


def delete_unit(uows: UowFactory, unit_id: int, *, actor: Actor) -> None:
    """Delete an empty unit (``ConflictError`` while it has sub-units or staff)."""
    with uows() as uow:
        current = uow.units.get(unit_id)
        uow.units.delete(unit_id)
        audit.write(uow, actor, "unit.delete", target(current.name), {})
        uow.commit()


def check_superior(uow: AbstractUnitOfWork, employee_key: int, superior_key: int | None) -> None:
    """Refuse a direct superior whose own chain of superiors leads back to the employee."""
    seen: set[int] = set()
    key = superior_key
    while key is not None and key not in seen:
        if key == employee_key:
            raise DomainValidationError(
                "this superior reports (directly or not) to the employee: no cycles",
                field="superior",
            )
        seen.add(key)
        key = uow.employees.get(key).superior_id


def direct_superior(uow: AbstractUnitOfWork, employee: EmployeeRecord) -> EmployeeRecord | None:
    """The employee's atasan langsung: the one on their record, else the head of their
    unit or of the nearest unit above it (never the employee themself)."""
    if employee.superior_id is not None:
        return uow.employees.get(employee.superior_id)
    unit = uow.units.find_by_name(employee.unit) if employee.unit.strip() else None
    if unit is None:
        return None
    units = {u.id: u for u in uow.units.list()}
    for key in ancestors(units, unit.id):
        head = units[key].head_id
        if head is not None and head != employee.id:
            return uow.employees.get(head)
    return None
