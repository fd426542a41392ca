"""The write convention of every use case, on SQLite and PostgreSQL: a service takes a
unit-of-work factory, writes the change and its audit entry in one transaction, and a
failing commit leaves neither (issue 14 item 2); deactivation switches accounts and
tokens off (issue 13.3); the entries say what changed (issue 13.7); offices are checked
in the domain (issue 13.10)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from hadir.domain.attendance import LeaveKind, LeavePolicy
from hadir.domain.errors import DomainValidationError
from hadir.services import calendar
from hadir.services.audit import Actor
from hadir.services.auth import authenticate, issue_token
from hadir.services.employees import create_employee, set_employee_active, update_employee
from hadir.services.errors import InactiveEmployeeError, UnauthorizedError
from hadir.services.leave import request_leave
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import NewEmployee
from hadir.store.db import make_session_factory
from hadir.store.uow import SqlUnitOfWork

from .conftest import NOW, factory_for

HR = Actor("hr", "10.0.0.7")
IZIN = (LeaveKind.IZIN, date(2025, 3, 4), date(2025, 3, 4))
TODAY = date(2025, 3, 3)
POLICY = LeavePolicy()
SRI = "199001012015011001"


def sri() -> NewEmployee:
    return NewEmployee(SRI, "Sri Wahyuni", unit="Bappeda")


class CommitFailed(RuntimeError):
    """Stands for the database refusing the COMMIT (disk full, lost connection...)."""


def failing_commits(engine: Engine) -> UowFactory:
    """Units of work whose COMMIT fails after the change and its entry were flushed."""
    sessions = make_session_factory(engine)

    def session() -> Session:
        made = sessions()

        @event.listens_for(made, "before_commit")
        def refuse(_: Session) -> None:
            made.flush()  # everything reached the database inside the transaction...
            raise CommitFailed("the commit failed")  # ...and then the commit is refused

        return made

    def make() -> AbstractUnitOfWork:
        return SqlUnitOfWork(session)

    return make


def _audit(uows: UowFactory) -> list[tuple[str, str, str | None]]:
    with uows() as uow:
        return [(e.actor, e.action, e.target) for e in reversed(uow.audit.list())]


Change = Callable[[UowFactory], object]
CHANGES: dict[str, Change] = {
    "employee.update": lambda u: update_employee(u, SRI, {"name": "Sri W."}, actor=HR),
    "employee.deactivate": lambda u: set_employee_active(u, SRI, False, actor=HR),
    "office.update": lambda u: calendar.update_office(u, "SETDA", {"radius_m": 5.0}, actor=HR),
    "leave.request": lambda u: request_leave(u, SRI, *IZIN, actor=HR, today=TODAY, policy=POLICY),
}


@pytest.mark.parametrize("action", sorted(CHANGES))
def test_a_failing_commit_leaves_neither_the_change_nor_its_entry(
    any_db: Engine, action: str
) -> None:
    good = factory_for(any_db)
    create_employee(good, sri(), password="rahasia-123", actor=HR)
    calendar.create_office(good, "SETDA", "Setda", actor=HR, latitude=-6.5, longitude=106.8)
    before = _audit(good)
    with good() as uow:
        employee = uow.employees.get_by_employee_id(SRI)
        office = uow.offices.get_by_code("SETDA")
        users = uow.users.list()

    with pytest.raises(CommitFailed):
        CHANGES[action](failing_commits(any_db))

    assert _audit(good) == before
    with good() as uow:
        assert uow.employees.get_by_employee_id(SRI) == employee
        assert uow.offices.get_by_code("SETDA") == office
        assert uow.users.list() == users
        assert uow.leaves.list() == []
        assert uow.audit.verify() is None
    CHANGES[action](good)  # the same change with a working commit lands with its entry
    assert _audit(good)[-1][:2] == ("hr", action)


def test_updates_record_before_and_after(any_db: Engine) -> None:
    uows = factory_for(any_db)
    created = create_employee(uows, sri(), actor=HR)
    update_employee(uows, SRI, {"name": "Sri W.", "unit": "Bappeda", "phone": "0812"}, actor=HR)
    update_employee(uows, SRI, {"unit": "Bappeda"}, actor=HR)  # no change: no entry
    with uows() as uow:
        entries = list(reversed(uow.audit.list()))
    assert [e.action for e in entries] == ["employee.create", "employee.update"]
    create, update = entries
    assert create.detail["nip"] == SRI and create.detail["ip"] == "10.0.0.7"
    assert create.target == f"employee:{created.employee_id}"
    assert update.detail["changes"] == {
        "name": {"before": "Sri Wahyuni", "after": "Sri W."},
        "phone": {"before": None, "after": "0812"},
    }


def test_office_entries_show_a_moved_fence_and_liveness_turned_off(any_db: Engine) -> None:
    uows = factory_for(any_db)
    calendar.create_office(
        uows,
        "SETDA",
        "Setda",
        actor=HR,
        latitude=-6.5,
        longitude=106.8,
        radius_m=100,
        require_liveness=True,
    )
    changes = {"radius_m": 5000.0, "require_liveness": False}
    calendar.update_office(uows, "SETDA", changes, actor=HR)
    with uows() as uow:
        entry = uow.audit.list()[0]
    assert (entry.action, entry.target) == ("office.update", "office:SETDA")
    assert entry.detail["changes"] == {
        "radius_m": {"before": 100.0, "after": 5000.0},
        "require_liveness": {"before": True, "after": False},
    }


def test_deactivation_switches_accounts_tokens_and_leave_off(any_db: Engine) -> None:
    uows = factory_for(any_db)
    create_employee(uows, sri(), password="rahasia-123", actor=HR)
    with uows() as uow:
        user = uow.users.get_by_username(SRI)
        tokens = [issue_token(uow, user, n, now=NOW).token for n in ("phone", "web")]
        uow.commit()
    set_employee_active(uows, SRI, False, actor=HR)
    for token in tokens:
        with uows() as uow, pytest.raises(UnauthorizedError):
            authenticate(uow, token, now=NOW)
    with pytest.raises(InactiveEmployeeError):
        request_leave(uows, SRI, *IZIN, actor=HR, today=TODAY, policy=POLICY)
    with uows() as uow:
        assert not uow.users.get_by_username(SRI).active
        entry = uow.audit.list()[0]
    assert entry.action == "employee.deactivate"
    assert entry.detail["accounts"] == [SRI] and entry.detail["tokens_revoked"] == 2

    set_employee_active(uows, SRI, True, actor=HR)  # back: the account, not the old tokens
    with uows() as uow:
        assert uow.users.get_by_username(SRI).active
        with pytest.raises(UnauthorizedError):
            authenticate(uow, tokens[0], now=NOW + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("latitude", "longitude", "radius_m"),
    [
        (500.0, 106.8, 100.0),
        (-6.5, -999.0, 100.0),
        (-6.5, 106.8, -5.0),
        (-6.5, 106.8, 0.0),
        (-6.5, 106.8, float("inf")),
        (float("nan"), 106.8, 100.0),
        (-6.5, float("-inf"), 100.0),
        (-6.5, 106.8, float("nan")),
    ],
)
def test_offices_outside_the_world_are_refused(
    any_db: Engine, latitude: float, longitude: float, radius_m: float
) -> None:
    uows = factory_for(any_db)
    with pytest.raises(DomainValidationError):
        calendar.create_office(
            uows, "X", "X", actor=HR, latitude=latitude, longitude=longitude, radius_m=radius_m
        )
    calendar.create_office(uows, "SETDA", "Setda", actor=HR, latitude=-6.5, longitude=106.8)
    with pytest.raises(DomainValidationError):
        changes = {"latitude": latitude, "longitude": longitude, "radius_m": radius_m}
        calendar.update_office(uows, "SETDA", changes, actor=HR)
    with uows() as uow:
        assert [(o.code, o.radius_m) for o in uow.offices.list()] == [("SETDA", None)]
