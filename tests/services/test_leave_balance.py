"""Annual leave balance through the service (issue 15), on SQLite and PostgreSQL: a
request beyond what is left is refused; approved and pending requests count."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import LeaveKind, LeavePolicy, LeaveStatus
from hadir.domain.errors import DomainValidationError
from hadir.services.audit import Actor
from hadir.services.leave import decide_leave, leave_balance, request_leave
from hadir.services.records import NewEmployee

from .conftest import factory_for

NIP = "199001012015011003"
POLICY = LeavePolicy(max_days=90, max_backdate_days=400, annual_days=12, carry_over_days=6)
TODAY = date(2025, 3, 3)
HR = Actor("hr")


def test_annual_leave_is_refused_beyond_the_balance(any_db: Engine) -> None:
    uows = factory_for(any_db)
    with uows() as uow:
        uow.employees.add(NewEmployee(NIP, "Staf", unit="Bidang A"))
        uow.holidays.add(date(2025, 3, 31), "Idul Fitri")
        uow.commit()

    def ask(first: date, last: date) -> int:
        entry = request_leave(
            uows, NIP, LeaveKind.CUTI, first, last, actor=HR, today=TODAY, policy=POLICY
        )
        return entry.leave.id

    last_year = ask(date(2024, 7, 1), date(2024, 7, 10))  # 8 working days of 2024
    decide_leave(uows, last_year, LeaveStatus.APPROVED, approver_id=None, actor=HR)
    first = ask(date(2025, 3, 24), date(2025, 4, 4))  # 10 days, one a holiday: 9
    decide_leave(uows, first, LeaveStatus.APPROVED, approver_id=None, actor=HR)
    ask(date(2025, 5, 5), date(2025, 5, 7))  # 3 pending
    balance = leave_balance(uows, NIP, 2025, POLICY)
    # 12 + min(12 - 8, 6) = 16 available; 9 used; 3 pending: 4 left
    assert (balance.carried_over, balance.used, balance.pending, balance.remaining) == (
        4,
        9,
        3,
        4,
    )
    with pytest.raises(DomainValidationError) as refused:
        ask(date(2025, 6, 2), date(2025, 6, 6))  # 5 > 4
    assert refused.value.details["remaining"] == 4
    ask(date(2025, 6, 2), date(2025, 6, 5))  # 4 fits
    sick = request_leave(  # sick leave is not annual leave: no balance
        uows,
        NIP,
        LeaveKind.SAKIT,
        date(2025, 6, 9),
        date(2025, 6, 20),
        actor=HR,
        today=TODAY,
        policy=POLICY,
    )
    assert sick.leave.kind is LeaveKind.SAKIT
