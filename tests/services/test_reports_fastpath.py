"""The reports' fast path (issue 17: ``evaluate_days``, events read as five-column tuples)
gives the same report as the per-employee way it replaced (``report_reference``), on a
generated month with everything a regency has: two offices, unit schedules with grace and
a Saturday, a Ramadan override, holidays, leave of every kind and status, night shifts,
service periods starting and ending in the month, corrections, refused and unreviewed
attempts, inactive staff with and without events, and a ``now`` inside the month (so
some days are still pending). Both backends (the ``uow_factory`` fixture)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from hadir.api.schemas.reports import ReportPublic
from hadir.domain.attendance import (
    DEFAULT_DISCIPLINE,
    AttendanceKind,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
    ScheduleOverride,
    Shift,
    Weekday,
    WorkSchedule,
    parse_month,
)
from hadir.services.records import HolidaySource, MatchMethod, NewEmployee, NewEvent
from hadir.services.reports import daily_report, monthly_report, period_report

from .conftest import FixedClock, UowFactory, factory_for
from .report_reference import reference_report

WIB = ZoneInfo("Asia/Jakarta")
UNITS = ("Bappeda", "Dinas Kesehatan", "Puskesmas")
MONTH = parse_month("2025-03")
NOW = datetime(2025, 3, 19, 2, 30, tzinfo=UTC)  # 09:30 WIB on Wednesday 19 March


def _generate(make_uow: UowFactory, rng: random.Random) -> None:
    with make_uow() as uow:
        offices = [uow.offices.add("KNT", "Kantor"), uow.offices.add("PKM", "Puskesmas")]
        uow.schedules.set(
            WorkSchedule(
                working_days=frozenset(Weekday(d) for d in range(6)),
                start=time(7, 30),
                end=time(14, 0),
                grace_minutes=5,
            ),
            unit="Puskesmas",
        )
        uow.schedules.add_override(
            ScheduleOverride(date(2025, 3, 3), date(2025, 3, 28), time(8), time(15), label="Puasa"),
            unit="Bappeda",
        )
        uow.holidays.add(date(2025, 3, 29), "Nyepi", source=HolidaySource.NATIONAL)
        uow.holidays.add(date(2025, 3, 31), "Idul Fitri", source=HolidaySource.NATIONAL)
        uow.holidays.add(date(2025, 3, 28), "Cuti bersama", office_id=offices[0].id)
        night = uow.shifts.add(Shift("malam", time(20), time(8), grace_minutes=10, name="Malam"))
        uow.commit()
    people = []
    with make_uow() as uow:
        for i in range(36):
            start = date(2025, 3, 12) if i % 11 == 3 else None
            end = date(2025, 3, 20) if i % 13 == 4 else None
            people.append(
                uow.employees.add(
                    NewEmployee(
                        employee_id=f"K-{i:03d}",
                        name=f"Pegawai {rng.choice('ABCabc')}{i:02d}"
                        + (' "Ñoman" \\ Ä' if i % 7 == 0 else ""),
                        unit=UNITS[i % 3],
                        office_id=offices[i % 2].id,
                        active=i % 17 != 5,
                        start_date=start,
                        end_date=end,
                    )
                )
            )
        uow.commit()
    with make_uow() as uow:
        for person in people[2::9]:
            uow.shifts.assign(person.id, night.id, date(2025, 3, 8), date(2025, 3, 16))
        for person in rng.sample(people, 12):
            first = MONTH.first_day + timedelta(days=rng.randrange(-3, 31))
            uow.leaves.add(
                Leave(
                    person.id,
                    rng.choice(list(LeaveKind)),
                    first,
                    first + timedelta(days=rng.randrange(4)),
                    rng.choice((LeaveStatus.APPROVED,) * 3 + (LeaveStatus.REQUESTED,)),
                )
            )
        day = MONTH.first_day - timedelta(days=1)
        while day <= MONTH.last_day + timedelta(days=1):
            for person in people:
                if rng.random() < 0.15 or (person.active is False and person.id % 2 == 0):
                    continue
                for _ in range(rng.choice((1, 2, 2, 2, 3))):
                    hour = rng.choice((0, 6, 7, 7, 8, 8, 13, 14, 15, 16, 16, 20, 23))
                    at = datetime(day.year, day.month, day.day, hour, rng.randrange(60),
                                  rng.choice((0, 30, 59)), tzinfo=WIB)  # fmt: skip
                    decision = rng.choice(
                        (Decision.ACCEPTED,) * 8 + (Decision.REJECTED, Decision.NEEDS_REVIEW)
                    )
                    if not person.active:
                        decision = Decision.REJECTED
                    method = MatchMethod.CORRECTION if rng.random() < 0.05 else MatchMethod.VERIFY
                    uow.events.add(
                        NewEvent(person.id, rng.choice(list(AttendanceKind)), at, decision, method)
                    )
            day += timedelta(days=1)
        uow.commit()


def test_fast_report_equals_the_per_employee_report(any_db: Engine) -> None:
    uow_factory = factory_for(any_db)
    _generate(uow_factory, random.Random(17))
    clock = FixedClock(NOW)

    for unit in (None, "Puskesmas", "Bappeda"):
        fast = monthly_report(uow_factory(), MONTH, unit, clock=clock)
        old = reference_report(
            uow_factory(), MONTH.first_day, MONTH.last_day, unit, NOW,
            month=MONTH, discipline=DEFAULT_DISCIPLINE,
        )  # fmt: skip

        assert len(fast.recap) == len(old.recap) > 0
        assert fast.recap == old.recap
        assert fast.daily == old.daily
        assert fast == old
        # the month means something: pending, provisional and corrected days, leave
        statuses = {r.status.value for r in fast.daily}
        assert {"not_yet", "absent", "late", "on_time", "on_leave", "not_employed"} <= statuses
    everyone = monthly_report(uow_factory(), MONTH, clock=clock)
    assert any(r.corrected for r in everyone.daily)
    # the API's JSON, daily rows encoded without a model per row: the same bytes
    assert ReportPublic.json_of(everyone) == ReportPublic.of(everyone).model_dump_json().encode()
    # 36 staff: the inactive one with only refused attempts is listed, the other is not
    assert len(everyone.recap) == 35


def test_fast_period_and_daily_reports_equal_the_per_employee_ones(any_db: Engine) -> None:
    uow_factory = factory_for(any_db)
    _generate(uow_factory, random.Random(4))
    clock = FixedClock(NOW)
    week = (date(2025, 3, 10), date(2025, 3, 16))
    fast = period_report(uow_factory(), *week, clock=clock)
    old = reference_report(uow_factory(), *week, None, NOW, month=None,
                           discipline=DEFAULT_DISCIPLINE)  # fmt: skip
    assert fast == old and len(fast.daily) > 100
    today = daily_report(uow_factory(), date(2025, 3, 19), "Bappeda", clock=clock)
    old_today = reference_report(uow_factory(), date(2025, 3, 19), date(2025, 3, 19), "Bappeda",
                                 NOW, month=None, discipline=DEFAULT_DISCIPLINE)  # fmt: skip
    assert today == old_today
