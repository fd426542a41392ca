"""Issue 15 in Debian's Chromium: HR builds the unit tree (agency → bidang) and adds two
employees choosing their unit from it, the staff member asks on their phone for a
correction of a forgotten check-out, their direct superior approves it from their own
page, and HR sees it approved in the console and marked in the daily report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, sign_in, submit

pytestmark = pytest.mark.slow

KEPALA = "197001011995031001"
STAF = "199001012015011003"


def _add_employee(page: object, nip: str, name: str, unit: str, superior: str = "") -> None:
    page.goto("/admin/pegawai")  # type: ignore[attr-defined]
    page.get_by_label("NIP", exact=True).fill(nip)  # type: ignore[attr-defined]
    page.get_by_label("Nama", exact=True).fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Unit kerja").select_option(unit)  # type: ignore[attr-defined]
    if superior:
        page.get_by_label("NIP atasan langsung").fill(superior)  # type: ignore[attr-defined]
    page.get_by_label("Kata sandi akun pegawai (opsional)").fill("sandi-12345")  # type: ignore[attr-defined]
    submit(page, "Tambah pegawai")


def test_unit_tree_and_correction_approval(
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    camera = write_y4m(faces / "Serena_Williams" / "Serena_Williams_0010.jpg", tmp_path / "c.y4m")
    browser = chromium(camera)
    admin = new_page(browser, served, viewport={"width": 1280, "height": 900})
    sign_in(admin, ADMIN, ADMIN_PASSWORD)

    admin.goto("/admin/unit")
    expect(admin.locator("main")).to_contain_text("Belum ada unit.")
    admin.get_by_label("Nama unit").fill("Dinas Kominfo")
    submit(admin, "Tambah")
    admin.get_by_label("Nama unit").fill("Bidang TI")
    admin.get_by_label("Unit induk").select_option("Dinas Kominfo")
    submit(admin, "Tambah")
    rows = admin.locator("#unit-tree tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_have_attribute("data-depth", "1")
    expect(rows.nth(1)).to_contain_text("Bidang")
    shots(admin, "console-units")

    _add_employee(admin, KEPALA, "Kepala Bidang TI", "Bidang TI")
    _add_employee(admin, STAF, "Staf Satu", "Bidang TI", superior=KEPALA)
    admin.goto("/admin/unit")
    expect(admin.locator("#unit-tree tbody tr").nth(1)).to_contain_text("2")

    phone = new_page(browser, served, viewport={"width": 360, "height": 740})
    sign_in(phone, STAF, "sandi-12345")
    phone.goto("/absen/koreksi")
    phone.get_by_label("Tanggal").fill("2025-02-28")
    phone.get_by_label("Jenis").select_option("forgot_check_out")
    phone.get_by_label("Jam masuk").fill("07:45")
    phone.get_by_label("Jam pulang").fill("16:10")
    phone.get_by_label("Alasan").fill("Lupa absen pulang, rapat sampai sore")
    submit(phone, "Ajukan")
    expect(phone.locator("main")).to_contain_text("Koreksi diajukan.")
    expect(phone.locator("#my-corrections")).to_contain_text("Menunggu")

    boss = new_page(browser, served, viewport={"width": 360, "height": 740})
    sign_in(boss, KEPALA, "sandi-12345")
    boss.goto("/absen/koreksi")
    queue = boss.locator("#correction-queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text("Staf Satu")
    shots(boss, "correction-queue")
    submit(boss, "Setujui")
    expect(boss.locator("main")).to_contain_text("Keputusan disimpan.")
    expect(boss.locator("#correction-queue")).to_have_count(0)

    admin.goto("/admin/koreksi")
    expect(admin.locator("#all-corrections tbody tr")).to_have_count(1)
    expect(admin.locator("#all-corrections")).to_contain_text("Disetujui")
    expect(admin.locator("#all-corrections")).to_contain_text(KEPALA)
    answer = admin.request.get("/api/v1/reports/daily?date=2025-02-28")
    assert answer.ok, answer.text()
    rows_json = [r for r in answer.json()["daily"] if r["employee_id"] == STAF]
    assert rows_json and rows_json[0]["corrected"] is True
    assert not admin.errors and not phone.errors and not boss.errors, (
        admin.errors,
        phone.errors,
        boss.errors,
    )
