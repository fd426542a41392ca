"""Report exporters: CSV (one table) and XLSX (sheets "Rekap", "Harian" and "Ketentuan",
the TL/PSW bands and TPP percentages in force).

Headers are Indonesian, as HR reads them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import time
from decimal import Decimal
from enum import StrEnum

from hadir.domain.attendance import (
    ALL_CATEGORIES,
    LATE_CATEGORIES,
    Category,
    DayStatus,
    DisciplineRules,
    LeaveKind,
)
from hadir.services.reports import AttendanceReport, DailyRow, RecapRow
from hadir.services.xlsx import Sheet, workbook

Cell = str | int | Decimal | None

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
    "Kategori",
    "Koreksi",
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
    *(c.label for c in ALL_CATEGORIES),
    "Potongan TPP (%)",
)
DAILY_WIDTHS = (12, 22, 30, 20, 14, 11, 11, 18, 20, 12, 28, 12, 10)
RECAP_WIDTHS = (22, 30, 20, 11, 8, 12, 16, 18, 20, 12, 7, 7, 7, 11, 17, 7, *[7] * 8, 17)
RULES_HEADERS = ("Kategori", "Keterangan", "Menit", "Potongan TPP per kejadian (%)")
RULES_WIDTHS = (12, 48, 28, 30)


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
        ", ".join(c.label for c in row.categories),
        "Dikoreksi" if row.corrected else "",
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
        *(row.discipline.count(c) for c in ALL_CATEGORIES),
        row.discipline.deduction_percent,
    ]


def _minutes(rules: DisciplineRules, category: Category) -> str:
    first, last = rules.band(category)
    missing = "tanpa presensi masuk" if category in LATE_CATEGORIES else "tanpa presensi pulang"
    return f"{first}-{last}" if last is not None else f"> {first - 1}, atau {missing}"


def rules_rows(rules: DisciplineRules) -> list[list[Cell]]:
    """The bands and percentages in force, one row per category, then the absence
    percentage and the cap (the "Ketentuan" sheet, and the printed report's legend)."""
    rows: list[list[Cell]] = [
        [
            c.label,
            "Terlambat masuk" if c in LATE_CATEGORIES else "Pulang sebelum waktu",
            _minutes(rules, c),
            rules.percent(c),
        ]
        for c in ALL_CATEGORIES
    ]
    rows.append(["TK", "Tidak hadir tanpa keterangan (per hari)", "", rules.absent_percent])
    rows.append(["Batas", "Potongan TPP paling banyak per bulan", "", rules.cap_percent])
    return rows


RULES_NOTE = (
    "Potongan TPP = jumlah persentase setiap kejadian ditambah persentase setiap hari tidak "
    "hadir tanpa keterangan, paling banyak sebesar batas. Hari kerja yang belum selesai "
    "dihitung sementara."
)


def _table(report: AttendanceReport, part: ReportPart) -> tuple[Sequence[str], list[list[Cell]]]:
    if part is ReportPart.RECAP:
        return RECAP_HEADERS, [recap_cells(r) for r in report.recap]
    return DAILY_HEADERS, [daily_cells(r) for r in report.daily]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a CSV field starting with one of these as a formula (OWASP "CSV
injection"); such fields get a leading apostrophe, which Excel and LibreOffice hide."""


def csv_safe(value: Cell) -> str | int | Decimal:
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
    """The report as an Excel workbook: "Rekap" (per employee), "Harian" (per day) and
    "Ketentuan" (the TL/PSW bands and TPP percentages the report was computed with).

    Streamed row by row (``hadir.services.xlsx``): a whole agency's month is 310,000
    daily rows at 10,000 staff. Every text cell is text, never a formula, with the quote
    prefix (issue 13, finding 4)."""
    recap_headers, recap_rows = _table(report, ReportPart.RECAP)
    daily_headers, daily_rows = _table(report, ReportPart.DAILY)
    rules: list[list[Cell]] = [*rules_rows(report.discipline), [], [RULES_NOTE]]
    return workbook(
        [
            Sheet("Rekap", recap_headers, recap_rows, RECAP_WIDTHS),
            Sheet("Harian", daily_headers, daily_rows, DAILY_WIDTHS),
            Sheet("Ketentuan", RULES_HEADERS, rules, RULES_WIDTHS),
        ],
        title=report.title,
    )
