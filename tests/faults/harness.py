"""What the fault tests share: an office of real dev people, a private PostgreSQL cluster
that a test may stop and start at will, and clients that send check-ins with
``client_request_id`` retries, as the phone and kiosk pages do.

The invariant every fault test checks (issue 17): every request that was acknowledged
(201, or 200 for a retry of an acknowledged request) is stored exactly once, with the
event id the client was told, and no request is stored twice. Counts, never times.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from api.servers import free_port, run_cli

PEOPLE = 16
"""People in the office; each is enrolled with one photo and checks in with the others."""


def nip(i: int) -> str:
    """A well-formed 18-digit NIP (birth date, appointment month, sex, serial)."""
    return f"19850315201001{1 + i % 2}{i:03d}"


@dataclass(frozen=True)
class Request:
    nip: str
    photo: Path
    crid: str
    kind: str  # "check-in" | "check-out"


def office(faces: Path, work: Path) -> tuple[Path, list[Request]]:
    """An enrolment folder (one photo per person, linked, never copied into the repo)
    and the check-ins the people will send with their other photos."""
    people = sorted(d for d in faces.iterdir() if d.is_dir() and len(list(d.glob("*.jpg"))) >= 4)[
        :PEOPLE
    ]
    assert len(people) == PEOPLE, "the dev set has fewer people with 4 photos than expected"
    enrol = work / "enrol"
    requests: list[Request] = []
    for i, person in enumerate(people):
        photos = sorted(person.glob("*.jpg"))
        folder = enrol / nip(i)
        folder.mkdir(parents=True)
        (folder / photos[0].name).symlink_to(photos[0])
        for j, probe in enumerate(photos[1:4]):
            kind = "check-in" if j == 0 else "check-out"
            requests.append(Request(nip(i), probe, f"{nip(i)}-{j}", kind))
    return enrol, requests


def prepare(env: Mapping[str, str], enrol: Path) -> str:
    """Initialise the database, enrol the office, and return a kiosk token."""
    run_cli(env, "init")
    run_cli(env, "enroll-dir", str(enrol), "--create-missing")
    return run_cli(env, "token", "create", "--role", "kiosk", "--name", "pintu").strip()


@dataclass
class Outcomes:
    """What the clients saw: acknowledged event ids per request, and every status."""

    acknowledged: dict[str, int] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    connection_errors: int = 0
    refused: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, status: int) -> None:
        with self.lock:
            self.statuses.append(status)


RETRY_STATUSES = (502, 503)


def send(http: httpx.Client, request: Request, token: str, outcomes: Outcomes) -> None:
    """One request, retried with the same ``client_request_id`` until it is answered."""
    for _ in range(200):
        try:
            with request.photo.open("rb") as image:
                response = http.post(
                    f"/api/v1/attendance/{request.kind}",
                    files={"image": ("probe.jpg", image, "image/jpeg")},
                    data={"employee_id": request.nip, "client_request_id": request.crid},
                    headers={"Authorization": f"Bearer {token}"},
                )
        except httpx.TransportError:
            with outcomes.lock:
                outcomes.connection_errors += 1
            time.sleep(0.2)
            continue
        outcomes.saw(response.status_code)
        if response.status_code in RETRY_STATUSES:
            time.sleep(0.2)
            continue
        with outcomes.lock:
            if response.status_code in (200, 201):
                outcomes.acknowledged[request.crid] = int(response.json()["event_id"])
            else:
                outcomes.refused[request.crid] = response.json()["error"]["code"]
        return
    raise AssertionError(f"{request.crid} was never answered")


def run_load(
    base: str,
    token: str,
    requests: Sequence[Request],
    *,
    clients: int = 3,
    fault_after: int,
    fault: Callable[[Outcomes], None],
) -> Outcomes:
    """Send ``requests`` from ``clients`` threads; run ``fault`` once ``fault_after``
    requests have been answered, while the rest are still in flight (it is handed what
    the clients have seen so far)."""
    outcomes = Outcomes()
    pending = list(requests)
    answered = threading.Semaphore(0)
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while True:
                with lock:
                    if not pending:
                        return
                    request = pending.pop(0)
                send(http, request, token, outcomes)
                answered.release()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for _ in range(fault_after):
        answered.acquire()
    fault(outcomes)
    for t in threads:
        t.join(timeout=600)
    return outcomes


def stored(url: str, crids: Sequence[str]) -> dict[str, list[int]]:
    """Event ids of recorded check-ins per ``client_request_id`` (a list, to see any
    duplicate); rejected attempts are kept too, but they were never acknowledged."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT client_request_id, id FROM attendance_events"
                    " WHERE client_request_id IS NOT NULL AND decision <> 'rejected'"
                )
            ).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {c: [] for c in crids}
    for crid, event_id in rows:
        found.setdefault(str(crid), []).append(int(event_id))
    return found


def assert_exactly_once(outcomes: Outcomes, found: Mapping[str, list[int]]) -> None:
    for crid, ids in found.items():
        assert len(ids) <= 1, f"{crid} stored {len(ids)} times"
    for crid, event_id in outcomes.acknowledged.items():
        assert found.get(crid) == [event_id], f"acknowledged {crid} -> {found.get(crid)}"
    assert 500 not in outcomes.statuses


# --- a private PostgreSQL cluster -------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return Path(found[-1]).parent


@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL cluster of its own, so a test can restart it without disturbing the
    shared server other tests use."""

    data: Path
    port: int
    run_as: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        command = [*self.run_as, str(_pg_bin() / "pg_ctl"), "-D", str(self.data), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self.pg_ctl("-o", options, "-l", str(self.data / "server.log"), "-w", "start")

    def crash(self) -> None:
        """Stop at once, as a crash would (the restart replays the WAL)."""
        self.pg_ctl("-m", "immediate", "-w", "stop")


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="hadir-pg-"))
    run_as: tuple[str, ...] = ()
    if os.geteuid() == 0:  # initdb refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ("runuser", "-u", "postgres", "--")
    data = root / "data"
    subprocess.run(
        [*run_as, str(_pg_bin() / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = Cluster(data, free_port(), run_as)
    cluster.start()
    try:
        yield cluster
    finally:
        with suppress(subprocess.CalledProcessError):
            cluster.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
