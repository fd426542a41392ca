"""The employee's phone pages in Chromium at 360 px and desktop width, both languages:
the office's location rule said before the photo (and a check without a position is not
sent), notes for a check-in outside working hours and a repeated one, a one-line header,
history and leave as cards without sideways scrolling, and a leave form that keeps what was
typed and names the wrong field. Check answers are stubbed (test_flow.py runs the real one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import Launcher, Served, write_y4m
from browser.helpers import new_page, no_horizontal_scroll, sign_in, submit

pytestmark = pytest.mark.slow

NIP, PASSWORD = "1001", "sri-12345"
LATE_EVENING = {
    "event_id": 7,
    "employee": {"employee_id": NIP, "name": "Sri Wahyuni", "unit": "Bappeda"},
    "kind": "check_in",
    "time": "2025-03-03T20:08:00+07:00",
    "decision": "accepted",
    "method": "verify",
    "status": "late",
    "late_minutes": 728,
    "left_early_minutes": 0,
    "similarity": 0.9,
    "threshold": 0.5,
    "client_request_id": "x",
}
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
WORDS = {
    "id": {
        "rule": "Kantor Anda memeriksa lokasi",
        "in": "Absen masuk",
        "needed": "Lokasi diperlukan.",
        "after": "di luar jam kerja (hari kerja berakhir pukul 16.00)",
        "again": "sudah absen masuk hari ini pukul 20.08",
        "field": "Periksa isian: Tanggal selesai",
        "submit": "Ajukan izin",
    },
    "en": {
        "rule": "Your office checks where you are",
        "in": "Check in",
        "needed": "Your location is needed.",
        "after": "outside working hours (the day ended at 16:00)",
        "again": "already checked in today at 20:08",
        "field": "Check this field: End date",
        "submit": "Request leave",
    },
}


def _employee_with_a_fenced_office(served: Served) -> None:
    from hadir.services.auth import create_user
    from hadir.services.records import NewEmployee, Role

    database = served.app.state.container.database  # type: ignore[attr-defined]
    with database.uow_factory() as uow:
        office = uow.offices.add(
            "BPD", "Kantor Bappeda", latitude=-6.1754, longitude=106.8272, radius_m=150
        )
        sri = uow.employees.add(
            NewEmployee(employee_id=NIP, name="Sri Wahyuni", unit="Bappeda", office_id=office.id)
        )
        create_user(uow, NIP, PASSWORD, Role.EMPLOYEE, employee_id=sri.id)
        uow.commit()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_phone_pages(
    size: str,
    lang: str,
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    words = WORDS[lang]
    _employee_with_a_fenced_office(served)
    browser = chromium(
        write_y4m(faces / "Serena_Williams/Serena_Williams_0001.jpg", tmp_path / "c.y4m")
    )

    # no location permission: the rule is said first, and nothing is sent without a position
    lost = new_page(
        browser, served, viewport=SIZES[size], is_mobile=size == "phone", permissions=["camera"]
    )
    sign_in(lost, NIP, PASSWORD)
    lost.goto(f"/absen?lang={lang}")
    expect(lost.locator("#location-rule")).to_contain_text(words["rule"])
    sent: list[str] = []
    lost.route("**/api/v1/attendance/**", lambda r: (sent.append(r.request.url), r.abort()))
    button = lost.get_by_role("button", name=words["in"], exact=True)
    expect(button).to_be_enabled(timeout=30_000)
    button.click()
    expect(lost.locator("#result")).to_contain_text(words["needed"], timeout=30_000)
    assert sent == []

    # with a position: a check-in at 20:08 is explained, and so is a second one
    phone = new_page(browser, served, viewport=SIZES[size], is_mobile=size == "phone")
    sign_in(phone, NIP, PASSWORD)
    phone.goto(f"/absen?lang={lang}")
    phone.route(
        "**/api/v1/attendance/check-in",
        lambda r: r.fulfill(
            status=201, content_type="application/json", body=json.dumps(LATE_EVENING)
        ),
    )
    button = phone.get_by_role("button", name=words["in"], exact=True)
    expect(button).to_be_enabled(timeout=30_000)
    button.click()
    result = phone.locator("#result")
    expect(result).to_have_attribute("data-outcome", "ok", timeout=30_000)
    assert words["after"] in result.inner_text()
    expect(button).to_be_enabled()
    button.click()
    expect(result).to_contain_text(words["again"], timeout=30_000)
    header = phone.locator("header.top").bounding_box()
    assert header and header["height"] <= 56, header  # one line, even at 360 px
    assert no_horizontal_scroll(phone)
    shots(phone, f"phone-checkin-{size}-{lang}")

    # leave: end before start keeps the form and names the field; lists are cards
    phone.goto(f"/absen/izin?lang={lang}")
    phone.locator("#leave-start").fill("2025-03-05")
    phone.locator("#leave-end").fill("2025-03-01")
    phone.locator("#leave-reason").fill("urusan keluarga")
    submit(phone, words["submit"])
    assert words["field"] in phone.locator("#leave-problem").inner_text()
    assert phone.locator("#leave-end").get_attribute("aria-invalid") == "true"
    assert phone.locator("#leave-start").input_value() == "2025-03-05"
    assert phone.locator("#leave-reason").input_value() == "urusan keluarga"
    phone.locator("#leave-end").fill("2025-03-06")
    submit(phone, words["submit"])
    for path in ("/absen/izin", "/absen/riwayat"):
        phone.goto(f"{path}?lang={lang}")
        assert no_horizontal_scroll(phone), path
        if size == "phone" and path == "/absen/izin":
            row = phone.locator("table.cards tbody tr").first.bounding_box()
            assert row and row["width"] <= 360, row  # a card, not a wide row
            shots(phone, f"phone-leave-{lang}")
    assert not [e for e in phone.errors if "Content Security Policy" in e], phone.errors
