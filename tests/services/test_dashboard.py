"""The console's read models and HR use cases against a real (SQLite) database."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.domain.attendance import (
    AttendanceKind,
    Decision,
    Leave,
    LeaveKind,
    LeavePolicy,
    LeaveStatus,
)
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services.accounts import add_account, create_kiosk_token, list_accounts, revoke_token
from hadir.services.dashboard import PastDays, dashboard, event_log, known_units
from hadir.services.errors import ForbiddenError
from hadir.services.records import EventFilter, MatchMethod, NewEmployee, NewEvent, Role
from hadir.services.staff import add_employee as add_staff
from hadir.services.staff import decide_leave, leave_list, request_leave, set_employee_active

from .conftest import FixedClock, UowFactory, wib
from .helpers import add_employee

TUESDAY_0900 = FixedClock(wib(2025, 3, 4, 9, 0))


def _event(
    uow_factory: UowFactory, employee: int, hour: int, minute: int, decision: Decision
) -> None:
    with uow_factory() as uow:
        uow.events.add(
            NewEvent(
                employee,
                AttendanceKind.CHECK_IN,
                wib(2025, 3, 4, hour, minute),
                decision,
                MatchMethod.VERIFY,
                similarity=0.8,
            )
        )
        uow.commit()


def test_today_and_the_week(uow_factory: UowFactory) -> None:
    on_time = add_employee(uow_factory(), "1", "Ani")
    late = add_employee(uow_factory(), "2", "Budi")
    away = add_employee(uow_factory(), "3", "Citra", unit="Dinas Kesehatan")
    add_employee(uow_factory(), "4", "Dedi")
    add_employee(uow_factory(), "5", "Eka", active=False)
    _event(uow_factory, on_time.id, 7, 50, Decision.ACCEPTED)
    _event(uow_factory, late.id, 8, 25, Decision.ACCEPTED)
    _event(uow_factory, away.id, 7, 40, Decision.NEEDS_REVIEW)
    with uow_factory() as uow:
        leave = uow.leaves.add(
            Leave(away.id, LeaveKind.SAKIT, date(2025, 3, 4), date(2025, 3, 4)), reason="flu"
        )
        uow.leaves.decide(leave.id, LeaveStatus.APPROVED, approver_id=None)
        uow.commit()

    data = dashboard(uow_factory, clock=TUESDAY_0900)
    today = data.today
    assert today.day == date(2025, 3, 4)
    assert (today.on_time, today.late, today.present) == (1, 1, 2)
    assert today.on_leave == 1
    assert today.absent == 1  # Dedi; Eka is inactive and not counted
    assert data.review_waiting == 1
    assert [d.day for d in data.week] == [date(2025, 2, d) for d in range(26, 29)] + [
        date(2025, 3, d) for d in range(1, 5)
    ]
    assert data.week[3].off == 4  # Saturday 1 March
    unit = dashboard(uow_factory, unit="Dinas Kesehatan", clock=TUESDAY_0900)
    assert (unit.today.on_leave, unit.today.present, unit.review_waiting) == (1, 0, 1)
    assert known_units(uow_factory()) == ["Bappeda", "Dinas Kesehatan"]


def test_event_log_is_newest_first_with_employees(uow_factory: UowFactory) -> None:
    ani = add_employee(uow_factory(), "1", "Ani")
    _event(uow_factory, ani.id, 7, 50, Decision.ACCEPTED)
    _event(uow_factory, ani.id, 7, 55, Decision.REJECTED)
    entries = event_log(uow_factory(), EventFilter.for_days(date(2025, 3, 4), date(2025, 3, 4)))
    assert [e.event.decision for e in entries] == [Decision.REJECTED, Decision.ACCEPTED]
    assert {e.employee.name for e in entries if e.employee} == {"Ani"}
    refused = event_log(uow_factory(), EventFilter(decision=Decision.REJECTED))
    assert len(refused) == 1


def test_employee_with_account_deactivated_together(uow_factory: UowFactory) -> None:
    record = add_staff(
        uow_factory(), NewEmployee("1001", "Sri"), password="rahasia-123", actor="hr"
    )
    with pytest.raises(DomainValidationError):
        add_staff(uow_factory(), NewEmployee("1002", "Budi"), password="short", actor="hr")
    set_employee_active(uow_factory(), "1001", False, actor="hr")
    with uow_factory() as uow:
        assert not uow.employees.get(record.id).active
        assert not uow.users.get_by_username("1001").active
        actions = [e.action for e in uow.audit.list()]
        assert actions == ["employee.deactivate", "employee.create", "user.create"]
        assert uow.audit.verify() is None


def test_leave_request_and_decision_rules(uow_factory: UowFactory) -> None:
    add_employee(uow_factory(), "1", "Ani", unit="Bappeda")
    lead = add_account(uow_factory(), "lead", "rahasia-123", Role.SUPERVISOR, actor="root").id
    entry = request_leave(
        uow_factory(),
        "1",
        LeaveKind.IZIN,
        date(2025, 3, 5),
        date(2025, 3, 5),
        actor="1",
        today=date(2025, 3, 3),
        policy=LeavePolicy(),
    )
    assert entry.leave.status is LeaveStatus.REQUESTED
    with pytest.raises(ForbiddenError):
        decide_leave(
            uow_factory(),
            entry.leave.id,
            LeaveStatus.APPROVED,
            approver_id=lead,
            actor="lead",
            unit="Dinas Kesehatan",
        )
    decided = decide_leave(
        uow_factory(), entry.leave.id, LeaveStatus.APPROVED, approver_id=lead, actor="lead"
    )
    assert decided.leave.status is LeaveStatus.APPROVED
    with pytest.raises(ConflictError):
        decide_leave(
            uow_factory(), entry.leave.id, LeaveStatus.REJECTED, approver_id=lead, actor="lead"
        )
    assert [e.leave.id for e in leave_list(uow_factory(), status=LeaveStatus.APPROVED)] == [
        entry.leave.id
    ]


def test_accounts_and_kiosk_tokens(uow_factory: UowFactory) -> None:
    add_employee(uow_factory(), "1", "Ani")
    with pytest.raises(DomainValidationError):
        add_account(uow_factory(), "k", "rahasia-123", Role.KIOSK, actor="root")
    with pytest.raises(DomainValidationError):
        add_account(uow_factory(), "ani", "rahasia-123", Role.EMPLOYEE, actor="root")
    user = add_account(
        uow_factory(), "ani", "rahasia-123", Role.EMPLOYEE, employee_nip="1", actor="root"
    )
    assert user.employee_id is not None
    issued = create_kiosk_token(uow_factory(), "lobi", now=TUESDAY_0900(), actor="root")
    assert issued.token.startswith("hdr_")
    accounts = {a.user.username: a for a in list_accounts(uow_factory(), now=TUESDAY_0900())}
    assert len(accounts["kiosk:lobi"].tokens) == 1
    revoke_token(uow_factory(), issued.record.id, actor="root")
    accounts = {a.user.username: a for a in list_accounts(uow_factory(), now=TUESDAY_0900())}
    assert accounts["kiosk:lobi"].tokens == ()


def test_past_days_are_kept_and_today_is_fresh(uow_factory: UowFactory) -> None:
    ani = add_employee(uow_factory(), "1", "Ani")
    budi = add_employee(uow_factory(), "2", "Budi")
    past = PastDays(ttl_seconds=3600)
    wednesday = FixedClock(wib(2025, 3, 5, 9, 0))
    first = dashboard(uow_factory, clock=wednesday, past=past)
    assert first.week[-2].day == date(2025, 3, 4) and first.week[-2].present == 0
    _event(uow_factory, ani.id, 7, 50, Decision.ACCEPTED)  # Tuesday, recorded late
    with uow_factory() as uow:
        uow.events.add(
            NewEvent(budi.id, AttendanceKind.CHECK_IN, wib(2025, 3, 5, 7, 55),
                     Decision.ACCEPTED, MatchMethod.VERIFY, similarity=0.8)
        )  # fmt: skip
        uow.commit()
    again = dashboard(uow_factory, clock=wednesday, past=past)
    assert again.today.present == 1  # today is always evaluated
    assert again.week[:-1] == first.week[:-1]  # the past days came from the cache
    fresh = dashboard(uow_factory, clock=wednesday, past=PastDays(ttl_seconds=0))
    assert fresh.week[-2].present == 1  # and a new evaluation sees Tuesday's check-in
    assert fresh.today == again.today
