"""A regency's year of data: seed it fast, then measure the reads people wait for.

    .venv/bin/python bench/volume.py --backend postgresql --employees 10000   # ~5 M events
    .venv/bin/python bench/volume.py --backend sqlite --employees 2000
        [--days N] [--repeat 20] [--json] [--keep DIR | --schema NAME] [--only TEXT]

Seeds a migrated database (SQLite file in a temporary data directory, or a temporary
PostgreSQL schema that is dropped at the end) with bulk paths — PostgreSQL ``COPY``,
SQLite ``executemany`` in large transactions — never the ORM:

- one office, ``--employees`` staff in a unit tree (agency -> 6 bidang -> 3 seksi each);
- the global Monday–Friday 08:00–16:00 schedule and the year's national holidays;
- for every working day of ``--days`` (default: the whole of 2025 up to 31 December) a
  check-in and a check-out per employee who is not on leave (8 % of check-ins late, 1 %
  of days with no check-out), 2 % of employees on approved leave on a given day, and
  one refused attempt per 50 check-ins;
- an audit entry per event (the hash chain computed as the server computes it).

Then it starts ``hadir serve`` on the seeded database (loopback, a free port) and
measures p50/p95 over ``--repeat`` requests of: the dashboard page, the attendance log
(filters and paging: a unit, a week, page 1 and a deep page), an employee's history over
the year, the monthly report for the whole agency and for one unit (JSON and XLSX), and
``hadir audit verify`` (a command: timed per run). Figures go to docs/performance.md.

``--keep DIR`` (SQLite) keeps the seeded database in ``DIR`` and ``--schema NAME``
(PostgreSQL) in a named schema; a later run with the same option reuses it instead of
seeding again (the seed's figures are in ``seeded.json`` there, or a table
``bench_seeded`` in the schema). ``--only TEXT`` measures only the reads whose name
contains ``TEXT`` (e.g. ``report``) and skips the check-ins and ``hadir audit verify``.
"""

# ruff: noqa: E402  (the sys.path fix below must run before httpx imports ``http``)
from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py is named like the stdlib ``http``: move this folder to the end of sys.path
# (as bench/http.py does) so httpx finds the real one; pgschema still imports from here.
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] in (_HERE, ""):
    sys.path.pop(0)
if _HERE not in sys.path:
    sys.path.append(_HERE)

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgschema import temporary_schema
from volume_seed import Seeded, nip, seed, working_days

REPO = Path(__file__).resolve().parent.parent
# --- keeping a seeded database ------------------------------------------------------


def kept_schema(url: str, schema: str) -> str:
    """``url`` scoped to the named schema, created if missing (never dropped here)."""
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def remember(url: str, data: Path, seeded: Seeded) -> None:
    """Write the seed's figures beside the database so a later run can reuse it."""
    figures = json.dumps({**seeded.__dict__, "url": ""})
    if url.startswith("sqlite"):
        (data / "seeded.json").write_text(figures)
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_seeded (figures TEXT)"))
        conn.execute(text("INSERT INTO bench_seeded VALUES (:f)"), {"f": figures})
    engine.dispose()


def reuse(url: str, data: Path) -> Seeded | None:
    """The kept seed's figures, or ``None`` when there is none to reuse."""
    figures: str | None = None
    if url.startswith("sqlite"):
        kept = data / "seeded.json"
        figures = kept.read_text() if kept.exists() else None
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as conn:
            has = conn.execute(text("SELECT to_regclass('bench_seeded')")).scalar()
            if has is not None:
                figures = conn.execute(text("SELECT figures FROM bench_seeded")).scalar()
        engine.dispose()
    if figures is None:
        return None
    values = json.loads(figures)
    values["units"] = tuple(values["units"])
    print("reusing the kept seed", file=sys.stderr)
    return Seeded(**{**values, "url": url})


# --- measuring ------------------------------------------------------------------------

