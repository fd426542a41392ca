"""Seeding a regency's year of data for ``bench/volume.py`` by the bulk paths.

PostgreSQL ``COPY`` or SQLite ``executemany`` in large transactions, never the ORM: one
office, staff in a unit tree, the global schedule and the year's national holidays, two
events per employee and working day (with late, missing, refused and leave days), and an
audit entry per event with the hash chain computed as the server computes it.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, Table, create_engine, text

from hadir.store.db import migrate
from hadir.store.repositories.audit import GENESIS_HASH, entry_hash
from hadir.store.tables.access import AuditEntry
from hadir.store.tables.attendance import AttendanceEventRow, HolidayRow, LeaveRow, WorkScheduleRow
from hadir.store.tables.people import Employee, Office

WIB = ZoneInfo("Asia/Jakarta")
BIDANG = ("Sekretariat", "Informatika", "Statistik", "Persandian", "Komunikasi", "Humas")
SEKSI = ("Seksi 1", "Seksi 2", "Seksi 3")
HOLIDAYS_2025 = (
    "2025-01-01", "2025-01-27", "2025-01-29", "2025-03-31", "2025-04-01", "2025-04-18",
    "2025-05-01", "2025-05-12", "2025-05-29", "2025-06-06", "2025-06-27", "2025-08-17",
    "2025-09-05", "2025-12-25",
)  # fmt: skip


def nip(i: int) -> str:
    """A unique, well-formed 18-digit NIP: birth date, appointment month, sex, serial."""
    born = f"19{70 + i // 1000:02d}{1 + i % 12:02d}15"
    return f"{born}20{10 + i % 10:02d}{1 + i % 12:02d}{1 + i % 2}{i % 1000:03d}"


@dataclass(frozen=True)
class Seeded:
    url: str
    employees: int
    events: int
    audit: int
    days: int
    seconds: float
    units: tuple[str, ...]
    sample_nip: str


def working_days(first: date, last: date) -> list[date]:
    holidays = {date.fromisoformat(d) for d in HOLIDAYS_2025}
    out, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in holidays:
            out.append(day)
        day += timedelta(days=1)
    return out


class Bulk:
    """Rows into a table by the fastest path of the backend."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def load(self, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
        count = 0
        with self.engine.begin() as conn:
            raw = conn.connection.driver_connection
            if self.postgres:
                names = ", ".join(columns)
                with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
                        count += 1
            else:
                rows = (tuple(_sqlite_value(v) for v in row) for row in rows)
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
                chunk: list[Sequence[object]] = []
                for row in rows:
                    chunk.append(row)
                    if len(chunk) == 20_000:
                        raw.executemany(sql, chunk)
                        count += len(chunk)
                        chunk.clear()
                raw.executemany(sql, chunk)
                count += len(chunk)
        return count


def _sqlite_value(value: object) -> object:
    """What SQLAlchemy's SQLite types would have stored (naive UTC text for datetimes)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dtime):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _utc(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WIB)
    return local.astimezone(UTC)


def seed(url: str, employees: int, days: list[date], rng: random.Random) -> Seeded:
    started = time.perf_counter()
    engine = create_engine(url)
    migrate(engine)
    bulk = Bulk(engine)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    bulk.load(
        Office.__table__,
        ("id", "code", "name", "timezone"),
        [(1, "DKI", "Diskominfo", "Asia/Jakarta")],
    )
    units = tuple(f"{b} / {s}" for b in BIDANG for s in SEKSI)
    bulk.load(
        Employee.__table__,
        (
            "id",
            "employee_id",
            "name",
            "unit",
            "position",
            "office_id",
            "active",
            "created_at",
            "updated_at",
        ),
        (
            (i + 1, nip(i), f"Pegawai {i:05d}", units[i % len(units)], "Staf", 1, True, now, now)
            for i in range(employees)
        ),
    )
    bulk.load(
        WorkScheduleRow.__table__,
        ("scope_key", "working_days", "start_time", "end_time", "grace_minutes", "timezone"),
        [("global", 0b11111, dtime(8), dtime(16), 0, "Asia/Jakarta")],
    )
    bulk.load(
        HolidayRow.__table__,
        ("scope_key", "day", "name", "source"),
        [("global", date.fromisoformat(d), "Libur nasional", "national") for d in HOLIDAYS_2025],
    )
    on_leave: set[tuple[int, date]] = set()
    leaves = []
    for day in days:
        for e in rng.sample(range(1, employees + 1), k=max(1, employees // 50)):
            on_leave.add((e, day))
            leaves.append((e, "cuti", day, day, "approved", "cuti tahunan", now))
    bulk.load(
        LeaveRow.__table__,
        ("employee_id", "kind", "start_date", "end_date", "status", "reason", "created_at"),
        leaves,
    )
    audit_rows: list[tuple[object, ...]] = []

    def events() -> Iterator[tuple[object, ...]]:
        for day in days:
            for e in range(1, employees + 1):
                if (e, day) in on_leave:
                    continue
                late = rng.random() < 0.08
                t_in = _utc(
                    day, 8 if late else 7, rng.randrange(60) if late else rng.randrange(30, 60)
                )
                yield (e, "check_in", t_in, "accepted", 0.62, 0.33, "verify", None, t_in)
                if rng.random() < 0.02:
                    yield (
                        e,
                        "check_in",
                        t_in,
                        "rejected",
                        0.12,
                        0.33,
                        "verify",
                        "face_mismatch",
                        t_in,
                    )
                if rng.random() < 0.99:
                    t_out = _utc(day, 16, rng.randrange(40))
                    yield (e, "check_out", t_out, "accepted", 0.6, 0.33, "verify", None, t_out)

    def counted(rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
        for row in rows:
            audit_rows.append((row[1], row[0], row[2], row[3]))
            yield row

    n_events = bulk.load(
        AttendanceEventRow.__table__,
        ("employee_id", "kind", "occurred_at", "decision", "similarity", "threshold", "method",
         "refusal_code", "created_at"),
        counted(events()),
    )  # fmt: skip

    head = [GENESIS_HASH]

    def chained() -> Iterator[tuple[object, ...]]:
        prev = GENESIS_HASH
        for i, (kind, employee, at, decision) in enumerate(audit_rows):
            detail = json.dumps({"decision": decision, "employee": employee, "kind": kind},
                                sort_keys=True, ensure_ascii=False)  # fmt: skip
            h = entry_hash(prev, at, "kiosk:pintu", "attendance.check", f"event:{i + 1}", detail)
            yield (at, "kiosk:pintu", "attendance.check", f"event:{i + 1}", detail, prev, h)
            prev = h
        head[0] = prev

    n_audit = bulk.load(
        AuditEntry.__table__,
        ("at", "actor", "action", "target", "detail", "prev_hash", "hash"),
        chained(),
    )
    with engine.begin() as conn:  # the chain's anchored head, as appends would leave it
        conn.execute(
            text("UPDATE audit_head SET entries = :n, head_id = :n, head_hash = :h"),
            {"n": n_audit, "h": head[0]},
        )
        if bulk.postgres:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return Seeded(url, employees, n_events, n_audit, len(days), time.perf_counter() - started,
                  units, nip(7))  # fmt: skip
