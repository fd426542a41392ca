"""Daily and monthly reports against hand-computed expectations; CSV and XLSX exports.

June 2025 (30 days, 1 June is a Sunday): 21 weekdays. Holidays: 1 June (Pancasila, a
Sunday: stays a weekend) and 6 June (Idul Adha, a Friday). Sri (Bappeda) checks in at
07:50 and out at 16:00 on every working day except: 3 June in at 08:17 (17 min late),
4 June out at 15:40 (20 min early), 10-11 June approved cuti, 12 June absent (her izin
request was never approved; a rejected attempt does not count). Ario (Dinas Kesehatan)
never comes: 20 absences.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from openpyxl import load_workbook  # type: ignore[import-untyped]

from hadir.domain.attendance import (
    AttendanceKind,
    DayStatus,
    Decision,
    Leave,
    LeaveKind,
    LeaveStatus,
)
from hadir.services.export import ReportPart, to_csv, to_xlsx
from hadir.services.records import HolidaySource, MatchMethod, NewEvent
from hadir.services.reports import daily_report, monthly_report

from .conftest import FixedClock, UowFactory, wib
from .helpers import ARIO, SRI, add_employee

AFTER = FixedClock(datetime(2025, 7, 1, 3, 0, tzinfo=UTC))
SPECIAL = {date(2025, 6, 3), date(2025, 6, 4), date(2025, 6, 6)}
AWAY = {date(2025, 6, 10), date(2025, 6, 11), date(2025, 6, 12)}


def _event(employee: int, at: datetime, kind: AttendanceKind, decision: Decision) -> NewEvent:
    return NewEvent(employee, kind, at, decision, MatchMethod.VERIFY, similarity=0.8)


def _june(make_uow: UowFactory) -> None:
    sri = add_employee(make_uow(), SRI, "Sri Wahyuni", unit="Bappeda")
    add_employee(make_uow(), ARIO, "Ario Nugroho", unit="Dinas Kesehatan")
    with make_uow() as uow:
        uow.holidays.add(date(2025, 6, 1), "Hari Lahir Pancasila")
        uow.holidays.add(date(2025, 6, 6), "Idul Adha", source=HolidaySource.NATIONAL)
        uow.leaves.add(
            Leave(
                sri.id, LeaveKind.CUTI, date(2025, 6, 10), date(2025, 6, 11), LeaveStatus.APPROVED
            )
        )
        uow.leaves.add(Leave(sri.id, LeaveKind.IZIN, date(2025, 6, 12), date(2025, 6, 12)))
        day = date(2025, 6, 1)
        while day.month == 6:
            if day.weekday() < 5 and day not in SPECIAL | AWAY:
                at_in, at_out = wib(2025, 6, day.day, 7, 50), wib(2025, 6, day.day, 16, 0)
                uow.events.add(_event(sri.id, at_in, AttendanceKind.CHECK_IN, Decision.ACCEPTED))
                uow.events.add(_event(sri.id, at_out, AttendanceKind.CHECK_OUT, Decision.ACCEPTED))
            day += timedelta(days=1)
        for at, kind, decision in (
            (wib(2025, 6, 3, 8, 17), AttendanceKind.CHECK_IN, Decision.ACCEPTED),
            (wib(2025, 6, 3, 16, 2), AttendanceKind.CHECK_OUT, Decision.ACCEPTED),
            (wib(2025, 6, 4, 7, 59), AttendanceKind.CHECK_IN, Decision.ACCEPTED),
            (wib(2025, 6, 4, 15, 40), AttendanceKind.CHECK_OUT, Decision.ACCEPTED),
            (wib(2025, 6, 12, 7, 40), AttendanceKind.CHECK_IN, Decision.REJECTED),
        ):
            uow.events.add(_event(sri.id, at, kind, decision))
        uow.commit()


def test_monthly_report_matches_hand_computed_recap(uow_factory: UowFactory) -> None:
    _june(uow_factory)
    report = monthly_report(uow_factory(), "2025-06", clock=AFTER)

    assert (report.first, report.last) == (date(2025, 6, 1), date(2025, 6, 30))
    recap = {r.nip: r for r in report.recap}
    sri, ario = recap[SRI], recap[ARIO]
    assert sri.working_days == 20
    assert sri.days_present == 17
    assert (sri.late_days, sri.late_minutes) == (1, 17)
    assert sri.left_early_minutes == 20
    assert sri.absences == 1
    assert (sri.leave.cuti, sri.leave_days) == (2, 2)
    assert sri.holidays == 1
    assert (ario.working_days, ario.days_present, ario.absences) == (20, 0, 20)
    # 17 min late: TL1 (0.5 %); 20 min early: PSW1 (0.5 %); one day absent: 3 %
    assert (sri.discipline.tl1, sri.discipline.psw1, sri.discipline.absent_days) == (1, 1, 1)
    assert sri.discipline.deduction_percent == 4
    assert ario.discipline.deduction_percent == 60

    days = {(r.nip, r.day): r for r in report.daily}
    assert len(report.daily) == 60
    late = days[(SRI, date(2025, 6, 3))]
    assert (late.status, late.late_minutes, late.check_in) == (DayStatus.LATE, 17, time(8, 17))
    early = days[(SRI, date(2025, 6, 4))]
    assert (early.status, early.left_early_minutes, early.check_out) == (
        DayStatus.ON_TIME,
        20,
        time(15, 40),
    )
    assert days[(SRI, date(2025, 6, 6))].status is DayStatus.HOLIDAY
    assert days[(SRI, date(2025, 6, 6))].holiday == "Idul Adha"
    sunday = days[(SRI, date(2025, 6, 1))]
    assert (sunday.status, sunday.holiday) == (DayStatus.WEEKEND, "Hari Lahir Pancasila")
    leave = days[(SRI, date(2025, 6, 10))]
    assert (leave.status, leave.leave_kind) == (DayStatus.ON_LEAVE, LeaveKind.CUTI)
    assert days[(SRI, date(2025, 6, 12))].status is DayStatus.ABSENT

    only_bappeda = monthly_report(uow_factory(), "2025-06", unit="Bappeda", clock=AFTER)
    assert [r.nip for r in only_bappeda.recap] == [SRI]
    assert {r.nip for r in only_bappeda.daily} == {SRI}


def test_daily_report(uow_factory: UowFactory) -> None:
    _june(uow_factory)
    report = daily_report(uow_factory(), date(2025, 6, 3), clock=AFTER)
    rows = {r.nip: r for r in report.daily}
    assert rows[SRI].status is DayStatus.LATE and rows[SRI].late_minutes == 17
    assert rows[SRI].check_out == time(16, 2)
    assert rows[ARIO].status is DayStatus.ABSENT
    assert {r.nip: r.absences for r in report.recap} == {SRI: 0, ARIO: 1}


def test_exports(uow_factory: UowFactory) -> None:
    _june(uow_factory)
    report = monthly_report(uow_factory(), "2025-06", clock=AFTER)

    workbook = load_workbook(io.BytesIO(to_xlsx(report)))
    assert workbook.sheetnames == ["Rekap", "Harian", "Ketentuan"]
    rekap, harian = workbook["Rekap"], workbook["Harian"]
    assert rekap.freeze_panes == "A2" and harian.freeze_panes == "A2"
    header = [c.value for c in rekap[1]]
    assert header[:5] == ["NIP", "Nama", "Unit", "Hari Kerja", "Hadir"]
    assert rekap[1][0].font.b
    assert rekap.column_dimensions["B"].width == 30
    values = {row[0]: row for row in rekap.iter_rows(min_row=2, values_only=True)}
    sri = dict(zip(header, values[SRI], strict=True))
    assert sri["Hadir"] == 17
    assert sri["Terlambat (menit)"] == 17
    assert sri["Pulang Cepat (menit)"] == 20
    assert sri["Tidak Hadir"] == 1
    assert sri["Cuti"] == 2
    assert harian.max_row == 61
    daily_header = [c.value for c in harian[1]]
    assert daily_header[0] == "Tanggal"
    third = [
        dict(zip(daily_header, row, strict=True))
        for row in harian.iter_rows(min_row=2, values_only=True)
        if row[0] == "2025-06-03" and row[1] == SRI
    ]
    assert third[0]["Status"] == "Terlambat"
    assert third[0]["Jam Masuk"] == "08:17"

    lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    assert lines[0][0] == "Tanggal" and len(lines) == 61
    recap_lines = list(
        csv.reader(io.StringIO(to_csv(report, ReportPart.RECAP).decode("utf-8-sig")))
    )
    assert recap_lines[0][0] == "NIP" and len(recap_lines) == 3
