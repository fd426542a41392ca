"""Users and device tokens as the console manages them (on top of ``services.auth``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.domain.staff.identity import NIP_SEPARATORS
from hadir.services import audit
from hadir.services.access_records import TokenRecord, UserRecord
from hadir.services.audit import Actor
from hadir.services.auth import UNUSABLE_PASSWORD as UNUSABLE
from hadir.services.auth import IssuedToken, create_user, issue_service_token
from hadir.services.enrolment import find_employee, require_active
from hadir.services.ports import UowFactory
from hadir.services.records import Role

MIN_PASSWORD = 8


@dataclass(frozen=True)
class Account:
    user: UserRecord
    tokens: tuple[TokenRecord, ...]
    """Tokens usable now (not revoked, not expired)."""


def list_accounts(uows: UowFactory, *, now: datetime) -> list[Account]:
    with uows() as uow:
        return [
            Account(user, tuple(t for t in uow.tokens.list_for(user.id) if t.usable_at(now)))
            for user in sorted(uow.users.list(), key=lambda u: u.username)
        ]


def add_account(
    uows: UowFactory,
    username: str,
    password: str,
    role: Role,
    *,
    employee_nip: str | None = None,
    unit: str | None = None,
    actor: Actor,
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
    with uows() as uow:
        employee_id = None
        if role is Role.EMPLOYEE:
            if not employee_nip:
                raise DomainValidationError("An employee account needs a NIP.", field="nip")
            employee_id = require_active(find_employee(uow.employees, employee_nip)).id
        user = create_user(
            uow,
            username,
            password,
            role,
            employee_id=employee_id,
            unit=unit or None,
            actor=actor.username,
            ip=actor.ip,
        )
        uow.commit()
    return user


def create_kiosk_token(uows: UowFactory, name: str, *, now: datetime, actor: Actor) -> IssuedToken:
    """A device token for a kiosk (shown once)."""
    return create_device_token(uows, Role.KIOSK, name, now=now, actor=actor)


def create_device_token(
    uows: UowFactory,
    role: Role,
    name: str,
    *,
    now: datetime,
    actor: Actor,
    expires_in: timedelta | None = None,
) -> IssuedToken:
    """A token for a device or integration named ``name`` (shown once); its service user
    ``role:name`` is made on first use."""
    name = name.strip()
    if not name:
        raise DomainValidationError("Name the device.", field="name")
    with uows() as uow:
        issued = issue_service_token(uow, role, name, now=now, actor=actor, expires_in=expires_in)
        uow.commit()
    return issued


def admin_accounts(uows: UowFactory) -> list[str]:
    """Usernames of the admin accounts that can sign in."""
    with uows() as uow:
        users = uow.users.list()
    return [u.username for u in users if u.role is Role.ADMIN and u.password_hash != UNUSABLE]


def create_first_admin(
    uows: UowFactory, username: str, password: str, *, actor: Actor
) -> UserRecord:
    """The first admin account (``hadir init``); a ConflictError when one exists."""
    with uows() as uow:
        admins = [u for u in uow.users.list() if u.role is Role.ADMIN]
        if any(u.password_hash != UNUSABLE for u in admins):
            names = ", ".join(u.username for u in admins)
            raise ConflictError(f"admin account(s) already exist ({names})")
        user = create_user(uow, username, password, Role.ADMIN, actor=actor.username, ip=actor.ip)
        uow.commit()
    return user


def revoke_token(uows: UowFactory, token_id: int, *, actor: Actor) -> TokenRecord:
    with uows() as uow:
        record = uow.tokens.revoke(token_id)
        audit.write(uow, actor, "token.revoke", f"token:{token_id}", {"user_id": record.user_id})
        uow.commit()
    return record


def deactivate_user(uows: UowFactory, user_id: int, *, actor: Actor) -> UserRecord:
    """Switch an account off and revoke its tokens and sessions."""
    with uows() as uow:
        user = uow.users.set_active(user_id, False)
        revoked = 0
        for token in uow.tokens.list_for(user_id):
            if token.revoked_at is None:
                uow.tokens.revoke(token.id)
                revoked += 1
        audit.write(
            uow, actor, "user.deactivate", f"user:{user.username}", {"tokens_revoked": revoked}
        )
        uow.commit()
    return user
