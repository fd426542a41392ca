"""The kiosk at the door: which kind of check it proposes at a given time, how staff sign a
kiosk out (a passer-by cannot), and re-issuing a kiosk's device token."""

from __future__ import annotations

from datetime import date, datetime, time

from hadir.domain.attendance import schedule_for
from hadir.domain.errors import NotFoundError
from hadir.services import audit
from hadir.services.auth import IssuedToken, SignInPolicy, issue_service_token, sign_in
from hadir.services.errors import ForbiddenError
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import Role

NOON = time(12, 0)
"""The switch when the day has no working hours (a weekend, say)."""

STAFF = frozenset({Role.ADMIN, Role.OPERATOR})
"""Who may sign a kiosk out."""


def midpoint(start: time, end: time) -> time:
    """The middle of ``start``..``end`` (to the minute)."""
    first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    middle = (first + last) // 2
    return time(middle // 60, middle % 60)


def switch_time(uow: AbstractUnitOfWork, day: date, configured: time | None = None) -> time:
    """From this local time on the kiosk proposes a check-out, before it a check-in:
    ``configured`` when set (``HADIR_KIOSK_SWITCH_TIME``), else the middle of the office-wide
    schedule's hours on ``day``, else noon."""
    if configured is not None:
        return configured
    with uow:
        base = uow.schedules.resolve(office_id=None, unit=None)
        overrides = uow.schedules.overrides_for(day, day, office_id=None, unit=None)
    hours = schedule_for(day, base, overrides)
    return NOON if hours is None else midpoint(hours.start, hours.end)


def sign_out_kiosk(
    uow: AbstractUnitOfWork,
    kiosk: str,
    username: str,
    password: str,
    *,
    now: datetime,
    policy: SignInPolicy | None = None,
    ip: str | None = None,
) -> str:
    """Staff (admin or HR) confirm with their own password that kiosk ``kiosk`` may be
    signed out. Wrong passwords count towards the staff account's lock-out like any sign-in;
    another role is ``forbidden``. Returns the staff username; the audit log keeps who did it."""
    with uow:
        issued = sign_in(uow, username, password, now=now, policy=policy, ip=ip)
        user = uow.users.get(issued.record.user_id)
        if user.role not in STAFF:
            uow.rollback()
            raise ForbiddenError(
                "Only an administrator or HR may sign a kiosk out.", role=user.role.value
            )
        uow.tokens.revoke(issued.record.id)  # the check needed no session of its own
        audit.record(uow, user.username, "kiosk.sign_out", f"kiosk:{kiosk}", ip=ip)
        uow.commit()
    return user.username


def reissue_kiosk_token(
    uow: AbstractUnitOfWork, token_id: int, *, now: datetime, actor: str
) -> IssuedToken:
    """A new device token for the kiosk that holds token ``token_id``, which is revoked
    (a lost or leaked token; the tablet is activated again with the new one, shown once)."""
    with uow:
        old = uow.tokens.get(token_id)
        if old.role is not Role.KIOSK:
            raise NotFoundError(f"kiosk token {token_id} does not exist", id=token_id)
        uow.tokens.revoke(token_id)
        issued = issue_service_token(uow, Role.KIOSK, old.name, now=now)
        uow.audit.append(
            actor,
            "token.reissue",
            f"kiosk:{old.name}",
            {"revoked": token_id, "token_id": issued.record.id},
        )
        uow.commit()
    return issued
