"""Leave approved by the direct superior, then by HR where configured (issue 15), and
the place of an official duty; on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import LeaveKind, LeavePolicy, LeaveStatus
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services.audit import Actor
from hadir.services.errors import ForbiddenError
from hadir.services.leave import (
    decide_leave,
    request_leave,
    superior_decide_leave,
    superior_queue,
)
from hadir.services.records import NewEmployee

from .conftest import factory_for

KEPALA = "197001011995031001"
STAF = "199001012015011003"
POLICY = LeavePolicy()
TODAY = date(2025, 3, 3)


def _setup(uows: object) -> tuple[int, int]:
    with uows() as uow:  # type: ignore[operator]
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala", unit="Bidang A"))
        staff = uow.employees.add(NewEmployee(STAF, "Staf", unit="Bidang A", superior_id=head.id))
        uow.commit()
    return head.id, staff.id


def _ask(uows: object, kind: LeaveKind = LeaveKind.IZIN, place: str = "") -> int:
    entry = request_leave(
        uows,  # type: ignore[arg-type]
        STAF,
        kind,
        date(2025, 3, 10),
        date(2025, 3, 11),
        place=place,
        actor=Actor(STAF),
        today=TODAY,
        policy=POLICY,
    )
    return entry.leave.id


def test_superior_then_hr(any_db: Engine) -> None:
    uows = factory_for(any_db)
    head, staff = _setup(uows)
    with pytest.raises(DomainValidationError) as refused:
        _ask(uows, LeaveKind.DINAS_LUAR)
    assert refused.value.details["field"] == "place"
    duty = _ask(uows, LeaveKind.DINAS_LUAR, place="Kantor Bupati, Sleman")
    assert [e.leave.id for e in superior_queue(uows, head)] == [duty]
    assert superior_queue(uows, staff) == []
    with pytest.raises(ForbiddenError):  # not their superior
        superior_decide_leave(
            uows, duty, True, user_id=1, employee_id=staff, actor=Actor("x"), policy=POLICY
        )
    two_step = replace(POLICY, hr_approval=True)
    endorsed = superior_decide_leave(
        uows, duty, True, user_id=None, employee_id=head, actor=Actor(KEPALA), policy=two_step
    )
    assert endorsed.leave.status is LeaveStatus.ENDORSED
    assert endorsed.leave.place == "Kantor Bupati, Sleman"
    assert superior_queue(uows, head) == []
    with pytest.raises(ConflictError):
        superior_decide_leave(
            uows, duty, False, user_id=None, employee_id=head, actor=Actor(KEPALA), policy=two_step
        )
    final = decide_leave(uows, duty, LeaveStatus.APPROVED, approver_id=None, actor=Actor("hr"))
    assert final.leave.status is LeaveStatus.APPROVED

    one_step = _ask(uows)
    done = superior_decide_leave(
        uows, one_step, True, user_id=None, employee_id=head, actor=Actor(KEPALA), policy=POLICY
    )
    assert done.leave.status is LeaveStatus.APPROVED
    with uows() as uow:
        actions = [e.action for e in uow.audit.list()]
    assert "leave.endorsed" in actions and actions.count("leave.approved") == 2
