"""The whole web app in Debian's Chromium against the real server and face engine:
admin adds and enrols an employee, the employee checks in through the camera page, the
event shows in the log, the monthly XLSX and the printable recap (page, print to A4
landscape, PDF), and a stranger is refused at the kiosk."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from browser.conftest import ADMIN, ADMIN_PASSWORD, Launcher, Served, write_y4m
from browser.helpers import new_page, no_horizontal_scroll, sign_in, submit, unlabelled_controls

NIP = "198001012005011001"
PASSWORD = "pegawai-123"

pytestmark = pytest.mark.slow


def test_full_flow(
    served: Served,
    chromium: Launcher,
    faces: Path,
    tmp_path: Path,
    shots: Callable[[object, str], Path],
) -> None:
    serena = faces / "Serena_Williams"
    own_camera = write_y4m(serena / "Serena_Williams_0010.jpg", tmp_path / "serena.y4m")
    stranger_camera = write_y4m(faces / "Ariel_Sharon/Ariel_Sharon_0001.jpg", tmp_path / "x.y4m")
    browser = chromium(own_camera)

    # HR: sign in, add the employee with an account, enrol two photos by upload
    admin = new_page(browser, served, viewport={"width": 1280, "height": 900})
    sign_in(admin, ADMIN, ADMIN_PASSWORD)
    assert admin.url.endswith("/admin")
    assert admin.locator("[data-count=present]").inner_text() == "0"
    with served.app.state.container.database.uow_factory() as uow:  # type: ignore[attr-defined]
        uow.units.add("Bappeda")  # units are chosen from the managed tree
        uow.commit()
    admin.goto("/admin/pegawai")
    admin.get_by_label("NIP", exact=True).fill(NIP)
    admin.get_by_label("Nama", exact=True).fill("Serena Williams")
    admin.get_by_label("Unit kerja").select_option("Bappeda")
    admin.get_by_label("Kata sandi akun pegawai (opsional)").fill(PASSWORD)
    admin.get_by_role("button", name="Tambah pegawai").click()
    admin.wait_for_url(f"**/admin/pegawai/{NIP}?ok=emp.created")
    admin.get_by_label("Foto wajah (boleh beberapa)").set_input_files(
        [serena / "Serena_Williams_0001.jpg", serena / "Serena_Williams_0004.jpg"]
    )
    admin.get_by_label("Pegawai telah menyetujui penyimpanan data wajah").check()
    submit(admin, "Unggah dan daftarkan")
    assert admin.locator(".outcomes li[data-accepted=true]").count() == 2, admin.inner_text("main")
    assert admin.locator(".templates li").count() == 2
    shots(admin, "console-enrolment")
    admin.goto("/admin/pengguna")
    admin.get_by_label("Nama perangkat").fill("pintu-depan")
    submit(admin, "Buat token kiosk")
    kiosk_token = admin.locator("#new-token").inner_text().strip()
    assert kiosk_token.startswith("hdr_")

    # the employee, on a 360 px phone: sign in, camera check-in, a clear result
    phone = new_page(browser, served, viewport={"width": 360, "height": 780}, is_mobile=True)
    sign_in(phone, NIP, PASSWORD)
    assert phone.url.endswith("/absen")
    assert no_horizontal_scroll(phone)
    assert unlabelled_controls(phone) == []
    check_in = phone.get_by_role("button", name="Absen masuk")
    expect(check_in).to_be_enabled(timeout=30_000)  # the camera is on
    check_in.click()
    result = phone.locator("#result")
    expect(result).to_have_attribute("data-outcome", re.compile(r"\w+"), timeout=60_000)
    text = result.inner_text()
    assert result.get_attribute("data-outcome") == "ok", text
    assert "Absen masuk tercatat" in text
    assert "Serena Williams" in text
    assert "Terlambat 20 menit" in text
    assert "WIB" in text
    assert no_horizontal_scroll(phone)
    shots(phone, "checkin-result")
    assert not [e for e in phone.errors if "Content Security Policy" in e], phone.errors

    # the fake camera shows the very same still again: a replay, refused in plain words
    phone.get_by_role("button", name="Absen pulang").click()
    expect(result).to_have_attribute("data-outcome", "replayed_image", timeout=60_000)
    assert "Foto ini pernah dikirim" in result.inner_text()
    # a new photo (another phone whose camera shows another picture of her) checks out
    other_phone = new_page(
        chromium(write_y4m(serena / "Serena_Williams_0002.jpg", tmp_path / "serena-2.y4m")),
        served,
        viewport={"width": 360, "height": 780},
        is_mobile=True,
    )
    sign_in(other_phone, NIP, PASSWORD)
    check_out = other_phone.get_by_role("button", name="Absen pulang")
    expect(check_out).to_be_enabled(timeout=30_000)
    check_out.click()
    result = other_phone.locator("#result")
    expect(result).to_contain_text("Absen pulang tercatat", timeout=60_000)
    assert "Pulang lebih awal 460 menit" in result.inner_text()  # 08:20, the day ends 16:00

    # HR: the event is in the log and in the monthly XLSX
    admin.goto("/admin/kehadiran?date_from=2025-03-03")
    row = admin.locator("tbody tr", has_text="Serena Williams")
    rows = [row.nth(i).inner_text() for i in range(row.count())]
    assert len(rows) == 3, rows  # in, the refused replay, out
    assert ["Diterima" in rows[0], "Ditolak" in rows[1], "Diterima" in rows[2]] == [True] * 3
    assert "Foto ini pernah dikirim" in rows[1]
    assert "Diterima" in row.first.inner_text()
    assert "08.20" in row.first.inner_text()
    admin.goto("/admin")
    assert admin.locator("[data-count=late]").inner_text() == "1"
    shots(admin, "console-dashboard")
    admin.goto("/admin/laporan?month=2025-03")
    with admin.expect_download() as download:
        admin.locator("#download-xlsx").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [
        [str(c) for c in row if c is not None]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    serena_rows = [r for r in cells if NIP in r]
    assert serena_rows, "the employee is not in the report"
    assert any("08:20" in " ".join(r) for r in serena_rows), serena_rows

    # the printable recap: the page, printed by the browser (A4 landscape), and the PDF
    admin.locator("#print-recap").click()
    admin.wait_for_url("**/admin/laporan/cetak?month=2025-03")
    header = [h.strip() for h in admin.locator("table.report thead th").all_inner_texts()]
    row = admin.locator("table.report tbody tr", has_text="Serena Williams")
    serena = dict(
        zip(header, [c.strip() for c in row.locator("td").all_inner_texts()], strict=True)
    )
    # 20 minutes late: TL1 (0.5 %); left 460 minutes early: PSW4 (1.5 %)
    assert (serena["TL1"], serena["PSW4"], serena["Potongan TPP (%)"]) == ("1", "1", "2")
    assert admin.get_by_role("button", name="Cetak").is_visible()
    shots(admin, "console-print-recap")
    admin.emulate_media(media="print")
    assert not admin.locator(".toolbar").is_visible()
    printed = PdfReader(io.BytesIO(admin.pdf(prefer_css_page_size=True)))
    box = printed.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    assert "Serena Williams" in printed.pages[0].extract_text()
    admin.emulate_media(media="screen")
    pdf = admin.request.get(admin.locator("#download-pdf").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "REKAPITULASI KEHADIRAN PEGAWAI" in text and "Serena Williams" in text
    assert "Mengetahui," in text
    # the day's roll (daftar hadir), chosen on the reports page
    admin.goto("/admin/laporan?month=2025-03")
    admin.get_by_label("Tanggal").fill("2025-03-03")
    submit(admin, "Daftar hadir siap cetak")
    assert "/admin/laporan/daftar-hadir?date=2025-03-03" in admin.url
    roll = admin.locator("table.report tbody tr", has_text="Serena Williams").inner_text()
    assert "08.20" in roll and "TL1, PSW4" in roll, roll

    # a stranger at the kiosk is refused with a plain message
    door = chromium(stranger_camera)
    kiosk = new_page(door, served, viewport={"width": 1024, "height": 768})
    kiosk.goto("/kiosk")
    assert "/kiosk/aktifkan" in kiosk.url
    kiosk.get_by_label("Token perangkat kiosk").fill(kiosk_token)
    kiosk.get_by_role("button", name="Aktifkan kiosk").click()
    kiosk.wait_for_url("**/kiosk")
    refused = kiosk.locator("#result.refused")
    refused.wait_for(state="visible", timeout=60_000)
    assert refused.get_attribute("data-outcome") == "face_mismatch"
    assert "Wajah tidak dikenali." in refused.inner_text()
    shots(kiosk, "kiosk-refused")
    kiosk.wait_for_timeout(8000)  # the 5 s refusal, then ticks on an unchanged scene
    with served.app.state.container.database.uow_factory() as uow:  # type: ignore[attr-defined]
        at_door = [e for e in uow.events.list() if e.device == "kiosk"]
    assert [(e.decision.value, e.refusal_code) for e in at_door] == [("rejected", "face_mismatch")]
    assert not [e for e in kiosk.errors if "Content Security Policy" in e], kiosk.errors
