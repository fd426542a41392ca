"""Backups that are restores (issue 17): back up a running instance under load, restore
it into a fresh data directory (SQLite) or a new database (PostgreSQL), and find the audit
trail intact, every check-in acknowledged before the backup began (and only acknowledged
ones) in the copy, and a new check-in accepted on the restored server."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import httpx
import psycopg
import pytest

from api.servers import run_cli, server_env, serving
from faults.harness import Outcomes, Request, office, prepare, private_cluster, run_load, stored

pytestmark = pytest.mark.slow


def _drill(
    env: Mapping[str, str],
    restored_env: Mapping[str, str],
    restored_url: str,
    requests: list[Request],
    backup: Path,
    token: str,
) -> None:
    spare = requests.pop()  # a photo nobody sent yet, for the restored server
    at_backup: set[str] = set()

    def take_backup(outcomes: Outcomes) -> None:
        with outcomes.lock:
            at_backup.update(outcomes.acknowledged)
        run_cli(env, "db", "backup", str(backup))

    with serving(env) as base:
        outcomes = run_load(
            base, token, requests, fault_after=len(requests) // 2, fault=take_backup
        )
    assert at_backup, "the backup ran before any check-in was acknowledged"
    key = Path(env["HADIR_DATA_DIR"]) / "secret.key"  # kept apart from backups
    if key.exists():
        shutil.copy(key, restored_env["HADIR_DATA_DIR"])

    run_cli(restored_env, "db", "restore", str(backup))
    run_cli(restored_env, "audit", "verify")  # exit 0: intact
    found = {c: ids for c, ids in stored(restored_url, [r.crid for r in requests]).items() if ids}
    assert at_backup <= set(found), "a check-in acknowledged before the backup is missing"
    assert set(found) <= set(outcomes.acknowledged), "the copy holds an unacknowledged check-in"
    assert all(found[c] == [outcomes.acknowledged[c]] for c in found)

    with serving(restored_env, log_name="restored") as base:
        with spare.photo.open("rb") as image:
            answer = httpx.post(
                f"{base}/api/v1/attendance/{spare.kind}",
                files={"image": ("probe.jpg", image, "image/jpeg")},
                data={"employee_id": spare.nip, "client_request_id": spare.crid},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
        assert answer.status_code == 201, answer.text


def test_sqlite_backup_under_load_restores(tmp_path: Path, model_cache: Path, faces: Path) -> None:
    enrol, requests = office(faces, tmp_path)
    env = server_env(tmp_path / "data", model_cache, faces, rate_limits="false")
    token = prepare(env, enrol)
    restored = server_env(tmp_path / "restored", model_cache, faces, rate_limits="false")
    url = f"sqlite:///{tmp_path / 'restored' / 'hadir.sqlite3'}"
    _drill(env, restored, url, requests, tmp_path / "backup.sqlite3", token)


@pytest.mark.postgres
def test_postgres_backup_under_load_restores(
    tmp_path: Path, model_cache: Path, faces: Path
) -> None:
    enrol, requests = office(faces, tmp_path)
    with private_cluster() as cluster:
        env = server_env(
            tmp_path / "data", model_cache, faces, database_url=cluster.url, rate_limits="false"
        )
        token = prepare(env, enrol)
        with psycopg.connect(
            f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE restored")
        url = cluster.url.rsplit("/", 1)[0] + "/restored"
        restored = server_env(
            tmp_path / "restored", model_cache, faces, database_url=url, rate_limits="false"
        )
        _drill(env, restored, url, requests, tmp_path / "backup.dump", token)
