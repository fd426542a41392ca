"""Corrections of a day's attendance (issue 15): the one implementation behind the API,
the employee's own page, the superior's approval queue and HR's console.

* An employee asks for a correction of a day (forgot to check in or out, the device
  failed, on duty elsewhere) with the times and a reason: status ``requested``.
* Their direct superior (``hadir.services.units.direct_superior``) approves or refuses
  it; when they have none, HR (admin/operator) does.
* HR can also correct a day directly, with a reason: approved at once, by them.

An approved correction writes its check-in and/or check-out as accepted attendance events
of method ``correction`` (``client_request_id`` ``correction:<id>:in|out``), reviewed by
the approver with the reason as the note; the day then carries the flag ``corrected`` in
every report (``DailyRow.corrected``, the XLSX/CSV column "Koreksi"). Each change opens
one unit of work, writes its audit entry and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.attendance.correction import (
    MAX_CORRECTION_BACKDATE_DAYS,
    CorrectionReason,
    CorrectionStatus,
)
from hadir.domain.errors import ConflictError, DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.employees import target
from hadir.services.enrolment import find_employee, require_active
from hadir.services.errors import ForbiddenError
from hadir.services.hr_records import CorrectionRecord, NewCorrection
from hadir.services.ports import AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeRecord, MatchMethod, NewEvent
from hadir.services.units import direct_superior


@dataclass(frozen=True)
class Decider:
    """Who decides: their account, the employee behind it (if any) and whether they act
    as HR (admin or operator)."""

    user_id: int
    username: str
    employee_id: int | None
    hr: bool


@dataclass(frozen=True)
class CorrectionEntry:
    correction: CorrectionRecord
    employee: EmployeeRecord
    approver: EmployeeRecord | None
    """The direct superior who decides (``None``: HR decides)."""


@dataclass(frozen=True)
class CorrectionAsk:
    day: date
    reason_kind: CorrectionReason
    reason: str
    check_in: time | None = None
    check_out: time | None = None


def _asked(employee_id: int, ask: CorrectionAsk, actor: Actor) -> NewCorrection:
    return NewCorrection(
        employee_id,
        ask.day,
        ask.reason_kind,
        ask.reason,
        ask.check_in,
        ask.check_out,
        actor.username,
    )


def _checked_day(day: date, today: date) -> None:
    if day > today:
        raise DomainValidationError("a day that has not come yet cannot be corrected", field="day")
    if (today - day).days > MAX_CORRECTION_BACKDATE_DAYS:
        earliest = today - timedelta(days=MAX_CORRECTION_BACKDATE_DAYS)
        raise DomainValidationError(
            f"a correction reaches back at most {MAX_CORRECTION_BACKDATE_DAYS} days "
            f"(earliest {earliest.isoformat()})",
            field="day",
        )


def _detail(record: CorrectionRecord) -> dict[str, object]:
    return {
        "correction_id": record.id,
        "day": record.day.isoformat(),
        "reason_kind": record.reason_kind.value,
        "check_in": record.check_in.strftime("%H:%M") if record.check_in else None,
        "check_out": record.check_out.strftime("%H:%M") if record.check_out else None,
        "reason": record.reason,
    }


def request_correction(
    uows: UowFactory, nip: str, ask: CorrectionAsk, *, actor: Actor, today: date
) -> CorrectionEntry:
    """The employee's request (status ``requested``) for their superior or HR."""
    _checked_day(ask.day, today)
    with uows() as uow:
        employee = require_active(find_employee(uow.employees, nip))
        record = uow.corrections.add(_asked(employee.id, ask, actor))
        approver = direct_superior(uow, employee)
        detail = _detail(record) | {"approver": approver.employee_id if approver else "hr"}
        audit.write(uow, actor, "correction.request", target(employee.employee_id), detail)
        uow.commit()
    return CorrectionEntry(record, employee, approver)


