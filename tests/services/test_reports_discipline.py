"""TL/PSW categories and the TPP deduction in the monthly report, against a month counted
by hand, on SQLite and PostgreSQL; and in the XLSX and CSV exports.

June 2025: 21 weekdays, 6 June (Friday) is Idul Adha: 20 working days, 08:00-16:00.
Budi checks in 07:50 and out 16:00 on every working day except:

==========  ===========================================  =================
date        what happened                                categories
==========  ===========================================  =================
2 June      in 08:31, out 16:00                          TL2 (31 min)
3 June      in 08:00, out 15:00                          PSW2 (60 min)
4 June      in 09:45, out 14:00                          TL4 (105), PSW4 (120)
5 June      in 07:55, no check-out                       PSW4
6 June      Idul Adha, in 09:00 (worked)                 none
9 June      only a check-out, 16:10                      TL4
10 June     nothing                                      absent (TK)
11 June     in 08:10, out 15:45                          TL1 (10), PSW1 (15)
12 June     in 09:15, out 16:00                          TL3 (75)
13 June     approved sick leave, in 10:00                none
16 June     rejected in 07:40, accepted in 08:40         TL2 (40)
==========  ===========================================  =================

TL1 1, TL2 2, TL3 1, TL4 2; PSW1 1, PSW2 1, PSW3 0, PSW4 2; 1 absent day. Default
percentages: TL 0.5 + 2*1 + 1.25 + 2*1.5 = 6.75; PSW 0.5 + 1 + 2*1.5 = 4.5; TK 3:
14.25 %. Ario never comes: 20 absent days, 60 %.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import Engine

from hadir.domain.attendance import (
    AttendanceKind,
    Category,
    Decision,
    DisciplineRules,
    Leave,
    LeaveKind,
    LeaveStatus,
)
from hadir.services.export import ReportPart, to_csv, to_xlsx
from hadir.services.records import HolidaySource, MatchMethod, NewEvent
from hadir.services.reports import monthly_report

from .conftest import FixedClock, UowFactory, factory_for, wib
from .helpers import ARIO, add_employee

BUDI = "199001012015031001"
AFTER = FixedClock(datetime(2025, 7, 1, 3, 0, tzinfo=UTC))
IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT
HHMM = tuple[int, int]
SPECIAL: dict[int, list[tuple[AttendanceKind, HHMM, Decision]]] = {
    2: [(IN, (8, 31), Decision.ACCEPTED), (OUT, (16, 0), Decision.ACCEPTED)],
    3: [(IN, (8, 0), Decision.ACCEPTED), (OUT, (15, 0), Decision.ACCEPTED)],
    4: [(IN, (9, 45), Decision.ACCEPTED), (OUT, (14, 0), Decision.ACCEPTED)],
    5: [(IN, (7, 55), Decision.ACCEPTED)],
    6: [(IN, (9, 0), Decision.ACCEPTED)],
    9: [(OUT, (16, 10), Decision.ACCEPTED)],
    10: [],
    11: [(IN, (8, 10), Decision.ACCEPTED), (OUT, (15, 45), Decision.ACCEPTED)],
    12: [(IN, (9, 15), Decision.ACCEPTED), (OUT, (16, 0), Decision.ACCEPTED)],
    13: [(IN, (10, 0), Decision.ACCEPTED)],
    16: [
        (IN, (7, 40), Decision.REJECTED),
        (IN, (8, 40), Decision.ACCEPTED),
        (OUT, (16, 0), Decision.ACCEPTED),
    ],
}


def _june(make_uow: UowFactory) -> None:
    budi = add_employee(make_uow(), BUDI, "Budi Santoso", unit="Bappeda")
    add_employee(make_uow(), ARIO, "Ario Nugroho", unit="Dinas Kesehatan")
    with make_uow() as uow:
        uow.holidays.add(date(2025, 6, 6), "Idul Adha", source=HolidaySource.NATIONAL)
        sick_day = date(2025, 6, 13)
        uow.leaves.add(Leave(budi.id, LeaveKind.SAKIT, sick_day, sick_day, LeaveStatus.APPROVED))
        day = date(2025, 6, 1)
        while day.month == 6:
            if day.weekday() < 5:
                plan = SPECIAL.get(
                    day.day,
                    [(IN, (7, 50), Decision.ACCEPTED), (OUT, (16, 0), Decision.ACCEPTED)],
                )
                for kind, (hh, mm), decision in plan:
                    at = wib(2025, 6, day.day, hh, mm)
                    uow.events.add(
                        NewEvent(budi.id, kind, at, decision, MatchMethod.VERIFY, similarity=0.8)
                    )
            day += timedelta(days=1)
        uow.commit()


def test_tl_psw_and_tpp_deduction_on_both_backends(any_db: Engine) -> None:
    make_uow = factory_for(any_db)
    _june(make_uow)
    report = monthly_report(make_uow(), "2025-06", clock=AFTER)
    recap = {r.nip: r for r in report.recap}
    budi, ario = recap[BUDI].discipline, recap[ARIO].discipline
    assert (recap[BUDI].working_days, recap[BUDI].absences) == (20, 1)
    assert (budi.tl1, budi.tl2, budi.tl3, budi.tl4) == (1, 2, 1, 2)
    assert (budi.psw1, budi.psw2, budi.psw3, budi.psw4) == (1, 1, 0, 2)
    assert budi.absent_days == 1
    assert budi.deduction_percent == Decimal("14.25")
    assert (ario.absent_days, ario.deduction_percent) == (20, Decimal("60"))
    assert ario.tl4 == 0 and ario.psw4 == 0  # absent days are TK, not TL4 + PSW4

    days = {(r.nip, r.day.day): r.categories for r in report.daily}
    assert days[(BUDI, 4)] == (Category.TL4, Category.PSW4)
    assert days[(BUDI, 9)] == (Category.TL4,)
    assert days[(BUDI, 6)] == days[(BUDI, 13)] == days[(BUDI, 10)] == ()
    assert days[(BUDI, 16)] == (Category.TL2,)

    strict = DisciplineRules(absent_percent=Decimal("5"), cap_percent=Decimal("50"))
    capped = monthly_report(make_uow(), "2025-06", clock=AFTER, discipline=strict)
    recap = {r.nip: r for r in capped.recap}
    assert recap[BUDI].discipline.deduction_percent == Decimal("16.25")
    assert recap[ARIO].discipline.uncapped_percent == Decimal("100")
    assert recap[ARIO].discipline.deduction_percent == Decimal("50")
    assert capped.discipline == strict


def test_exports_carry_the_categories_and_the_rules(uow_factory: UowFactory) -> None:
    _june(uow_factory)
    rules = DisciplineRules(late_percent=("1", "2", "3", "4"), cap_percent="50")
    report = monthly_report(uow_factory(), "2025-06", clock=AFTER, discipline=rules)

    book = load_workbook(io.BytesIO(to_xlsx(report)))
    assert book.sheetnames == ["Rekap", "Harian", "Ketentuan"]
    rekap = list(book["Rekap"].iter_rows(values_only=True))
    header = list(rekap[0])
    assert header[-9:] == [
        "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "Potongan TPP (%)",
    ]  # fmt: skip
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in rekap[1:]}
    budi = rows[BUDI]
    assert [budi[c.label] for c in Category] == [1, 2, 1, 2, 1, 1, 0, 2]
    # TL 1 + 2*2 + 3 + 2*4 = 16; PSW 4.5; TK 3
    assert budi["Potongan TPP (%)"] == 23.5
    assert rows[ARIO]["Potongan TPP (%)"] == 50  # 60, capped

    harian = list(book["Harian"].iter_rows(values_only=True))
    daily = [dict(zip(harian[0], row, strict=True)) for row in harian[1:]]
    fourth = next(r for r in daily if r["NIP"] == BUDI and r["Tanggal"] == "2025-06-04")
    assert fourth["Kategori"] == "TL4, PSW4"

    rules_sheet = list(book["Ketentuan"].iter_rows(values_only=True))
    by_category = {row[0]: row for row in rules_sheet[1:] if row and row[0]}
    assert by_category["TL1"][2:] == ("1-30", 1)
    assert by_category["TL3"][2:] == ("61-90", 3)
    assert by_category["TL4"][2] == "> 90, atau tanpa presensi masuk"
    assert by_category["PSW2"][2:] == ("31-60", 1)
    assert by_category["PSW4"][2:] == ("> 90, atau tanpa presensi pulang", 1.5)
    assert by_category["TK"][3] == 3
    assert by_category["Batas"][3] == 50

    lines = list(csv.reader(io.StringIO(to_csv(report, ReportPart.RECAP).decode("utf-8-sig"))))
    csv_rows = {line[0]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert csv_rows[BUDI]["TL4"] == "2"
    assert csv_rows[BUDI]["Potongan TPP (%)"] == "23.5"
