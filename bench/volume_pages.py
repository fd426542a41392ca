"""The console's pages and the API's reads on a regency's year, seeded once and kept.

    nice -n 15 .venv/bin/python bench/volume_pages.py --backend sqlite --employees 2000 \
        --keep /tmp/vol-dash --repeat 20 --json
    nice -n 15 .venv/bin/python bench/volume_pages.py --backend postgresql \
        --employees 10000 --schema hadir_vol_dash --repeat 20 --json

Seeds with ``bench/volume_seed.py`` (the year 2025 as ``bench/volume.py`` does) plus the
working days of the last five weeks up to today (local WIB date), so the dashboard's
today and week have a full day's events; then adds a review queue (needs-review events
of the last days) and requested leave. The database is kept: ``--keep DIR`` (SQLite file
in DIR) or ``--schema NAME`` (PostgreSQL schema) is reused when it is already seeded, so
a before/after comparison reads the same rows. Then it serves the database with
``hadir serve`` and measures p50/p95 of every page and API read that the console and the
API offer over a large table: the dashboard, the attendance log (page and API, a unit, a
week, a deep page), an employee's history, the review queue, the refused attempts, leave
lists and the people list and search.
"""

# ruff: noqa: E402  (the sys.path fix below must run before httpx imports ``http``)
from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] in (_HERE, ""):
    sys.path.pop(0)
if _HERE not in sys.path:
    sys.path.append(_HERE)

import argparse
import json
import os
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, make_url, text
from volume import ADMIN, PASSWORD, serving, timed
from volume_seed import BIDANG, SEKSI, Bulk, Seeded, nip, seed, working_days

from hadir.store.tables.attendance import AttendanceEventRow, LeaveRow

WIB = ZoneInfo("Asia/Jakarta")


def _days(today: date) -> list[date]:
    year = working_days(date(2025, 1, 1), date(2025, 12, 31))
    recent = today - timedelta(days=35)
    tail = [recent + timedelta(days=i) for i in range(36)]
    return year + [d for d in tail if d.weekday() < 5]


def _extra(url: str, employees: int, today: date, rng: random.Random) -> None:
    """A review queue (300 needs-review check-ins of the last week) and 200 requested
    leaves starting next week."""
    engine = create_engine(url)
    bulk = Bulk(engine)
    rows = []
    for k in range(300):
        day = today - timedelta(days=k % 7)
        at = datetime(day.year, day.month, day.day, 7, 40, k % 60, tzinfo=WIB).astimezone(UTC)
        e = rng.randrange(1, employees + 1)
        rows.append((e, "check_in", at, "needs_review", 0.41, 0.45, "verify", None, at))
    bulk.load(
        AttendanceEventRow.__table__,
        ("employee_id", "kind", "occurred_at", "decision", "similarity", "threshold", "method",
         "refusal_code", "created_at"),
        rows,
    )  # fmt: skip
    start = today + timedelta(days=7)
    now = datetime.now(UTC)
    bulk.load(
        LeaveRow.__table__,
        ("employee_id", "kind", "start_date", "end_date", "status", "reason", "created_at"),
        [(rng.randrange(1, employees + 1), "cuti", start, start, "requested", "cuti", now)
         for _ in range(200)],
    )  # fmt: skip
    if bulk.postgres:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()


def _seeded(url: str, employees: int) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT count(*) FROM employees")).scalar())
    except Exception:
        return False
    finally:
        engine.dispose()


