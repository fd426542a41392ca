"""Report exporters: CSV (one table) and XLSX (sheets "Rekap" and "Harian").

Headers are Indonesian, as HR reads them. openpyxl is imported only when exporting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import time
from enum import StrEnum

from hadir.domain.attendance import DayStatus, LeaveKind
from hadir.services.reports import AttendanceReport, DailyRow, RecapRow

Cell = str | int | None

STATUS_LABELS: dict[DayStatus, str] = {
    DayStatus.ON_TIME: "Tepat waktu",
    DayStatus.LATE: "Terlambat",
    DayStatus.INCOMPLETE: "Tidak lengkap",
    DayStatus.ABSENT: "Tidak hadir",
    DayStatus.ON_LEAVE: "Izin/Cuti",
    DayStatus.HOLIDAY: "Libur",
    DayStatus.WEEKEND: "Akhir pekan",
    DayStatus.NOT_YET: "Belum",
    DayStatus.NOT_EMPLOYED: "Di luar masa tugas",
}
LEAVE_LABELS: dict[LeaveKind, str] = {
    LeaveKind.IZIN: "Izin",
    LeaveKind.SAKIT: "Sakit",
    LeaveKind.CUTI: "Cuti",
    LeaveKind.DINAS_LUAR: "Dinas luar",
    LeaveKind.WFH: "WFH",
}

DAILY_HEADERS = (
    "Tanggal",
    "NIP",
    "Nama",
    "Unit",
    "Status",
    "Jam Masuk",
    "Jam Pulang",
    "Terlambat (menit)",
    "Pulang Cepat (menit)",
    "Jenis Izin",
    "Hari Libur",
)
RECAP_HEADERS = (
    "NIP",
    "Nama",
    "Unit",
    "Hari Kerja",
    "Hadir",
    "Tepat Waktu",
    "Terlambat (kali)",
    "Terlambat (menit)",
    "Pulang Cepat (menit)",
    "Tidak Hadir",
    "Izin",
    "Sakit",
    "Cuti",
    "Dinas Luar",
    "Jumlah Izin/Cuti",
    "Libur",
)
DAILY_WIDTHS = (12, 22, 30, 20, 14, 11, 11, 18, 20, 12, 28)
RECAP_WIDTHS = (22, 30, 20, 11, 8, 12, 16, 18, 20, 12, 7, 7, 7, 11, 17, 7)


class ReportPart(StrEnum):
    DAILY = "harian"
    RECAP = "rekap"


def _hhmm(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


def daily_cells(row: DailyRow) -> list[Cell]:
    return [
        row.day.isoformat(),
        row.nip,
        row.name,
        row.unit,
        STATUS_LABELS[row.status],
        _hhmm(row.check_in),
        _hhmm(row.check_out),
        row.late_minutes,
        row.left_early_minutes,
        LEAVE_LABELS[row.leave_kind] if row.leave_kind else "",
        row.holiday or "",
    ]


def recap_cells(row: RecapRow) -> list[Cell]:
    return [
        row.nip,
        row.name,
        row.unit,
        row.working_days,
        row.days_present,
        row.on_time_days,
        row.late_days,
        row.late_minutes,
        row.left_early_minutes,
        row.absences,
        row.leave.izin,
        row.leave.sakit,
        row.leave.cuti,
        row.leave.dinas_luar,
        row.leave_days,
        row.holidays,
    ]


def _table(report: AttendanceReport, part: ReportPart) -> tuple[Sequence[str], list[list[Cell]]]:
    if part is ReportPart.RECAP:
        return RECAP_HEADERS, [recap_cells(r) for r in report.recap]
    return DAILY_HEADERS, [daily_cells(r) for r in report.daily]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a CSV field starting with one of these as a formula (OWASP "CSV
injection"); such fields get a leading apostrophe, which Excel and LibreOffice hide."""


def csv_safe(value: Cell) -> str | int:
    """``value`` as a CSV field that no spreadsheet evaluates: names, units and NIPs are
    typed by people, so ``=HYPERLINK(...)`` must stay text (issue 13, finding 4)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(report: AttendanceReport, part: ReportPart = ReportPart.DAILY) -> bytes:
    """One part of the report as UTF-8 CSV with a BOM (so Excel reads it as UTF-8)."""
    headers, rows = _table(report, part)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_safe(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(report: AttendanceReport) -> bytes:
    """The report as an Excel workbook: "Rekap" (per employee) then "Harian" (per day)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    workbook = Workbook()
    first_sheet = workbook.active
    workbook.remove(first_sheet)
    for title, part, widths in (
        ("Rekap", ReportPart.RECAP, RECAP_WIDTHS),
        ("Harian", ReportPart.DAILY, DAILY_WIDTHS),
    ):
        sheet = workbook.create_sheet(title)
        headers, rows = _table(report, part)
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    # Text stays text: openpyxl stores a value starting with "=" as a
                    # formula; quotePrefix also keeps Excel from re-reading it on edit.
                    cell.data_type = "s"
                    cell.quotePrefix = True
        sheet.freeze_panes = "A2"
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
    workbook.properties.title = report.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
