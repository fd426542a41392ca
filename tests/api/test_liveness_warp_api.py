"""Issue 13, finding 1, kept fixed: a burst made from one still photo whose nose alone is
pushed sideways by a smooth local warp moved yaw and nose parallax like a real head turn
and was accepted, 1:1 and at a kiosk identifying (1:N). Over HTTP with the real engine and
real dev faces it is now refused (``same_texture``) and recorded, and a real turn of the
same person still checks in at the kiosk (1:N)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import cv2
import pytest

from api.conftest import Api, make_api
from api.test_liveness_api import ENROL, FRONTAL, LEFT, NIP, PERSON, RIGHT, challenge, live
from hadir.face.intake import decode_image
from hadir.face.photowarp import nose_warp
from hadir.face.pipeline import FaceEngine
from hadir.services.records import Role
from services.conftest import NOW, FixedClock


@pytest.fixture
def real_api(tmp_path: Path, engine: object) -> Iterator[Api]:
    yield from make_api(tmp_path, engine, FixedClock(NOW - timedelta(minutes=30)))


def nose_burst(engine: FaceEngine, path: Path) -> list[bytes]:
    """The reported attack: frontal, nose pushed 0.45 eye distances right, then left."""
    image = decode_image(path.read_bytes())
    (face,) = engine.detect(image)
    frames = []
    for shift in (0.0, 0.45, -0.45):
        warped = nose_warp(image, face.landmarks, shift)
        ok, buffer = cv2.imencode(".jpg", cv2.cvtColor(warped, cv2.COLOR_RGB2BGR))
        assert ok
        frames.append(bytes(buffer.tobytes()))
    return frames


def test_a_nose_warped_photo_is_refused_one_to_one_and_at_the_kiosk(
    real_api: Api, engine: FaceEngine, faces: Path
) -> None:
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
    created = api.client.post(
        "/api/v1/employees",
        json={"employee_id": NIP, "name": "Serena Williams", "office_id": office.json()["id"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    api.enrol(NIP, admin, *((folder / n).read_bytes() for n in ENROL))
    with api.database.uow_factory() as uow:
        record = uow.employees.get_by_employee_id(NIP)
    own = api.token(Role.EMPLOYEE, employee=record)

    burst = nose_burst(engine, folder / FRONTAL)
    for headers, nip in ((kiosk, NIP), (own, NIP), (kiosk, None)):
        token = challenge(api, headers, "turn_left_right", nip=nip)
        form = {} if nip is None or headers is own else {"employee_id": nip}
        refused = live(api, headers, token, burst, **form)
        assert refused.status_code == 403, (nip, refused.text)
        error = refused.json()["error"]
        assert error["code"] == "liveness_failed"
        assert error["details"]["reason"] == "same_texture"

    token = challenge(api, kiosk, "turn_left_right", nip=None)
    genuine = [(folder / name).read_bytes() for name in (FRONTAL, LEFT, RIGHT)]
    accepted = live(api, kiosk, token, genuine, device="kiosk-1")
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["employee"]["employee_id"] == NIP

    log = api.client.get("/api/v1/attendance", headers=admin).json()["items"]
    assert sorted((e["decision"], e["refusal_code"]) for e in log) == [
        ("accepted", None),
        *[("rejected", "liveness_failed")] * 3,
    ]
