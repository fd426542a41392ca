"""Issue 15 in Debian's Chromium: HR imports staff from a file and reads a result per
line, an administrator gives an employee account a one-time password, and the employee
signs in by NIP (typed in groups) and must change it before anything else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, sign_in, submit

pytestmark = pytest.mark.slow

SRI = "198503152010012002"
FILE = (
    "NIP;Nama;Jenis;Golongan;Atasan;TMT;Unit kerja\n"
    "19800101 200501 1 001;Kepala Dinas;pns;IV/b;;2020-01-02;Diskominfo\n"
    "19850315 201001 2 002;Sri Wahyuni;pns;3a;198001012005011001;17/03/2025;Bidang TI\n"
    "19850315 201013 1 003;Salah Bulan;pns;;;;Bidang TI\n"
)


def test_import_reset_and_first_sign_in_by_nip(
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    camera = write_y4m(faces / "Serena_Williams" / "Serena_Williams_0010.jpg", tmp_path / "c.y4m")
    browser = chromium(camera)
    admin = new_page(browser, served, viewport={"width": 1280, "height": 900})
    admin.on("dialog", lambda dialog: dialog.accept())
    sign_in(admin, ADMIN, ADMIN_PASSWORD)

    admin.goto("/admin/pegawai")
    admin.get_by_role("link", name="Impor dari berkas").click()
    staff_file = tmp_path / "pegawai.csv"
    staff_file.write_text(FILE, encoding="utf-8")
    admin.get_by_label("Pilih berkas").set_input_files(staff_file)
    submit(admin, "Impor")
    expect(admin.locator("#import-counts")).to_have_text(
        "2 ditambahkan, 0 diperbarui, 0 tidak berubah, 1 ditolak."
    )
    lines = admin.locator("#import-lines tbody tr")
    expect(lines).to_have_count(3)
    expect(lines.nth(2)).to_contain_text("Ditolak")
    expect(lines.nth(2)).to_contain_text("digits 9-14")
    shots(admin, "console-import")
    admin.goto(f"/admin/pegawai/{SRI}")
    expect(admin.locator("main")).to_contain_text("III/a (Penata Muda)")
    expect(admin.get_by_label("NIP atasan langsung")).to_have_value("198001012005011001")

    admin.goto("/admin/pengguna")
    expect(admin.get_by_label("Peran", exact=True)).to_have_value("employee")
    admin.get_by_label("NIP pegawai").fill("19850315 201001 2 002")
    admin.get_by_label("Kata sandi", exact=True).fill("awal-12345")
    submit(admin, "Tambah pengguna")
    admin.get_by_role("button", name=f"Atur ulang kata sandi {SRI}").click()
    admin.wait_for_load_state()
    one_time = admin.locator("#one-time-password").inner_text().strip()
    assert len(one_time) == 12

    phone = new_page(browser, served, viewport={"width": 360, "height": 740})
    sign_in(phone, "19850315 201001 2 002", one_time)
    assert phone.url.endswith("/akun/sandi"), phone.url
    expect(phone.locator("main")).to_contain_text("kata sandi sekali pakai")
    phone.get_by_label("Kata sandi saat ini").fill(one_time)
    phone.get_by_label("Kata sandi baru (minimal 8 karakter)").fill("baru-12345")
    phone.get_by_label("Ulangi kata sandi baru").fill("baru-12345")
    submit(phone, "Simpan kata sandi")
    expect(phone.locator("main")).to_contain_text("Kata sandi diganti.")
    phone.goto("/absen")
    assert phone.url.endswith("/absen"), phone.url
    assert not admin.errors and not phone.errors, (admin.errors, phone.errors)
