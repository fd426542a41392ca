"""Races for real: threads hitting one database at once, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import time

from sqlalchemy import Engine, text

from hadir.domain.attendance import AttendanceKind, DayStatus
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.reports import daily_report
from services.helpers import POLICY

from .conftest import FakeFaceEngine, FixedClock, factory_for, photo, wib
from .helpers import SRI, add_employee

WHEN = wib(2025, 3, 3, 7, 50)


def test_one_request_sent_by_many_threads_makes_one_row(any_db: Engine) -> None:
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    add_employee(make(), SRI, "Sri Wahyuni")
    assert all(
        o.accepted
        for o in enrol_faces(
            make, engine, SRI, [photo("sri", seed=1), photo("sri", seed=2)], consent=True
        )
    )
    provider = TemplateIndexProvider(make)
    request = CheckRequest(
        AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=9), SRI, client_request_id="hp-42"
    )

    def send(_: int) -> int:
        return check(
            make, engine, provider, request, clock=FixedClock(WHEN), policy=POLICY
        ).event.id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(send, range(16)))
    assert len(set(ids)) == 1
    with any_db.connect() as conn:
        rows = conn.execute(
            text("select count(*) from attendance_events where client_request_id = 'hp-42'")
        ).scalar_one()
    assert rows == 1


def test_concurrent_check_ins_of_one_employee_count_once(any_db: Engine) -> None:
    """Different requests at once: each attempt is recorded, the day has one check-in."""
    make = factory_for(any_db)
    engine = FakeFaceEngine()
    add_employee(make(), SRI, "Sri Wahyuni")
    enrol_faces(make, engine, SRI, [photo("sri", seed=1), photo("sri", seed=2)], consent=True)
    provider = TemplateIndexProvider(make)

    def send(i: int) -> tuple[int, DayStatus | None]:
        request = CheckRequest(
            AttendanceKind.CHECK_IN,
            photo("sri", sim=0.97, seed=20 + i),
            SRI,
            client_request_id=f"req-{i}",
        )
        result = check(make, engine, provider, request, clock=FixedClock(WHEN), policy=POLICY)
        return result.event.id, result.status

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, range(6)))
    assert len({event_id for event_id, _ in results}) == 6
    assert {status for _, status in results} == {DayStatus.ON_TIME}
    report = daily_report(make(), WHEN.date(), clock=FixedClock(wib(2025, 3, 3, 18, 0)))
    (row,) = report.daily  # one row for the one employee: the day has one check-in
    assert row.nip == SRI
    assert row.status is DayStatus.ON_TIME
    assert row.check_in == time(7, 50)
