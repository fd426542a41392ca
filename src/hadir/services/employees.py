"""Employees: the one implementation of creating, changing, (de)activating and deleting
an employee, whichever door the request came through (API, console, CLI import).

Every function takes a unit-of-work factory, opens one transaction, writes the change
and its audit entry in it, and commits (or, on any error, leaves nothing behind).

Deactivation is one effect everywhere: the employee is marked inactive, every sign-in
account linked to them is deactivated and every token of those accounts (API tokens
and web sessions alike) is revoked, so sign-in, existing sessions and leave filing stop
at once. Reactivation re-enables the accounts; revoked tokens stay revoked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from hadir.domain.errors import DomainValidationError, NotFoundError
from hadir.domain.staff import EmployeeType, normalize_staff_id
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.auth import create_user
from hadir.services.enrolment import find_employee
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, NewEmployee, Role
from hadir.services.units import check_superior, ensure_unit_in

EDITABLE = (
    "name",
    "unit",
    "position",
    "office_id",
    "email",
    "phone",
    "employee_type",
    "grade",
    "echelon",
    "superior_id",
    "start_date",
    "end_date",
    "active",
)
"""The fields an update may change (the NIP never changes); ``superior_id`` in the
changes is the superior's NIP."""
REQUIRED = ("name", "unit", "position", "active", "employee_type", "grade", "echelon")
"""Fields that cannot be cleared (``None`` is refused)."""
MIN_PASSWORD = 8


def superior_key(uow: AbstractUnitOfWork, nip: str | None) -> int | None:
    """The database key of the direct superior with NIP ``nip`` (blank: none)."""
    if nip is None or not nip.strip():
        return None
    try:
        return uow.employees.get_by_employee_id(nip.strip()).id
    except NotFoundError as exc:
        raise DomainValidationError(
            f"no employee with NIP {nip.strip()!r} to be the direct superior",
            field="superior_id",
        ) from exc


def superior_nips(uow: AbstractUnitOfWork, employees: list[EmployeeRecord]) -> dict[int, str]:
    """Database key -> NIP of every superior of ``employees`` (for showing them)."""
    keys = {e.superior_id for e in employees if e.superior_id is not None}
    return {key: e.employee_id for key, e in uow.employees.get_many(keys).items()}


def target(nip: str) -> str:
    """An employee as an audit target."""
    return f"employee:{nip}"


def _profile(employee: NewEmployee) -> dict[str, object]:
    return {
        "nip": employee.employee_id,
        "name": employee.name,
        "unit": employee.unit,
        "position": employee.position,
        "office_id": employee.office_id,
        "type": employee.employee_type.value,
        "superior_id": employee.superior_id,
        "active": employee.active,
    }


