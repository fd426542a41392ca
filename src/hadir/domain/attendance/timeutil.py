"""Time helpers: UTC <-> office-local time, months, whole minutes.

Events are stored in UTC; every rule compares in the schedule's timezone.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hadir.domain.errors import DomainValidationError

DEFAULT_TIMEZONE = "Asia/Jakarta"
"""WIB, the office's timezone."""

_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def zone(tz: tzinfo | str) -> tzinfo:
    """A tzinfo from an IANA name (``"Asia/Jakarta"``) or a tzinfo passed through."""
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainValidationError(f"unknown timezone {tz!r}", field="timezone") from exc


def require_aware(dt: datetime, *, field: str = "datetime") -> datetime:
    """Return ``dt`` unchanged, or raise if it is naive (a naive time has no meaning here)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise DomainValidationError(
            f"{field} must be timezone-aware (got naive {dt.isoformat()})", field=field
        )
    return dt


def as_utc(dt: datetime, *, field: str = "datetime") -> datetime:
    """The same instant expressed in UTC; naive input is rejected."""
    return require_aware(dt, field=field).astimezone(UTC)


def to_local(dt: datetime, tz: tzinfo | str) -> datetime:
    """The same instant expressed in ``tz`` (naive input is rejected)."""
    return require_aware(dt).astimezone(zone(tz))


def local_date_of(utc_dt: datetime, tz: tzinfo | str = DEFAULT_TIMEZONE) -> date:
    """The calendar date in ``tz`` at the instant ``utc_dt`` (e.g. 20:00 UTC is next day WIB)."""
    return to_local(utc_dt, tz).date()


def start_of_day(day: date, tz: tzinfo | str) -> datetime:
    """Local midnight that opens ``day`` in ``tz`` (aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=zone(tz))


def whole_minutes(delta: timedelta) -> int:
    """Whole minutes in a non-negative duration; a partial minute is not counted."""
    if delta <= timedelta(0):
        return 0
    return int(delta.total_seconds() // 60)


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month, e.g. ``YearMonth(2025, 3)``; ``str()`` gives ``"2025-03"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise DomainValidationError(f"year out of range: {self.year}", field="year")
        if not 1 <= self.month <= 12:
            raise DomainValidationError(
                f"month must be between 1 and 12, got {self.month}", field="month"
            )

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def days(self) -> list[date]:
        """Every date of the month, in order."""
        return month_days(self.year, self.month)

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month


def dates_between(first: date, last: date) -> list[date]:
    """Every date of ``first``..``last``, both included, in order (none when ``last`` is
    before ``first``)."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def month_days(year: int, month: int) -> list[date]:
    """Every date of ``year``-``month`` in order (28 to 31 dates)."""
    ym = YearMonth(year, month)  # validates
    count = calendar.monthrange(ym.year, ym.month)[1]
    return [date(year, month, d) for d in range(1, count + 1)]


def parse_month(text: str) -> YearMonth:
    """Parse ``"YYYY-MM"`` (e.g. ``"2025-03"``); anything else raises a validation error."""
    if not isinstance(text, str):
        raise DomainValidationError(
            f"month must be a string in the form YYYY-MM, got {type(text).__name__}",
            field="month",
        )
    match = _MONTH_RE.fullmatch(text)
    if match is None:
        raise DomainValidationError(
            f"month must look like YYYY-MM (e.g. 2025-03), got {text!r}", field="month"
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise DomainValidationError(
            f"month must be between 01 and 12, got {match.group(2)!r} in {text!r}",
            field="month",
        )
    if year < 1:
        raise DomainValidationError(f"year must be 0001 or later, got {text!r}", field="month")
    return YearMonth(year, month)
