"""National holidays from the ``holidays`` package, synced into the store."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.domain.errors import DomainValidationError
from hadir.services.holidays import HolidayEntry, national_holidays, sync_national_holidays
from hadir.services.records import HolidaySource

from .conftest import UowFactory


def test_indonesian_national_holidays_2025_in_indonesian() -> None:
    entries = {e.day: e.name for e in national_holidays(2025)}
    assert entries[date(2025, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert date(2025, 1, 1) in entries
    assert date(2025, 12, 25) in entries
    assert all(day.year == 2025 for day in entries)


def test_a_silly_year_is_refused() -> None:
    with pytest.raises(DomainValidationError):
        national_holidays(1066)


def test_sync_is_idempotent(uow_factory: UowFactory) -> None:
    first = sync_national_holidays(uow_factory, 2025)
    assert len(first.added) == first.total >= 15
    again = sync_national_holidays(uow_factory, 2025)
    assert again.added == () and again.renamed == () and again.removed == ()
    assert again.unchanged == first.total
    with uow_factory() as uow:
        stored = uow.holidays.list(date(2025, 1, 1), date(2025, 12, 31))
    assert len(stored) == first.total
    independence = [h for h in stored if h.day == date(2025, 8, 17)]
    assert independence[0].source is HolidaySource.NATIONAL
    assert independence[0].office_id is None


def test_sync_renames_removes_and_keeps_office_holidays(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.holidays.add(date(2025, 3, 1), "Old name", source=HolidaySource.NATIONAL)
        uow.holidays.add(date(2025, 4, 1), "Gone", source=HolidaySource.NATIONAL)
        uow.holidays.add(date(2025, 5, 1), "Hari jadi kabupaten", source=HolidaySource.OFFICE)
        uow.commit()
    entries = [
        HolidayEntry(date(2025, 3, 1), "New name"),
        HolidayEntry(date(2025, 5, 1), "Hari Buruh"),
        HolidayEntry(date(2025, 6, 1), "Hari Lahir Pancasila"),
    ]
    result = sync_national_holidays(uow_factory, 2025, entries)
    assert [e.day for e in result.renamed] == [date(2025, 3, 1)]
    assert [e.day for e in result.removed] == [date(2025, 4, 1)]
    assert [e.day for e in result.added] == [date(2025, 6, 1)]
    assert [e.name for e in result.kept_office] == ["Hari jadi kabupaten"]
    with uow_factory() as uow:
        names = uow.holidays.calendar(date(2025, 1, 1), date(2025, 12, 31))
    assert names == {
        date(2025, 3, 1): "New name",
        date(2025, 5, 1): "Hari jadi kabupaten",
        date(2025, 6, 1): "Hari Lahir Pancasila",
    }
