"""The real server (`hadir serve`, uvicorn) over real HTTP on loopback, real engine and faces."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hadir.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    settings: Settings, faces: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    data = tmp_path_factory.mktemp("served")
    (data / "models").symlink_to(settings.model_cache_dir.resolve(), target_is_directory=True)
    env = {**os.environ, "HADIR_DATA_DIR": str(data), "HADIR_FACES_DIR": str(faces)}
    cli = [sys.executable, "-m", "hadir.cli"]
    init = subprocess.run(
        [*cli, "init", "--admin-username", "admin", "--admin-password", "rahasia-kantor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    port = free_port()
    log = (data / "server.log").open("wb")  # a file, never a pipe nobody drains
    proc = subprocess.Popen(
        [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=2).json()["face_engine"] == "ready":
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, (data / "server.log").read_text()
            time.sleep(0.3)
        else:
            pytest.fail("server did not become ready")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_enrol_and_check_in_over_http(server: str, faces: Path) -> None:
    with httpx.Client(base_url=server, timeout=60) as http:
        signed = http.post(
            "/api/v1/auth/token", json={"username": "admin", "password": "rahasia-kantor"}
        )
        assert signed.status_code == 200, signed.text
        http.headers["Authorization"] = f"Bearer {signed.json()['token']}"
        created = http.post(
            "/api/v1/employees",
            json={"employee_id": "198001012005011001", "name": "Serena", "unit": "Umum"},
        )
        assert created.status_code == 201, created.text
        photos = [
            ("images", (name, (faces / "Serena_Williams" / name).read_bytes(), "image/jpeg"))
            for name in ("Serena_Williams_0001.jpg", "Serena_Williams_0004.jpg")
        ]
        enrolled = http.post(
            "/api/v1/employees/198001012005011001/faces", files=photos, data={"consent": "true"}
        )
        assert enrolled.status_code == 201, enrolled.text
        probe = (faces / "Serena_Williams/Serena_Williams_0010.jpg").read_bytes()
        checked = http.post(
            "/api/v1/attendance/check-in",
            files={"image": ("probe.jpg", probe, "image/jpeg")},
            data={"employee_id": "198001012005011001", "client_request_id": "http-1"},
        )
        assert checked.status_code == 201, checked.text
        body = checked.json()
        assert body["decision"] == "accepted"
        assert body["similarity"] >= body["threshold"]
        garbage = http.post(
            "/api/v1/attendance/check-in",
            files={"image": ("x.jpg", b"\x00" * 300, "image/jpeg")},
            data={"employee_id": "198001012005011001"},
        )
        assert garbage.status_code == 422
        assert garbage.json()["error"]["code"] == "image_unreadable"
        unauthenticated = httpx.get(f"{server}/api/v1/employees", timeout=10)
        assert unauthenticated.status_code == 401
