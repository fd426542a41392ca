"""Start real ``hadir`` servers (uvicorn subprocesses) on loopback for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CLI = (sys.executable, "-m", "hadir.cli")
ADMIN_PASSWORD = "rahasia-kantor"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(data: Path, models: Path, faces: Path, **extra: str) -> dict[str, str]:
    """Environment of a server with its own data dir; ``models`` is linked, not copied."""
    data.mkdir(parents=True, exist_ok=True)
    link = data / "models"
    if not link.exists():
        link.symlink_to(models.resolve(), target_is_directory=True)
    return {
        **os.environ,
        "HADIR_DATA_DIR": str(data),
        "HADIR_FACES_DIR": str(faces),
        **{f"HADIR_{k.upper()}": v for k, v in extra.items()},
    }


def run_cli(env: Mapping[str, str], *args: str) -> str:
    done = subprocess.run(
        [*CLI, *args], env=dict(env), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def init_with_admin(env: Mapping[str, str]) -> None:
    run_cli(env, "init", "--admin-username", "admin", "--admin-password", ADMIN_PASSWORD)


@contextmanager
def serving(env: Mapping[str, str], *, workers: int = 1, log_name: str = "server") -> Iterator[str]:
    """A running ``hadir serve``; yields its base URL once its face engine is ready."""
    with serving_process(env, workers=workers, log_name=log_name) as (base, _):
        yield base


@contextmanager
def serving_process(
    env: Mapping[str, str], *, workers: int = 1, log_name: str = "server"
) -> Iterator[tuple[str, int]]:
    """``serving``, yielding the base URL and the server's process id."""
    data = Path(env["HADIR_DATA_DIR"])
    port = free_port()
    log_path = data / f"{log_name}.log"
    command = [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log_path.open("wb") as log:  # a file, never a pipe nobody drains
        proc = subprocess.Popen(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/health", timeout=2).json()["face_engine"] == "ready":
                        break
                except (httpx.HTTPError, ValueError, KeyError):
                    pass
                assert proc.poll() is None, log_path.read_text()
                time.sleep(0.3)
            else:
                pytest.fail(f"server did not become ready: {log_path.read_text()[-2000:]}")
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextmanager
def admin_client(base: str) -> Iterator[httpx.Client]:
    """An HTTP client signed in as the admin that ``init_with_admin`` created."""
    with httpx.Client(base_url=base, timeout=120) as http:
        signed = http.post(
            "/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        http.headers["Authorization"] = f"Bearer {signed.json()['token']}"
        yield http