def _schema_url(base: str, schema: str) -> str:
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    scoped = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def measure(base: str, repeat: int, today: date) -> dict[str, object]:
    units = tuple(f"{b} / {s}" for b in BIDANG for s in SEKSI)
    unit, person = units[1], nip(7)
    week = {"date_from": "2025-10-06", "date_to": "2025-10-10"}
    with httpx.Client(base_url=base, timeout=600) as http:
        signed = http.post("/api/v1/auth/token", json={"username": ADMIN, "password": PASSWORD})
        signed.raise_for_status()
        token = signed.json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        page = httpx.Client(base_url=base, timeout=600, cookies={"hadir_session": token})
        log, leave, people = "/api/v1/attendance", "/api/v1/leave", "/api/v1/employees"
        reads: dict[str, Callable[[], httpx.Response]] = {
            "dashboard page (/admin)": lambda: page.get("/admin"),
            "dashboard API (agency, per unit)": lambda: http.get("/api/v1/dashboard"),
            "log page: today (/admin/kehadiran)": lambda: page.get("/admin/kehadiran"),
            "log page: one employee, a week": lambda: page.get(
                "/admin/kehadiran", params={**week, "nip": person}
            ),
            "log API: unit + week, page 1": lambda: http.get(log, params={**week, "unit": unit}),
            "log API: agency, week, offset 20,000": lambda: http.get(
                log, params={**week, "offset": 20_000, "limit": 100}
            ),
            "log API: employee history, a year": lambda: http.get(
                log, params={"employee_id": person, "limit": 1000}
            ),
            "employee page (/admin/pegawai/NIP)": lambda: page.get(f"/admin/pegawai/{person}"),
            "review queue API": lambda: http.get(f"{log}/review"),
            "review page (/admin/pemeriksaan)": lambda: page.get("/admin/pemeriksaan"),
            "refused page, a week (/admin/ditolak)": lambda: page.get("/admin/ditolak"),
            "leave API: requested": lambda: http.get(leave, params={"status": "requested"}),
            "leave API: one employee": lambda: http.get(leave, params={"employee_id": person}),
            "leave page: requested (/admin/izin)": lambda: page.get("/admin/izin"),
            "people page (/admin/pegawai)": lambda: page.get("/admin/pegawai"),
            "people page, search": lambda: page.get("/admin/pegawai", params={"q": "Pegawai 0012"}),
            "people API, search": lambda: http.get(people, params={"search": "0012"}),
            "people API, offset 1,000": lambda: http.get(people, params={"offset": 1000}),
        }  # fmt: skip
        results: dict[str, object] = {}
        for name, read in reads.items():
            results[name] = timed(read, repeat)
            print(f"{name}: {results[name]}", file=sys.stderr)
        page.close()
    return results


def explain(url: str, today: date) -> dict[str, object]:
    """The plans of the heavy reads, captured from the real code paths (the statement and
    parameters each sends) and run again under ``EXPLAIN (ANALYZE, BUFFERS)`` on
    PostgreSQL or ``EXPLAIN QUERY PLAN`` (plus a timed run) on SQLite."""
    import time

    from sqlalchemy import event

    from hadir.domain.attendance import Decision
    from hadir.domain.attendance.timeutil import start_of_day
    from hadir.services.records import EventFilter
    from hadir.store.db import make_engine, make_session_factory
    from hadir.store.uow import SqlUnitOfWork

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    sent: list[tuple[str, object]] = []

    def grab(_c: object, _k: object, statement: str, parameters: object, *_: object) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    week = EventFilter.for_days(date(2025, 10, 6), date(2025, 10, 10), offset=20_000, limit=100)
    start, end = start_of_day(today, WIB), start_of_day(today + timedelta(days=1), WIB)
    cases = {
        "dashboard today: spans": lambda uow: uow.events.spans(start, end),
        "dashboard week: day_spans": lambda uow: uow.events.day_spans(
            today - timedelta(days=6), today
        ),
        "dashboard: review waiting": lambda uow: uow.events.count(
            EventFilter(decision=Decision.NEEDS_REVIEW)
        ),
        "log: agency, week, offset 20,000": lambda uow: uow.events.list(week),
        "history: one employee, a year": lambda uow: uow.events.list(
            EventFilter(employee_id=8, limit=1000)
        ),
        "review queue": lambda uow: uow.events.list(
            EventFilter(decision=Decision.NEEDS_REVIEW, limit=200)
        ),
    }
    plans: dict[str, object] = {}
    postgres = engine.dialect.name == "postgresql"
    for name, call in cases.items():
        with SqlUnitOfWork(sessions) as uow:
            sent.clear()
            started = time.perf_counter()
            call(uow)
            took = (time.perf_counter() - started) * 1000
        statement, parameters = sent[-1]
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        with engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(prefix + statement, parameters)
            lines = [str(r[0] if postgres else r[-1]) for r in cursor.fetchall()]
        plans[name] = {"sql": " ".join(statement.split()), "plan": lines,
                       "through the repository, ms": round(took, 1)}  # fmt: skip
        print(f"--- {name} ({took:.0f} ms)\n" + "\n".join(lines), file=sys.stderr)
    plans["today's counts in one process, old vs new (ms)"] = _peer(sessions, today)
    plans["the week's first view in one process, day by day vs one pass (ms)"] = _week(sessions)
    engine.dispose()
    return plans