ADMIN, PASSWORD = "bench", "bench-volume-pass"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, data: Path, workers: int) -> Iterator[tuple[str, dict[str, str]]]:
    """``hadir serve`` on the seeded database; yields its base URL and environment."""
    data.mkdir(parents=True, exist_ok=True)
    models = data / "models"
    if not models.exists() and not models.is_symlink():
        models.symlink_to((REPO / "var" / "models").resolve(), target_is_directory=True)
    env = {**os.environ, "HADIR_DATA_DIR": str(data), "HADIR_DATABASE_URL": url,
           "HADIR_RATE_LIMITS": "false"}  # fmt: skip
    cli = [sys.executable, "-m", "hadir.cli"]
    subprocess.run([*cli, "init", "--admin-username", ADMIN, "--admin-password", PASSWORD],
                   env=env, check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    command = [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with (data / "server.log").open("wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            print("waiting for the server", file=sys.stderr)
            for _ in range(1000):
                try:
                    if httpx.get(f"{base}/health", timeout=2).json().get("face_engine") == "ready":
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                if proc.poll() is not None:
                    raise RuntimeError((data / "server.log").read_text()[-2000:])
                time.sleep(0.3)
            else:
                raise RuntimeError("no ready server: " + (data / "server.log").read_text()[-2000:])
            print("server ready", file=sys.stderr)
            yield base, env
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def timed(call: Callable[[], httpx.Response], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(
                f"{response.request.url} -> {response.status_code} {response.text[:300]}"
            )
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1), "n": repeat}


def measure(
    seeded: Seeded, base: str, env: dict[str, str], repeat: int, only: str = ""
) -> dict[str, object]:
    with httpx.Client(base_url=base, timeout=600) as http:
        signed = http.post("/api/v1/auth/token", json={"username": ADMIN, "password": PASSWORD})
        signed.raise_for_status()
        token = signed.json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        page = httpx.Client(base_url=base, timeout=600, cookies={"hadir_session": token})
        unit = seeded.units[1]
        month = "2025-10"
        log = "/api/v1/attendance"
        week = {"date_from": "2025-10-06", "date_to": "2025-10-10"}
        reads: dict[str, Callable[[], httpx.Response]] = {
            "dashboard page": lambda: page.get("/admin"),
            "log: unit + week, page 1": lambda: http.get(log, params={**week, "unit": unit}),
            "log: whole agency, week, deep page": lambda: http.get(
                log, params={**week, "offset": 20_000, "limit": 100}
            ),
            "employee history (a year)": lambda: http.get(
                log, params={"employee_id": seeded.sample_nip, "limit": 1000}
            ),
            "monthly report, one unit (JSON)": lambda: http.get(
                "/api/v1/reports/monthly", params={"month": month, "unit": unit}
            ),
            "monthly report, one unit (XLSX)": lambda: http.get(
                "/api/v1/reports/monthly", params={"month": month, "unit": unit, "format": "xlsx"}
            ),
        }
        whole = max(3, repeat // 10)
        agency: dict[str, Callable[[], httpx.Response]] = {
            f"monthly report, whole agency ({fmt.upper()})": (
                lambda fmt=fmt: http.get(
                    "/api/v1/reports/monthly",
                    params={"month": month, **({"format": fmt} if fmt != "json" else {})},
                )
            )
            for fmt in ("json", "csv", "xlsx")
        }
        results: dict[str, object] = {}
        for name, read in [*reads.items(), *agency.items()]:
            if only not in name:
                continue
            results[name] = timed(read, whole if name in agency else repeat)
            print(f"{name}: {results[name]}", file=sys.stderr)
        page.close()
    if only:
        return results

    def run_verify(*flags: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "hadir.cli", "audit", "verify", *flags],
                       env=env, check=True, capture_output=True)  # fmt: skip
        return round((time.perf_counter() - started) * 1000, 1)

    results["hadir audit verify (full, command)"] = {"ms": run_verify()}
    incremental = [run_verify("--incremental") for _ in range(3)]
    results["hadir audit verify --incremental (command)"] = {
        "p50_ms": statistics.median(incremental),
        "runs": incremental,
    }
    return results


def enrol_people(base: str, people: int, first: int) -> tuple[str, list[tuple[str, list[Path]]]]:
    """Create ``people`` dev people with at least three photos (NIPs from ``nip(first)``)
    and enrol each one's first photo through the API; returns an admin token and, per
    enrolled person, the NIP and the photos that were not enrolled."""
    faces = Path(os.environ.get("HADIR_FACES_DIR", REPO.parent / "shared/data/faces-dev"))
    folders = [d for d in sorted(faces.iterdir()) if d.is_dir() and len(list(d.glob("*.jpg"))) >= 3]
    enrolled: list[tuple[str, list[Path]]] = []
    with httpx.Client(base_url=base, timeout=120) as http:
        signed = http.post("/api/v1/auth/token", json={"username": ADMIN, "password": PASSWORD})
        token = signed.json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        for k, folder in enumerate(folders[:people]):
            photos = sorted(folder.glob("*.jpg"))
            who = nip(first + k)
            http.post("/api/v1/employees", json={"employee_id": who, "name": folder.name})
            answer = http.post(
                f"/api/v1/employees/{who}/faces",
                data={"consent": "true"},
                files=[("images", ("a.jpg", photos[0].read_bytes(), "image/jpeg"))],
            )
            if answer.status_code == 201:
                enrolled.append((who, photos[1:3]))
    return token, enrolled


def checkin_latency(base: str, people: int = 12) -> dict[str, object]:
    """Enrol ``people`` dev people through the API, then time their 1:1 check-ins (a
    check-in and a check-out each, with photos not enrolled)."""
    token, enrolled = enrol_people(base, people, 29_000)
    samples: list[float] = []
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=base, timeout=120) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        for who, probes in enrolled:
            for kind, probe in zip(("check-in", "check-out"), probes, strict=True):
                started = time.perf_counter()
                answer = http.post(
                    f"/api/v1/attendance/{kind}",
                    data={"employee_id": who},
                    files={"image": ("p.jpg", probe.read_bytes(), "image/jpeg")},
                )
                elapsed = (time.perf_counter() - started) * 1000
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                if answer.status_code == 201:
                    samples.append(elapsed)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))] if samples else 0.0
    return {"p50_ms": round(statistics.median(samples), 1) if samples else None,
            "p95_ms": round(p95, 1), "accepted": len(samples), "statuses": statuses}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--days", type=int, default=0, help="working days (0: all of 2025)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="SQLite: seed into (or reuse) this directory")
    parser.add_argument("--schema", help="PostgreSQL: seed into (or reuse) this named schema")
    parser.add_argument("--only", default="", help="measure only the reads naming this")
    args = parser.parse_args()
    days = working_days(date(2025, 1, 1), date(2025, 12, 31))
    if args.days:
        days = days[: args.days]
    rng = random.Random(20251130)
    with ExitStack() as stack:
        data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hadir-volume-")))
        scratch = data  # the empty database of the peer: always a fresh one
        if args.backend == "postgresql":
            url = (
                kept_schema(args.database_url, args.schema)
                if args.schema
                else stack.enter_context(temporary_schema(args.database_url))
            )
        else:
            if args.keep:
                data = args.keep.resolve()
                data.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{data / 'hadir.sqlite3'}"
        empty_checkin: dict[str, object] = {}
        if not args.only:
            empty_url = (
                stack.enter_context(temporary_schema(args.database_url))
                if args.backend == "postgresql"
                else f"sqlite:///{scratch / 'empty' / 'hadir.sqlite3'}"
            )
            with serving(empty_url, scratch / "empty", args.workers) as (base, _):
                empty_checkin = checkin_latency(base)
            print(f"check-in on an empty database: {empty_checkin}", file=sys.stderr)
        seeded = reuse(url, data) if (args.keep or args.schema) else None
        if seeded is None:
            seeded = seed(url, args.employees, days, rng)
            if args.keep or args.schema:
                remember(url, data, seeded)
        print(
            f"seeded {seeded.employees} employees, {seeded.events} events, {seeded.audit} "
            f"audit entries over {seeded.days} days in {seeded.seconds:.0f} s",
            file=sys.stderr,
        )
        base, env = stack.enter_context(serving(url, data, args.workers))
        results = measure(seeded, base, env, args.repeat, args.only)
        if not args.only:
            results["1:1 check-in over HTTP, this database"] = checkin_latency(base)
            results["1:1 check-in over HTTP, empty database (peer)"] = empty_checkin
    report = {"backend": args.backend, "employees": seeded.employees, "events": seeded.events,
              "audit_entries": seeded.audit, "seed_seconds": round(seeded.seconds, 1),
              "reads": results, "load_average": os.getloadavg()}  # fmt: skip
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, figures in results.items():
        print(f"{name:40s} {figures}")


if __name__ == "__main__":
    main()
