"""Review that can be decided (fake engine, evidence photos on): the photo of a doubtful or
refused attempt is kept encrypted (an accepted one is not), shown to HR with the reason in
words, the unit, the place and the distance from the office; every view is audited;
supervisors see no photos."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from api.conftest import make_api
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.services.records import NewEmployee, Role
from services.conftest import NOW, FakeFaceEngine, FixedClock, photo
from web.conftest import Web

KEY = base64.b64encode(bytes(range(32))).decode()
MARK = b"#fake-face#"


class PixelFakeEngine(FakeFaceEngine):
    """The fake engine reading its instructions after a real JPEG (so the server can keep
    the pixels as an evidence photo)."""

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
    ) -> FaceAnalysis:
        return super().analyse(data.rsplit(MARK, 1)[-1], purpose, image=image)


def jpeg_photo(person: str, *, sim: float = 0.98, seed: int = 0) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (120, 160, 3), dtype=np.uint8)
    ok, encoded = cv2.imencode(".jpg", pixels)
    assert ok
    return encoded.tobytes() + MARK + photo(person, sim=sim, seed=seed)


OFFICE = {"latitude": -6.1754, "longitude": 106.8272}


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    for api in make_api(
        tmp_path, PixelFakeEngine(), FixedClock(NOW), evidence_photos=True, evidence_key=KEY
    ):
        yield Web(api)


def _attempts(web: Web) -> tuple[int, int, int]:
    """Sri (office Bappeda, 100 m radius): one accepted, one doubtful, both 90 m away, and a
    stranger refused at the kiosk."""
    with web.api.database.uow_factory() as uow:
        office = uow.offices.add("BPD", "Kantor Bappeda", radius_m=100, **OFFICE)
        uow.commit()
    staff = web.api.token(Role.OPERATOR)
    with web.api.database.uow_factory() as uow:
        sri = uow.employees.add(
            NewEmployee(employee_id="1001", name="Sri Wahyuni", unit="Bappeda", office_id=office.id)
        )
        uow.commit()
    web.api.enrol("1001", staff, photo("sri", seed=1), photo("sri", seed=2))
    me = web.api.token(Role.EMPLOYEE, employee=sri)
    ids = []
    for sim, seed, kind in ((0.98, 5, "check-in"), (0.7, 7, "check-out")):
        files = {"image": ("f.jpg", jpeg_photo("sri", sim=sim, seed=seed), "image/jpeg")}
        near = {"latitude": "-6.17459", "longitude": "106.8272", "accuracy_m": "15"}
        answer = web.client.post(f"/api/v1/attendance/{kind}", files=files, data=near, headers=me)
        assert answer.status_code == 201, answer.text
        ids.append(int(answer.json()["event_id"]))
    kiosk = web.api.token(Role.KIOSK)
    files = {"image": ("f.jpg", jpeg_photo("budi", seed=9), "image/jpeg")}
    refused = web.client.post(
        "/api/v1/attendance/check-in",
        files=files,
        data={"employee_id": "1001", "device": "kiosk"},
        headers=kiosk,
    )
    assert refused.status_code == 403
    with web.api.database.uow_factory() as uow:
        last = max(e.id for e in uow.events.list())
    return ids[0], ids[1], last


def test_only_doubtful_and_refused_photos_are_kept_and_each_view_is_audited(web: Web) -> None:
    accepted, doubtful, refused = _attempts(web)
    with web.api.database.uow_factory() as uow:
        kept = {
            i: uow.evidence.find_for_event(i) is not None for i in (accepted, doubtful, refused)
        }
    assert kept == {accepted: False, doubtful: True, refused: True}

    hr = web.browser(Role.OPERATOR, name="hr-desk")
    page = hr.get("/admin/pemeriksaan").text
    assert f'src="/admin/foto/{doubtful}"' in page
    assert "Sri Wahyuni" in page and "Bappeda" in page
    assert "belum cukup yakin untuk diterima otomatis" in page
    assert "Sekitar 90 m dari Kantor Bappeda" in page
    assert "di luar radius" not in page
    assert re.search(r"Kemiripan: 0\.\d{3}", page)  # the numbers, behind a details toggle
    assert "<details>" in page

    shown = hr.get(f"/admin/foto/{doubtful}")
    assert shown.status_code == 200 and shown.content[:3] == b"\xff\xd8\xff"
    assert shown.headers["cache-control"] == "no-store"
    assert hr.get(f"/admin/foto/{accepted}").status_code == 404  # none kept
    refused_page = hr.get("/admin/ditolak").text
    assert f'src="/admin/foto/{refused}"' in refused_page
    assert "Wajah tidak dikenali." in refused_page and "Di kiosk." in refused_page
    assert hr.get(f"/admin/foto/{refused}").status_code == 200
    with web.api.database.uow_factory() as uow:
        views = [
            (e.actor, e.target, e.detail.get("ip"))
            for e in uow.audit.list()
            if e.action == "evidence.view"
        ]
    assert sorted(views) == [
        ("hr-desk", f"event:{doubtful}", "testclient"),
        ("hr-desk", f"event:{refused}", "testclient"),
    ]

    english = hr.get("/admin/pemeriksaan?lang=en").text
    assert "not sure enough to accept automatically" in english
    assert "About 90 m from Kantor Bappeda" in english


def test_supervisors_decide_without_seeing_photos(web: Web) -> None:
    _, doubtful, _ = _attempts(web)
    lead = web.browser(Role.SUPERVISOR, unit="Bappeda")
    page = lead.get("/admin/pemeriksaan").text
    assert f'data-event="{doubtful}"' in page and "/admin/foto/" not in page
    assert lead.get(f"/admin/foto/{doubtful}").status_code == 403
    with web.api.database.uow_factory() as uow:
        assert not [e for e in uow.audit.list() if e.action == "evidence.view"]


def test_a_position_beyond_the_radius_is_called_outside() -> None:
    from dataclasses import replace

    from hadir.services.attempts import AttemptFacts
    from hadir.services.records import OfficeRecord

    office = OfficeRecord(1, "BPD", "Kantor", "Asia/Jakarta", -6.1754, 106.8272, 100.0)
    facts = AttemptFacts(None, None, office, 300.0, False)  # type: ignore[arg-type]
    assert facts.outside
    assert not replace(facts, distance_m=90.0).outside
    assert not replace(facts, office=replace(office, radius_m=None)).outside
