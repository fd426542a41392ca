"""Printable reports of one unit: the monthly recap and the daily roll (*daftar hadir*),
with the agency's name, the period and the signature block ("Mengetahui, Kepala ...").

The numbers are the reports service's (``monthly_report`` / ``daily_report``, so the day
statuses and TL/PSW categories come from the domain); this module adds the letterhead and
the signer from the settings and puts the rows in print order (by name).

Who signs a unit's report: the signer configured for the unit in the settings (e.g. an
acting head, "Plt."); else the unit's head in the managed unit tree ("Kepala <unit>", the
head's name and NIP); else the default signer when a name is configured (its title
defaults to "Kepala <agency>"); else a blank block titled "Kepala <unit or agency>" (dots
when neither is known) to be signed and filled in by hand. A report of every unit is
signed by the default signer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from hadir.domain.attendance import (
    DEFAULT_DISCIPLINE,
    DEFAULT_TIMEZONE,
    DayStatus,
    DisciplineRules,
    YearMonth,
    local_date_of,
    parse_month,
)
from hadir.services.ports import Clock, UowFactory
from hadir.services.reports import DailyRow, RecapRow, daily_report, monthly_report


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Signer:
    """Who signs "Mengetahui": the title (e.g. "Kepala Bappeda"), name and NIP."""

    title: str = ""
    name: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Letterhead:
    """The agency's name, the place printed before the date, and the signers."""

    agency: str = ""
    place: str = ""
    signer: Signer = field(default_factory=Signer)
    unit_signers: Mapping[str, Signer] = field(default_factory=dict)

    def signer_for(self, unit: str | None) -> Signer:
        """The signer of a report of ``unit`` (``None``: the whole agency)."""
        if unit is not None and unit in self.unit_signers:
            return self.unit_signers[unit]
        if self.signer.name:
            title = self.signer.title or f"Kepala {self.agency}".strip()
            return Signer(title, self.signer.name, self.signer.nip)
        return Signer(f"Kepala {unit or self.agency or '.' * 24}")


@dataclass(frozen=True)
class PrintedRecap:
    """The monthly recap of one unit (or all), ready to print."""

    agency: str
    month: YearMonth
    unit: str | None
    rows: tuple[RecapRow, ...]
    rules: DisciplineRules
    signer: Signer
    place: str
    signed_on: date
    """The local date the report was made (printed after the place)."""
    generated_at: datetime
    provisional: bool
    """Some working day of the month is not over: the figures may still change."""


@dataclass(frozen=True)
class PrintedRoll:
    """The attendance roll of one day of one unit (or all), ready to print."""

    agency: str
    day: date
    unit: str | None
    rows: tuple[DailyRow, ...]
    signer: Signer
    place: str
    signed_on: date
    generated_at: datetime
    provisional: bool
    tally: Mapping[DayStatus, int]
    """Employees per status, for the roll's summary line."""


def _by_name(name: str, nip: str) -> tuple[str, str]:
    return (name.casefold(), nip)


def _signer(uows: UowFactory, letterhead: Letterhead, unit: str | None) -> Signer:
    """See the module docstring: settings, then the unit tree's head, then the default."""
    if unit is not None and unit not in letterhead.unit_signers:
        with uows() as uow:
            found = uow.units.find_by_name(unit)
            if found is not None and found.head_id is not None:
                head = uow.employees.get(found.head_id)
                return Signer(f"Kepala {found.name}", head.name, head.employee_id)
    return letterhead.signer_for(unit)


def printed_recap(
    uows: UowFactory,
    month: str | YearMonth,
    unit: str | None = None,
    *,
    letterhead: Letterhead,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
    clock: Clock = _utc_now,
) -> PrintedRecap:
    """The monthly recap of ``unit`` with TL/PSW counts and the TPP deduction."""
    ym = month if isinstance(month, YearMonth) else parse_month(month)
    now = clock()
    report = monthly_report(uows(), ym, unit, clock=lambda: now, discipline=discipline)
    return PrintedRecap(
        agency=letterhead.agency,
        month=ym,
        unit=unit,
        rows=tuple(sorted(report.recap, key=lambda r: _by_name(r.name, r.nip))),
        rules=report.discipline,
        signer=_signer(uows, letterhead, unit),
        place=letterhead.place,
        signed_on=local_date_of(now, DEFAULT_TIMEZONE),
        generated_at=now,
        provisional=any(not r.final for r in report.daily),
    )


def printed_roll(
    uows: UowFactory,
    day: date,
    unit: str | None = None,
    *,
    letterhead: Letterhead,
    discipline: DisciplineRules = DEFAULT_DISCIPLINE,
    clock: Clock = _utc_now,
) -> PrintedRoll:
    """Who came on ``day`` and when (the *daftar hadir*), with each day's TL/PSW."""
    now = clock()
    report = daily_report(uows(), day, unit, clock=lambda: now, discipline=discipline)
    rows = tuple(sorted(report.daily, key=lambda r: _by_name(r.name, r.nip)))
    return PrintedRoll(
        agency=letterhead.agency,
        day=day,
        unit=unit,
        rows=rows,
        signer=_signer(uows, letterhead, unit),
        place=letterhead.place,
        signed_on=local_date_of(now, DEFAULT_TIMEZONE),
        generated_at=now,
        provisional=any(not r.final for r in rows),
        tally=dict(Counter(r.status for r in rows)),
    )
