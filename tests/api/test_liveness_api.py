"""The liveness challenge over HTTP with the real face engine: an office that requires
it refuses the plain check-in, a real head turn (dev photos of one person at different
poses) is accepted, a photo turned as a flat sheet is refused, a challenge is single use
and expires."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import cv2
import httpx
import pytest

from api.conftest import Api, Headers, make_api
from hadir.face.flatwarp import warp_sheet
from hadir.face.intake import decode_image
from hadir.services.records import Role
from hadir.web import i18n
from services.conftest import NOW, FixedClock, photo
from services.helpers import SRI

NIP = "198109262005012003"
PERSON = "Serena_Williams"
ENROL = ("Serena_Williams_0001.jpg", "Serena_Williams_0004.jpg")
FRONTAL, LEFT, RIGHT = (
    "Serena_Williams_0010.jpg",  # yaw about +2 degrees (the detector's estimate)
    "Serena_Williams_0009.jpg",  # about +28: turned to her left
    "Serena_Williams_0015.jpg",  # about -27: turned to her right
)
CHALLENGE = "/api/v1/attendance/challenge"


@pytest.fixture
def real_api(tmp_path: Path, engine: object) -> Iterator[Api]:
    yield from make_api(tmp_path, engine, FixedClock(NOW - timedelta(minutes=30)))


def challenge(api: Api, headers: Headers, action: str, nip: str | None = NIP) -> str:
    """A challenge for ``action`` (the server picks at random: ask until it is that one)."""
    for _ in range(40):
        response = api.client.post(
            CHALLENGE, json={"kind": "check_in", "employee_id": nip}, headers=headers
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["frames"] == {"min": 3, "max": 8}
        assert body["interval_ms"] == 300
        key = f"challenge.{body['action']}"  # the prompt comes from the one catalogue
        assert body["prompt"] == {"id": i18n.ID[key], "en": i18n.EN[key]}
        if body["action"] == action:
            token: str = body["challenge"]
            return token
    raise AssertionError(f"no {action} challenge in 40 tries")


def live(
    api: Api, headers: Headers, token: str, frames: list[bytes], **form: str
) -> httpx.Response:
    files = [("frames", (f"{i}.jpg", data, "image/jpeg")) for i, data in enumerate(frames)]
    return api.client.post(
        "/api/v1/attendance/check-in/live",
        data={"challenge": token, **form},
        files=files,
        headers=headers,
    )


def jpeg(path: Path, yaw: float, distance: float) -> bytes:
    image = warp_sheet(decode_image(path.read_bytes()), yaw=yaw, distance=distance)
    ok, buffer = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    assert ok
    return bytes(buffer.tobytes())


def test_live_check_in_with_the_real_engine(real_api: Api, faces: Path) -> None:
    api = real_api
    folder = faces / PERSON
    admin = api.token(Role.ADMIN)
    kiosk = api.token(Role.KIOSK)
    office = api.client.post(
        "/api/v1/offices",
        json={"code": "SETDA", "name": "Sekretariat Daerah", "require_liveness": True},
        headers=admin,
    )
    assert office.status_code == 201, office.text
    assert office.json()["require_liveness"] is True
    created = api.client.post(
        "/api/v1/employees",
        json={"employee_id": NIP, "name": "Serena Williams", "office_id": office.json()["id"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    files = [("images", (n, (folder / n).read_bytes(), "image/jpeg")) for n in ENROL]
    enrolled = api.client.post(
        f"/api/v1/employees/{NIP}/faces", files=files, data={"consent": "true"}, headers=admin
    )
    assert enrolled.status_code == 201, enrolled.text

    plain = api.client.post(
        "/api/v1/attendance/check-in",
        files={"image": ("f.jpg", (folder / FRONTAL).read_bytes(), "image/jpeg")},
        data={"employee_id": NIP},
        headers=kiosk,
    )
    assert plain.status_code == 403, plain.text
    assert plain.json()["error"]["code"] == "liveness_required"

    token = challenge(api, kiosk, "turn_left_right")
    genuine = [(folder / name).read_bytes() for name in (FRONTAL, LEFT, RIGHT)]
    accepted = live(api, kiosk, token, genuine, employee_id=NIP, device="kiosk-1")
    assert accepted.status_code == 201, accepted.text
    body = accepted.json()
    assert body["employee"]["employee_id"] == NIP
    assert body["decision"] == "accepted"
    assert body["status"] == "on_time"

    again = live(api, kiosk, token, genuine, employee_id=NIP)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "challenge_reused"

    token = challenge(api, kiosk, "turn_left_right")
    sheets = [jpeg(folder / FRONTAL, y, 1.5) for y in (0, -30, -5, 30)]
    refused = live(api, kiosk, token, sheets, employee_id=NIP)
    assert refused.status_code == 403, refused.text
    error = refused.json()["error"]
    assert error["code"] == "liveness_failed"
    assert error["details"]["reason"] in {"planar_motion", "no_motion"}

    token = challenge(api, kiosk, "turn_left_right")
    api.clock.at += timedelta(seconds=61)
    late = live(api, kiosk, token, genuine, employee_id=NIP)
    assert late.status_code == 410
    assert late.json()["error"]["code"] == "challenge_expired"

    log = api.client.get("/api/v1/attendance", headers=admin).json()["items"]
    assert [(e["decision"], e["refusal_code"]) for e in log] == [
        ("accepted", None),
        ("rejected", "liveness_failed"),
    ]  # refused before any face work (required, reused, expired): nothing recorded

    patched = api.client.patch(
        "/api/v1/offices/SETDA", json={"require_liveness": False}, headers=admin
    )
    assert patched.status_code == 200 and patched.json()["require_liveness"] is False
    nulled = api.client.patch(
        "/api/v1/offices/SETDA", json={"require_liveness": None}, headers=admin
    )
    assert nulled.status_code == 422


def test_challenge_roles_and_form_limits(api: Api, operator: Headers) -> None:
    """With the fake engine: employees ask only for themselves; frame counts are bounded."""
    employee = api.employee(SRI, "Sri Wahyuni")
    mine = api.token(Role.EMPLOYEE, employee=employee)
    own = api.client.post(CHALLENGE, json={"kind": "check_out"}, headers=mine)
    assert own.status_code == 201, own.text
    other = api.client.post(CHALLENGE, json={"kind": "check_in", "employee_id": "9"}, headers=mine)
    assert other.status_code == 403
    unknown = api.client.post(
        CHALLENGE, json={"kind": "check_in", "employee_id": "9"}, headers=operator
    )
    assert unknown.status_code == 404
    bad_kind = api.client.post(CHALLENGE, json={"kind": "lunch"}, headers=operator)
    assert bad_kind.status_code == 422
    supervisor = api.token(Role.SUPERVISOR, unit="Bappeda")
    assert (
        api.client.post(CHALLENGE, json={"kind": "check_in"}, headers=supervisor).status_code == 403
    )
    token = own.json()["challenge"]
    many = live(api, mine, token, [photo("sri", seed=i) for i in range(9)])
    assert many.status_code == 422
    wrong_kind = live(api, mine, token, [photo("sri", seed=i) for i in range(3)])
    assert wrong_kind.status_code == 403  # a check-out challenge used to check in
    assert wrong_kind.json()["error"]["details"]["reason"] == "challenge_mismatch"
    tampered = live(api, mine, token[:-3] + "abc", [photo("sri", seed=i) for i in range(3)])
    assert tampered.status_code == 403
    assert tampered.json()["error"]["details"]["reason"] == "invalid_challenge"


def test_plain_check_in_where_liveness_is_required(api: Api, operator: Headers) -> None:
    office = api.client.post(
        "/api/v1/offices",
        json={"code": "BPD", "name": "Bappeda", "require_liveness": True},
        headers=operator,
    ).json()
    employee = api.client.post(
        "/api/v1/employees",
        json={"employee_id": SRI, "name": "Sri Wahyuni", "office_id": office["id"]},
        headers=operator,
    )
    assert employee.status_code == 201, employee.text
    api.enrol(SRI, operator, photo("sri", seed=1))
    with api.database.uow_factory() as uow:
        record = uow.employees.get_by_employee_id(SRI)
    mine = api.token(Role.EMPLOYEE, employee=record)
    kiosk = api.token(Role.KIOSK)

    def plain(headers: Headers, seed: int = 5, **form: str) -> httpx.Response:
        return api.client.post(
            "/api/v1/attendance/check-in",
            files={"image": ("a.jpg", photo("sri", seed=seed), "image/jpeg")},
            data=form,
            headers=headers,
        )

    for headers, form in ((mine, {}), (kiosk, {"employee_id": SRI}), (kiosk, {})):
        refused = plain(headers, **form)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "liveness_required"
    assert plain(operator, employee_id=SRI).status_code == 201  # staff on the employee's behalf
    api.client.patch("/api/v1/offices/BPD", json={"require_liveness": False}, headers=operator)
    again = plain(mine, seed=6)  # a new photo: the same one again is a replay
    assert again.status_code == 201, again.text


def test_a_kiosk_cannot_probe_which_nips_exist(api: Api, kiosk: Headers) -> None:
    """Issue 13, finding 12: the challenge answered 404 for an unknown NIP."""
    api.employee(NIP, "Sri Wahyuni")
    answers = []
    for nip in (NIP, "199912312099011999"):
        response = api.client.post(
            CHALLENGE, json={"kind": "check_in", "employee_id": nip}, headers=kiosk
        )
        answers.append((response.status_code, sorted(response.json())))
    assert answers[0] == answers[1]
    assert answers[0][0] == 201
