"""Shifts and the roster on SQLite and PostgreSQL: the use cases with their audit, and a
night shift 20:00-08:00 judged the same way by the check-in answer, the reports (hence
the dashboard) and the resolved day: a check-out after midnight belongs to the shift's
day, never an absence plus an orphan check-out.

June 2025: Sri works the night shift on Monday 2 to Wednesday 4. Monday: in 19:55, out
Tuesday 08:05 (on time). Tuesday: in 20:20 (20 min late), out Wednesday 07:30 (30 min
early). Wednesday: nothing (absent). Thursday 5: an office day 08:00-16:00, nothing
(absent) - the Wednesday 07:30 check-out is Tuesday's, not Thursday's or Wednesday's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import AttendanceKind, DayStatus, Decision, Shift
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services import shifts
from hadir.services.audit import Actor
from hadir.services.checkanswer import answer
from hadir.services.records import MatchMethod, NewEvent
from hadir.services.reports import period_report
from hadir.services.schedules import resolve_day

from .conftest import FixedClock, factory_for, wib
from .helpers import ARIO, SRI, add_employee

HR = Actor("hr", "10.0.0.9")
NIGHT = Shift("malam", time(20, 0), time(8, 0), grace_minutes=10, name="Malam")
AFTER = FixedClock(datetime(2025, 7, 1, 3, 0, tzinfo=UTC))
MON, TUE, WED, THU = (date(2025, 6, d) for d in (2, 3, 4, 5))


def test_shift_use_cases_are_audited(any_db: Engine) -> None:
    make = factory_for(any_db)
    add_employee(make(), SRI, "Sri Wahyuni")
    created = shifts.create_shift(make, NIGHT, actor=HR)
    with pytest.raises(ConflictError):
        shifts.create_shift(make, NIGHT, actor=HR)
    later = Shift("malam", time(21, 0), time(7, 0), grace_minutes=5, name="Malam")
    changed = shifts.update_shift(make, created.id, later, actor=HR)
    assert (changed.shift.start, changed.shift.end) == (time(21, 0), time(7, 0))
    with pytest.raises(DomainValidationError):
        shifts.assign_shift(make, SRI, "malam", WED, MON, actor=HR)
    with pytest.raises(NotFoundError):
        shifts.assign_shift(make, SRI, "pagi", MON, WED, actor=HR)
    on_roster = shifts.assign_shift(make, SRI, "malam", MON, WED, actor=HR)
    assert (on_roster.nip, on_roster.shift.code) == (SRI, "malam")
    with pytest.raises(ConflictError):
        shifts.delete_shift(make, created.id, actor=HR)  # still on the roster
    shifts.unassign_shift(make, on_roster.id, actor=HR)
    shifts.delete_shift(make, created.id, actor=HR)
    with make() as uow:
        assert uow.shifts.list() == []
        entries = list(reversed(uow.audit.list()))
    assert [e.action for e in entries] == [
        "shift.create",
        "shift.update",
        "shift.assign",
        "shift.unassign",
        "shift.delete",
    ]
    assert entries[1].detail == {
        "ip": "10.0.0.9",
        "changes": {
            "start": {"before": "20:00", "after": "21:00"},
            "end": {"before": "08:00", "after": "07:00"},
            "grace_minutes": {"before": 10, "after": 5},
        },
    }
    assert entries[2].target == f"employee:{SRI}"


def _event(employee: int, at: datetime, kind: AttendanceKind) -> NewEvent:
    return NewEvent(employee, kind, at, Decision.ACCEPTED, MatchMethod.VERIFY, similarity=0.8)


def test_a_night_shift_is_one_day_for_the_answer_the_reports_and_the_resolved_day(
    any_db: Engine,
) -> None:
    make = factory_for(any_db)
    sri = add_employee(make(), SRI, "Sri Wahyuni")
    add_employee(make(), ARIO, "Ario Nugroho")  # no shift: office hours
    shifts.create_shift(make, NIGHT, actor=HR)
    shifts.assign_shift(make, SRI, "malam", MON, WED, actor=HR)
    IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT
    with make() as uow:
        uow.events.add(_event(sri.id, wib(2025, 6, 2, 19, 55), IN))
        morning_out = uow.events.add(_event(sri.id, wib(2025, 6, 3, 8, 5), OUT))
        uow.events.add(_event(sri.id, wib(2025, 6, 3, 20, 20), IN))
        uow.events.add(_event(sri.id, wib(2025, 6, 4, 7, 30), OUT))
        uow.commit()

    report = period_report(make(), MON, THU, clock=AFTER)
    days = {r.day: r for r in report.daily if r.nip == SRI}
    assert (days[MON].status, days[MON].check_in, days[MON].check_out) == (
        DayStatus.ON_TIME,
        time(19, 55),
        time(8, 5),
    )
    assert (days[TUE].status, days[TUE].late_minutes, days[TUE].left_early_minutes) == (
        DayStatus.LATE,
        20,
        30,
    )
    assert days[TUE].check_out == time(7, 30)
    assert [days[d].status for d in (WED, THU)] == [DayStatus.ABSENT, DayStatus.ABSENT]
    assert all(r.status is not DayStatus.INCOMPLETE for r in days.values())
    (recap,) = [r for r in report.recap if r.nip == SRI]
    assert (recap.days_present, recap.absences) == (2, 2)
    ario = {r.day: r.status for r in report.daily if r.nip == ARIO}
    assert set(ario.values()) == {DayStatus.ABSENT}  # untouched by Sri's roster

    # the check-in service answers the 08:05 check-out with Monday's day
    result = answer(make, morning_out, AFTER, replayed=False)
    assert result.day is not None
    assert (result.day.day, result.day.status) == (MON, DayStatus.ON_TIME)
    assert result.day.worked_minutes == 12 * 60 + 10

    with make() as uow:
        monday = resolve_day(uow, SRI, MON)
        thursday = resolve_day(uow, SRI, THU)
    assert monday.working and monday.hours is not None and monday.hours.shift == "malam"
    assert thursday.hours is not None and thursday.hours.shift is None
