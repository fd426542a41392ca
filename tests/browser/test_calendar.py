"""Issue 15 (schedules as offices keep them) in Debian's Chromium: HR gives Friday shorter
hours, sees them in the table and the form, deletes a holiday through the confirm step,
and adds a night shift that ends the next day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, sign_in, submit

pytestmark = pytest.mark.slow


def test_edit_a_weekday_schedule_and_delete_a_holiday(
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    camera = write_y4m(faces / "Serena_Williams" / "Serena_Williams_0010.jpg", tmp_path / "c.y4m")
    admin = new_page(chromium(camera), served, viewport={"width": 1280, "height": 900})
    asked: list[str] = []

    def confirm(dialog: object) -> None:
        asked.append(dialog.message)  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    admin.on("dialog", confirm)
    sign_in(admin, ADMIN, ADMIN_PASSWORD)

    admin.goto("/admin/kalender")
    admin.get_by_label("Jam masuk Jum").fill("07:30")
    admin.get_by_label("Jam pulang Jum").fill("11:30")
    submit(admin, "Simpan")
    expect(admin.locator(".flash").first).to_contain_text("Tersimpan")
    table = admin.locator("#sched-title + .table-wrap table")
    expect(table).to_contain_text("Jum 07:30–11:30")
    expect(table).to_contain_text("08:00–16:00")
    # edit again: the form comes back filled with Friday's own hours
    admin.get_by_role("link", name="Ubah jadwal Semua (bawaan)").click()
    expect(admin.get_by_label("Jam masuk Jum")).to_have_value("07:30")
    admin.get_by_label("Jam pulang Jum").fill("11:00")
    submit(admin, "Simpan")
    expect(table).to_contain_text("Jum 07:30–11:00")
    shots(admin, "console-calendar-weekday-hours")

    admin.get_by_label("Tanggal", exact=True).fill("2026-06-01")
    admin.get_by_label("Nama hari libur").fill("Hari Jadi Kabupaten")
    with admin.expect_navigation():
        admin.locator("#hol-form").get_by_role("button", name="Tambah").click()
    holidays = admin.locator("ul.holidays")
    expect(holidays).to_contain_text("Hari Jadi Kabupaten")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Hapus Hari Jadi Kabupaten").click()
    assert asked == ["Hapus hari libur Hari Jadi Kabupaten?"]
    expect(admin.locator(".flash").first).to_contain_text("Hari libur dihapus")
    expect(admin.locator("#hol-title")).to_have_text("Hari libur 2026")

    admin.get_by_role("link", name="Shift & jadwal dinas").click()
    admin.get_by_label("Kode").fill("malam")
    admin.get_by_label("Nama", exact=True).fill("Malam")
    admin.get_by_label("Jam masuk").fill("20:00")
    admin.get_by_label("Jam pulang").fill("08:00")
    with admin.expect_navigation():
        admin.locator("#shift-form").get_by_role("button", name="Tambah").click()
    expect(admin.locator("#shift-title + .table-wrap table")).to_contain_text(
        "20:00–08:00 (hari berikutnya)"
    )
    shots(admin, "console-shifts")
    assert not admin.errors, admin.errors
