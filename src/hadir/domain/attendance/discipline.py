"""Discipline categories of a day (TL1-TL4, PSW1-PSW4) and the TPP deduction of a month.

Regency regulations on the performance allowance (TPP, *tambahan penghasilan pegawai*)
cut a percentage of the monthly TPP for each late arrival (*terlambat*, TL) and early
departure (*pulang sebelum waktu*, PSW), by how many minutes, and for each day absent
without leave. The bands and percentages differ per regency, so they are settings; the
defaults below are the common ones.

Rules (on the evaluated ``DayRecord``s of ``day_status``, never on raw events, so a later
mark on a record, e.g. a correction, is read the same way):

* Only days the employee was at the office count (``on_time``, ``late``, ``incomplete``:
  ``DayRecord.is_present``): nothing on a weekend, holiday, approved leave day
  (``on_leave``), day outside the service period, or day not yet begun (``not_yet``).
* Late (TL): a day with ``late_minutes`` > 0 falls in the first band whose upper bound
  (inclusive) it does not exceed: with the default bounds 30, 60, 90, 1-30 minutes is
  TL1, 31-60 TL2, 61-90 TL3, more than 90 TL4. A check-in at or after the official end
  is late by that many minutes, so TL4 with the defaults. Grace is the schedule's: the
  minutes are those of ``day_status`` (counted from the official start once past grace).
* No check-in (``missing_check_in``: checked out only) is TL4.
* Early departure (PSW): a day with ``left_early_minutes`` > 0 falls in the bands the same
  way (PSW1-PSW4, bounds of their own); no check-out (``missing_check_out``, flagged once
  the day is over) is PSW4.
* One day can have one TL and one PSW category (late and left early), at most.
* A day ``absent`` (no accepted event at all) is not TL4 + PSW4: it counts once as an
  absence without leave, with its own percentage per day.
* Deduction: the sum of each category's percentage per occurrence plus the absence
  percentage per absent day, capped at ``cap_percent`` (default 100). Percentages are
  decimals (1.25 stays exactly 1.25 when summed).
* A day that is not over yet (``final`` false) counts as it stands, like the recap: the
  current month's figures are provisional.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from hadir.domain.attendance.day_status import DayRecord, DayStatus
from hadir.domain.errors import DomainValidationError

BANDS = 4
"""TL1-TL4 and PSW1-PSW4: three upper bounds and "more than the last"."""


class Category(StrEnum):
    TL1 = "tl1"
    TL2 = "tl2"
    TL3 = "tl3"
    TL4 = "tl4"
    PSW1 = "psw1"
    PSW2 = "psw2"
    PSW3 = "psw3"
    PSW4 = "psw4"

    @property
    def label(self) -> str:
        """As regulations write it: "TL1", "PSW4"."""
        return self.value.upper()


LATE_CATEGORIES = (Category.TL1, Category.TL2, Category.TL3, Category.TL4)
EARLY_CATEGORIES = (Category.PSW1, Category.PSW2, Category.PSW3, Category.PSW4)
ALL_CATEGORIES = LATE_CATEGORIES + EARLY_CATEGORIES


def _decimal(value: Decimal | float | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _bounds(name: str, bounds: Sequence[int]) -> tuple[int, ...]:
    values = tuple(int(b) for b in bounds)
    if len(values) != BANDS - 1:
        raise DomainValidationError(
            f"{name} needs {BANDS - 1} upper bounds in minutes, e.g. 30, 60, 90", field=name
        )
    if values[0] < 1 or any(b >= c for b, c in pairwise(values)):
        raise DomainValidationError(
            f"{name} must be increasing whole minutes of at least 1", field=name
        )
    return values


def _percents(name: str, values: Sequence[Decimal | float | int | str]) -> tuple[Decimal, ...]:
    out = tuple(_decimal(v) for v in values)
    if len(out) != BANDS:
        raise DomainValidationError(f"{name} needs {BANDS} percentages", field=name)
    _check_percent(name, *out)
    return out


def _check_percent(name: str, *values: Decimal) -> None:
    if any(not v.is_finite() or v < 0 or v > 100 for v in values):
        raise DomainValidationError(f"{name}: percentages are between 0 and 100", field=name)


def _d(values: Iterable[str]) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


@dataclass(frozen=True)
class DisciplineRules:
    """Bands (upper bounds in minutes, inclusive, of categories 1-3) and percentages of
    the monthly TPP per occurrence (categories 1-4), per absent day, and the cap."""

    late_bounds: tuple[int, ...] = (30, 60, 90)
    early_bounds: tuple[int, ...] = (30, 60, 90)
    late_percent: tuple[Decimal, ...] = field(default=_d(("0.5", "1", "1.25", "1.5")))
    early_percent: tuple[Decimal, ...] = field(default=_d(("0.5", "1", "1.25", "1.5")))
    absent_percent: Decimal = Decimal("3")
    cap_percent: Decimal = Decimal("100")

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "late_bounds", _bounds("late_bounds", self.late_bounds))
        set_(self, "early_bounds", _bounds("early_bounds", self.early_bounds))
        set_(self, "late_percent", _percents("late_percent", self.late_percent))
        set_(self, "early_percent", _percents("early_percent", self.early_percent))
        set_(self, "absent_percent", _decimal(self.absent_percent))
        set_(self, "cap_percent", _decimal(self.cap_percent))
        _check_percent("absent_percent", self.absent_percent)
        _check_percent("cap_percent", self.cap_percent)

    def percent(self, category: Category) -> Decimal:
        """The deduction per occurrence of ``category``."""
        if category in LATE_CATEGORIES:
            return self.late_percent[LATE_CATEGORIES.index(category)]
        return self.early_percent[EARLY_CATEGORIES.index(category)]

    def band(self, category: Category) -> tuple[int, int | None]:
        """The minutes of ``category``: (first, last), last ``None`` for the open band."""
        late = category in LATE_CATEGORIES
        bounds = self.late_bounds if late else self.early_bounds
        index = (LATE_CATEGORIES if late else EARLY_CATEGORIES).index(category)
        first = 1 if index == 0 else bounds[index - 1] + 1
        return first, bounds[index] if index < len(bounds) else None


DEFAULT_DISCIPLINE = DisciplineRules()


def _band(minutes: int, bounds: tuple[int, ...]) -> int:
    return next((i for i, bound in enumerate(bounds) if minutes <= bound), len(bounds))


def late_category(
    record: DayRecord, rules: DisciplineRules = DEFAULT_DISCIPLINE
) -> Category | None:
    """The TL category of a working day, ``None`` when not late."""
    if not record.is_present:
        return None
    if record.missing_check_in:
        return Category.TL4
    if record.late_minutes > 0:
        return LATE_CATEGORIES[_band(record.late_minutes, rules.late_bounds)]
    return None


def early_category(
    record: DayRecord, rules: DisciplineRules = DEFAULT_DISCIPLINE
) -> Category | None:
    """The PSW category of a working day, ``None`` when not early and not missing."""
    if not record.is_present:
        return None
    if record.missing_check_out:
        return Category.PSW4
    if record.left_early_minutes > 0:
        return EARLY_CATEGORIES[_band(record.left_early_minutes, rules.early_bounds)]
    return None


def day_categories(
    record: DayRecord, rules: DisciplineRules = DEFAULT_DISCIPLINE
) -> tuple[Category, ...]:
    """The day's TL and PSW categories (none, one or both), TL first."""
    if not record.is_present:  # neither band applies (the common case, asked first)
        return ()
    return tuple(
        c for c in (late_category(record, rules), early_category(record, rules)) if c is not None
    )


