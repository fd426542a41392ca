"""Models of the dashboard endpoint: the console's first page as JSON."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from hadir.services.dashboard import Dashboard, DayCounts


class CountsPublic(BaseModel):
    """How many employees had each status on ``date`` (``off``: holiday or weekend;
    ``present``: on time, late or incomplete)."""

    date: date
    on_time: int
    late: int
    incomplete: int
    absent: int
    on_leave: int
    not_yet: int
    off: int
    present: int

    @classmethod
    def of(cls, counts: DayCounts) -> CountsPublic:
        return cls(date=counts.day, on_time=counts.on_time, late=counts.late,
                   incomplete=counts.incomplete, absent=counts.absent, on_leave=counts.on_leave,
                   not_yet=counts.not_yet, off=counts.off, present=counts.present)  # fmt: skip


class UnitCountsPublic(BaseModel):
    unit: str
    """The employees' unit (``""``: none)."""
    counts: CountsPublic


class DashboardPublic(BaseModel):
    """Today's counts (WIB) over the caller's scope and per unit, the last seven days
    (oldest first, today last) and how many attempts wait for review."""

    unit: str | None
    """The scope: one unit, or ``None`` for the whole agency."""
    today: CountsPublic
    units: list[UnitCountsPublic]
    week: list[CountsPublic]
    review_waiting: int

    @classmethod
    def of(cls, data: Dashboard, unit: str | None) -> DashboardPublic:
        return cls(
            unit=unit,
            today=CountsPublic.of(data.today),
            units=[UnitCountsPublic(unit=u, counts=CountsPublic.of(c)) for u, c in data.units],
            week=[CountsPublic.of(day) for day in data.week],
            review_waiting=data.review_waiting,
        )
