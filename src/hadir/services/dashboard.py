"""Read models of the console: today's counts, the week's chart, the event log.

Day statuses are the domain's (``evaluate_day``), counted by ``daycounts.range_statuses``
from one row per employee, kind and day that the database aggregates (equal to the monthly
report's statuses: tests/services/test_daycounts.py). The six days before today are also
kept per unit for ``PastDays.ttl_seconds``; only today's change by the minute (a
correction or an approved leave for a past day shows within the TTL).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    DayStatus,
    Decision,
    dates_between,
    local_date_of,
)
from hadir.services.daycounts import range_statuses, summed
from hadir.services.ports import AbstractUnitOfWork, Clock, UowFactory
from hadir.services.records import EmployeeRecord, EventFilter, EventRecord

WEEK = 7


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DayCounts:
    """How many employees had each status on ``day``."""

    day: date
    on_time: int = 0
    late: int = 0
    incomplete: int = 0
    absent: int = 0
    on_leave: int = 0
    not_yet: int = 0
    off: int = 0
    """Holiday or weekend."""

    @property
    def present(self) -> int:
        return self.on_time + self.late + self.incomplete

    @classmethod
    def of(cls, day: date, statuses: Counter[DayStatus]) -> DayCounts:
        return cls(
            day=day,
            on_time=statuses[DayStatus.ON_TIME],
            late=statuses[DayStatus.LATE],
            incomplete=statuses[DayStatus.INCOMPLETE],
            absent=statuses[DayStatus.ABSENT],
            on_leave=statuses[DayStatus.ON_LEAVE],
            not_yet=statuses[DayStatus.NOT_YET],
            off=statuses[DayStatus.HOLIDAY] + statuses[DayStatus.WEEKEND],
        )


@dataclass(frozen=True)
class Dashboard:
    today: DayCounts
    week: tuple[DayCounts, ...]
    """The last seven days, oldest first, today last."""
    review_waiting: int
    units: tuple[tuple[str, DayCounts], ...] = ()
    """Today's counts per unit of the employees (``""``: no unit), by unit name."""


@dataclass
class PastDays:
    """The dashboard's counts of days before today, per unit, each kept ``ttl_seconds``
    (one per process, held by the container; thread-safe)."""

    ttl_seconds: float = 300.0
    _kept: dict[tuple[str | None, date], tuple[float, DayCounts]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, unit: str | None, day: date) -> DayCounts | None:
        with self._lock:
            found = self._kept.get((unit, day))
        if found is None or time.monotonic() - found[0] > self.ttl_seconds:
            return None
        return found[1]

    def keep(self, unit: str | None, counts: DayCounts) -> None:
        with self._lock:
            if len(self._kept) > 10_000:  # bounded: old days of many units
                self._kept.clear()
            self._kept[(unit, counts.day)] = (time.monotonic(), counts)


def _units(day: date, by_unit: dict[str, Counter[DayStatus]]) -> tuple[tuple[str, DayCounts], ...]:
    return tuple((name, DayCounts.of(day, by_unit[name])) for name in sorted(by_unit))


def dashboard(
    uow_factory: UowFactory,
    *,
    unit: str | None = None,
    clock: Clock = _utc_now,
    past: PastDays | None = None,
) -> Dashboard:
    """Today's counts (in WIB), the last seven days and the length of the review queue.

    The days before today come from ``past`` when it keeps all six; otherwise the whole
    week is counted in one pass (``range_statuses``) and the six are kept."""
    now = clock()
    today = local_date_of(now, DEFAULT_TIMEZONE)
    first = today - timedelta(days=WEEK - 1)
    before = dates_between(first, today - timedelta(days=1))
    kept = [past.get(unit, day) for day in before] if past else []
    earlier = [k for k in kept if k is not None]
    if len(earlier) < WEEK - 1:
        by_day = range_statuses(uow_factory(), first, today, unit, now)
        earlier = [DayCounts.of(day, summed(by_day[day])) for day in sorted(by_day)[:-1]]
        if past is not None:
            for counts in earlier:
                past.keep(unit, counts)
    else:
        by_day = range_statuses(uow_factory(), today, today, unit, now)
    counts = DayCounts.of(today, summed(by_day[today]))
    with uow_factory() as uow:
        waiting = uow.events.count(EventFilter(decision=Decision.NEEDS_REVIEW, unit=unit))
    return Dashboard(
        today=counts,
        week=(*earlier, counts),
        review_waiting=waiting,
        units=_units(today, by_day[today]),
    )


@dataclass(frozen=True)
class EventEntry:
    """A recorded attempt and its employee (``None``: nobody was identified)."""

    event: EventRecord
    employee: EmployeeRecord | None


def event_log(uow: AbstractUnitOfWork, criteria: EventFilter) -> list[EventEntry]:
    """Recorded attempts matching ``criteria``, newest first, with their employees."""
    with uow:
        events = uow.events.list(criteria)
        ids = {e.employee_id for e in events if e.employee_id is not None}
        people = uow.employees.get_many(ids)
    entries = [
        EventEntry(e, None if e.employee_id is None else people[e.employee_id]) for e in events
    ]
    return sorted(entries, key=lambda entry: entry.event.occurred_at, reverse=True)


def known_units(uow: AbstractUnitOfWork) -> list[str]:
    """The units employees belong to, for the console's pickers."""
    with uow:
        return sorted(u for u in uow.employees.units() if u)
