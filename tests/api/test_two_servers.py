"""Two ``hadir serve`` processes (one of them with two workers) on one PostgreSQL.

A bounded load test on loopback: every attempt is recorded exactly once whichever server
(or worker) gets it, retries of one request sent to both servers at once give one event,
no 5xx, and a face enrolled through server A is identified by server B at once (the
``templates`` change counter, not a timer).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from hadir.settings import Settings

from .servers import admin_client, init_with_admin, run_cli, server_env, serving

PEOPLE = ("Serena_Williams", "Junichiro_Koizumi", "John_Ashcroft", "Alvaro_Uribe")
NEWCOMER = "Guillermo_Coria"


def nip(n: int) -> str:
    return f"19800101200501{n:04d}"


@dataclass(frozen=True)
class Cluster:
    a: str
    b: str
    database_url: str
    kiosk_token: str


@pytest.fixture(scope="module")
def cluster(
    settings: Settings,
    faces: Path,
    postgres_schemas: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    url = postgres_schemas.fresh().render_as_string(hide_password=False)
    shared = {
        "database_url": url,
        "secret_key": "one-key-for-every-server-of-this-office",
        # this test is about consistency under load: each probe is sent for check-in and
        # check-out and retried, which the replay guard and the per-employee rate would
        # (rightly) refuse; those guards have their own tests
        "replay_check": "false",
        "rate_limits": "false",
    }
    root = tmp_path_factory.mktemp("cluster")
    env_a = server_env(root / "a", settings.model_cache_dir, faces, **shared)
    env_b = server_env(root / "b", settings.model_cache_dir, faces, **shared)
    init_with_admin(env_a)
    kiosk = run_cli(env_a, "token", "create", "--role", "kiosk", "--name", "lobby").strip()
    with serving(env_a, log_name="a") as a, serving(env_b, workers=2, log_name="b") as b:
        yield Cluster(a=a, b=b, database_url=url, kiosk_token=kiosk)


def photos(faces: Path, person: str) -> list[Path]:
    return sorted((faces / person).glob("*.jpg"))


def enrol(http: httpx.Client, faces: Path, n: int, person: str) -> None:
    created = http.post(
        "/api/v1/employees",
        json={"employee_id": nip(n), "employee_type": "non_asn", "name": person, "unit": "Umum"},
    )
    assert created.status_code == 201, created.text
    files = [("images", (p.name, p.read_bytes(), "image/jpeg")) for p in photos(faces, person)[:2]]
    enrolled = http.post(f"/api/v1/employees/{nip(n)}/faces", files=files, data={"consent": "true"})
    assert enrolled.status_code == 201, enrolled.text


def test_a_face_enrolled_on_one_server_is_identified_by_the_other(
    cluster: Cluster, faces: Path
) -> None:
    with admin_client(cluster.a) as http:
        enrol(http, faces, 90, NEWCOMER)
    probe = photos(faces, NEWCOMER)[3]
    with httpx.Client(base_url=cluster.b, timeout=120) as kiosk:
        kiosk.headers["Authorization"] = f"Bearer {cluster.kiosk_token}"
        for _ in range(2):  # both workers of server B (requests are spread between them)
            answer = kiosk.post(
                "/api/v1/attendance/check-in",
                files={"image": (probe.name, probe.read_bytes(), "image/jpeg")},
            )
            assert answer.status_code == 201, answer.text
            assert answer.json()["employee"]["employee_id"] == nip(90)
            assert answer.json()["method"] == "identify"


def test_load_on_two_servers_loses_and_duplicates_nothing(cluster: Cluster, faces: Path) -> None:
    with admin_client(cluster.a) as http:
        for n, person in enumerate(PEOPLE, start=1):
            enrol(http, faces, n, person)
        token = http.headers["Authorization"]
    # 4 people x 4 probes x 2 kinds = 32 distinct requests; each sent to both servers at
    # the same time half of the time (a retry racing the original): 48 deliveries
    jobs: list[tuple[str, str, str, bytes]] = []
    for n, person in enumerate(PEOPLE, start=1):
        for i, probe in enumerate(photos(faces, person)[2:6]):
            for kind in ("check-in", "check-out"):
                crid = f"load-{n}-{i}-{kind}"
                jobs.append((kind, nip(n), crid, probe.read_bytes()))
    statuses: dict[str, list[tuple[int, int | None]]] = {}
    lock = threading.Lock()

    def deliver(job: tuple[str, str, str, bytes], base: str) -> None:
        kind, employee, crid, image = job
        with httpx.Client(base_url=base, timeout=180) as client:
            answer = client.post(
                f"/api/v1/attendance/{kind}",
                headers={"Authorization": token},
                files={"image": ("probe.jpg", image, "image/jpeg")},
                data={"employee_id": employee, "client_request_id": crid},
            )
        body = answer.json()
        event = body.get("event_id") or body.get("error", {}).get("details", {}).get("event_id")
        with lock:
            statuses.setdefault(crid, []).append((answer.status_code, event))

    deliveries = [(job, cluster.a if i % 2 else cluster.b) for i, job in enumerate(jobs)]
    deliveries += [(job, cluster.b if i % 2 else cluster.a) for i, job in enumerate(jobs) if i % 2]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(deliver, job, base) for job, base in deliveries]:
            future.result()

    codes = [code for answers in statuses.values() for code, _ in answers]
    assert len(codes) == len(deliveries) == 48
    assert all(code < 500 for code in codes), codes
    assert all(code in (200, 201, 403, 422) for code in codes), codes
    for crid, answers in statuses.items():
        events = {event for _, event in answers}
        assert len(events) == 1 and None not in events, (crid, answers)  # one event per request
    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT client_request_id, count(*) FROM attendance_events "
                    "WHERE client_request_id LIKE 'load-%' GROUP BY client_request_id"
                )
            ).all()
    finally:
        engine.dispose()
    assert len(rows) == len(jobs)  # nothing lost
    assert all(count == 1 for _, count in rows)  # nothing duplicated
    accepted = sum(1 for answers in statuses.values() if answers[0][0] in (200, 201))
    assert accepted >= len(jobs) * 3 // 4  # the real engine really matched most of them
