"""Bad days, with real servers, real faces and retrying clients (issue 17).

- PostgreSQL crashes and comes back in the middle of the load: while it is down the server
  answers 503 ``database_unavailable`` (never a 500) and it recovers without a restart;
- a worker process is killed with SIGKILL mid-request (two workers, SQLite): the
  supervisor starts a new one and the clients' retries land.
Afterwards every acknowledged request is stored exactly once and none twice.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from api.servers import server_env, serving
from faults.harness import (
    Outcomes,
    assert_exactly_once,
    office,
    prepare,
    private_cluster,
    run_load,
    stored,
)

pytestmark = pytest.mark.slow


@pytest.mark.postgres
def test_postgres_crash_mid_load(tmp_path: Path, model_cache: Path, faces: Path) -> None:
    enrol, requests = office(faces, tmp_path)
    with private_cluster() as cluster:
        env = server_env(
            tmp_path / "data", model_cache, faces, database_url=cluster.url, rate_limits="false"
        )
        token = prepare(env, enrol)
        with serving(env) as base:

            def crash(_: Outcomes) -> None:
                cluster.crash()
                time.sleep(3)  # the morning rush goes on against a dead database
                cluster.start()

            outcomes = run_load(base, token, requests, fault_after=len(requests) // 3, fault=crash)
        found = stored(cluster.url, [r.crid for r in requests])
    assert_exactly_once(outcomes, found)
    assert 503 in outcomes.statuses, "no request met the database down"
    assert len(outcomes.acknowledged) >= len(requests) * 2 // 3, outcomes.refused


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(entry.name))
    return kids


def _cmdline(pid: int) -> list[str]:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def _server_pid(base: str) -> int:
    """The ``hadir serve`` process listening on ``base``'s port."""
    port = base.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            args = _cmdline(int(entry.name))
            if "serve" in args and "--port" in args and port in args:
                return int(entry.name)
    raise AssertionError(f"no server process on port {port}")


def _is_worker(pid: int) -> bool:
    """uvicorn's workers are spawned Python processes (not the resource tracker)."""
    args = _cmdline(pid)
    return any("multiprocessing" in a and "spawn_main" in a for a in args) and not any(
        "resource_tracker" in a for a in args
    )


def test_worker_killed_mid_load(tmp_path: Path, model_cache: Path, faces: Path) -> None:
    enrol, requests = office(faces, tmp_path)
    env = server_env(tmp_path / "data", model_cache, faces, rate_limits="false")
    token = prepare(env, enrol)
    killed: list[int] = []
    with serving(env, workers=2) as base:

        def kill_a_worker(_: Outcomes) -> None:
            workers = [p for p in _children(_server_pid(base)) if _is_worker(p)]
            assert workers, "no worker processes found"
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

        outcomes = run_load(
            base, token, requests, fault_after=len(requests) // 3, fault=kill_a_worker
        )
    url = env.get("HADIR_DATABASE_URL") or f"sqlite:///{tmp_path / 'data' / 'hadir.sqlite3'}"
    found = stored(url, [r.crid for r in requests])
    assert killed
    assert_exactly_once(outcomes, found)
    assert len(outcomes.acknowledged) >= len(requests) * 2 // 3, outcomes.refused