def create_employee(
    uows: UowFactory,
    employee: NewEmployee,
    *,
    actor: Actor,
    password: str | None = None,
    superior_nip: str | None = None,
) -> EmployeeRecord:
    """Register an employee (``ConflictError`` if the NIP is taken); with ``password`` also
    their employee account (username = NIP). ``superior_nip`` names the direct superior,
    who must already be registered."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise DomainValidationError(
            f"The password needs at least {MIN_PASSWORD} characters.", field="password"
        )
    with uows() as uow:
        superior = superior_key(uow, superior_nip)
        if superior is not None:
            employee = replace(employee, superior_id=superior)
        record = add_employee_in(uow, employee, actor=actor, password=password)
        uow.commit()
    return record


def add_employee_in(
    uow: AbstractUnitOfWork, employee: NewEmployee, *, actor: Actor, password: str | None = None
) -> EmployeeRecord:
    """The creation step inside an open unit of work (for imports that batch rows); a
    unit not in the tree yet is added at its top."""
    adopted = ensure_unit_in(uow, employee.unit)
    record = uow.employees.add(employee)
    if password:
        create_user(
            uow,
            record.employee_id,
            password,
            Role.EMPLOYEE,
            employee_id=record.id,
            actor=actor.username,
            ip=actor.ip,
        )
    detail = _profile(record) | {"account": bool(password)}
    if adopted:
        detail["unit_added"] = record.unit
    audit.write(uow, actor, "employee.create", target(record.employee_id), detail)
    return record


@dataclass(frozen=True)
class Deactivation:
    """What deactivating an employee switched off with them."""

    accounts: tuple[str, ...] = ()
    tokens_revoked: int = 0


def _switch_accounts(uow: AbstractUnitOfWork, employee_id: int, active: bool) -> Deactivation:
    accounts: list[str] = []
    revoked = 0
    for user in uow.users.list():
        if user.employee_id != employee_id:
            continue
        if user.active != active:
            uow.users.set_active(user.id, active)
            accounts.append(user.username)
        if not active:
            for token in uow.tokens.list_for(user.id):
                if token.revoked_at is None:
                    uow.tokens.revoke(token.id)
                    revoked += 1
    return Deactivation(tuple(accounts), revoked)


def _checked(changes: Mapping[str, object]) -> dict[str, object]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainValidationError(
            f"not editable: {', '.join(sorted(unknown))}", field=sorted(unknown)[0]
        )
    for name in REQUIRED:
        if name in changes and changes[name] is None:
            raise DomainValidationError(f"{name} must not be empty", field=name)
    return dict(changes)


def update_in(
    uow: AbstractUnitOfWork, current: EmployeeRecord, changes: Mapping[str, object], actor: Actor
) -> EmployeeRecord:
    """Apply ``changes`` to ``current`` inside an open unit of work, with the account
    effects of a (de)activation and the audit entry (nothing if nothing changed). A new
    employee type must fit the stored identifier (a number is never rewritten)."""
    values = _checked(changes)
    if "superior_id" in values:
        nip = values["superior_id"]
        values["superior_id"] = superior_key(uow, nip if isinstance(nip, str) else None)
        check_superior(uow, current.id, values["superior_id"])  # type: ignore[arg-type]
    adopted = isinstance(values.get("unit"), str) and ensure_unit_in(uow, str(values["unit"]))
    kind = EmployeeType(str(values.get("employee_type") or current.employee_type))
    if kind is not current.employee_type and (
        normalize_staff_id(current.employee_id, kind) != current.employee_id
    ):
        raise DomainValidationError(
            f"{current.employee_id!r} is not written as a {kind} identifier",
            field="employee_type",
        )
    record = uow.employees.update(replace(current, **values))  # type: ignore[arg-type]
    diff = audit.changes(current, record, EDITABLE)
    if not diff:
        return record
    detail: dict[str, object] = {"changes": diff}
    if adopted:
        detail["unit_added"] = record.unit
    action = "employee.update"
    if current.active != record.active:
        effect = _switch_accounts(uow, record.id, record.active)
        action = "employee.activate" if record.active else "employee.deactivate"
        detail |= {"accounts": list(effect.accounts), "tokens_revoked": effect.tokens_revoked}
    audit.write(uow, actor, action, target(record.employee_id), detail)
    return record


def update_employee(
    uows: UowFactory, nip: str, changes: Mapping[str, object], *, actor: Actor
) -> EmployeeRecord:
    """Change the ``EDITABLE`` fields given in ``changes`` (``active: False`` deactivates,
    see the module docstring). The audit entry lists every field's before and after."""
    with uows() as uow:
        current = find_employee(uow.employees, nip)
        record = update_in(uow, current, changes, actor)
        uow.commit()
    return record


def set_employee_active(
    uows: UowFactory, nip: str, active: bool, *, actor: Actor
) -> EmployeeRecord:
    """Deactivate (or reactivate) an employee with their accounts and tokens."""
    return update_employee(uows, nip, {"active": active}, actor=actor)


def delete_employee(uows: UowFactory, nip: str, *, actor: Actor) -> None:
    """Delete an employee without attendance history (``ConflictError`` otherwise:
    deactivate them instead)."""
    with uows() as uow:
        current = find_employee(uow.employees, nip)
        uow.employees.delete(current.id)
        audit.write(uow, actor, "employee.delete", target(nip), _profile(current))
        uow.commit()
