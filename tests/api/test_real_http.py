"""The real server (`hadir serve`, uvicorn) over real HTTP on loopback, real engine and faces."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hadir.settings import Settings

from .servers import admin_client, init_with_admin, server_env, serving


@pytest.fixture(scope="module")
def server(
    settings: Settings, faces: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    env = server_env(tmp_path_factory.mktemp("served"), settings.model_cache_dir, faces)
    init_with_admin(env)
    with serving(env) as base:
        yield base


def test_enrol_and_check_in_over_http(server: str, faces: Path) -> None:
    with admin_client(server) as http:
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
    assert "server" not in unauthenticated.headers  # no uvicorn banner (issue 13)