def _peer(sessions: object, today: date, rounds: int = 5) -> dict[str, object]:
    """Today's counts the old way (the report's ``evaluate_day`` on every employee's
    events) and the new (``day_statuses``), alternately in one process: the same load for
    both. They must agree."""
    import statistics
    import time
    from collections import Counter

    from hadir.services.daycounts import day_statuses
    from hadir.services.reports import period_report
    from hadir.store.uow import SqlUnitOfWork

    now = datetime.now(UTC)
    make = lambda: SqlUnitOfWork(sessions)  # type: ignore[arg-type]  # noqa: E731
    old: list[float] = []
    new: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        report = period_report(make(), today, today, clock=lambda: now)
        counted = Counter(row.status for row in report.daily)
        old.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fast = day_statuses(make(), today, None, now)
        new.append((time.perf_counter() - started) * 1000)
        if fast != counted:
            raise AssertionError(f"{fast} != {counted}")
    return {"report path p50": round(statistics.median(old)), "report path max": round(max(old)),
            "day_statuses p50": round(statistics.median(new)), "day_statuses max": round(max(new)),
            "rounds": rounds, "equal": True}  # fmt: skip


def _week(sessions: object, rounds: int = 5) -> dict[str, object]:
    """The dashboard's first view (an empty ``PastDays``: the week counted in one pass,
    ``range_statuses``) and the same seven days counted one by one (``unit_statuses`` of
    each day, as the first view did before), alternately in one process. They must agree."""
    import gc
    import statistics
    import time

    from hadir.services.dashboard import WEEK, DayCounts, PastDays, dashboard
    from hadir.services.daycounts import summed, unit_statuses
    from hadir.store.uow import SqlUnitOfWork

    now = datetime.now(UTC)
    today = now.astimezone(WIB).date()
    make = lambda: SqlUnitOfWork(sessions)  # type: ignore[arg-type]  # noqa: E731
    days = [today - timedelta(days=WEEK - 1 - i) for i in range(WEEK)]
    apart: list[float] = []
    together: list[float] = []
    for _ in range(rounds):
        gc.collect()  # each starts without the other's garbage
        started = time.perf_counter()
        one_by_one = [DayCounts.of(d, summed(unit_statuses(make(), d, None, now))) for d in days]
        apart.append((time.perf_counter() - started) * 1000)
        gc.collect()
        started = time.perf_counter()
        view = dashboard(make, clock=lambda: now, past=PastDays())
        together.append((time.perf_counter() - started) * 1000)
        if list(view.week) != one_by_one:
            raise AssertionError(f"{view.week} != {one_by_one}")
    return {"day by day p50": round(statistics.median(apart)),
            "day by day max": round(max(apart)),
            "dashboard first view p50": round(statistics.median(together)),
            "dashboard first view max": round(max(together)),
            "rounds": rounds, "equal": True}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/vol-dash"))
    parser.add_argument("--schema", default="hadir_vol_dash")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--explain", action="store_true", help="plans of the heavy reads only")
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    today = datetime.now(WIB).date()
    data: Path = (
        args.keep if args.backend == "sqlite" else args.keep.with_name(args.keep.name + "-pg")
    )
    data.mkdir(parents=True, exist_ok=True)
    if args.backend == "postgresql":
        url = _schema_url(args.database_url, args.schema)
    else:
        url = f"sqlite:///{data / 'hadir.sqlite3'}"
    if not _seeded(url, args.employees):
        rng = random.Random(20251130)
        done: Seeded = seed(url, args.employees, _days(today), rng)
        _extra(url, args.employees, today, rng)
        (data / "seeded.json").write_text(json.dumps(
            {"employees": done.employees, "events": done.events, "audit": done.audit,
             "days": done.days, "seconds": round(done.seconds), "today": today.isoformat()}
        ))  # fmt: skip
        print(f"seeded in {done.seconds:.0f} s", file=sys.stderr)
    if args.seed_only:
        return
    if args.explain:
        print(json.dumps(explain(url, today), indent=2))
        return
    link = data / "serve" / "models"
    if link.is_symlink() and not link.exists():  # dangling from an earlier run: re-made
        link.unlink()
    with serving(url, data / "serve", workers=1) as (base, _):
        results = measure(base, args.repeat, today)
    report = {"backend": args.backend, "seeded": json.loads((data / "seeded.json").read_text()),
              "reads": results, "load_average": os.getloadavg()}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, figures in results.items():
        print(f"{name:45s} {figures}")


if __name__ == "__main__":
    main()
