"""Indonesia's national holidays (``hari libur nasional``) from the ``holidays`` package.

``national_holidays`` is pure (no store); ``sync_national_holidays`` writes them as
holidays of every office with source ``national``. Syncing is idempotent: a date already
stored with the same name is left alone, a renamed one is replaced, and a national
holiday the package no longer lists for that year is removed. Holidays an office entered
itself (source ``office``) are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.domain.errors import DomainValidationError
from hadir.services import audit
from hadir.services.audit import Actor
from hadir.services.ports import UowFactory
from hadir.services.records import HolidaySource

COUNTRY = "ID"
LANGUAGE = "id"
FIRST_YEAR, LAST_YEAR = 1950, 2100


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    name: str


@dataclass(frozen=True)
class HolidaySyncResult:
    year: int
    added: tuple[HolidayEntry, ...]
    renamed: tuple[HolidayEntry, ...]
    unchanged: int
    removed: tuple[HolidayEntry, ...]
    kept_office: tuple[HolidayEntry, ...]
    """Dates already set by the office itself (left as they are)."""

    @property
    def total(self) -> int:
        return len(self.added) + len(self.renamed) + self.unchanged


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainValidationError(
            f"year must be between {FIRST_YEAR} and {LAST_YEAR}", field="year", year=year
        )


def national_holidays(year: int) -> list[HolidayEntry]:
    """The national holidays of ``year``, by date, named in Indonesian when available."""
    import holidays

    _check_year(year)
    calendar = holidays.country_holidays(COUNTRY, years=year)
    if LANGUAGE in getattr(calendar, "supported_languages", ()):
        calendar = holidays.country_holidays(COUNTRY, years=year, language=LANGUAGE)
    return [
        HolidayEntry(day=day, name=str(name))
        for day, name in sorted(calendar.items())
        if day.year == year
    ]


def sync_national_holidays(
    uows: UowFactory,
    year: int,
    entries: list[HolidayEntry] | None = None,
    *,
    actor: Actor | None = None,
) -> HolidaySyncResult:
    """Store ``entries`` (default: ``national_holidays(year)``) as national holidays."""
    _check_year(year)
    wanted = {e.day: e for e in (entries if entries is not None else national_holidays(year))}
    added: list[HolidayEntry] = []
    renamed: list[HolidayEntry] = []
    removed: list[HolidayEntry] = []
    kept: list[HolidayEntry] = []
    unchanged = 0
    with uows() as uow:
        stored = {
            r.day: r
            for r in uow.holidays.list(date(year, 1, 1), date(year, 12, 31))
            if r.office_id is None
        }
        for day, record in sorted(stored.items()):
            entry = wanted.get(day)
            if record.source is not HolidaySource.NATIONAL:
                if entry is not None:
                    kept.append(HolidayEntry(day, record.name))
                continue
            if entry is None:
                uow.holidays.delete(record.id)
                removed.append(HolidayEntry(day, record.name))
            elif entry.name != record.name:
                uow.holidays.delete(record.id)
                uow.holidays.add(day, entry.name, source=HolidaySource.NATIONAL)
                renamed.append(entry)
            else:
                unchanged += 1
        for day, entry in sorted(wanted.items()):
            if day not in stored:
                uow.holidays.add(day, entry.name, source=HolidaySource.NATIONAL)
                added.append(entry)
        if added or renamed or removed:
            detail = {
                "added": [e.day.isoformat() for e in added],
                "renamed": [e.day.isoformat() for e in renamed],
                "removed": [e.day.isoformat() for e in removed],
            }
            audit.write(uow, actor or Actor.system(), "holiday.sync", f"year:{year}", detail)
        uow.commit()
    return HolidaySyncResult(
        year=year,
        added=tuple(added),
        renamed=tuple(renamed),
        unchanged=unchanged,
        removed=tuple(removed),
        kept_office=tuple(kept),
    )
