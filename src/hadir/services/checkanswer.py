"""The answer to a recorded check: the event, the employee and their day after it; a
rejected event is raised as its error (the same one a retry of it gets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    DayRecord,
    DayStatus,
    Decision,
    evaluate_day,
    local_date_of,
    to_local,
)
from hadir.domain.errors import ErrorCode, HadirError
from hadir.services.errors import FaceMismatchError
from hadir.services.ports import Clock, UowFactory
from hadir.services.records import EmployeeRecord, EventFilter, EventRecord
from hadir.services.shifts import timetable_for


@dataclass(frozen=True)
class CheckResult:
    """An accepted or needs-review attempt (rejected ones are raised as errors)."""

    event: EventRecord
    employee: EmployeeRecord
    local_time: datetime
    """When it happened, in the schedule's timezone (WIB by default)."""
    decision: Decision
    similarity: float | None
    threshold: float | None
    day: DayRecord | None
    """The employee's day after this event (accepted events only)."""
    replayed: bool = False
    """True when this answers a retry of an earlier request."""

    @property
    def status(self) -> DayStatus | None:
        return None if self.day is None else self.day.status

    @property
    def late_minutes(self) -> int:
        return 0 if self.day is None else self.day.late_minutes


def answer(
    uow_factory: UowFactory, event: EventRecord, clock: Clock, *, replayed: bool
) -> CheckResult:
    """The result for a recorded event; a rejected one is raised as its error."""
    if event.decision is Decision.REJECTED or event.employee_id is None:
        raise refusal(event)
    with uow_factory() as uow:
        employee = uow.employees.get(event.employee_id)
        around = local_date_of(event.occurred_at, DEFAULT_TIMEZONE)
        timetable = timetable_for(
            uow, employee, around - timedelta(days=1), around + timedelta(days=1)
        )
        schedule = timetable.schedule
        # the day the event counts for: a check-out after midnight closing a night shift
        # belongs to the shift's day
        day = timetable.duty_date(event.kind, event.occurred_at)
        record: DayRecord | None = None
        if event.decision is Decision.ACCEPTED:
            events = uow.events.list(
                EventFilter.for_days(
                    day, day + timedelta(days=1), schedule.timezone, employee_id=employee.id
                )
            )
            record = evaluate_day(
                employee.id,
                day,
                [e.to_domain() for e in events if e.employee_id is not None],
                now=max(clock(), event.occurred_at),
                schedule=schedule,
                overrides=timetable.overrides,
                shifts=timetable.shifts,
                holidays=uow.holidays.calendar(day, day, office_id=employee.office_id),
                leaves=[
                    leave.to_domain()
                    for leave in uow.leaves.list(employee_id=employee.id, first=day, last=day)
                ],
                service=employee.service,
            )
    return CheckResult(
        event=event,
        employee=employee,
        local_time=to_local(event.occurred_at, schedule.timezone),
        decision=event.decision,
        similarity=event.similarity,
        threshold=event.threshold,
        day=record,
        replayed=replayed,
    )


def refusal(event: EventRecord) -> HadirError:
    code = ErrorCode(event.refusal_code) if event.refusal_code else ErrorCode.FACE_MISMATCH
    if code is ErrorCode.FACE_MISMATCH:
        return FaceMismatchError(
            "The face does not match an enrolled employee. Try again facing the camera.",
            event_id=event.id,
            similarity=event.similarity,
        )
    return HadirError(
        "This attempt was refused earlier; send a new photo.", code=code, event_id=event.id
    )
