"""A bounded soak: steady check-ins for a while, watching memory, errors and latency.

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python bench/soak.py \\
        [--minutes 30] [--rate 5] [--workers 2] [--people 20] [--json]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Starts ``hadir serve --workers N`` on a temporary PostgreSQL schema (dropped at the end),
enrols ``--people`` dev people (first photo), keeps those of their other photos that the
server accepts once (dev photos with a second face of comparable size are refused with
``multiple_faces`` every time, and are reported, not soaked), and sends 1:1 check-ins of
them at a fixed rate (open loop: a request leaves every 1/rate s whether or not the
previous one was answered; at most 16 in flight). Replay detection is switched off for
the run (``HADIR_REPLAY_CHECK=false``): the same few photos come back all day, and what is
measured is the server's steadiness, not the replay refusal. Every 15 s it reads the
resident size of every server process from /proc. Reports per-minute p50/p95 latency,
the status and error codes (anything but 201 is counted as an error), and memory growth
after the warm-up (the first fifth of the run): the issue's bar is under 10 %.
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
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from pgschema import temporary_schema
from volume import enrol_people, serving


def rss_mb(root: int) -> float:
    """Resident size of ``root`` and its children (uvicorn's workers), in MB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(entry.name) != root and int(stat[1]) != root:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            if "serve" in args and port in args:
                return int(entry.name)
    raise RuntimeError("server process not found")


def _error_code(answer: httpx.Response) -> str:
    try:
        return str(answer.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "?"


def enrol(base: str, people: int) -> tuple[str, list[tuple[str, bytes]], dict[str, int]]:
    """Enrol the people, then send each probe photo once (a check-in, not measured) and
    keep the photos the server accepts. Some dev photos hold a second face of comparable
    size, which a 1:1 check-in rightly refuses (``422 multiple_faces``) on every try: the
    soak measures the server's steadiness on acceptable input, so those photos are
    dropped here and counted in the report instead of being refused all run long."""
    token, enrolled = enrol_people(base, people, 28_000)
    kept: list[tuple[str, bytes]] = []
    dropped: Counter[str] = Counter()
    with httpx.Client(base_url=base, timeout=60) as http:
        for who, photos in enrolled:
            for photo in photos:
                answer = http.post(
                    "/api/v1/attendance/check-in",
                    data={"employee_id": who},
                    files={"image": ("p.jpg", photo.read_bytes(), "image/jpeg")},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if answer.status_code == 201:
                    kept.append((who, photo.read_bytes()))
                else:
                    dropped[f"{answer.status_code} {_error_code(answer)}"] += 1
    return token, kept, dict(dropped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["HADIR_REPLAY_CHECK"] = "false"
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="hadir-soak-") as tmp,
        temporary_schema(args.database_url) as url,
        serving(url, Path(tmp), args.workers) as (base, _),
    ):
        token, probes, dropped = enrol(base, args.people)
        root = server_pid(base)
        samples: list[tuple[float, float, int]] = []  # (t, ms, status)
        memory: list[tuple[float, float]] = []
        lock = threading.Lock()
        started = time.monotonic()
        end = started + args.minutes * 60
        in_flight = threading.BoundedSemaphore(16)
        codes: Counter[str] = Counter()

        def one(i: int) -> None:
            who, photo = probes[i % len(probes)]
            kind = "check-in" if (i // len(probes)) % 2 == 0 else "check-out"
            t0 = time.monotonic()
            try:
                answer = http.post(
                    f"/api/v1/attendance/{kind}",
                    data={"employee_id": who},
                    files={"image": ("p.jpg", photo, "image/jpeg")},
                    headers={"Authorization": f"Bearer {token}"},
                )
                status = answer.status_code
                if status != 201:
                    code = _error_code(answer)
                    with lock:
                        codes[f"{status} {code}"] += 1
            except httpx.HTTPError:
                status = 0
            finally:
                in_flight.release()
            with lock:
                samples.append((t0 - started, (time.monotonic() - t0) * 1000, status))

        with httpx.Client(base_url=base, timeout=60) as http, ThreadPoolExecutor(16) as pool:
            i, next_memory = 0, started
            while (now := time.monotonic()) < end:
                if now >= next_memory:
                    memory.append((now - started, rss_mb(root)))
                    next_memory += 15
                in_flight.acquire()
                pool.submit(one, i)
                i += 1
                time.sleep(max(0.0, started + i / args.rate - time.monotonic()))
        memory.append((time.monotonic() - started, rss_mb(root)))
    minutes: dict[int, list[float]] = {}
    for t, ms, _ in samples:
        minutes.setdefault(int(t // 60), []).append(ms)
    per_minute = [
        {"minute": m, "n": len(v), "p50_ms": round(statistics.median(v), 1),
         "p95_ms": round(sorted(v)[round(0.95 * (len(v) - 1))], 1)}
        for m, v in sorted(minutes.items())
    ]  # fmt: skip
    warm = [mb for t, mb in memory if t >= args.minutes * 60 / 5]
    growth = (warm[-1] - warm[0]) / warm[0] * 100 if len(warm) >= 2 else 0.0
    report = {
        "minutes": args.minutes, "rate": args.rate, "workers": args.workers,
        "probes": len(probes), "probes_dropped_before_the_run": dropped,
        "requests": len(samples), "statuses": dict(Counter(s for _, _, s in samples)),
        "errors": sum(1 for _, _, s in samples if s != 201),
        "error_codes": dict(codes),
        "rss_mb_after_warmup_first_last": [round(warm[0], 1), round(warm[-1], 1)] if warm else None,
        "rss_growth_after_warmup_percent": round(growth, 1),
        "rss_mb_max": round(max(mb for _, mb in memory), 1),
        "per_minute": per_minute, "load_average": os.getloadavg(),
    }  # fmt: skip
    print(json.dumps(report, indent=2) if args.json else report)


if __name__ == "__main__":
    main()
