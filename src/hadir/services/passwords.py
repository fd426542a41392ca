"""Passwords of people's accounts: an administrator's reset, a person's own change.

* A reset gives a one-time password (shown once to the administrator, who hands it over):
  the account must change it at its next sign-in, every session and token of the account
  is revoked and a lockout is cleared.
* A change needs the current password and a new one of at least ``MIN_PASSWORD``
  characters that differs from it; it clears the must-change mark.
* Device (kiosk) and service accounts have no password to reset.

Each is one unit of work with its audit entry (never the password itself).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from hadir.domain.errors import DomainValidationError
from hadir.services import audit
from hadir.services.access_records import UserRecord
from hadir.services.audit import Actor
from hadir.services.auth import UNUSABLE_PASSWORD, hash_password, verify_password
from hadir.services.errors import UnauthorizedError
from hadir.services.ports import UowFactory
from hadir.services.records import Role

MIN_PASSWORD = 8
ONE_TIME_LENGTH = 12
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Lower-case letters and digits without the look-alikes (i/l/1, o/0), easy to read out."""


@dataclass(frozen=True)
class OneTimePassword:
    user: UserRecord
    password: str


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


def reset_password(
    uow_factory: UowFactory, user_id: int, *, now: datetime, actor: Actor
) -> OneTimePassword:
    """Give the account a one-time password it must change (see the module docstring)."""
    password = one_time_password()
    with uow_factory() as uow:
        user = uow.users.get(user_id)
        if user.role is Role.KIOSK or user.password_hash == UNUSABLE_PASSWORD:
            raise DomainValidationError(
                "Device and service accounts have no password to reset.", field="user"
            )
        uow.users.set_password_hash(user.id, hash_password(password), must_change=True)
        uow.users.clear_failed_logins(user.id)
        revoked = 0
        for token in uow.tokens.list_for(user.id):
            if token.usable_at(now):
                uow.tokens.revoke(token.id)
                revoked += 1
        audit.write(uow, actor, "user.password_reset", user.username, {"revoked": revoked})
        uow.commit()
        return OneTimePassword(uow.users.get(user.id), password)


def change_password(
    uow_factory: UowFactory, user_id: int, current: str, new: str, *, actor: Actor
) -> UserRecord:
    """The person's own change; ``UnauthorizedError`` if ``current`` is wrong."""
    if len(new) < MIN_PASSWORD:
        raise DomainValidationError(
            f"The new password needs at least {MIN_PASSWORD} characters.", field="new_password"
        )
    if new == current:
        raise DomainValidationError(
            "The new password must differ from the current one.", field="new_password"
        )
    with uow_factory() as uow:
        user = uow.users.get(user_id)
    # the slow hash check runs outside any transaction
    if user.password_hash == UNUSABLE_PASSWORD or not verify_password(current, user.password_hash):
        raise UnauthorizedError("The current password is wrong.")
    with uow_factory() as uow:
        changed = uow.users.set_password_hash(user.id, hash_password(new), must_change=False)
        audit.write(uow, actor, "user.password_change", user.username)
        uow.commit()
    return changed