@dataclass(frozen=True)
class DisciplineTally:
    """Occurrences per category, absent days and the TPP deduction of a period."""

    tl1: int = 0
    tl2: int = 0
    tl3: int = 0
    tl4: int = 0
    psw1: int = 0
    psw2: int = 0
    psw3: int = 0
    psw4: int = 0
    absent_days: int = 0
    uncapped_percent: Decimal = Decimal("0")
    """The sum before the cap."""
    deduction_percent: Decimal = Decimal("0")
    """``uncapped_percent`` capped at the rules' ``cap_percent``."""

    def count(self, category: Category) -> int:
        return int(getattr(self, category.value))

    @property
    def capped(self) -> bool:
        return self.deduction_percent < self.uncapped_percent


def discipline_tally(
    records: Iterable[DayRecord],
    rules: DisciplineRules = DEFAULT_DISCIPLINE,
    *,
    categories_of: Callable[[DayRecord], tuple[Category, ...]] | None = None,
) -> DisciplineTally:
    """Count the categories of ``records`` (one per date) and the deduction they make.
    ``categories_of``: ``day_categories`` under ``rules`` as the caller already has it
    (a report memoizes it for its daily rows and its recap alike)."""
    counts: Counter[Category] = Counter()
    absent = 0
    for record in records:
        counts.update(
            day_categories(record, rules) if categories_of is None else categories_of(record)
        )
        if record.status is DayStatus.ABSENT:
            absent += 1
    total = sum((rules.percent(c) * n for c, n in counts.items()), Decimal("0"))
    total += rules.absent_percent * absent
    return DisciplineTally(
        tl1=counts[Category.TL1],
        tl2=counts[Category.TL2],
        tl3=counts[Category.TL3],
        tl4=counts[Category.TL4],
        psw1=counts[Category.PSW1],
        psw2=counts[Category.PSW2],
        psw3=counts[Category.PSW3],
        psw4=counts[Category.PSW4],
        absent_days=absent,
        uncapped_percent=total,
        deduction_percent=min(total, rules.cap_percent),
    )
