"""In Chromium: keyboard-only sign-in, 360 px wide pages without sideways scrolling or
unlabelled controls, and the check-in page's liveness path with stubbed server answers
(an accepted burst; test_liveness_real.py runs the same path against the real server)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, no_horizontal_scroll, submit, unlabelled_controls

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}
CHALLENGE = {
    "challenge": "chl_test",
    "action": "turn_left_right",
    "frames": {"min": 3, "max": 8},
    "interval_ms": 100,
    "expires_at": "2025-03-03T01:21:00Z",
    "prompt": {"id": "Tolehkan kepala ke kiri lalu ke kanan", "en": "Turn left then right"},
}
ACCEPTED = {
    "event_id": 1,
    "employee": {"employee_id": "1001", "name": "Sri Wahyuni", "unit": "Bappeda"},
    "kind": "check_in",
    "time": "2025-03-03T07:55:00+07:00",
    "decision": "accepted",
    "method": "verify",
    "status": "on_time",
    "late_minutes": 0,
    "left_early_minutes": 0,
    "similarity": 0.9,
    "threshold": 0.5,
    "client_request_id": "x",
}


def _employee_account(served: Served) -> None:
    from hadir.services.auth import create_user
    from hadir.services.records import NewEmployee, Role

    with served.app.state.container.database.uow_factory() as uow:  # type: ignore[attr-defined]
        sri = uow.employees.add(NewEmployee(employee_id="1001", name="Sri Wahyuni", unit="Bappeda"))
        create_user(uow, "1001", "sri-12345", Role.EMPLOYEE, employee_id=sri.id)
        uow.commit()


def _keyboard_sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/masuk")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.locator("#username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_small_screens_keyboard_and_the_liveness_path(
    served: Served, chromium: Launcher, faces: Path, tmp_path: Path
) -> None:
    _employee_account(served)
    camera = write_y4m(
        faces / "Serena_Williams/Serena_Williams_0001.jpg",
        tmp_path / "c.y4m",
        width=1280,
        height=960,
    )
    browser = chromium(camera)

    admin = new_page(browser, served, viewport=PHONE, is_mobile=True)
    _keyboard_sign_in(admin, ADMIN, ADMIN_PASSWORD)
    assert admin.url.endswith("/admin")
    for path in (
        "/admin",
        "/admin/pegawai",
        "/admin/kehadiran",
        "/admin/izin",
        "/admin/kalender",
        "/admin/pengguna",
        "/admin/laporan",
        "/admin/pegawai/1001",
    ):
        admin.goto(path)
        assert no_horizontal_scroll(admin), path
        assert unlabelled_controls(admin) == [], path
    admin.goto("/admin/pegawai/1001")  # enrol from the webcam (the fake camera)
    admin.get_by_role("button", name="Ambil dari kamera").click()
    admin.get_by_role("button", name="Ambil foto").click()
    expect(admin.locator("#webcam-count")).to_have_text("1")
    admin.get_by_label("Pegawai telah menyetujui penyimpanan data wajah").check()
    submit(admin, "Unggah dan daftarkan")
    assert admin.locator(".outcomes li[data-accepted=true]").count() == 1
    assert admin.locator(".templates li").count() == 1
    admin.goto("/admin?lang=en")
    assert admin.get_by_role("heading", name="Dashboard").is_visible()

    phone = new_page(browser, served, viewport=PHONE, is_mobile=True)
    _keyboard_sign_in(phone, "1001", "sri-12345")
    assert phone.url.endswith("/absen")
    sent: dict[str, Any] = {}

    def plain(route: Any) -> None:
        sent["plain"] = route.request.post_data_buffer
        body = {"error": {"code": "liveness_required", "message": "liveness needed"}}
        route.fulfill(status=403, content_type="application/json", body=json.dumps(body))

    def challenge(route: Any) -> None:
        sent["challenge"] = route.request.post_data_json
        sent["challenge_csrf"] = route.request.headers.get("x-csrf-token")
        route.fulfill(status=201, content_type="application/json", body=json.dumps(CHALLENGE))

    def live(route: Any) -> None:
        sent["live"] = route.request.post_data_buffer
        route.fulfill(status=201, content_type="application/json", body=json.dumps(ACCEPTED))

    phone.route("**/api/v1/attendance/check-in", plain)
    phone.route("**/api/v1/attendance/challenge", challenge)
    phone.route("**/api/v1/attendance/check-in/live", live)
    button = phone.get_by_role("button", name="Absen masuk")
    expect(button).to_be_enabled(timeout=30_000)
    button.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#status")).to_contain_text("Tolehkan kepala", timeout=30_000)
    result = phone.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok", timeout=30_000)
    assert "Tepat waktu" in result.inner_text()
    assert sent["challenge"] == {"kind": "check_in", "employee_id": None}
    assert re.fullmatch(r"[0-9a-f]{64}", sent["challenge_csrf"] or "")
    body: bytes = sent["live"]
    assert body.count(b'name="frames"') == 5  # min + 2, within min..max
    assert body.count(b"image/jpeg") == 5
    assert b'name="challenge"\r\n\r\nchl_test' in body
    assert b'name="latitude"' in body and b'name="client_request_id"' in body
    assert no_horizontal_scroll(phone)
    photo = _jpeg_in(sent["plain"])  # the camera streams 1280 px wide; the page shrinks it
    assert max(photo.shape[:2]) == 960


def _jpeg_in(multipart: bytes) -> np.ndarray:
    start = multipart.index(b"\xff\xd8\xff")
    end = multipart.index(b"\r\n--", start)
    image = cv2.imdecode(np.frombuffer(multipart[start:end], np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "the upload is not a JPEG"
    return image
