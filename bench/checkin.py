"""The check-in service around the networks: match, guards and the database, per backend.

    .venv/bin/python bench/checkin.py [--people 20] [--checks 200] [--history 500] [--json]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Real dev photos go through the real face engine once (``Memo`` keeps each analysis); every
timed call then answers ``analyse`` from that memory, so what is timed is
``services.checkin.check`` without the networks: the decode for the replay hash, the
guards, the 1:1 match or the 1:N identification, the event and audit insert and the
answer. On SQLite (a temporary file) and PostgreSQL (a temporary schema of the test
database, dropped at the end). Stages:

- ``match``: ``face.matching.verify`` of one embedding against the employee's 2 templates;
- ``record``: one event and its audit entry inserted and committed;
- ``check 1:1`` / ``check 1:N``: the whole service call, replay guard off (the probe
  photos repeat);
- ``check 1:1 + replay``: replay guard on, with ``--history`` earlier events (about a
  year of check-ins and check-outs) for the employee; one new photo per employee.

Medians of in-process wall time; bounded loop counts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np
from pgschema import temporary_schema

from hadir.bootstrap import build_face_engine
from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import HadirError
from hadir.face.matching import verify
from hadir.face.pipeline import FaceAnalysis, FaceEngine, Purpose
from hadir.services import audit
from hadir.services.checkguard import CheckPolicy
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import MatchMethod, NewEmployee, NewEvent
from hadir.settings import Settings
from hadir.store.db import make_engine, make_session_factory, migrate
from hadir.store.uow import SqlUnitOfWork

START = datetime(2025, 3, 3, 0, 30, tzinfo=UTC)  # Monday 07:30 WIB


class Memo:
    """The real engine, answering each photo from memory after its first analysis."""

    def __init__(self, engine: FaceEngine) -> None:
        self._engine = engine
        self._seen: dict[bytes, FaceAnalysis] = {}

    @property
    def embedder(self):  # type: ignore[no-untyped-def]
        return self._engine.embedder

    @property
    def thresholds(self):  # type: ignore[no-untyped-def]
        return self._engine.thresholds

    def analyse(self, data: bytes, purpose: Purpose = Purpose.VERIFY) -> FaceAnalysis:
        found = self._seen.get(data)
        if found is None:
            found = self._seen[data] = self._engine.analyse(data, purpose)
        return found


@dataclass
class Person:
    nip: str
    enrol: list[bytes]
    probes: list[bytes]


def people(faces: Path, memo: Memo, count: int) -> list[Person]:
    """Dev people with 2 photos the engine enrols and at least 2 more it analyses."""
    chosen: list[Person] = []
    for folder in sorted(p for p in faces.iterdir() if p.is_dir()):
        usable = []
        for photo in sorted(folder.glob("*.jpg"))[:6]:
            data = photo.read_bytes()
            try:
                memo.analyse(data, Purpose.ENROL)
            except HadirError:
                continue
            usable.append(data)
        if len(usable) >= 4:
            chosen.append(Person(f"{len(chosen) + 1:018d}", usable[:2], usable[2:]))
        if len(chosen) == count:
            return chosen
    raise SystemExit(f"only {len(chosen)} usable people in {faces}")


@contextmanager
def backend(name: str, url: str | None) -> Iterator[Callable[[], AbstractUnitOfWork]]:
    """A migrated database: SQLite in a temporary file, or a temporary PostgreSQL schema."""
    with ExitStack() as stack:
        if name == "sqlite":
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="hadir-bench-"))
            url = f"sqlite:///{folder}/bench.sqlite3"
        else:
            assert url is not None
            url = stack.enter_context(temporary_schema(url))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        migrate(engine)
        sessions = make_session_factory(engine)
        yield lambda: SqlUnitOfWork(sessions)


def summary(stage: str, times: list[float]) -> dict[str, object]:
    ms = np.array(times) * 1000
    return {
        "stage": stage,
        "n": len(times),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
    }


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def fill_history(make: Callable[[], AbstractUnitOfWork], employee_id: int, count: int) -> None:
    """``count`` earlier accepted events over the past year, with random photo hashes."""
    rng = random.Random(employee_id)
    with make() as uow:
        for i in range(count):
            uow.events.add(
                NewEvent(
                    employee_id=employee_id,
                    kind=AttendanceKind.CHECK_IN if i % 2 == 0 else AttendanceKind.CHECK_OUT,
                    occurred_at=START - timedelta(days=1 + i // 2, hours=i % 2 * 8),
                    decision=Decision.ACCEPTED,
                    method=MatchMethod.VERIFY,
                    image_sha256=f"{rng.getrandbits(256):064x}",
                    image_phash=f"{rng.getrandbits(64):016x}",
                )
            )
        uow.commit()


def run_backend(
    name: str, url: str | None, memo: Memo, crowd: list[Person], checks: int, history: int
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with backend(name, url) as make:
        ids = {}
        for person in crowd:
            with make() as uow:
                ids[person.nip] = uow.employees.add(NewEmployee(person.nip, person.nip)).id
                uow.commit()
            outcomes = enrol_faces(make, memo, person.nip, person.enrol, consent=True)
            assert all(o.accepted for o in outcomes), person.nip
        provider = TemplateIndexProvider(make)
        off = CheckPolicy(replay=False)
        clock_at = iter(START + timedelta(seconds=i) for i in range(10**6))

        def one(nip: str | None, probe: bytes, policy: CheckPolicy) -> None:
            at = next(clock_at)
            request = CheckRequest(AttendanceKind.CHECK_IN, probe, nip)
            check(make, memo, provider, request, clock=lambda: at, policy=policy)

        for person in crowd:  # warm-up: index built, every path taken once
            one(person.nip, person.probes[0], off)
        with make() as uow:
            templates = [[t.embedding for t in uow.templates.list_for(ids[p.nip])] for p in crowd]
        probes = [memo.analyse(p.probes[0]).embedding for p in crowd]
        turns = [i % len(crowd) for i in range(checks)]
        rows.append(
            summary(
                "match",
                [timed(partial(verify, probes[k], templates[k], memo.thresholds)) for k in turns],
            )
        )

        def record() -> None:
            with make() as uow:
                event = uow.events.add(
                    NewEvent(
                        employee_id=ids[crowd[0].nip],
                        kind=AttendanceKind.CHECK_IN,
                        occurred_at=next(clock_at),
                        decision=Decision.ACCEPTED,
                        method=MatchMethod.VERIFY,
                    )
                )
                audit.record(uow, "bench", "attendance.check_in", f"event:{event.id}")
                uow.commit()

        rows.append(summary("record", [timed(record) for _ in range(checks)]))
        for label, by_nip in (("check 1:1", True), ("check 1:N", False)):
            calls = [
                partial(one, crowd[k].nip if by_nip else None, crowd[k].probes[0], off)
                for k in turns
            ]
            rows.append(summary(label, [timed(call) for call in calls]))
        for person in crowd:
            fill_history(make, ids[person.nip], history)
        on = CheckPolicy(replay=True)
        calls = [partial(one, p.nip, p.probes[1], on) for p in crowd]
        rows.append(summary(f"check 1:1 + replay ({history} earlier)", [timed(c) for c in calls]))
    for row in rows:
        row["backend"] = name
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--history", type=int, default=500)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    faces = Path(os.environ.get("HADIR_FACES_DIR", "../shared/data/faces-dev"))
    memo = Memo(build_face_engine(Settings()))
    crowd = people(faces, memo, args.people)
    for person in crowd:
        for probe in person.probes:
            memo.analyse(probe)
    rows = run_backend("sqlite", None, memo, crowd, args.checks, args.history)
    rows += run_backend("postgresql", args.database_url, memo, crowd, args.checks, args.history)
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"load": load, "rows": rows}, indent=2))
        return
    print(f"load average {load:.1f}")
    print("| backend | stage | n | p50 ms | p95 ms |\n|---|---|---|---|---|")
    for row in rows:
        cells = [row[k] for k in ("backend", "stage", "n", "p50_ms", "p95_ms")]
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
