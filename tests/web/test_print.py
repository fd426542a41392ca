"""Printable reports: the monthly recap and the daily roll of a unit, as a page and as a
PDF whose text is read back, with the agency, period, unit, table and signature block.

March 2025 (clock: 1 April, 09:00 WIB): 21 weekdays, no holiday stored. Sri (Bappeda)
checks in 07:50 and out 16:00 every weekday (6 March's check-out by a correction) except
3 March in at 08:45 (45 min late: TL2, 1 %), 4 March out at 14:00 (120 min early: PSW4,
1.5 %) and 5 March absent (3 %): 20 days present, 5.5 %. Ario (Dinas Kesehatan) never
comes: 21 absences, 63 %.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from api.conftest import make_api
from hadir.domain.attendance import AttendanceKind, Decision
from hadir.services.records import MatchMethod, NewEmployee, NewEvent, Role
from services.conftest import FakeFaceEngine, FixedClock, wib
from services.helpers import ARIO, SRI
from web.conftest import Web

AGENCY = "Badan Perencanaan Pembangunan Daerah Kabupaten Sleman"
SIGNER = {"title": "Kepala Bappeda", "name": "Ir. Sutrisno, M.T.", "nip": "196805121994031004"}
DINKES_HEAD = {"title": "Kepala Dinas Kesehatan", "name": "dr. Rina", "nip": "197501012000122001"}
APRIL_FIRST = datetime(2025, 4, 1, 2, 0, tzinfo=UTC)


def _march(web: Web) -> None:
    with web.api.database.uow_factory() as uow:
        sri = uow.employees.add(NewEmployee(employee_id=SRI, name="Sri Wahyuni", unit="Bappeda"))
        uow.employees.add(NewEmployee(employee_id=ARIO, name="Ario Nugroho", unit="Dinkes"))
        day = date(2025, 3, 1)
        while day.month == 3:
            times = {3: ((8, 45), (16, 0)), 4: ((7, 50), (14, 0)), 5: None}.get(
                day.day, ((7, 50), (16, 0))
            )
            if day.weekday() < 5 and times is not None:
                for kind, (hh, mm) in zip(
                    (AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT), times, strict=True
                ):
                    at = wib(2025, 3, day.day, hh, mm)
                    # 6 March's check-out came from an approved correction
                    corrected = day.day == 6 and kind is AttendanceKind.CHECK_OUT
                    method = MatchMethod.CORRECTION if corrected else MatchMethod.VERIFY
                    uow.events.add(NewEvent(sri.id, kind, at, Decision.ACCEPTED, method))
            day += timedelta(days=1)
        uow.commit()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Web]:
    for api in make_api(
        tmp_path,
        FakeFaceEngine(),
        FixedClock(APRIL_FIRST),
        agency_name=AGENCY,
        report_place="Sleman",
        report_signer=SIGNER,
        report_unit_signers={"Dinkes": DINKES_HEAD},
    ):
        web = Web(api)
        _march(web)
        yield web


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def table_rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


SRI_ROW = [
    "1", SRI, "Sri Wahyuni", "21", "20",
    "0", "1", "0", "0",  # TL1-TL4
    "0", "0", "0", "1",  # PSW1-PSW4
    "1", "0", "0", "0", "0",  # TK, izin, sakit, cuti, DL
    "5,5",
]  # fmt: skip


def test_monthly_recap_page_of_a_unit(office: Web) -> None:
    hr = office.browser(Role.OPERATOR)
    page = hr.get("/admin/laporan/cetak?month=2025-03&unit=Bappeda")
    assert page.status_code == 200, page.text
    assert table_rows(page.text) == [SRI_ROW]
    text = html.unescape(page.text)
    for expected in (
        AGENCY,
        "REKAPITULASI KEHADIRAN PEGAWAI",
        "Maret 2025",
        "Bappeda",
        "Sleman, 1 April 2025",
        "Mengetahui,",
        "Kepala Bappeda",
        "Ir. Sutrisno, M.T.",
        "NIP. 196805121994031004",
        "TL2 31–60 menit: 1%",
        "TK: tidak hadir tanpa keterangan, 3% per hari.",
    ):
        assert expected in text, expected
    assert "Ario" not in text
    assert "belum selesai" not in text  # March is over
    pdf = re.search(r'id="download-pdf" href="([^"]+)"', page.text)
    assert pdf is not None
    assert html.unescape(pdf.group(1)) == (
        "/admin/laporan/cetak.pdf?month=2025-03&unit=Bappeda&lang=id"
    )

    english = hr.get("/admin/laporan/cetak?month=2025-03&unit=Bappeda&lang=en")
    assert table_rows(english.text)[0][-1] == "5.5"
    assert "STAFF ATTENDANCE RECAP" in english.text and "March 2025" in english.text


def test_monthly_recap_pdf_reads_back(office: Web) -> None:
    hr = office.browser(Role.OPERATOR)
    response = hr.get("/admin/laporan/cetak.pdf?month=2025-03&unit=Bappeda")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'inline; filename="rekap-kehadiran-2025-03-bappeda.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = pdf_text(response.content)
    for expected in (
        AGENCY.upper(),
        "REKAPITULASI KEHADIRAN PEGAWAI",
        "Periode: Maret 2025",
        "Unit kerja: Bappeda",
        "TL1",
        "PSW4",
        "Potongan",
        SRI,
        "Sri Wahyuni",
        "5,5",
        "Sleman, 1 April 2025",
        "Mengetahui,",
        "Kepala Bappeda",
        "Ir. Sutrisno, M.T.",
        "NIP. 196805121994031004",
        "Halaman 1",
    ):
        assert expected in text, expected
    assert ARIO not in text
    # Sri's row, cell by cell, as the PDF lays it out (one cell per line)
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(SRI) - 1
    assert lines[start : start + len(SRI_ROW)] == SRI_ROW

    every = pdf_text(hr.get("/admin/laporan/cetak.pdf?month=2025-03").content)
    assert "Unit kerja: Semua unit" in every and ARIO in every and "63" in every


def test_daily_roll_page_and_pdf(office: Web) -> None:
    hr = office.browser(Role.OPERATOR)
    page = hr.get("/admin/laporan/daftar-hadir?date=2025-03-04&unit=Bappeda")
    assert page.status_code == 200
    assert table_rows(page.text) == [
        ["1", SRI, "Sri Wahyuni", "07.50", "14.00", "Tepat waktu · PSW4"]
    ]
    assert "Selasa, 4 Maret 2025" in page.text
    corrected = hr.get("/admin/laporan/daftar-hadir?date=2025-03-06&unit=Bappeda")
    assert table_rows(corrected.text)[0][3:] == ["07.50", "16.00", "Tepat waktu · Dikoreksi"]

    pdf = hr.get("/admin/laporan/daftar-hadir.pdf?date=2025-03-04&unit=Dinkes")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = pdf_text(pdf.content)
    for expected in (
        AGENCY.upper(),
        "DAFTAR HADIR PEGAWAI",
        "Hari, tanggal: Selasa, 4 Maret 2025",
        "Unit kerja: Dinkes",
        ARIO,
        "Ario Nugroho",
        "Tidak hadir",
        "Jumlah pegawai 1; hadir 0; tidak hadir 1; izin/cuti 0.",
        "Kepala Dinas Kesehatan",  # the unit's own signer
        "dr. Rina",
        "NIP. 197501012000122001",
    ):
        assert expected in text, expected
    assert "Sutrisno" not in text


def test_the_unit_tree_s_head_signs_unless_the_settings_name_a_signer(office: Web) -> None:
    """Bappeda has no signer of its own in the settings: once the unit tree names Sri as
    its head, she signs its reports instead of the default signer. Dinkes keeps the one
    the settings name for it, even with a head in the tree."""
    hr = office.browser(Role.OPERATOR)
    with office.api.database.uow_factory() as uow:
        sri, ario = uow.employees.get_by_employee_id(SRI), uow.employees.get_by_employee_id(ARIO)
        bappeda, dinkes = uow.units.add("Bappeda"), uow.units.add("Dinkes")
        uow.units.update(replace(bappeda, head_id=sri.id))
        uow.units.update(replace(dinkes, head_id=ario.id))
        uow.commit()
    text = pdf_text(hr.get("/admin/laporan/daftar-hadir.pdf?date=2025-03-04&unit=Bappeda").content)
    signature = text[text.index("Mengetahui,") :]
    assert "Kepala Bappeda\nSri Wahyuni\nNIP. " + SRI in signature
    assert "Sutrisno" not in text
    dinkes_text = pdf_text(hr.get("/admin/laporan/cetak.pdf?month=2025-03&unit=Dinkes").content)
    assert "dr. Rina" in dinkes_text[dinkes_text.index("Mengetahui,") :]
    every = pdf_text(hr.get("/admin/laporan/cetak.pdf?month=2025-03").content)
    assert "Ir. Sutrisno, M.T." in every[every.index("Mengetahui,") :]


def test_supervisors_print_their_own_unit_only(office: Web) -> None:
    lead = office.browser(Role.SUPERVISOR, unit="Dinkes")
    own = lead.get("/admin/laporan/cetak?month=2025-03")
    assert [row[1] for row in table_rows(own.text)] == [ARIO]
    assert table_rows(own.text)[0][-1] == "63"
    assert "Kepala Dinas Kesehatan" in own.text
    assert lead.get("/admin/laporan/cetak.pdf?month=2025-03&unit=Bappeda").status_code == 403
    assert lead.get("/admin/laporan/daftar-hadir?unit=Bappeda").status_code == 403
    employee = office.browser(Role.EMPLOYEE)
    assert employee.get("/admin/laporan/cetak.pdf?month=2025-03").status_code == 403
    anonymous = office.anonymous().get("/admin/laporan/daftar-hadir.pdf")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")


def test_without_letterhead_settings_the_block_is_left_to_fill_in(web: Web) -> None:
    """No agency, place or signer configured: the page says how to set the agency; the
    signature block has a title from the unit and blank name and NIP lines."""
    web.api.employee("1001", 'Dewi <b>"&amp;" =SUM(A1)', unit="Umum")
    hr = web.browser(Role.OPERATOR)
    page = hr.get("/admin/laporan/cetak?month=2025-03&unit=Umum")
    assert "HADIR_AGENCY_NAME" in page.text
    assert table_rows(page.text)[0][2] == 'Dewi <b>"&amp;" =SUM(A1)'  # escaped, shown as typed
    text = pdf_text(hr.get("/admin/laporan/cetak.pdf?month=2025-03&unit=Umum").content)
    assert 'Dewi <b>"&amp;" =SUM(A1)' in text
    assert "Kepala Umum" in text
    assert "(....." in text and "NIP. ....." in text
    assert "Bulan ini belum selesai" in text  # the clock is 3 March 2025


def test_reports_page_links_the_printable_reports(office: Web) -> None:
    page = office.browser(Role.OPERATOR).get("/admin/laporan?month=2025-03&unit=Bappeda")
    link = re.search(r'id="print-recap" href="([^"]+)"', page.text)
    assert link is not None
    assert html.unescape(link.group(1)) == "/admin/laporan/cetak?month=2025-03&unit=Bappeda"
    assert 'action="/admin/laporan/daftar-hadir"' in page.text
    assert 'formaction="/admin/laporan/daftar-hadir.pdf"' in page.text
    assert 'name="date" type="date" value="2025-04-01"' in page.text
