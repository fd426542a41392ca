"""Working hours: the base schedule with its weekday hours, dated overrides (e.g.
Ramadan), shifts, and one day's resolved schedule.

Defaults follow the office: Monday-Friday, 08:00-16:00 WIB (Asia/Jakarta), no grace.
Office hours (base, weekday, override) start and end on the same date; only a ``Shift``
may cross midnight (its end is then on the next date). How they combine for one date is
``schedule_for`` (the order is documented in ``hadir.domain.attendance.timetable``).
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


OVERNIGHT_CHECKOUT_HOURS = 4
"""A check-out up to this many hours after a night shift's end still closes that shift."""

OFFICE_WEEKDAYS: frozenset[Weekday] = frozenset(
    {Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY}
)


def span_of(start: time, end: time) -> timedelta:
    """The length of ``start``..``end``; an end at or before the start is on the next date
    (20:00-08:00 is 12 hours, 08:00-08:00 is 24)."""
    span = datetime.combine(date.min, end) - datetime.combine(date.min, start)
    return span if span > timedelta(0) else span + timedelta(days=1)


def _check_hours(
    start: time, end: time, grace_minutes: int, *, what: str, overnight: bool = False
) -> None:
    """Shared validation of a start/end/grace triple (``overnight``: end may be the next
    date, as in a shift)."""
    if start.tzinfo is not None or end.tzinfo is not None:
        raise DomainValidationError(
            f"{what}: start and end are wall-clock times; give the timezone separately"
        )
    if not overnight and not start < end:
        raise DomainValidationError(
            f"{what}: start {start.isoformat()} must be before end {end.isoformat()}",
            field="end",
        )
    if grace_minutes < 0:
        raise DomainValidationError(
            f"{what}: grace_minutes must be >= 0, got {grace_minutes}", field="grace_minutes"
        )
    if timedelta(minutes=grace_minutes) >= span_of(start, end):
        raise DomainValidationError(
            f"{what}: grace of {grace_minutes} min does not fit in the working day",
            field="grace_minutes",
        )


@dataclass(frozen=True)
class WeekdayHours:
    """Different hours on one weekday of a schedule, e.g. Friday 07:30-11:30."""

    weekday: Weekday
    start: time
    end: time
    grace_minutes: int | None = None
    """``None`` keeps the schedule's grace."""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "weekday", Weekday(self.weekday))
        except ValueError as exc:
            raise DomainValidationError(
                "weekday must be 0 (Monday) to 6 (Sunday)", field="weekday_hours"
            ) from exc
        _check_hours(
            self.start, self.end, self.grace_minutes or 0, what=f"hours of {self.weekday.name}"
        )


@dataclass(frozen=True)
class WorkSchedule:
    """The office's regular hours.

    ``weekday_hours`` gives some working weekdays their own hours (a shorter Friday); the
    other working weekdays keep ``start``..``end``. ``checkin_opens_at`` (e.g. 05:00) is
    the earliest local time a check-in is accepted; ``None`` means any time of the day.
    The outer layer uses it (via ``DaySchedule.accepts_check_in_at``) when deciding on an
    event.
    """

    working_days: frozenset[Weekday] = OFFICE_WEEKDAYS
    start: time = time(8, 0)
    end: time = time(16, 0)
    grace_minutes: int = 0
    timezone: str = DEFAULT_TIMEZONE
    checkin_opens_at: time | None = None
    weekday_hours: tuple[WeekdayHours, ...] = ()

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
        hours = tuple(sorted(self.weekday_hours, key=lambda h: h.weekday))
        object.__setattr__(self, "weekday_hours", hours)
        seen = [h.weekday for h in hours]
        if len(set(seen)) != len(seen):
            raise DomainValidationError(
                "weekday_hours gives a weekday twice", field="weekday_hours"
            )
        for own in hours:
            grace = self.grace_minutes if own.grace_minutes is None else own.grace_minutes
            _check_hours(own.start, own.end, grace, what=f"hours of {own.weekday.name}")
        idle = [h.weekday.name.title() for h in hours if h.weekday not in days]
        if idle:
            raise DomainValidationError(
                f"weekday_hours for a day that is not a working day: {', '.join(idle)}",
                field="weekday_hours",
            )

    @property
    def tz(self) -> tzinfo:
        return zone(self.timezone)

    def is_working_weekday(self, day: date) -> bool:
        return Weekday(day.weekday()) in self.working_days

    def hours_of(self, weekday: Weekday) -> WeekdayHours | None:
        """The weekday's own hours, if it has any."""
        return next((h for h in self.weekday_hours if h.weekday == weekday), None)


