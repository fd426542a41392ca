"""TL1-TL4 / PSW1-PSW4 and the TPP deduction, checked against a month counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    DEFAULT_DISCIPLINE,
    AttendanceEvent,
    AttendanceKind,
    Category,
    Decision,
    DisciplineRules,
    DisciplineTally,
    Leave,
    LeaveKind,
    LeaveStatus,
    WorkSchedule,
    day_categories,
    discipline_tally,
    evaluate_day,
    evaluate_month,
    monthly_recap,
)
from hadir.domain.errors import DomainValidationError

WIB = ZoneInfo("Asia/Jakarta")
IN, OUT = AttendanceKind.CHECK_IN, AttendanceKind.CHECK_OUT
HOLIDAYS = {date(2026, 2, 17): "Tahun Baru Imlek"}  # a Tuesday
CUTI = [Leave(7, LeaveKind.CUTI, date(2026, 2, 23), date(2026, 2, 24), LeaveStatus.APPROVED)]
AFTER_MONTH = datetime(2026, 3, 2, tzinfo=UTC)


def at(day: int, hh: int, mm: int) -> datetime:
    return datetime(2026, 2, day, hh, mm, tzinfo=WIB)


def ev(kind: AttendanceKind, when: datetime) -> AttendanceEvent:
    return AttendanceEvent(7, kind, when, Decision.ACCEPTED)


def day_of(*events: AttendanceEvent, day: int = 2, now: datetime = AFTER_MONTH, **kw: object):  # type: ignore[no-untyped-def]
    return evaluate_day(7, date(2026, 2, day), events, now=now, **kw)  # type: ignore[arg-type]


# February 2026 starts on a Sunday; 08:00-16:00, no grace. Day -> (check-in, check-out).
FEBRUARY: dict[int, tuple[tuple[int, int] | None, tuple[int, int] | None]] = {
    2: ((8, 1), (16, 0)),  # 1 min late: TL1
    3: ((8, 30), (16, 0)),  # 30: TL1
    4: ((8, 31), (15, 29)),  # 31: TL2; 31 early: PSW2
    5: ((9, 0), (16, 0)),  # 60: TL2
    6: ((9, 1), (16, 0)),  # 61: TL3
    9: ((9, 30), (14, 30)),  # 90: TL3; 90 early: PSW3
    10: ((9, 31), (16, 0)),  # 91: TL4
    11: ((7, 50), (15, 59)),  # 1 early: PSW1
    12: ((7, 50), (15, 30)),  # 30: PSW1
    13: ((7, 50), (15, 0)),  # 60: PSW2
    14: ((10, 0), (11, 0)),  # Saturday, worked: nothing
    16: ((7, 50), (14, 29)),  # 91 early: PSW4
    17: ((9, 0), None),  # Imlek, worked: nothing
    18: ((7, 50), None),  # no check-out: PSW4
    19: (None, (16, 0)),  # no check-in: TL4
    # 20: nothing at all: absent (3 %), not TL4 + PSW4
    23: ((10, 0), (12, 0)),  # approved cuti: nothing
    # 24: cuti
    25: ((16, 30), None),  # checked in after the end (510 min): TL4; no check-out: PSW4
    # 26: absent
    27: ((7, 55), (16, 5)),  # on time
}


def february_events() -> list[AttendanceEvent]:
    events: list[AttendanceEvent] = []
    for d, (check_in, check_out) in FEBRUARY.items():
        if check_in is not None:
            events.append(ev(IN, at(d, *check_in)))
        if check_out is not None:
            events.append(ev(OUT, at(d, *check_out)))
    return events


def test_tally_of_a_month_counted_by_hand() -> None:
    recap = monthly_recap(
        7, "2026-02", february_events(), now=AFTER_MONTH, holidays=HOLIDAYS, leaves=CUTI
    )
    assert recap.absences == 2
    tally = recap.discipline
    assert (tally.tl1, tally.tl2, tally.tl3, tally.tl4) == (2, 2, 2, 3)
    assert (tally.psw1, tally.psw2, tally.psw3, tally.psw4) == (2, 2, 1, 3)
    assert tally.absent_days == 2
    # TL 2*0.5 + 2*1 + 2*1.25 + 3*1.5 = 10; PSW 2*0.5 + 2*1 + 1.25 + 3*1.5 = 8.75; 2*3 = 6
    assert tally.deduction_percent == Decimal("24.75")
    assert tally.uncapped_percent == Decimal("24.75")
    assert not tally.capped
    assert tally.count(Category.PSW4) == 3


def test_cap_and_other_regulations() -> None:
    records = evaluate_month(
        7, "2026-02", february_events(), now=AFTER_MONTH, holidays=HOLIDAYS, leaves=CUTI
    )
    capped = discipline_tally(records, DisciplineRules(cap_percent=Decimal("20")))
    assert (capped.uncapped_percent, capped.deduction_percent) == (Decimal("24.75"), 20)
    assert capped.capped

    other = DisciplineRules(
        late_bounds=(15, 45, 75),
        late_percent=(1, 2, 3, 4),
        early_percent=(0, 0, 0, 0),
        absent_percent=Decimal("5"),
    )
    tally = discipline_tally(records, other)
    # 1 -> TL1; 30, 31 -> TL2; 60, 61 -> TL3; 90, 91, no check-in, after end -> TL4
    assert (tally.tl1, tally.tl2, tally.tl3, tally.tl4) == (1, 2, 2, 4)
    assert (tally.psw1, tally.psw2, tally.psw3, tally.psw4) == (2, 2, 1, 3)  # default bounds
    assert tally.deduction_percent == 1 + 2 * 2 + 2 * 3 + 4 * 4 + 2 * 5


@pytest.mark.parametrize(
    ("minutes", "category"),
    [(1, Category.TL1), (30, Category.TL1), (31, Category.TL2), (60, Category.TL2),
     (61, Category.TL3), (90, Category.TL3), (91, Category.TL4), (400, Category.TL4)],
)  # fmt: skip
def test_late_bands_are_inclusive_upper_bounds(minutes: int, category: Category) -> None:
    check_in = at(2, 8 + minutes // 60, minutes % 60)
    record = day_of(ev(IN, check_in), ev(OUT, at(2, 16, 0)))
    assert record.late_minutes == minutes
    assert day_categories(record) == (category,)


@pytest.mark.parametrize(
    ("minutes", "category"),
    [(1, Category.PSW1), (30, Category.PSW1), (31, Category.PSW2), (60, Category.PSW2),
     (61, Category.PSW3), (90, Category.PSW3), (91, Category.PSW4)],
)  # fmt: skip
def test_early_bands(minutes: int, category: Category) -> None:
    leaves_at = 16 * 60 - minutes
    record = day_of(ev(IN, at(2, 7, 30)), ev(OUT, at(2, leaves_at // 60, leaves_at % 60)))
    assert record.left_early_minutes == minutes
    assert day_categories(record) == (category,)


def test_grace_is_the_schedule_s() -> None:
    schedule = WorkSchedule(grace_minutes=5)
    on_time = day_of(ev(IN, at(2, 8, 5)), ev(OUT, at(2, 16, 0)), schedule=schedule)
    late = day_of(ev(IN, at(2, 8, 6)), ev(OUT, at(2, 16, 0)), schedule=schedule)
    assert day_categories(on_time) == ()
    assert day_categories(late) == (Category.TL1,)  # 6 minutes, counted from 08:00


def test_missing_check_out_counts_only_once_the_day_is_over() -> None:
    morning = day_of(ev(IN, at(2, 7, 50)), now=at(2, 12, 0))
    assert not morning.final and day_categories(morning) == ()
    over = day_of(ev(IN, at(2, 7, 50)))
    assert day_categories(over) == (Category.PSW4,)


def test_days_that_never_count() -> None:
    absent = day_of()
    assert day_categories(absent) == ()
    assert discipline_tally([absent]) == DisciplineTally(
        absent_days=1, uncapped_percent=Decimal(3), deduction_percent=Decimal(3)
    )
    leave = Leave(7, LeaveKind.SAKIT, date(2026, 2, 2), date(2026, 2, 2), LeaveStatus.APPROVED)
    sick = day_of(ev(IN, at(2, 10, 0)), leaves=[leave])
    weekend = day_of(ev(IN, at(1, 10, 0)), day=1)
    not_yet = day_of(now=at(2, 7, 0))
    for record in (sick, weekend, not_yet):
        assert day_categories(record) == ()
        assert discipline_tally([record]) == DisciplineTally()


def test_absent_percent_is_exact_decimal() -> None:
    rules = DisciplineRules(absent_percent="2.5", late_percent=("0.1", "0.2", "0.3", "0.4"))
    records = [day_of(ev(IN, at(d, 8, 10)), ev(OUT, at(d, 16, 0)), day=d) for d in (2, 3, 4)]
    tally = discipline_tally([*records, day_of(day=5)], rules)
    assert tally.deduction_percent == Decimal("2.8")  # 3 * 0.1 + 2.5, no float dust


def test_band_descriptions() -> None:
    assert DEFAULT_DISCIPLINE.band(Category.TL1) == (1, 30)
    assert DEFAULT_DISCIPLINE.band(Category.PSW3) == (61, 90)
    assert DEFAULT_DISCIPLINE.band(Category.TL4) == (91, None)
    assert DEFAULT_DISCIPLINE.percent(Category.TL3) == Decimal("1.25")
    assert DEFAULT_DISCIPLINE.percent(Category.PSW4) == Decimal("1.5")
    assert Category.PSW2.label == "PSW2"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"late_bounds": (30, 60)}, "late_bounds"),
        ({"early_bounds": (30, 30, 90)}, "early_bounds"),
        ({"late_bounds": (0, 60, 90)}, "late_bounds"),
        ({"late_percent": (1, 2, 3)}, "late_percent"),
        ({"early_percent": (1, 2, 3, -1)}, "early_percent"),
        ({"absent_percent": 101}, "absent_percent"),
        ({"cap_percent": "NaN"}, "cap_percent"),
    ],
)
def test_rules_are_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainValidationError) as caught:
        DisciplineRules(**kwargs)  # type: ignore[arg-type]
    assert caught.value.details.get("field") == field
