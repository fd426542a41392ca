"""WorkSchedule, ScheduleOverride, schedule_for and the time helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hadir.domain.attendance import (
    DaySchedule,
    ScheduleOverride,
    Weekday,
    WorkSchedule,
    YearMonth,
    local_date_of,
    month_days,
    parse_month,
    schedule_for,
    to_local,
)
from hadir.domain.errors import DomainValidationError, ErrorCode, HadirError

WIB = ZoneInfo("Asia/Jakarta")
MON = date(2025, 6, 2)


def test_defaults_are_the_office_hours() -> None:
    base = WorkSchedule()
    day = schedule_for(MON, base)
    assert day == DaySchedule(MON, time(8, 0), time(16, 0), 0, "Asia/Jakarta")
    assert day.start_at == datetime(2025, 6, 2, 8, 0, tzinfo=WIB)
    assert day.start_at.astimezone(UTC) == datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    assert [schedule_for(MON + timedelta(days=i), base) is None for i in range(7)] == [
        False,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


def test_override_replaces_hours_only_in_its_range_and_on_working_days() -> None:
    base = WorkSchedule(grace_minutes=5)
    ramadan = ScheduleOverride(
        date(2025, 3, 1), date(2025, 3, 30), time(8, 0), time(15, 0), label="Ramadan"
    )
    inside = schedule_for(date(2025, 3, 3), base, [ramadan])
    assert inside is not None
    assert (inside.end, inside.grace_minutes, inside.label) == (time(15, 0), 5, "Ramadan")
    after = schedule_for(date(2025, 3, 31), base, [ramadan])
    assert after is not None and after.end == time(16, 0) and after.label is None
    assert schedule_for(date(2025, 3, 1), base, [ramadan]) is None  # a Saturday


def test_last_covering_override_wins_and_can_set_grace() -> None:
    wide = ScheduleOverride(MON, MON + timedelta(days=30), time(8, 0), time(15, 0), label="a")
    narrow = ScheduleOverride(MON, MON, time(9, 0), time(14, 0), grace_minutes=10, label="b")
    chosen = schedule_for(MON, WorkSchedule(), [wide, narrow])
    assert chosen is not None
    assert (chosen.start, chosen.end, chosen.grace_minutes, chosen.label) == (
        time(9, 0),
        time(14, 0),
        10,
        "b",
    )
    reverse = schedule_for(MON, WorkSchedule(), [narrow, wide])
    assert reverse is not None and reverse.label == "a"


def test_check_in_window() -> None:
    day = schedule_for(MON, WorkSchedule(checkin_opens_at=time(5, 0)))
    assert day is not None
    assert not day.accepts_check_in_at(datetime(2025, 6, 2, 4, 59, tzinfo=WIB))
    assert day.accepts_check_in_at(datetime(2025, 6, 2, 5, 0, tzinfo=WIB))
    assert day.accepts_check_in_at(datetime(2025, 6, 1, 22, 0, tzinfo=UTC))  # 05:00 WIB
    assert not day.accepts_check_in_at(datetime(2025, 6, 3, 6, 0, tzinfo=WIB))
    anytime = schedule_for(MON, WorkSchedule())
    assert anytime is not None and anytime.accepts_check_in_at(datetime(2025, 6, 2, tzinfo=WIB))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(16, 0), "end": time(8, 0)},
        {"start": time(8, 0), "end": time(8, 0)},
        {"grace_minutes": -1},
        {"grace_minutes": 480},
        {"timezone": "Asia/Atlantis"},
        {"working_days": frozenset({7})},
        {"checkin_opens_at": time(9, 0)},
    ],
)
def test_invalid_work_schedule(kwargs: dict[str, Any]) -> None:
    with pytest.raises(DomainValidationError) as info:
        WorkSchedule(**kwargs)
    assert info.value.code is ErrorCode.VALIDATION_ERROR


def test_working_days_accept_plain_numbers() -> None:
    sched = WorkSchedule(working_days=frozenset({0, 5}))  # type: ignore[arg-type]
    assert sched.working_days == frozenset({Weekday.MONDAY, Weekday.SATURDAY})


def test_invalid_override() -> None:
    with pytest.raises(DomainValidationError, match="before it starts"):
        ScheduleOverride(MON, MON - timedelta(days=1), time(8, 0), time(15, 0))
    with pytest.raises(DomainValidationError):
        ScheduleOverride(MON, MON, time(15, 0), time(8, 0))


def test_local_date_of_crosses_midnight() -> None:
    assert local_date_of(datetime(2025, 6, 2, 16, 59, tzinfo=UTC)) == date(2025, 6, 2)
    assert local_date_of(datetime(2025, 6, 2, 17, 0, tzinfo=UTC)) == date(2025, 6, 3)
    assert local_date_of(datetime(2025, 6, 2, 17, 0, tzinfo=UTC), "UTC") == date(2025, 6, 2)
    plus7 = timezone(timedelta(hours=7))
    assert to_local(datetime(2025, 6, 2, 1, 30, tzinfo=UTC), plus7).time() == time(8, 30)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(DomainValidationError, match="timezone-aware"):
        local_date_of(datetime(2025, 6, 2, 1, 30))


def test_parse_month() -> None:
    ym = parse_month("2025-03")
    assert ym == YearMonth(2025, 3)
    assert str(ym) == "2025-03"
    assert (ym.first_day, ym.last_day) == (date(2025, 3, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2025-13", "between 01 and 12"),
        ("2025-00", "between 01 and 12"),
        ("2025-3", "YYYY-MM"),
        ("25-03", "YYYY-MM"),
        ("2025/03", "YYYY-MM"),
        ("", "YYYY-MM"),
        (" 2025-03", "YYYY-MM"),
        ("2025-03\n", "YYYY-MM"),
        ("2025-03-01", "YYYY-MM"),
        ("maret", "YYYY-MM"),
        ("٢٠٢٥-٠٣", "YYYY-MM"),  # non-ASCII digits
        ("0000-01", "0001"),
    ],
)
def test_parse_month_errors(text: str, fragment: str) -> None:
    with pytest.raises(HadirError) as info:
        parse_month(text)
    assert info.value.code is ErrorCode.VALIDATION_ERROR
    assert fragment in info.value.message
    assert info.value.details.get("field") == "month"


def test_parse_month_rejects_non_strings() -> None:
    with pytest.raises(DomainValidationError, match="string"):
        parse_month(202503)  # type: ignore[arg-type]


def test_month_days() -> None:
    feb_leap = month_days(2024, 2)
    assert len(feb_leap) == 29
    assert feb_leap[0] == date(2024, 2, 1) and feb_leap[-1] == date(2024, 2, 29)
    assert len(month_days(2026, 2)) == 28
    assert len(month_days(2025, 12)) == 31
    with pytest.raises(DomainValidationError):
        month_days(2025, 13)