@dataclass(frozen=True)
class Shift:
    """A named shift of a unit that works around the clock, e.g. ``malam`` 20:00-08:00.

    An ``end`` at or before ``start`` is on the next date: the shift crosses midnight and
    a check-out after midnight belongs to the shift's date (see ``timetable``).
    """

    code: str
    start: time
    end: time
    grace_minutes: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise DomainValidationError("a shift needs a code", field="code")
        _check_hours(
            self.start, self.end, self.grace_minutes, what=f"shift {self.code}", overnight=True
        )

    @property
    def overnight(self) -> bool:
        return self.end <= self.start


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
    shift: str | None = None
    """The code of the shift that applied, if any (only a shift may cross midnight)."""

    def __post_init__(self) -> None:
        _check_hours(
            self.start,
            self.end,
            self.grace_minutes,
            what=f"schedule of {self.day}",
            overnight=self.shift is not None,
        )
        zone(self.timezone)
        if (
            not self.overnight
            and self.checkin_opens_at is not None
            and (self.checkin_opens_at > self.start)
        ):
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
    def overnight(self) -> bool:
        """Whether the hours end on the next date (a night shift)."""
        return self.end <= self.start

    @property
    def end_at(self) -> datetime:
        """The official end, as an aware local datetime (the next date for a night shift)."""
        end_day = self.day + timedelta(days=1) if self.overnight else self.day
        return datetime.combine(end_day, self.end, tzinfo=self.tz)

    @property
    def late_from(self) -> datetime:
        """The first instant at which a check-in is late (start + grace + one minute).

        Seconds are not counted, so with no grace 08:00:59 is still on time.
        """
        return self.start_at + timedelta(minutes=self.grace_minutes + 1)

    @property
    def closes_at(self) -> datetime:
        """After it nothing about the day can change: local midnight ending the date, or
        for a night shift the end of its check-out window (``checkout_until``)."""
        midnight = start_of_day(self.day + timedelta(days=1), self.tz)
        return max(midnight, self.checkout_until) if self.overnight else midnight

    @property
    def checkout_until(self) -> datetime:
        """The last instant (exclusive) a check-out still belongs to this date: local
        midnight, or for a night shift its end plus ``OVERNIGHT_CHECKOUT_HOURS``."""
        if not self.overnight:
            return start_of_day(self.day + timedelta(days=1), self.tz)
        return self.end_at + timedelta(hours=OVERNIGHT_CHECKOUT_HOURS)

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
    day: date,
    base: WorkSchedule,
    overrides: Iterable[ScheduleOverride] = (),
    shift: Shift | None = None,
) -> DaySchedule | None:
    """The hours for ``day``, or ``None`` when it is not a working day.

    Resolution order (the first that applies wins): the employee's ``shift`` of that date
    (a working day whatever the weekday), then a date override (on working weekdays
    only), then the weekday's own hours, then the schedule's start and end. Holidays are
    not considered here. When several overrides cover the date, the last one in
    ``overrides`` wins (pass them in priority order).
    """
    if shift is not None:
        return DaySchedule(
            day=day,
            start=shift.start,
            end=shift.end,
            grace_minutes=shift.grace_minutes,
            timezone=base.timezone,
            label=shift.name or None,
            shift=shift.code,
        )
    if not base.is_working_weekday(day):
        return None
    chosen: ScheduleOverride | None = None
    for override in overrides:
        if override.covers(day):
            chosen = override
    own = base.hours_of(Weekday(day.weekday()))
    start, end, grace, label = base.start, base.end, base.grace_minutes, None
    if chosen is not None:
        start, end, label = chosen.start, chosen.end, chosen.label or None
        grace = grace if chosen.grace_minutes is None else chosen.grace_minutes
    elif own is not None:
        start, end = own.start, own.end
        grace = grace if own.grace_minutes is None else own.grace_minutes
    opens = base.checkin_opens_at
    if opens is not None and opens > start:
        opens = start
    return DaySchedule(
        day=day,
        start=start,
        end=end,
        grace_minutes=grace,
        timezone=base.timezone,
        checkin_opens_at=opens,
        label=label,
    )
