"""The dashboard's counts from the database's per-day spans equal the domain's statuses.

``daycounts.day_statuses`` reads one row per employee and kind and evaluates once per
distinct set of inputs; ``reports.period_report`` evaluates every employee on every event
with ``evaluate_day``. On a generated week (late and on-time arrivals to the second,
leave of every kind, requested leave, a holiday of one office, an office in another time
zone, a unit with a shorter Friday and grace, a date override, corrections, refused and
needs-review attempts, check-outs without check-in, inactive staff with events, a service
period starting mid-week, and a night-shift roster whose check-outs fall after midnight)
both must give the same count of every status, on every day, at several moments of the
day, for the agency and for each unit, on both backends.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import (
    AttendanceKind,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    Shift,
    WeekdayHours,
    WorkSchedule,
)
from hadir.services.daycounts import day_statuses, range_statuses, unit_statuses
from hadir.services.ports import UowFactory
from hadir.services.records import MatchMethod, NewEmployee, NewEvent
from hadir.services.reports import period_report

from .conftest import factory_for

MONDAY = date(2025, 3, 3)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]
UNITS = ("Bappeda", "Dinkes", "RSUD")


def _at(day: date, hour: int, minute: int, second: int, tz: str = "Asia/Jakarta") -> datetime:
    return datetime.combine(day, time(hour, minute, second), ZoneInfo(tz)).astimezone(UTC)


def _generate(make: UowFactory, rng: random.Random) -> None:
    with make() as uow:
        far = uow.offices.add("MKS", "Makassar", timezone="Asia/Makassar")
        uow.schedules.set(WorkSchedule(start=time(7, 30), end=time(16, 0), grace_minutes=5,
                                       timezone="Asia/Makassar"), office_id=far.id)  # fmt: skip
        friday = WeekdayHours(4, time(7, 30), time(11, 30), grace_minutes=0)
        uow.schedules.set(WorkSchedule(grace_minutes=10, weekday_hours=(friday,)), unit="Dinkes")
        uow.schedules.add_override(
            ScheduleOverride(WEEK[3], WEEK[3], time(8, 30), time(15, 0), label="Ramadan")
        )
        uow.holidays.add(WEEK[2], "Hari libur kantor", office_id=far.id)
        night = uow.shifts.add(Shift("malam", time(20, 0), time(8, 0), grace_minutes=10))
        people = []
        for i in range(70):
            unit = UNITS[i % 3]
            people.append(
                uow.employees.add(
                    NewEmployee(
                        employee_id=f"E-{i:03d}",
                        name=f"Pegawai {i:03d}",
                        unit=unit,
                        active=i % 17 != 5,
                        office_id=far.id if i % 5 == 1 and unit != "RSUD" else None,
                        start_date=WEEK[2] if i % 13 == 4 else None,
                        end_date=WEEK[4] if i % 19 == 7 else None,
                    )
                )
            )
        for person in people:
            if person.unit == "RSUD" and person.id % 2 == 0:
                uow.shifts.assign(person.id, night.id, WEEK[0] - timedelta(days=1), WEEK[4])
        kinds = list(LeaveKind)
        for person in people:
            for day in WEEK:
                if rng.random() < 0.12:
                    status = rng.choice(
                        [LeaveStatus.APPROVED, LeaveStatus.APPROVED, LeaveStatus.REQUESTED]
                    )
                    leave = uow.leaves.add(
                        Leave(person.id, rng.choice(kinds), day, day + timedelta(rng.randrange(2)))
                    )
                    if status is LeaveStatus.APPROVED:
                        uow.leaves.decide(leave.id, status, approver_id=None)
        n = 0

        def add(person_id: int, kind: AttendanceKind, at: datetime, decision: Decision,
                method: MatchMethod = MatchMethod.VERIFY) -> None:  # fmt: skip
            nonlocal n
            n += 1
            uow.events.add(NewEvent(person_id, kind, at, decision, method, similarity=0.8,
                                    client_request_id=f"r{n}"))  # fmt: skip

        for person in people:
            tz = "Asia/Makassar" if person.office_id == far.id else "Asia/Jakarta"
            for day in [WEEK[0] - timedelta(days=1), *WEEK]:
                roll = rng.random()
                if person.unit == "RSUD" and person.id % 2 == 0:  # the night shift
                    if roll < 0.8:
                        add(person.id, AttendanceKind.CHECK_IN,
                            _at(day, 19 + rng.randrange(2), rng.randrange(60), rng.randrange(60)),
                            Decision.ACCEPTED)  # fmt: skip
                    if roll < 0.7 or roll > 0.9:
                        add(person.id, AttendanceKind.CHECK_OUT,
                            _at(day + timedelta(days=1), 7 + rng.randrange(2), rng.randrange(60),
                                rng.randrange(60)), Decision.ACCEPTED)  # fmt: skip
                    continue
                if roll < 0.1:
                    continue  # absent (or on leave)
                decision = Decision.ACCEPTED
                if roll < 0.15:
                    decision = rng.choice([Decision.REJECTED, Decision.NEEDS_REVIEW])
                method = MatchMethod.CORRECTION if roll > 0.95 else MatchMethod.VERIFY
                if roll < 0.9 or roll > 0.95:
                    arrive = _at(
                        day, 7 + rng.randrange(3), rng.randrange(60), rng.randrange(60), tz
                    )
                    add(person.id, AttendanceKind.CHECK_IN, arrive, decision, method)
                    if rng.random() < 0.2:  # a second check-in changes nothing
                        add(person.id, AttendanceKind.CHECK_IN, arrive + timedelta(minutes=30),
                            Decision.ACCEPTED)  # fmt: skip
                    if rng.random() < 0.1:  # a check-out before the check-in
                        add(person.id, AttendanceKind.CHECK_OUT, arrive - timedelta(minutes=20),
                            Decision.ACCEPTED)  # fmt: skip
                if rng.random() < 0.85:
                    leave_at = _at(
                        day, 11 + rng.randrange(6), rng.randrange(60), rng.randrange(60), tz
                    )
                    add(person.id, AttendanceKind.CHECK_OUT, leave_at, Decision.ACCEPTED, method)
        uow.commit()


MOMENTS = (time(6, 0), time(8, 0, 30), time(8, 12), time(12, 0), time(23, 59))


@pytest.fixture
def week_db(any_db: Engine) -> UowFactory:
    make = factory_for(any_db)
    _generate(make, random.Random(17))
    return make


def test_day_counts_equal_the_report_on_a_generated_week(week_db: UowFactory) -> None:
    compared = Counter[str]()
    for day in [*WEEK, WEEK[-1] + timedelta(days=1)]:
        for moment in MOMENTS:
            now = _at(day, moment.hour, moment.minute, moment.second)
            for unit in (None, *UNITS):
                report = period_report(week_db(), day, day, unit, clock=lambda now=now: now)
                expected = Counter(row.status for row in report.daily)
                assert day_statuses(week_db(), day, unit, now) == expected, (day, moment, unit)
                compared.update(s.value for s in expected.elements())
    # the generated week reaches every status the dashboard counts
    for status in ("on_time", "late", "incomplete", "absent", "on_leave", "not_yet",
                   "holiday", "weekend"):  # fmt: skip
        assert compared[status] > 0, status


def test_a_range_in_one_pass_counts_each_day_as_a_single_day_does(week_db: UowFactory) -> None:
    """``range_statuses`` reads the week once; every day's counts per unit must be those of
    ``unit_statuses`` on that day alone (the dashboard's first view and its today)."""
    first, last = WEEK[0] - timedelta(days=1), WEEK[-1] + timedelta(days=1)
    for moment in MOMENTS:
        now = _at(WEEK[4], moment.hour, moment.minute, moment.second)
        for unit in (None, *UNITS):
            ranged = range_statuses(week_db(), first, last, unit, now)
            assert sorted(ranged) == [first + timedelta(days=i) for i in range(9)]
            for day, by_unit in ranged.items():
                assert by_unit == unit_statuses(week_db(), day, unit, now), (day, moment, unit)


def test_the_dashboard_counts_the_same_as_the_report(week_db: UowFactory) -> None:
    from hadir.services.dashboard import dashboard

    now = _at(WEEK[3], 9, 0, 0)
    data = dashboard(week_db, clock=lambda now=now: now)
    for counts in data.week:
        report = period_report(week_db(), counts.day, counts.day, clock=lambda now=now: now)
        expected = Counter(row.status for row in report.daily)
        assert (counts.on_time, counts.late, counts.absent, counts.on_leave, counts.not_yet) == (
            expected["on_time"],
            expected["late"],
            expected["absent"],
            expected["on_leave"],
            expected["not_yet"],
        )
