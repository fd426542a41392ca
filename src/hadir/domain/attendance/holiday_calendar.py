"""Holidays as seen by the domain: anything that maps a date to a holiday name.

National holidays come from the ``holidays`` package in an outer layer (its calendars are
``dict`` subclasses, so they fit ``HolidayCalendar`` as they are); office-added days such as
cuti bersama can be a plain ``dict[date, str]``. This module never imports ``holidays``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol


class HolidayCalendar(Protocol):
    """Something with ``get(date) -> name | None``: a ``Mapping[date, str]`` qualifies."""

    def get(self, key: date, /) -> str | None: ...


NO_HOLIDAYS: Mapping[date, str] = {}
"""An empty calendar (read-only by convention: never mutate it)."""


@dataclass(frozen=True)
class CombinedHolidayCalendar:
    """Several calendars read in order; the first that names a date wins.

    Put the office's own calendar (cuti bersama) first if its names should win.
    """

    calendars: tuple[HolidayCalendar, ...]

    def get(self, key: date, /) -> str | None:
        for cal in self.calendars:
            name = cal.get(key)
            if name:
                return str(name)
        return None


def holiday_name(calendar: HolidayCalendar, day: date) -> str | None:
    """The holiday's name on ``day``, or ``None`` (an empty name counts as no holiday)."""
    name = calendar.get(day)
    return str(name) if name else None