def _write_events(
    uow: AbstractUnitOfWork, record: CorrectionRecord, employee: EmployeeRecord, decider: Decider
) -> None:
    tz = uow.schedules.resolve(office_id=employee.office_id, unit=employee.unit).tz
    note = f"Koreksi #{record.id}: {record.reason}"
    for kind, at, suffix in (
        (AttendanceKind.CHECK_IN, record.check_in, "in"),
        (AttendanceKind.CHECK_OUT, record.check_out, "out"),
    ):
        if at is None:
            continue
        event = uow.events.add(
            NewEvent(
                employee_id=employee.id,
                kind=kind,
                occurred_at=datetime.combine(record.day, at, tzinfo=tz),
                decision=Decision.ACCEPTED,
                method=MatchMethod.CORRECTION,
                device="koreksi",
                client_request_id=f"correction:{record.id}:{suffix}",
            )
        )
        uow.events.review(
            event.id, decision=Decision.ACCEPTED, reviewed_by=decider.user_id, note=note
        )


def may_decide(uow: AbstractUnitOfWork, employee: EmployeeRecord, decider: Decider) -> bool:
    """The direct superior decides; HR does when there is none."""
    approver = direct_superior(uow, employee)
    if approver is None:
        return decider.hr
    return decider.employee_id == approver.id


def decide_correction(
    uows: UowFactory,
    correction_id: int,
    approve: bool,
    *,
    decider: Decider,
    actor: Actor,
    note: str = "",
) -> CorrectionEntry:
    """Approve (writing the corrected events) or refuse a requested correction."""
    with uows() as uow:
        current = uow.corrections.get(correction_id)
        employee = uow.employees.get(current.employee_id)
        if not may_decide(uow, employee, decider):
            raise ForbiddenError(
                "Only the employee's direct superior (or HR when there is none) decides."
            )
        if decider.employee_id == employee.id:
            raise ForbiddenError("Nobody decides their own correction.")
        if current.status is not CorrectionStatus.REQUESTED:
            raise ConflictError(
                f"This correction was already {current.status.value}.",
                status=current.status.value,
            )
        status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REFUSED
        record = uow.corrections.decide(
            correction_id,
            status,
            decided_by=decider.username,
            decider_id=decider.user_id,
            note=note.strip(),
        )
        if approve:
            _write_events(uow, record, employee, decider)
        detail = _detail(record) | {"note": note.strip()}
        audit.write(uow, actor, f"correction.{status.value}", target(employee.employee_id), detail)
        uow.commit()
    return CorrectionEntry(record, employee, None)


def correct_directly(
    uows: UowFactory,
    nip: str,
    ask: CorrectionAsk,
    *,
    decider: Decider,
    actor: Actor,
    today: date,
) -> CorrectionEntry:
    """HR's own correction of a day, with a reason: approved at once, by them."""
    if not decider.hr:
        raise ForbiddenError("Only HR corrects a day directly.")
    _checked_day(ask.day, today)
    with uows() as uow:
        employee = find_employee(uow.employees, nip)
        added = uow.corrections.add(_asked(employee.id, ask, actor))
        record = uow.corrections.decide(
            added.id,
            CorrectionStatus.APPROVED,
            decided_by=decider.username,
            decider_id=decider.user_id,
            note="langsung oleh SDM",
        )
        _write_events(uow, record, employee, decider)
        audit.write(uow, actor, "correction.direct", target(employee.employee_id), _detail(record))
        uow.commit()
    return CorrectionEntry(record, employee, None)


def _entries(uow: AbstractUnitOfWork, records: list[CorrectionRecord]) -> list[CorrectionEntry]:
    people = uow.employees.get_many(r.employee_id for r in records)
    return [
        CorrectionEntry(r, people[r.employee_id], direct_superior(uow, people[r.employee_id]))
        for r in records
    ]


def own_corrections(uows: UowFactory, employee_id: int) -> list[CorrectionEntry]:
    """An employee's own corrections, newest day first."""
    with uows() as uow:
        return _entries(uow, uow.corrections.list(employee_ids=[employee_id]))


def approval_queue(uows: UowFactory, decider: Decider) -> list[CorrectionEntry]:
    """The requested corrections ``decider`` may decide."""
    with uows() as uow:
        pending = _entries(uow, uow.corrections.list(status=CorrectionStatus.REQUESTED))
        return [
            e
            for e in pending
            if e.employee.id != decider.employee_id
            and (
                (e.approver is None and decider.hr)
                or (e.approver is not None and e.approver.id == decider.employee_id)
            )
        ]


def all_corrections(
    uows: UowFactory, *, status: CorrectionStatus | None = None
) -> list[CorrectionEntry]:
    """Every correction (HR's view), newest day first."""
    with uows() as uow:
        return _entries(uow, uow.corrections.list(status=status))
