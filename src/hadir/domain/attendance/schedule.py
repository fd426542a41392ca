"""Working hours: the base schedule, dated overrides (e.g. Ramadan) and one day's schedule.

Defaults follow the office: Monday-Friday, 08:00-16:00 WIB (Asia/Jakarta), no grace.
Shifts crossing midnight are not supported (start must be before end on the same day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import IntEnum

from hadir.domain.attendance.timeutil import (
    DEFAULT_TIMEZONE,
    start_of_day,
    to_local,
    whole_minutes,
    zone,
)
from hadir.domain.errors import DomainValidationError


class Weekday(IntEnum):
    """Days of the week numbered like ``date.weekday()`` (Monday = 0)."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


OFFICE_WEEKDAYS: frozenset[Weekday] = frozenset(
    {Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY}
)


def _check_hours(start: time, end: time, grace_minutes: int, *, what: str) -> None:
    """Shared validation of a start/end/grace triple."""
    if start.tzinfo is not None or end.tzinfo is not None:
        raise DomainValidationError(
            f"{what}: start and end are wall-clock times; give the timezone separately"
        )
    if not start < end:
        raise DomainValidationError(
            f"{what}: start {start.isoformat()} must be before end {end.isoformat()}",
            field="end",
        )
    if grace_minutes < 0:
        raise DomainValidationError(
            f"{what}: grace_minutes must be >= 0, got {grace_minutes}", field="grace_minutes"
        )
    span = datetime.combine(date.min, end) - datetime.combine(date.min, start)
    if timedelta(minutes=grace_minutes) >= span:
        raise DomainValidationError(
            f"{what}: grace of {grace_minutes} min does not fit in the working day",
            field="grace_minutes",
        )


@dataclass(frozen=True)
class WorkSchedule:
    """The office's regular hours.

    ``checkin_opens_at`` (e.g. 05:00) is the earliest local time a check-in is accepted;
    ``None`` means any time of the day. The outer layer uses it (via
    ``DaySchedule.accepts_check_in_at``) when deciding on an event.
    """

    working_days: frozenset[Weekday] = OFFICE_WEEKDAYS
    start: time = time(8, 0)
    end: time = time(16, 0)
    grace_minutes: int = 0
    timezone: str = DEFAULT_TIMEZONE
    checkin_opens_at: time | None = None

    def __post_init__(self) -> None:
        try:
            days = frozenset(Weekday(d) for d in self.working_days)
        except ValueError as exc:
            raise DomainValidationError(
                "working_days must be weekday numbers 0 (Monday) to 6 (Sunday)",
                field="working_days",
            ) from exc
        object.__setattr__(self, "working_days", days)
        _check_hours(self.start, self.end, self.grace_minutes, what="work schedule")
        zone(self.timezone)  # validates the name
        if self.checkin_opens_at is not None and self.checkin_opens_at > self.start:
            raise DomainValidationError(
                "checkin_opens_at must not be after the start of the working day",
                field="checkin_opens_at",
            )

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    def is_working_weekday(self, day: date) -> bool:
        return Weekday(day.weekday()) in self.working_days


@dataclass(frozen=True)
class ScheduleOverride:
    """Different hours on an inclusive date range, e.g. Ramadan 08:00-15:00.

    It replaces start, end and (when given) grace on the base schedule's working weekdays
    in the range; it never turns a non-working weekday into a working day.
    """

    start_date: date
    end_date: date
    start: time
    end: time
    grace_minutes: int | None = None
    """``None`` keeps the base schedule's grace."""
    label: str = ""

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise DomainValidationError(
                f"schedule override ends ({self.end_date}) before it starts ({self.start_date})",
                field="end_date",
            )
        _check_hours(self.start, self.end, self.grace_minutes or 0, what=f"override {self.label!r}")

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class DaySchedule:
    """The resolved hours of one working date, in the schedule's timezone."""

    day: date
    start: time
    end: time
    grace_minutes: int = 0
    timezone: str = DEFAULT_TIMEZONE
    checkin_opens_at: time | None = None
    label: str | None = None
    """The label of the override that applied, if any."""

    def __post_init__(self) -> None:
        _check_hours(self.start, self.end, self.grace_minutes, what=f"schedule of {self.day}")
        zone(self.timezone)
        if self.checkin_opens_at is not None and self.checkin_opens_at > self.start:
            raise DomainValidationError(
                "checkin_opens_at must not be after the start of the working day",
                field="checkin_opens_at",
            )

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    @property
    def start_at(self) -> datetime:
        """The official start, as an aware local datetime."""
        return datetime.combine(self.day, self.start, tzinfo=self.tz)

    @property
    def end_at(self) -> datetime:
        """The official end, as an aware local datetime."""
        return datetime.combine(self.day, self.end, tzinfo=self.tz)

    @property
    def late_from(self) -> datetime:
        """The first instant at which a check-in is late (start + grace + one minute).

        Seconds are not counted, so with no grace 08:00:59 is still on time.
        """
        return self.start_at + timedelta(minutes=self.grace_minutes + 1)

    @property
    def closes_at(self) -> datetime:
        """Local midnight ending the date: after it nothing about the day can change."""
        return start_of_day(self.day + timedelta(days=1), self.tz)

    def accepts_check_in_at(self, at: datetime) -> bool:
        """Whether a check-in at ``at`` falls on this date and after the window opens."""
        local = to_local(at, self.tz)
        if local.date() != self.day:
            return False
        return self.checkin_opens_at is None or local.time() >= self.checkin_opens_at

    def late_minutes(self, check_in: datetime) -> int:
        """Minutes late, counted from the official start, or 0 when within start + grace."""
        minutes = whole_minutes(check_in - self.start_at)
        return minutes if minutes > self.grace_minutes else 0

    def left_early_minutes(self, check_out: datetime) -> int:
        """Whole minutes between ``check_out`` and the official end (0 if at/after the end)."""
        return whole_minutes(self.end_at - check_out)


def schedule_for(
    day: date, base: WorkSchedule, overrides: Iterable[ScheduleOverride] = ()
) -> DaySchedule | None:
    """The hours for ``day``, or ``None`` when its weekday is not a working day.

    Holidays are not considered here. When several overrides cover the date, the last one
    in ``overrides`` wins (pass them in priority order).
    """
    if not base.is_working_weekday(day):
        return None
    chosen: ScheduleOverride | None = None
    for override in overrides:
        if override.covers(day):
            chosen = override
    if chosen is None:
        return DaySchedule(
            day=day,
            start=base.start,
            end=base.end,
            grace_minutes=base.grace_minutes,
            timezone=base.timezone,
            checkin_opens_at=base.checkin_opens_at,
        )
    opens = base.checkin_opens_at
    if opens is not None and opens > chosen.start:
        opens = chosen.start
    return DaySchedule(
        day=day,
        start=chosen.start,
        end=chosen.end,
        grace_minutes=base.grace_minutes if chosen.grace_minutes is None else chosen.grace_minutes,
        timezone=base.timezone,
        checkin_opens_at=opens,
        label=chosen.label or None,
    )
