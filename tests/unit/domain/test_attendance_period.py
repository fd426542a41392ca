"""``evaluate_days`` (the look-ups made once per scope and per employee) returns exactly
``evaluate_day``'s record for every date, on generated months that mix what the rules
care about: grace, weekday hours, overrides, holidays, leave of every kind and status
(others' too), service periods, day and night shifts, corrections, refused attempts,
check-outs before check-ins, and a ``now`` inside, before and after the month.

The reference is ``evaluate_day`` called as the reports called it before: per date, with
the events that belong to that date (``Timetable.event_date``)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    AttendanceEvent,
    AttendanceKind,
    DayStatus,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    ServicePeriod,
    Shift,
    ShiftAssignment,
    Timetable,
    Weekday,
    WeekdayHours,
    WorkSchedule,
    evaluate_day,
)
from hadir.domain.attendance.period import PeriodPlan, Punch, evaluate_days

WIB = ZoneInfo("Asia/Jakarta")
FIRST = date(2025, 3, 1)
DAYS = [FIRST + timedelta(days=i) for i in range(31)]
ME, OTHER = 7, 8
SERVICES = (
    ServicePeriod(),
    ServicePeriod(start=date(2025, 3, 12)),
    ServicePeriod(end=date(2025, 3, 20)),
)
NOWS = tuple(
    datetime(*parts, tzinfo=UTC)
    for parts in ((2025, 3, 14, 1, 30), (2025, 3, 14, 9), (2025, 2, 1), (2025, 6, 1))
)
DECISIONS = (Decision.ACCEPTED,) * 5 + (Decision.REJECTED, Decision.NEEDS_REVIEW)


def _schedule(rng: random.Random) -> WorkSchedule:
    friday = (WeekdayHours(Weekday.FRIDAY, time(7, 30), time(11, 30)),)
    return WorkSchedule(
        working_days=frozenset(Weekday(d) for d in (range(6) if rng.random() < 0.3 else range(5))),
        grace_minutes=rng.choice((0, 5, 15)),
        weekday_hours=friday if rng.random() < 0.5 else (),
    )


def _events(rng: random.Random, days: list[date]) -> list[AttendanceEvent]:
    events = []
    for day in days:
        for _ in range(rng.choice((0, 1, 2, 2, 2, 3, 4))):
            hour = rng.choice((0, 3, 6, 7, 7, 8, 8, 9, 11, 15, 15, 16, 16, 20, 23))
            at = datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                          rng.choice((0, 59)), tzinfo=WIB)  # fmt: skip
            events.append(
                AttendanceEvent(
                    rng.choice((ME, ME, ME, OTHER)),
                    rng.choice((AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT)),
                    at,
                    rng.choice(
                        (Decision.ACCEPTED,) * 5 + (Decision.REJECTED, Decision.NEEDS_REVIEW)
                    ),
                    corrected=rng.random() < 0.1,
                )
            )
        if events and rng.random() < 0.2:  # a check-in and a check-out at the same instant
            last = events[-1]
            other = {AttendanceKind.CHECK_IN: AttendanceKind.CHECK_OUT}.get(
                last.kind, AttendanceKind.CHECK_IN
            )
            events.append(AttendanceEvent(ME, other, last.occurred_at, Decision.ACCEPTED))
    events.sort(key=lambda e: e.occurred_at)
    return events


def _leaves(rng: random.Random) -> list[Leave]:
    out = []
    for _ in range(rng.randrange(5)):
        start = FIRST + timedelta(days=rng.randrange(-5, 31))
        out.append(
            Leave(
                rng.choice((ME, ME, OTHER)),
                rng.choice(list(LeaveKind)),
                start,
                start + timedelta(days=rng.randrange(6)),
                rng.choice((LeaveStatus.APPROVED, LeaveStatus.APPROVED, LeaveStatus.REQUESTED)),
            )
        )
    return out


def _shifts(rng: random.Random) -> list[ShiftAssignment]:
    if rng.random() < 0.5:
        return []
    night = Shift("malam", time(20, 0), time(8, 0), grace_minutes=10, name="Malam")
    day = Shift("pagi", time(7, 0), time(15, 0))
    out = []
    for _ in range(rng.randrange(1, 4)):
        start = FIRST + timedelta(days=rng.randrange(-2, 31))
        out.append(
            ShiftAssignment(rng.choice((ME, ME, OTHER)), start,
                            start + timedelta(days=rng.randrange(8)), rng.choice((night, day)))
        )  # fmt: skip
    return out


@pytest.mark.parametrize("seed", range(120))
def test_evaluate_days_equals_evaluate_day_date_by_date(seed: int) -> None:
    rng = random.Random(seed)
    schedule = _schedule(rng)
    grace = rng.choice((None, 0, 10))
    ramadan = ScheduleOverride(date(2025, 3, 10), date(2025, 3, 20), time(8), time(15), grace)
    overrides = [ramadan] if rng.random() < 0.5 else []
    holidays = {FIRST + timedelta(days=rng.randrange(31)): "Libur" for _ in range(3)}
    leaves, shifts = _leaves(rng), _shifts(rng)
    events = _events(rng, [FIRST - timedelta(days=1), *DAYS, DAYS[-1] + timedelta(days=1)])
    service = rng.choice(SERVICES)
    now = rng.choice(NOWS)
    rules = {"now": now, "schedule": schedule, "overrides": overrides, "holidays": holidays,
             "leaves": leaves, "service": service, "shifts": shifts}  # fmt: skip

    # as the reports always called it: each date with the events that belong to it (so a
    # corrected night-shift check-out does not mark a check-in of the next date made at
    # the same instant)
    timetable = Timetable.of(ME, schedule, overrides, shifts)
    own = [e for e in events if e.employee_id == ME]
    expected = [
        evaluate_day(ME, day, [e for e in own if timetable.event_date(e) == day], **rules)
        for day in DAYS
    ]
    plan = PeriodPlan.of(DAYS, now=now, schedule=schedule, overrides=overrides, holidays=holidays)
    punches = [
        Punch(e.kind, e.occurred_at, e.corrected)
        for e in events
        if e.employee_id == ME and e.counts
    ]
    rng.shuffle(punches)  # any order: they are put in time order
    got = evaluate_days(ME, punches, plan=plan, leaves=leaves, service=service, shifts=shifts)

    assert got == expected


def test_the_generated_months_reach_every_status() -> None:
    """The comparison above means something only if the months hit every branch."""
    seen: set[DayStatus] = set()
    flags: set[str] = set()
    for seed in range(120):
        rng = random.Random(seed)
        schedule = _schedule(rng)
        rng.random()
        holidays = {FIRST + timedelta(days=rng.randrange(31)): "Libur" for _ in range(3)}
        leaves, shifts = _leaves(rng), _shifts(rng)
        events = _events(rng, DAYS)
        now = datetime(2025, 3, 14, 1, 30, tzinfo=UTC)
        for day in DAYS:
            record = evaluate_day(ME, day, events, now=now, schedule=schedule, holidays=holidays,
                                  leaves=leaves, shifts=shifts,
                                  service=ServicePeriod(end=date(2025, 3, 28)))  # fmt: skip
            seen.add(record.status)
            flags |= {f.value for f in record.flags}
    assert seen == set(DayStatus)
    assert flags >= {"missing_check_in", "missing_check_out", "checked_in_after_end",
                     "left_early", "worked", "corrected"}  # fmt: skip
