"""Models of the schedule endpoints: work schedules, dated overrides, resolved days."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from hadir.domain.attendance import DEFAULT_TIMEZONE, Weekday, WeekdayHours
from hadir.services.records import OfficeRecord, OverrideRecord, ScheduleRecord
from hadir.services.schedules import ResolvedDay

_NAMES = {d.name.lower(): d for d in Weekday} | {d.name.lower()[:3]: d for d in Weekday}
_NAMES |= {
    "senin": Weekday.MONDAY,
    "selasa": Weekday.TUESDAY,
    "rabu": Weekday.WEDNESDAY,
    "kamis": Weekday.THURSDAY,
    "jumat": Weekday.FRIDAY,
    "sabtu": Weekday.SATURDAY,
    "minggu": Weekday.SUNDAY,
}


def _weekday(value: object) -> Weekday:
    """A weekday name (English, 3-letter or Indonesian; any case) or ISO number 1-7."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return Weekday(value - 1)
    if isinstance(value, str) and value.strip().lower() in _NAMES:
        return _NAMES[value.strip().lower()]
    raise ValueError(f"unknown weekday {value!r}: use a name such as 'monday' or an ISO number 1-7")


def _weekdays(value: object) -> list[Weekday]:
    if not isinstance(value, list | tuple):
        raise ValueError("working_days must be a list of weekday names or ISO numbers 1-7")
    days = [_weekday(v) for v in value]
    if len(set(days)) != len(days):
        raise ValueError("working_days lists a weekday twice")
    return sorted(days)


WorkingDays = Annotated[list[Weekday], BeforeValidator(_weekdays)]
Grace = Annotated[int, Field(ge=0, le=180, description="minutes of tolerance after start")]
WallTime = Annotated[time, Field(description="local wall-clock time, HH:MM")]


class WeekdayHoursIn(BaseModel):
    """A working weekday with hours of its own, e.g. Friday 07:30-11:30."""

    model_config = ConfigDict(extra="forbid")

    weekday: Annotated[Weekday, BeforeValidator(_weekday)]
    start: WallTime
    end: WallTime
    grace_minutes: Grace | None = Field(default=None, description="null: the schedule's")

    def to_domain(self) -> WeekdayHours:
        return WeekdayHours(self.weekday, self.start, self.end, self.grace_minutes)


class WeekdayHoursPublic(BaseModel):
    weekday: str
    start: str
    end: str
    grace_minutes: int | None

    @classmethod
    def of(cls, h: WeekdayHours) -> WeekdayHoursPublic:
        return cls(
            weekday=h.weekday.name.lower(),
            start=h.start.strftime("%H:%M"),
            end=h.end.strftime("%H:%M"),
            grace_minutes=h.grace_minutes,
        )


def day_names(days: frozenset[Weekday]) -> list[str]:
    return [d.name.lower() for d in sorted(days)]


def hhmm(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


class ScheduleCreate(BaseModel):
    """Neither ``office_code`` nor ``unit``: the global default schedule."""

    model_config = ConfigDict(extra="forbid")

    office_code: str | None = Field(default=None, min_length=1, max_length=32)
    unit: str | None = Field(default=None, min_length=1, max_length=255)
    working_days: WorkingDays = Field(min_length=1)
    start: WallTime
    end: WallTime
    grace_minutes: Grace = 0
    timezone: str = Field(default=DEFAULT_TIMEZONE, max_length=64)
    checkin_opens_at: WallTime | None = None
    weekday_hours: list[WeekdayHoursIn] = Field(default_factory=list, max_length=7)

    @model_validator(mode="after")
    def _one_scope(self) -> ScheduleCreate:
        if self.office_code is not None and self.unit is not None:
            raise ValueError("a schedule applies to an office_code or to a unit, not both")
        return self


class ScheduleUpdate(BaseModel):
    """Only the fields given change; the scope never does."""

    model_config = ConfigDict(extra="forbid")

    working_days: WorkingDays | None = Field(default=None, min_length=1)
    start: WallTime | None = None
    end: WallTime | None = None
    grace_minutes: Grace | None = None
    timezone: str | None = Field(default=None, max_length=64)
    checkin_opens_at: WallTime | None = None
    weekday_hours: list[WeekdayHoursIn] | None = Field(default=None, max_length=7)
    """The whole list (``[]`` removes every weekday's own hours)."""


class SchedulePublic(BaseModel):
    id: int
    scope: str
    """``global``, ``office`` or ``unit``."""
    office_code: str | None
    unit: str | None
    working_days: list[str]
    start: str
    end: str
    grace_minutes: int
    timezone: str
    checkin_opens_at: str | None
    weekday_hours: list[WeekdayHoursPublic]

    @classmethod
    def of(cls, r: ScheduleRecord, offices: dict[int, OfficeRecord]) -> SchedulePublic:
        s = r.schedule
        scope = "unit" if r.unit is not None else "office" if r.office_id is not None else "global"
        return cls(
            id=r.id,
            scope=scope,
            office_code=None if r.office_id is None else offices[r.office_id].code,
            unit=r.unit,
            working_days=day_names(s.working_days),
            start=s.start.strftime("%H:%M"),
            end=s.end.strftime("%H:%M"),
            grace_minutes=s.grace_minutes,
            timezone=s.timezone,
            checkin_opens_at=hhmm(s.checkin_opens_at),
            weekday_hours=[WeekdayHoursPublic.of(h) for h in s.weekday_hours],
        )


class OverrideCreate(BaseModel):
    """Different hours on ``start_date``..``end_date`` (e.g. Ramadan 08:00-15:00)."""

    model_config = ConfigDict(extra="forbid")

    start_date: date
    end_date: date
    start: WallTime
    end: WallTime
    grace_minutes: Grace | None = Field(default=None, description="null: the schedule's")
    label: str = Field(default="", max_length=255)


class OverridePublic(BaseModel):
    id: int
    start_date: date
    end_date: date
    start: str
    end: str
    grace_minutes: int | None
    label: str

    @classmethod
    def of(cls, r: OverrideRecord) -> OverridePublic:
        o = r.override
        return cls(
            id=r.id,
            start_date=o.start_date,
            end_date=o.end_date,
            start=o.start.strftime("%H:%M"),
            end=o.end.strftime("%H:%M"),
            grace_minutes=o.grace_minutes,
            label=o.label,
        )


class ResolvedPublic(BaseModel):
    """The effective schedule of one employee on one date."""

    employee_id: str
    day: date
    working_day: bool
    """A working weekday that is not a holiday."""
    holiday: str | None
    start: str | None
    end: str | None
    grace_minutes: int | None
    timezone: str
    checkin_opens_at: str | None
    override: str | None
    """The label of the override (or the shift's name) that applied, if any."""
    shift: str | None = None
    """The code of the employee's shift that applied, if any."""

    @classmethod
    def of(cls, r: ResolvedDay) -> ResolvedPublic:
        h = r.hours
        return cls(
            employee_id=r.employee.employee_id,
            day=r.day,
            working_day=r.working,
            holiday=r.holiday,
            start=None if h is None else hhmm(h.start),
            end=None if h is None else hhmm(h.end),
            grace_minutes=None if h is None else h.grace_minutes,
            timezone=r.schedule.timezone,
            checkin_opens_at=None if h is None else hhmm(h.checkin_opens_at),
            override=None if h is None else h.label,
            shift=None if h is None else h.shift,
        )
