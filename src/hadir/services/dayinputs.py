"""What the day counts (``daycounts``) read of a range of days, in one pass.

The roster, the approved leave, the shift assignments, the schedules and overrides, the
holidays, the inactive staff's days with events, the events of employees on a shift
roster and the per-employee spans are read once for ``first``..``last`` (the spans and the
days seen each in one query grouped by employee and local date); ``RangeInputs.on`` then
gives each day exactly what reading that day alone would: the rows touching it, in the
order the repositories return them (a filtered subset keeps the order). The dashboard's
first view reads its week this way instead of seven times.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceEvent,
    DaySchedule,
    Leave,
    LeaveStatus,
    ScheduleOverride,
    ShiftAssignment,
    Timetable,
    WorkSchedule,
)
from hadir.domain.attendance.timeutil import dates_between, start_of_day
from hadir.services.ports import AbstractUnitOfWork
from hadir.services.records import EventSpan, RosterEntry, epoch_us

Scope = tuple[int | None, str]
Resolved = tuple[WorkSchedule, list[ScheduleOverride]]
DAY = timedelta(days=1)


class _Dated(Protocol):
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date: ...


_T = TypeVar("_T", bound=_Dated)


def _touching(items: Iterable[_T], first: date, last: date) -> list[_T]:
    """The items whose dates overlap ``first``..``last``, in their order."""
    return [i for i in items if i.start_date <= last and i.end_date >= first]


def _serves(employee: RosterEntry, first: date, last: date) -> bool:
    """Whether the employee's service overlaps ``first``..``last``."""
    start, end = employee.start_date, employee.end_date
    return (start is None or start <= last) and (end is None or end >= first)


def _window(day: date) -> tuple[date, date]:
    """The dates (WIB) of the report's window of ``day``: the day and one either side."""
    return day - DAY, day + DAY


@dataclass(frozen=True)
class DayInputs:
    """Everything one day's counts read, as ``daycounts.unit_statuses`` evaluates it."""

    day: date
    employees: list[RosterEntry]
    """Serving on the day: active, or inactive with an event in the day's window."""
    leaves_of: dict[int, list[Leave]]
    shifts_of: dict[int, list[ShiftAssignment]]
    """Of the assignments touching the day before and the day."""
    events_of: dict[int, list[AttendanceEvent]]
    """Every event in the day's window of each employee with shifts."""
    schedules: dict[Scope, Resolved]
    starts: dict[Scope, int | None]
    """The official start of each scope on the day, in microseconds since the epoch."""
    holidays_of: dict[int | None, dict[date, str]]
    spans_of: dict[str, dict[int, EventSpan]]
    """The day's spans in each time zone of the schedules."""


@dataclass(frozen=True)
class RangeInputs:
    """The rows of ``first``..``last``, read once (``read``); ``on`` slices one day."""

    first: date
    last: date
    roster: list[RosterEntry]
    seen: set[tuple[int, date]]
    """Inactive employees' local dates (WIB) with any event, the range's windows."""
    leaves: list[Leave]
    assignments: list[ShiftAssignment]
    events_of: dict[int, list[AttendanceEvent]]
    resolved: dict[tuple[int | None, str | None], Resolved]
    holidays_of: dict[int | None, dict[date, str]]
    spans_of: dict[str, dict[date, dict[int, EventSpan]]]

    @property
    def days(self) -> list[date]:
        return dates_between(self.first, self.last)

    @classmethod
    def read(
        cls, uow: AbstractUnitOfWork, first: date, last: date, unit: str | None
    ) -> RangeInputs:
        """The range's rows, inside the caller's ``with uow``."""
        roster = [e for e in uow.employees.roster(unit=unit) if _serves(e, first, last)]
        idle = [e.id for e in roster if not e.active]
        start, end = _window(first)[0], _window(last)[1]
        seen = uow.events.days_seen(start, end, idle) if idle else set()
        leaves = uow.leaves.list(status=LeaveStatus.APPROVED, first=first, last=last, unit=unit)
        assignments = [a.to_domain() for a in uow.shifts.assignments(first - DAY, last)]
        rostered = {a.employee_id for a in assignments} & {e.id for e in roster}
        events_of: dict[int, list[AttendanceEvent]] = defaultdict(list)
        ends = start_of_day(start, DEFAULT_TIMEZONE), start_of_day(end + DAY, DEFAULT_TIMEZONE)
        for event in uow.events.list_of(rostered, *ends):
            if event.employee_id is not None:
                events_of[event.employee_id].append(event.to_domain())
        scopes = {(e.office_id, e.unit) for e in roster}
        resolved = uow.schedules.resolve_scopes(first - DAY, last, scopes)
        offices = {e.office_id for e in roster}
        holidays_of = {o: uow.holidays.calendar(first, last, office_id=o) for o in offices}
        spans_of: dict[str, dict[date, dict[int, EventSpan]]] = {}
        for tz in {schedule.timezone for schedule, _ in resolved.values()}:
            by_day: dict[date, dict[int, EventSpan]] = defaultdict(dict)
            for day, span in uow.events.day_spans(first, last, tz=tz, unit=unit):
                by_day[day][span.employee_id] = span
            spans_of[tz] = by_day
        leaves_domain = [leave.to_domain() for leave in leaves]
        return cls(first, last, roster, seen, leaves_domain, assignments, dict(events_of),
                   resolved, holidays_of, spans_of)  # fmt: skip

    def on(self, day: date) -> DayInputs:
        """What reading ``day`` alone gives (``first <= day <= last``)."""
        employees = [e for e in self._serving(day) if e.active or self._seen_near(e.id, day)]
        leaves_of: dict[int, list[Leave]] = defaultdict(list)
        for leave in _touching(self.leaves, day, day):
            leaves_of[leave.employee_id].append(leave)
        shifts_of: dict[int, list[ShiftAssignment]] = defaultdict(list)
        for assignment in _touching(self.assignments, day - DAY, day):
            shifts_of[assignment.employee_id].append(assignment)
        start, end = (start_of_day(d, DEFAULT_TIMEZONE) for d in (day - DAY, day + 2 * DAY))
        events_of = {
            e.id: [v for v in self.events_of.get(e.id, ()) if start <= v.occurred_at < end]
            for e in employees
            if e.id in shifts_of
        }
        anyone_of = {(e.office_id, e.unit): e.id for e in employees}
        schedules = {
            scope: (self.resolved[scope][0], _touching(self.resolved[scope][1], day - DAY, day))
            for scope in anyone_of
        }
        starts = {
            scope: _start(Timetable.of(anyone, *schedules[scope]).hours_on(day))
            for scope, anyone in anyone_of.items()
        }
        zones = {schedule.timezone for schedule, _ in schedules.values()}
        return DayInputs(
            day, employees, dict(leaves_of), dict(shifts_of), events_of, schedules, starts,
            {o: {d: n for d, n in c.items() if d == day} for o, c in self.holidays_of.items()},
            {tz: self.spans_of[tz].get(day, {}) for tz in zones},
        )  # fmt: skip

    def _serving(self, day: date) -> list[RosterEntry]:
        return [e for e in self.roster if _serves(e, day, day)]

    def _seen_near(self, employee_id: int, day: date) -> bool:
        """Whether the employee has any event in the report's window of ``day``."""
        first = _window(day)[0]
        return any((employee_id, first + i * DAY) in self.seen for i in range(3))


def _start(hours: DaySchedule | None) -> int | None:
    """The official start, in microseconds since the epoch as the spans are."""
    return None if hours is None else epoch_us(hours.start_at)
