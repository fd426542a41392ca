"""Corrections of a day (issue 15) on SQLite and PostgreSQL: the employee asks, the
direct superior decides (HR when there is none), HR corrects directly; the corrected day
is marked in the reports and the events name who approved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import AttendanceKind, DayStatus, Decision
from hadir.domain.attendance.correction import CorrectionReason, CorrectionStatus
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services.audit import Actor
from hadir.services.auth import create_user
from hadir.services.corrections import (
    CorrectionAsk,
    Decider,
    approval_queue,
    correct_directly,
    decide_correction,
    request_correction,
)
from hadir.services.errors import ForbiddenError
from hadir.services.records import MatchMethod, NewEmployee, NewEvent, Role
from hadir.services.reports import daily_report

from .conftest import factory_for

KEPALA = "197001011995031001"
STAF = "199001012015011003"
LONE = "198505052010011002"
DAY = date(2025, 3, 3)  # a Monday
TODAY = date(2025, 3, 5)
HR = Decider(user_id=0, username="hr", employee_id=None, hr=True)


def _people(uows: object) -> dict[str, int]:
    keys: dict[str, int] = {}
    with uows() as uow:  # type: ignore[operator]
        head = uow.employees.add(NewEmployee(KEPALA, "Kepala Bidang", unit="Bidang A"))
        staff = uow.employees.add(
            NewEmployee(STAF, "Staf Satu", unit="Bidang A", superior_id=head.id)
        )
        lone = uow.employees.add(NewEmployee(LONE, "Tanpa Atasan", unit="Bidang B"))
        for nip, record, role in ((KEPALA, head, Role.EMPLOYEE), ("hr", None, Role.OPERATOR)):
            user = create_user(
                uow,
                nip,
                "sandi-rahasia",
                role,
                employee_id=record.id if record else None,
                actor="test",
            )
            keys[nip] = user.id
        uow.events.add(  # checked in at 07:55 WIB, forgot to check out
            NewEvent(
                employee_id=staff.id,
                kind=AttendanceKind.CHECK_IN,
                occurred_at=datetime(2025, 3, 3, 0, 55, tzinfo=UTC),
                decision=Decision.ACCEPTED,
                method=MatchMethod.VERIFY,
            )
        )
        keys |= {"head": head.id, "staff": staff.id, "lone": lone.id}
        uow.commit()
    return keys


def _row(uows: object, nip: str) -> object:
    clock = lambda: datetime(2025, 3, 5, 3, tzinfo=UTC)  # noqa: E731
    report = daily_report(uows(), DAY, clock=clock)  # type: ignore[operator]
    return next(r for r in report.daily if r.nip == nip)


def test_the_superior_approves_and_the_day_is_marked_corrected(any_db: Engine) -> None:
    uows = factory_for(any_db)
    keys = _people(uows)
    before = _row(uows, STAF)
    assert before.check_out is None and not before.corrected  # type: ignore[attr-defined]
    ask = CorrectionAsk(
        DAY, CorrectionReason.FORGOT_CHECK_OUT, "Lupa absen pulang", None, time(16, 5)
    )
    entry = request_correction(uows, STAF, ask, actor=Actor(STAF), today=TODAY)
    assert entry.approver is not None and entry.approver.employee_id == KEPALA
    superior = Decider(keys[KEPALA], KEPALA, keys["head"], hr=False)
    hr = Decider(keys["hr"], "hr", None, hr=True)
    assert [e.correction.id for e in approval_queue(uows, superior)] == [entry.correction.id]
    assert approval_queue(uows, hr) == []  # the superior decides, not HR
    with pytest.raises(ForbiddenError):
        decide_correction(uows, entry.correction.id, True, decider=hr, actor=Actor("hr"))

    decided = decide_correction(
        uows, entry.correction.id, True, decider=superior, actor=Actor(KEPALA), note="ok"
    )
    assert decided.correction.status is CorrectionStatus.APPROVED
    assert decided.correction.decided_by == KEPALA
    with pytest.raises(ConflictError):
        decide_correction(uows, entry.correction.id, False, decider=superior, actor=Actor(KEPALA))
    after = _row(uows, STAF)
    assert after.check_out == time(16, 5) and after.corrected  # type: ignore[attr-defined]
    assert after.status is DayStatus.ON_TIME  # type: ignore[attr-defined]
    with uows() as uow:
        events = [e for e in uow.events.list() if e.method is MatchMethod.CORRECTION]
        actions = [e.action for e in uow.audit.list()]
    assert [(e.kind, e.reviewed_by) for e in events] == [(AttendanceKind.CHECK_OUT, keys[KEPALA])]
    assert events[0].review_note == f"Koreksi #{entry.correction.id}: Lupa absen pulang"
    assert "correction.request" in actions and "correction.approved" in actions


def test_hr_decides_without_a_superior_and_corrects_directly(any_db: Engine) -> None:
    uows = factory_for(any_db)
    keys = _people(uows)
    hr = Decider(keys["hr"], "hr", None, hr=True)
    ask = CorrectionAsk(DAY, CorrectionReason.DEVICE_FAILED, "Mesin mati", time(7, 50), time(16))
    entry = request_correction(uows, LONE, ask, actor=Actor(LONE), today=TODAY)
    assert entry.approver is None
    assert [e.correction.id for e in approval_queue(uows, hr)] == [entry.correction.id]
    refused = decide_correction(uows, entry.correction.id, False, decider=hr, actor=Actor("hr"))
    assert refused.correction.status is CorrectionStatus.REFUSED
    assert not _row(uows, LONE).corrected  # type: ignore[attr-defined]
    assert _row(uows, LONE).status is DayStatus.ABSENT  # type: ignore[attr-defined]

    duty = CorrectionAsk(
        DAY, CorrectionReason.DUTY_ELSEWHERE, "Rapat di kantor bupati", time(8), time(16)
    )
    with pytest.raises(ForbiddenError):
        correct_directly(
            uows, LONE, duty, decider=Decider(1, "x", None, False), actor=Actor("x"), today=TODAY
        )
    correct_directly(uows, LONE, duty, decider=hr, actor=Actor("hr"), today=TODAY)
    row = _row(uows, LONE)
    assert row.status is DayStatus.ON_TIME and row.corrected  # type: ignore[attr-defined]
    with uows() as uow:
        assert "correction.direct" in [e.action for e in uow.audit.list()]


def test_a_correction_needs_a_reason_a_time_and_a_past_day(any_db: Engine) -> None:
    uows = factory_for(any_db)
    _people(uows)
    for ask, field in (
        (CorrectionAsk(DAY, CorrectionReason.DEVICE_FAILED, " ", time(8)), "reason"),
        (CorrectionAsk(DAY, CorrectionReason.DEVICE_FAILED, "x"), "check_in"),
        (CorrectionAsk(date(2025, 3, 6), CorrectionReason.DEVICE_FAILED, "x", time(8)), "day"),
        (CorrectionAsk(date(2025, 1, 6), CorrectionReason.DEVICE_FAILED, "x", time(8)), "day"),
        (CorrectionAsk(DAY, CorrectionReason.DEVICE_FAILED, "x", time(9), time(8)), "check_out"),
    ):
        with pytest.raises(DomainValidationError) as refused:
            request_correction(uows, STAF, ask, actor=Actor(STAF), today=TODAY)
        assert refused.value.details["field"] == field
