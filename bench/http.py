"""End-to-end HTTP: enrolment throughput and check-in latency under 1/4/16 clients.

    .venv/bin/python bench/http.py [--employees 20] [--requests 60 120 160] [--json]
        [--workers N] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Starts ``hadir serve`` (one uvicorn worker, settings from the environment) on a free
loopback port in a temporary HADIR_DATA_DIR whose ``models`` is a symlink to the converted
models of ``var/models`` (no reconversion), after ``hadir init --admin-username bench``.
Signs in, creates ``--employees`` employees from dev people with at least 3 photos the
engine accepts (checked in this process first; refused photos are skipped), enrols 2
photos each, then sends check-ins of a third photo re-encoded as a 640x480 JPEG selfie:

- 1:1 (``employee_id`` given) at 1, 4 and 16 concurrent clients (threads, one
  ``httpx.Client`` each), a fixed number of requests per level (default 60/120/160);
- 1:N (no ``employee_id``) at 1 and 4 clients.

Each request has its own ``client_request_id``. Reports p50/p95/p99 latency, requests/s,
the status codes and the number of non-2xx responses (expected 0), and the load average.
The server is stopped at the end (also on errors). Loopback only; loop counts bounded.
"""

# ruff: noqa: E402  (the sys.path fix below must run before httpx imports ``http``)
from __future__ import annotations

import sys
from pathlib import Path

# This script is named like the stdlib ``http``: as a script, its folder is sys.path[0] and
# would shadow it for httpx. Move the folder to the end (``face`` still imports from it).
_HERE = str(Path(__file__).resolve().parent)
if sys.path and sys.path[0] in (_HERE, ""):
    sys.path.pop(0)
if _HERE not in sys.path:
    sys.path.append(_HERE)

import argparse
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import httpx
import numpy as np
from pgschema import temporary_schema

from face import selfie  # bench/face.py, a sibling script
from hadir.bootstrap import build_face_engine
from hadir.domain.errors import HadirError
from hadir.face.intake import decode_image, encode_jpeg
from hadir.settings import Settings

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "bench-" + uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class Person:
    name: str
    enrol: tuple[bytes, bytes]
    probe: bytes  # 640x480 JPEG selfie of a third photo


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def choose_people(faces: Path, wanted: int) -> list[Person]:
    """People with >= 3 dev photos; 2 accepted photos to enrol, a third as an accepted selfie."""
    engine = build_face_engine(Settings())

    def accepted(data: bytes) -> bool:
        try:
            engine.analyse(data)
        except HadirError:
            return False
        return True

    people: list[Person] = []
    for folder in sorted(p for p in faces.iterdir() if p.is_dir()):
        photos = sorted(folder.glob("*.jpg"))
        if len(photos) < 3:
            continue
        good = [d for d in (p.read_bytes() for p in photos[:6]) if accepted(d)]
        if len(good) < 3:
            continue
        probe = encode_jpeg(selfie(decode_image(good[2])), 90)
        if not accepted(probe):
            continue
        people.append(Person(folder.name, (good[0], good[1]), probe))
        if len(people) == wanted:
            break
    return people


