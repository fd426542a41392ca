"""In-process timings of the monthly report on a database kept by ``bench/volume.py``.

    .venv/bin/python bench/volume_inproc.py --url sqlite:////tmp/vol-sqlite/hadir.sqlite3
        [--repeat 3] [--unit "Sekretariat / Seksi 2"] [--month 2025-10] [--profile]

Times, in one process and in the same run (so the peer shares the machine's load):
building the report the way it was built before the fast path (per employee, every event
read as a record: ``tests/services/report_reference.py``), building it now
(``monthly_report``), and exporting the agency's report as JSON (the API's model), CSV and
XLSX. ``--profile`` prints cProfile's top functions of one agency report and its XLSX.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# bench/http.py is named like the stdlib ``http``: this folder goes to the end of sys.path
_HERE = str(Path(__file__).resolve().parent)
while _HERE in sys.path:
    sys.path.remove(_HERE)
sys.path.insert(0, str(REPO / "tests"))

from hadir.api.schemas.reports import ReportPublic  # noqa: E402
from hadir.domain.attendance import DEFAULT_DISCIPLINE, parse_month  # noqa: E402
from hadir.services.export import ReportPart, to_csv, to_xlsx  # noqa: E402
from hadir.services.reports import monthly_report  # noqa: E402
from hadir.store.db import make_engine, make_session_factory  # noqa: E402
from hadir.store.uow import SqlUnitOfWork  # noqa: E402
from services.report_reference import reference_report  # noqa: E402

NOW = datetime(2026, 1, 5, tzinfo=UTC)


def timed(call: Callable[[], object], repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--month", default="2025-10")
    parser.add_argument("--unit", default="Sekretariat / Seksi 2")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-old", action="store_true", help="not the agency the old way")
    args = parser.parse_args()
    sessions = make_session_factory(make_engine(args.url))
    ym = parse_month(args.month)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    def new(unit: str | None) -> Callable[[], object]:
        return lambda: monthly_report(uow(), ym, unit, clock=lambda: NOW)

    def old(unit: str | None) -> Callable[[], object]:
        return lambda: reference_report(uow(), ym.first_day, ym.last_day, unit, NOW,
                                        month=ym, discipline=DEFAULT_DISCIPLINE)  # fmt: skip

    report = monthly_report(uow(), ym, clock=lambda: NOW)
    if args.profile:
        for name, call in (
            ("agency report", new(None)),
            ("agency XLSX", lambda: to_xlsx(report)),
            ("agency JSON", lambda: ReportPublic.of(report).model_dump_json()),
        ):
            profile = cProfile.Profile()
            profile.runcall(call)
            print(f"--- {name}", file=sys.stderr)
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        return
    results: dict[str, object] = {
        "daily rows (agency)": len(report.daily),
        "staff (agency)": len(report.recap),
    }
    runs: list[tuple[str, Callable[[], object]]] = [
        ("unit report, before (per employee)", old(args.unit)),
        ("unit report, now", new(args.unit)),
        ("agency report, before (per employee)", old(None)),
        ("agency report, now", new(None)),
        ("agency JSON body, one model per row", lambda: ReportPublic.of(report).model_dump_json()),
        ("agency JSON body (what the API sends)", lambda: ReportPublic.json_of(report)),
        ("agency CSV (rekap)", lambda: to_csv(report, ReportPart.RECAP)),
        ("agency CSV (harian)", lambda: to_csv(report, ReportPart.DAILY)),
        ("agency XLSX", lambda: to_xlsx(report)),
    ]
    for name, call in runs:
        if args.skip_old and name.startswith("agency report, before"):
            continue
        results[name] = timed(call, args.repeat)
        print(f"{name}: {results[name]}", file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
