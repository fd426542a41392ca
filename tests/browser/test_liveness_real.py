"""In Chromium against the real server and engine: an employee whose office requires a
liveness challenge is switched to it by the server, the page sends its burst of frames,
and a still picture held to the camera (the fake camera plays one photo) is refused with
the plain liveness message; the refused attempt is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import Launcher, Served, write_y4m
from browser.helpers import new_page, sign_in

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 740}


def test_a_still_photo_fails_the_real_liveness_challenge(
    served: Served, chromium: Launcher, faces: Path, tmp_path: Path
) -> None:
    from hadir.services.auth import create_user
    from hadir.services.enrolment import enrol_faces
    from hadir.services.records import EventFilter, NewEmployee, Role

    app = served.app
    database = app.state.container.database  # type: ignore[attr-defined]
    photos = sorted((faces / "Serena_Williams").glob("*.jpg"))
    with database.uow_factory() as uow:
        office = uow.offices.add("DISKOMINFO", "Diskominfo", require_liveness=True)
        serena = uow.employees.add(
            NewEmployee(employee_id="2001", name="Serena Williams", office_id=office.id)
        )
        create_user(uow, "2001", "serena-12345", Role.EMPLOYEE, employee_id=serena.id)
        uow.commit()
    outcomes = enrol_faces(
        database.uow_factory(),
        app.state.container.face_engine,  # type: ignore[attr-defined]
        "2001",
        [p.read_bytes() for p in photos[:2]],
        consent=True,
    )
    assert all(o.accepted for o in outcomes)

    browser = chromium(write_y4m(photos[2], tmp_path / "still.y4m"))
    phone = new_page(browser, served, viewport=PHONE, is_mobile=True)
    sign_in(phone, "2001", "serena-12345")
    button = phone.get_by_role("button", name="Absen masuk")
    expect(button).to_be_enabled(timeout=30_000)
    button.click()
    result = phone.locator("#result")
    expect(result).to_have_attribute("data-outcome", "liveness_failed", timeout=60_000)
    assert "Pemeriksaan keaslian gagal." in result.inner_text()

    with database.uow_factory() as uow:
        events = uow.events.list(EventFilter(employee_id=serena.id))
    assert [(e.decision.value, e.refusal_code) for e in events] == [("rejected", "liveness_failed")]