def peak_rss_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident memory) of ``pid`` and its child processes (uvicorn workers)."""
    found: dict[str, float] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                found[str(current)] = round(int(line.split()[1]) / 1024, 1)
    return found


SERVER_MEMORY: dict[str, float] = {}


@contextmanager
def server(data_dir: Path, *, workers: int = 1, database_url: str | None = None) -> Iterator[str]:
    env = {
        **os.environ,
        "HADIR_DATA_DIR": str(data_dir),
        "HADIR_LOG_LEVEL": "warning",
        # the bench resends each person's probe and runs 16 clients from one token
        "HADIR_REPLAY_CHECK": "false",
        "HADIR_RATE_LIMITS": "false",
    }
    env.pop("HADIR_DATABASE_URL", None)
    with ExitStack() as stack:
        if database_url:
            env["HADIR_DATABASE_URL"] = stack.enter_context(temporary_schema(database_url))
        yield from _serve(data_dir, env, workers)


def _serve(data_dir: Path, env: dict[str, str], workers: int) -> Iterator[str]:
    cli = [sys.executable, "-m", "hadir.cli"]
    subprocess.run(
        [*cli, "init", "--admin-username", "bench", "--admin-password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(data_dir / 'server.log').read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.2)
        yield base
        SERVER_MEMORY.update(peak_rss_mb(proc.pid))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


Row = dict[str, object]


def summarise(
    label: str, clients: int, times: list[float], codes: Counter[int], wall: float
) -> Row:
    ms = np.array(times) * 1000
    return {
        "test": label,
        "clients": clients,
        "requests": len(times),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
        "requests_per_s": round(len(times) / wall, 2),
        "status": {str(k): v for k, v in sorted(codes.items())},
        "non_2xx": sum(v for k, v in codes.items() if not 200 <= k < 300),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def check_ins(
    base: str, token: str, people: list[Person], clients: int, total: int, *, identify: bool
) -> Row:
    """``total`` check-ins split over ``clients`` threads; people taken round-robin."""
    times: list[float] = []
    codes: Counter[int] = Counter()
    decisions: Counter[str] = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    start = threading.Barrier(clients + 1)

    def worker(slot: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            start.wait()
            for n in range(per_client[slot]):
                person_no = (slot + n * clients) % len(people)
                person = people[person_no]
                form = {"client_request_id": uuid.uuid4().hex, "device": "bench"}
                if not identify:
                    form["employee_id"] = person.name  # the NIP, after enrolment
                files = {"image": ("selfie.jpg", person.probe, "image/jpeg")}
                began = time.perf_counter()
                response = client.post("/api/v1/attendance/check-in", data=form, files=files)
                took = time.perf_counter() - began
                with lock:
                    times.append(took)
                    codes[response.status_code] += 1
                    if response.is_success:
                        decisions[str(response.json()["decision"])] += 1
                    if not response.is_success and len(errors) < 5:
                        errors.append(f"{response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    result = summarise("identify 1:N" if identify else "verify 1:1", clients, times, codes, wall)
    result["errors"] = errors
    result["decisions"] = dict(decisions)
    result["accepted_per_s"] = round(decisions["accepted"] / wall, 2)
    return result


def run(
    people: list[Person],
    employees: int,
    requests: list[int],
    identify_requests: int,
    *,
    workers: int = 1,
    database_url: str | None = None,
) -> list[Row]:
    """Enrol until ``employees`` people have both photos accepted (the server's enrolment
    gates are stricter than ``analyse``: a refused person is skipped), then check in."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hadir-bench-") as tmp:
        data_dir = Path(tmp)
        (data_dir / "models").symlink_to(REPO / "var" / "models")
        with server(data_dir, workers=workers, database_url=database_url) as base:
            token = httpx.post(
                f"{base}/api/v1/auth/token", json={"username": "bench", "password": PASSWORD}
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                times: list[float] = []
                codes: Counter[int] = Counter()
                accepted = 0
                began = time.perf_counter()
                enrolled: list[Person] = []
                for no, person in enumerate(people):
                    if len(enrolled) == employees:
                        break
                    nip = f"B{no:04d}"
                    body = {
                        "employee_id": nip,
                        "employee_type": "non_asn",
                        "name": person.name.replace("_", " "),
                    }
                    client.post("/api/v1/employees", json=body).raise_for_status()
                    files = [
                        ("images", (f"{i}.jpg", d, "image/jpeg"))
                        for i, d in enumerate(person.enrol)
                    ]
                    t0 = time.perf_counter()
                    response = client.post(
                        f"/api/v1/employees/{nip}/faces", data={"consent": "true"}, files=files
                    )
                    times.append(time.perf_counter() - t0)
                    codes[response.status_code] += 1
                    took = int(response.json()["accepted"]) if response.is_success else 0
                    accepted += took
                    if took == 2:  # check in only people with both photos enrolled
                        enrolled.append(Person(nip, person.enrol, person.probe))
                wall = time.perf_counter() - began
                enrol = summarise("enrol 2 photos", 1, times, codes, wall)
                enrol["images_accepted"] = accepted
                enrol["employees_enrolled"] = len(enrolled)
                enrol["images_per_s"] = round(2 * len(times) / sum(times), 2)
                rows.append(enrol)
            people = enrolled
            for clients, total in zip((1, 4, 16), requests, strict=True):
                rows.append(check_ins(base, token, people, clients, total, identify=False))
            for clients in (1, 4):
                rows.append(
                    check_ins(base, token, people, clients, identify_requests, identify=True)
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20)
    parser.add_argument("--requests", type=int, nargs=3, default=[60, 120, 160])
    parser.add_argument("--identify-requests", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1, help="hadir serve --workers")
    parser.add_argument(
        "--database-url", default=None, help="e.g. a PostgreSQL URL (default: SQLite in a tmp dir)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (REPO / "var" / "models").is_dir():
        raise SystemExit("needs var/models (run `hadir init` once in the repository)")
    faces = Path(os.environ.get("HADIR_FACES_DIR", REPO.parent / "shared/data/faces-dev"))
    people = choose_people(faces, args.employees + 10)  # spares for refused enrolments
    if len(people) < args.employees:
        raise SystemExit(f"only {len(people)} usable people in {faces}")
    rows = run(
        people,
        args.employees,
        args.requests,
        args.identify_requests,
        workers=args.workers,
        database_url=args.database_url,
    )
    rows.append({"test": "peak memory (MB) per server process", "rss": SERVER_MEMORY})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("test | clients | requests | p50 | p95 | p99 | req/s | non-2xx | status | load")
    for r in rows:
        if "rss" in r:
            print(f"{r['test']}: {r['rss']}")
            continue
        print(
            f"{r['test']} | {r['clients']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['p99_ms']} | {r['requests_per_s']} | {r['non_2xx']} | {r['status']} | "
            f"{r['loadavg_1m']}"
        )
        if r.get("decisions"):
            print(f"  decisions: {r['decisions']}, {r['accepted_per_s']} accepted/s")
        if r.get("images_per_s"):
            print(f"  enrolment: {r['images_per_s']} images/s, {r['images_accepted']} accepted")
        for error in r.get("errors") or []:  # type: ignore[attr-defined]
            print(f"  {error}")


if __name__ == "__main__":
    main()
