"""The review queue in Chromium, at desktop width and 360 px, in both languages: a doubtful
check shows its kept photo (decrypted on request, each view audited), the reason and place
in words, the numbers behind a toggle, and is approved with a note. The photo here is a
synthetic picture, not a face."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, MONDAY_0820_WIB, Launcher, Served, write_y4m
from browser.helpers import new_page, no_horizontal_scroll, sign_in, submit

pytestmark = pytest.mark.slow

KEY = base64.b64encode(bytes(range(32))).decode()
EVIDENCE = {"evidence_photos": True, "evidence_key": KEY}
SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
WORDS = {
    "id": {
        "reason": "belum cukup yakin",
        "place": "Sekitar 90 m dari Kantor Bappeda",
        "numbers": "Angka",
        "similarity": "Kemiripan: 0.412",
        "approve": "Setujui",
        "done": "Keputusan disimpan.",
    },
    "en": {
        "reason": "not sure enough",
        "place": "About 90 m from Kantor Bappeda",
        "numbers": "Numbers",
        "similarity": "Similarity: 0.412",
        "approve": "Approve",
        "done": "Decision saved.",
    },
}


def _doubtful_check(served: Served) -> int:
    from hadir.domain.attendance import AttendanceKind, Decision
    from hadir.services.records import MatchMethod, NewEmployee, NewEvent

    container = served.app.state.container  # type: ignore[attr-defined]
    vault = container.security.evidence
    with container.database.uow_factory() as uow:
        office = uow.offices.add(
            "BPD", "Kantor Bappeda", latitude=-6.1754, longitude=106.8272, radius_m=150
        )
        sri = uow.employees.add(
            NewEmployee(employee_id="1001", name="Sri Wahyuni", unit="Bappeda", office_id=office.id)
        )
        event = uow.events.add(
            NewEvent(
                employee_id=sri.id,
                kind=AttendanceKind.CHECK_IN,
                occurred_at=MONDAY_0820_WIB - timedelta(minutes=25),
                decision=Decision.NEEDS_REVIEW,
                method=MatchMethod.VERIFY,
                similarity=0.412,
                threshold=0.45,
                device="web",
                latitude=-6.17459,
                longitude=106.8272,
                accuracy_m=12,
            )
        )
        y, x = np.mgrid[0:240, 0:320]
        picture = np.stack([x * 255 // 320, y * 255 // 240, np.full_like(x, 140)], -1)
        vault.store(uow, event.id, sri.id, picture.astype(np.uint8), now=MONDAY_0820_WIB)
        uow.commit()
    return int(event.id)


@pytest.mark.parametrize("served", [EVIDENCE], indirect=True)
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_doubtful_check_can_be_judged_and_decided(
    size: str,
    lang: str,
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    words = WORDS[lang]
    event = _doubtful_check(served)
    browser = chromium(
        write_y4m(faces / "Serena_Williams/Serena_Williams_0001.jpg", tmp_path / "c.y4m")
    )
    hr = new_page(browser, served, viewport=SIZES[size])
    sign_in(hr, ADMIN, ADMIN_PASSWORD)
    hr.goto(f"/admin/pemeriksaan?lang={lang}")
    card = hr.locator(f'li[data-event="{event}"]')
    photo = card.locator("img.attempt-photo")
    expect(photo).to_be_visible()
    hr.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    text = card.inner_text()
    assert "Sri Wahyuni" in text and "Bappeda" in text
    assert words["reason"] in text and words["place"] in text
    numbers = card.get_by_text(words["similarity"])
    expect(numbers).to_be_hidden()  # plain words first, the numbers on demand
    card.locator("summary", has_text=words["numbers"]).click()
    expect(numbers).to_be_visible()
    assert no_horizontal_scroll(hr)
    shots(hr, f"review-queue-{size}-{lang}")

    card.locator("input[name=note]").fill("wajah jelas, berkacamata")
    submit(hr, words["approve"])
    expect(hr.locator(".flash.ok")).to_have_text(words["done"])
    with served.app.state.container.database.uow_factory() as uow:  # type: ignore[attr-defined]
        decided = uow.events.get(event)
        views = [e for e in uow.audit.list() if e.action == "evidence.view"]
    assert (
        decided.decision.value == "accepted" and decided.review_note == "wajah jelas, berkacamata"
    )
    assert views and all(v.actor == ADMIN for v in views)
