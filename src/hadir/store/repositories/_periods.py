"""Local dates as periods of time that a query groups by (``EventRepository.day_spans``
and ``days_seen``): the start of each date in its time zone, and a ``CASE`` naming the
period of a timestamp."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, case, literal
from sqlalchemy.orm import InstrumentedAttribute

from hadir.domain.attendance import as_utc
from hadir.domain.attendance.timeutil import dates_between, start_of_day


def day_starts(first: date, last: date, tz: str) -> list[datetime]:
    """The start of each local date of ``first``..``last`` in ``tz`` and of the next."""
    return [start_of_day(day, tz) for day in dates_between(first, last + timedelta(days=1))]


def period_of(
    at: InstrumentedAttribute[datetime], starts: Sequence[datetime]
) -> ColumnElement[int]:
    """Which period ``starts[i]``..``starts[i + 1]`` holds ``at`` (``i``; the caller keeps
    ``at`` within ``starts[0]``..``starts[-1]``), for the select list and the ``GROUP BY``
    alike (the same bound object: PostgreSQL sees the same expression in both)."""
    ends = enumerate(starts[1:])
    return case(*((at < as_utc(end, field="end"), literal(i, literal_execute=True))
                  for i, end in ends))  # fmt: skip
