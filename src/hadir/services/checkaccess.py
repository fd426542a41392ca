"""Who a check is for, before any face is looked at: an employee checks in and out only as
themselves, a kiosk or HR as the NIP given (a kiosk with none identifies); the plain
(single-photo) check is refused where the office requires the liveness challenge; a
challenge for a named employee needs an active one. Each opens its own unit of work, so the
API routes only translate (``hadir.api.routes.attendance``, ``.liveness``)."""

from __future__ import annotations

from hadir.services.auth import Principal
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import ForbiddenError
from hadir.services.liveness import require_liveness_check
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, Role


def own_employee(uow: AbstractUnitOfWork, principal: Principal) -> EmployeeRecord:
    """The employee the account is linked to (403 for an account linked to none)."""
    if principal.employee_id is None:
        raise ForbiddenError("This account is not linked to an employee.")
    return uow.employees.get(principal.employee_id)


def checking_as(uow_factory: UowFactory, principal: Principal, nip: str | None) -> str | None:
    """The NIP a check is for: an employee's own (403 for anybody else's), else as given
    (``None``: a kiosk identifying)."""
    if principal.role is not Role.EMPLOYEE:
        return nip
    with uow_factory() as uow:
        own = own_employee(uow, principal).employee_id
    if nip is not None and nip != own:
        raise ForbiddenError("Employees may only check in and out as themselves.")
    return own


def plain_check_as(uow_factory: UowFactory, principal: Principal, nip: str | None) -> str | None:
    """``checking_as`` for the single-photo check, which is refused (``liveness_required``)
    for self and kiosk checks at an office that requires the liveness challenge."""
    subject = checking_as(uow_factory, principal, nip)
    with uow_factory() as uow:
        require_liveness_check(uow, principal.role, subject)
    return subject


def challenge_for(uow_factory: UowFactory, principal: Principal, nip: str | None) -> str | None:
    """``checking_as`` for a liveness challenge. A named employee must exist and be active,
    except for a kiosk, which gets the same answer for any NIP so that it cannot probe which
    exist (issue 13; the live check refuses an unknown one)."""
    subject = checking_as(uow_factory, principal, nip)
    if subject is not None and principal.role is not Role.KIOSK:
        with uow_factory() as uow:
            require_active(find_employee(uow.employees, subject))
    return subject
