"""Users and device tokens as the console manages them (on top of ``services.auth``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hadir.domain.errors import DomainValidationError
from hadir.domain.staff.identity import NIP_SEPARATORS
from hadir.services.auth import IssuedToken, create_user, issue_service_token
from hadir.services.enrolment import find_employee
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import Role, TokenRecord, UserRecord

MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    user: UserRecord
    tokens: tuple[TokenRecord, ...]
    """Tokens usable now (not revoked, not expired)."""


def list_accounts(uow: AbstractUnitOfWork, *, now: datetime) -> list[Account]:
    with uow:
        return [
            Account(user, tuple(t for t in uow.tokens.list_for(user.id) if t.usable_at(now)))
            for user in sorted(uow.users.list(), key=lambda u: u.username)
        ]


def add_account(
    uow: AbstractUnitOfWork,
    username: str,
    password: str,
    role: Role,
    *,
    employee_nip: str | None = None,
    unit: str | None = None,
    actor: str,
) -> UserRecord:
    """A person's account; an employee account is linked to the employee by NIP and, if
    no username is given, named after it (every account of an employee also signs in
    with the NIP: ``services.auth.find_account``)."""
    username = username.strip()
    if employee_nip and NIP_SEPARATORS.sub("", employee_nip).isdigit():
        employee_nip = NIP_SEPARATORS.sub("", employee_nip)  # typed in groups
    if not username and role is Role.EMPLOYEE and employee_nip:
        username = employee_nip.strip()
    if not username:
        raise DomainValidationError("The username is empty.", field="username")
    if role is Role.KIOSK:
        raise DomainValidationError("Kiosks use device tokens, not accounts.", field="role")
    if len(password) < MIN_PASSWORD:
        raise DomainValidationError(
            f"The password needs at least {MIN_PASSWORD} characters.", field="password"
        )
    with uow:
        employee_id = None
        if role is Role.EMPLOYEE:
            if not employee_nip:
                raise DomainValidationError("An employee account needs a NIP.", field="nip")
            employee_id = find_employee(uow.employees, employee_nip).id
        user = create_user(
            uow, username, password, role, employee_id=employee_id, unit=unit or None
        )
        uow.audit.append(actor, "user.create", username, {"role": role.value})
        uow.commit()
    return user


def create_kiosk_token(
    uow: AbstractUnitOfWork, name: str, *, now: datetime, actor: str
) -> IssuedToken:
    """A device token for a kiosk (shown once)."""
    name = name.strip()
    if not name:
        raise DomainValidationError("Name the device.", field="name")
    with uow:
        issued = issue_service_token(uow, Role.KIOSK, name, now=now)
        uow.audit.append(actor, "token.create", f"kiosk:{name}", {"token_id": issued.record.id})
        uow.commit()
    return issued


def revoke_token(uow: AbstractUnitOfWork, token_id: int, *, actor: str) -> TokenRecord:
    with uow:
        record = uow.tokens.revoke(token_id)
        uow.audit.append(actor, "token.revoke", str(token_id))
        uow.commit()
    return record


def deactivate_user(uow: AbstractUnitOfWork, user_id: int, *, actor: str) -> UserRecord:
    with uow:
        user = uow.users.set_active(user_id, False)
        uow.audit.append(actor, "user.deactivate", user.username)
        uow.commit()
    return user
