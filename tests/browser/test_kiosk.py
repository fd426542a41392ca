"""The kiosk in Chromium on a tablet (portrait and landscape) and a 360 px screen, in both
languages: a large clock and date from the server's clock, check-in proposed in the morning
with a large manual override, a large result with the name and time, a fullscreen button,
and no sign-out without a staff password. The kiosk's check answer is stubbed here (the
real 1:N path at the kiosk runs in test_flow.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, no_horizontal_scroll, submit, unlabelled_controls

pytestmark = pytest.mark.slow

ACCEPTED = {
    "event_id": 1,
    "employee": {"employee_id": "1001", "name": "Sri Wahyuni", "unit": "Bappeda"},
    "kind": "check_in",
    "time": "2025-03-03T08:20:00+07:00",
    "decision": "accepted",
    "method": "identify",
    "status": "late",
    "late_minutes": 20,
    "left_early_minutes": 0,
    "similarity": 0.9,
    "threshold": 0.5,
    "client_request_id": "x",
}
SCREENS = {
    "portrait": {"width": 800, "height": 1280},
    "landscape": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
WORDS = {
    "id": {
        "date": "Senin, 3 Maret 2025",
        "in": "Absen masuk",
        "out": "Absen pulang",
        "manual": "Dipilih manual",
        "welcome": "Selamat datang, Sri Wahyuni",
        "at": "Tercatat pukul 08.20 WIB",
        "late": "Terlambat 20 menit",
        "full": "Layar penuh",
        "staff": "Keluarkan kiosk (petugas)",
    },
    "en": {
        "date": "Monday 3 March 2025",
        "in": "Check in",
        "out": "Check out",
        "manual": "Chosen by hand",
        "welcome": "Welcome, Sri Wahyuni",
        "at": "Recorded at 08:20 WIB",
        "late": "Late by 20 minutes",
        "full": "Full screen",
        "staff": "Sign the kiosk out (staff)",
    },
}


def _kiosk_token(served: Served) -> str:
    from hadir.services.accounts import create_kiosk_token

    clock = served.app.state.container.clock  # type: ignore[attr-defined]
    database = served.app.state.container.database  # type: ignore[attr-defined]
    return create_kiosk_token(database.uow_factory(), "lobi", now=clock(), actor="t").token


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_kiosk_on_a_tablet_and_a_small_screen(
    lang: str,
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    words = WORDS[lang]
    camera = write_y4m(faces / "Serena_Williams/Serena_Williams_0001.jpg", tmp_path / "k.y4m")
    browser = chromium(camera)
    token = _kiosk_token(served)
    kiosk = new_page(browser, served, viewport=SCREENS["landscape"])
    kiosk.goto(f"/kiosk/aktifkan?lang={lang}")
    kiosk.locator("#token").fill(token)
    submit(kiosk, "Aktifkan kiosk" if lang == "id" else "Activate kiosk")
    assert kiosk.url.endswith("/kiosk")
    answered: list[str] = []

    def accept(route: Any) -> None:
        answered.append(route.request.url)
        route.fulfill(status=201, content_type="application/json", body=json.dumps(ACCEPTED))

    kiosk.route("**/api/v1/attendance/check-*", accept)
    clock = kiosk.locator("#clock-time")
    expect(clock).to_have_text("08.20" if lang == "id" else "08:20")  # the server's clock
    assert words["date"] in kiosk.locator("#clock-date").inner_text().replace(",", "") or (
        words["date"] in kiosk.locator("#clock-date").inner_text()
    )
    assert float(clock.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 48
    check_in = kiosk.get_by_role("button", name=words["in"])
    check_out = kiosk.get_by_role("button", name=words["out"])
    expect(check_in).to_have_attribute("aria-pressed", "true")  # 08:20 is before noon
    assert check_in.bounding_box()["height"] >= 60  # type: ignore[index]
    expect(kiosk.get_by_role("button", name=words["full"])).to_be_visible()
    assert kiosk.get_by_role("button", name="Keluar").count() == 0
    assert kiosk.get_by_role("button", name="Sign out").count() == 0

    result = kiosk.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok", timeout=30_000)
    text = result.inner_text()
    assert words["welcome"] in text and words["at"] in text and words["late"] in text, text
    assert "check-in" in answered[0]
    assert (
        float(
            result.locator(".result-title").evaluate(
                "e => parseFloat(getComputedStyle(e).fontSize)"
            )
        )
        >= 32
    )
    assert no_horizontal_scroll(kiosk)
    shots(kiosk, f"kiosk-landscape-{lang}")

    check_out.click()  # the large manual override, for the next check
    expect(check_out).to_have_attribute("aria-pressed", "true")
    expect(check_in).to_have_attribute("aria-pressed", "false")
    expect(kiosk.locator("#mode-note")).to_contain_text(words["manual"])

    for name in ("portrait", "phone"):
        kiosk.set_viewport_size(SCREENS[name])
        kiosk.wait_for_timeout(200)
        assert no_horizontal_scroll(kiosk), name
        assert unlabelled_controls(kiosk) == [], name
        video, clock_box = kiosk.locator("video").bounding_box(), clock.bounding_box()
        assert video and clock_box
        if name == "portrait":  # stacked: the clock above the camera
            assert clock_box["y"] < video["y"]
            shots(kiosk, f"kiosk-portrait-{lang}")

    # a passer-by: the sign-out page wants a staff password
    kiosk.get_by_role("link", name=words["staff"]).click()
    kiosk.wait_for_url("**/kiosk/keluar")
    kiosk.locator("#username").fill(ADMIN)
    kiosk.locator("#password").fill("bukan-sandinya")
    submit(kiosk, "Keluarkan kiosk" if lang == "id" else "Sign the kiosk out")
    assert kiosk.locator(".flash.error").is_visible()
    kiosk.locator("#username").fill(ADMIN)
    kiosk.locator("#password").fill(ADMIN_PASSWORD)
    submit(kiosk, "Keluarkan kiosk" if lang == "id" else "Sign the kiosk out")
    assert kiosk.url.endswith("/kiosk/aktifkan")
    assert not [e for e in kiosk.errors if "Content Security Policy" in e], kiosk.errors
