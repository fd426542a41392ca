"""End to end with the real face engine: enrol Serena Williams, check in, refuse Ariel
Sharon with her NIP, identify her without one, and refuse random bytes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api.conftest import Api, make_api
from hadir.services.records import Role
from services.conftest import NOW, FixedClock

NIP = "198109262005012003"


@pytest.fixture
def real_api(tmp_path: Path, engine: object) -> Iterator[Api]:
    yield from make_api(tmp_path, engine, FixedClock(NOW - timedelta(minutes=30)))


def test_enrol_check_in_refuse_and_identify(real_api: Api, faces: Path) -> None:
    api = real_api
    serena = faces / "Serena_Williams"
    admin = api.token(Role.ADMIN)
    kiosk = api.token(Role.KIOSK)
    created = api.client.post(
        "/api/v1/employees",
        json={"employee_id": NIP, "name": "Serena Williams", "unit": "Setda"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    files = [
        ("images", (name, (serena / name).read_bytes(), "image/jpeg"))
        for name in ("Serena_Williams_0001.jpg", "Serena_Williams_0004.jpg")
    ]
    enrolled = api.client.post(
        f"/api/v1/employees/{NIP}/faces", files=files, data={"consent": "true"}, headers=admin
    )
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["accepted"] == 2

    def check(path: Path, **form: str) -> dict[str, object]:
        response = api.client.post(
            "/api/v1/attendance/check-in",
            files={"image": (path.name, path.read_bytes(), "image/jpeg")},
            data=form,
            headers=kiosk,
        )
        body: dict[str, object] = response.json()
        body["http_status"] = response.status_code
        return body

    ok = check(serena / "Serena_Williams_0010.jpg", employee_id=NIP)
    assert ok["http_status"] == 201, ok
    assert ok["decision"] == "accepted"
    assert ok["status"] == "on_time"
    assert str(ok["time"]).endswith("+07:00")

    refused = check(faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg", employee_id=NIP)
    assert refused["http_status"] == 403, refused
    assert refused["error"]["code"] == "face_mismatch"  # type: ignore[index]
    rejected = api.client.get("/api/v1/attendance?decision=rejected", headers=admin).json()
    assert [e["refusal_code"] for e in rejected["items"]] == ["face_mismatch"]
    assert rejected["items"][0]["employee"]["employee_id"] == NIP

    replayed = check(serena / "Serena_Williams_0010.jpg", client_request_id="kiosk-1")
    assert replayed["http_status"] == 409, replayed
    assert replayed["error"]["code"] == "replayed_image"  # type: ignore[index]
    identified = check(serena / "Serena_Williams_0016.jpg", client_request_id="kiosk-2")
    assert identified["http_status"] == 201, identified
    assert identified["method"] == "identify"
    assert identified["employee"]["employee_id"] == NIP  # type: ignore[index]

    garbage = check(Path(__file__), employee_id=NIP)
    assert garbage["http_status"] == 422
    assert garbage["error"]["code"] == "image_unreadable"  # type: ignore[index]
    random_bytes = api.client.post(
        f"/api/v1/employees/{NIP}/faces",
        files=[("images", ("x.jpg", bytes(range(256)) * 40, "image/jpeg"))],
        headers=admin,
    )
    assert random_bytes.status_code == 422
    assert random_bytes.json()["results"][0]["error"]["code"] == "image_unreadable"
