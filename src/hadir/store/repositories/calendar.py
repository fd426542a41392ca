"""Work schedules (with dated overrides) and holidays.

Schedules have a scope: a unit, an office, or (neither) the global default. The most
specific one applies: unit, then office, then global, then the domain's
``DEFAULT_SCHEDULE`` (Monday-Friday 08:00-16:00 WIB).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import date, time

from sqlalchemy import ColumnElement, and_, or_, select

from hadir.domain.attendance import (
    DEFAULT_SCHEDULE,
    ScheduleOverride,
    Weekday,
    WeekdayHours,
    WorkSchedule,
)
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services.records import (
    HolidayRecord,
    HolidaySource,
    OverrideRecord,
    ScheduleRecord,
    clean_text,
)
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.tables.attendance import HolidayRow, ScheduleOverrideRow, WorkScheduleRow

GLOBAL_SCOPE = "global"


def _unit(unit: str | None) -> str | None:
    """Blank units (the employees' default) mean "no unit"."""
    return (unit.strip() or None) if unit is not None else None


def scope_key(office_id: int | None, unit: str | None) -> str:
    unit = _unit(unit)
    if office_id is not None and unit is not None:
        raise DomainValidationError("a schedule applies to an office or to a unit, not both")
    if office_id is not None:
        return f"office:{office_id}"
    if unit is not None:
        return f"unit:{clean_text(unit, field_name='unit')}"
    return GLOBAL_SCOPE


def _mask(days: frozenset[Weekday]) -> int:
    return sum(1 << int(d) for d in days)


def _days(mask: int) -> frozenset[Weekday]:
    return frozenset(Weekday(d) for d in range(7) if mask >> d & 1)


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def encode_weekday_hours(hours: tuple[WeekdayHours, ...]) -> str | None:
    """``4=07:30-11:30,5=08:00-11:00/0``: weekday, hours and (after ``/``) own grace."""
    parts = [
        f"{int(h.weekday)}={h.start:%H:%M}-{h.end:%H:%M}"
        + ("" if h.grace_minutes is None else f"/{h.grace_minutes}")
        for h in hours
    ]
    return ",".join(parts) or None


def decode_weekday_hours(text: str | None) -> tuple[WeekdayHours, ...]:
    hours = []
    for part in (text or "").split(","):
        if not part:
            continue
        day, _, rest = part.partition("=")
        span, _, grace = rest.partition("/")
        start, _, end = span.partition("-")
        hours.append(
            WeekdayHours(
                Weekday(int(day)), _clock(start), _clock(end), int(grace) if grace else None
            )
        )
    return tuple(hours)


def _schedule(row: WorkScheduleRow) -> ScheduleRecord:
    schedule = WorkSchedule(
        working_days=_days(row.working_days),
        start=row.start_time,
        end=row.end_time,
        grace_minutes=row.grace_minutes,
        timezone=row.timezone,
        checkin_opens_at=row.checkin_opens_at,
        weekday_hours=decode_weekday_hours(row.weekday_hours),
    )
    return ScheduleRecord(row.id, row.office_id, row.unit, schedule)


def _override(row: ScheduleOverrideRow) -> OverrideRecord:
    override = ScheduleOverride(
        start_date=row.start_date,
        end_date=row.end_date,
        start=row.start_time,
        end=row.end_time,
        grace_minutes=row.grace_minutes,
        label=row.label,
    )
    return OverrideRecord(row.id, row.office_id, row.unit, override)


def _in_scope(
    model: type[WorkScheduleRow | ScheduleOverrideRow], office_id: int | None, unit: str | None
) -> ColumnElement[bool]:
    clauses = [and_(model.office_id.is_(None), model.unit.is_(None))]
    if office_id is not None:
        clauses.append(model.office_id == office_id)
    if unit is not None:
        clauses.append(model.unit == unit)
    return or_(*clauses)


def _fits(
    row: WorkScheduleRow | ScheduleOverrideRow, office_id: int | None, unit: str | None
) -> bool:
    """``_in_scope`` in Python, for rows already read."""
    if row.office_id is None and row.unit is None:
        return True
    return (office_id is not None and row.office_id == office_id) or (
        unit is not None and row.unit == unit
    )


def _specificity(office_id: int | None, unit: str | None) -> int:
    return 2 if unit is not None else 1 if office_id is not None else 0


class ScheduleRepository(SqlRepository):
    def set(
        self, schedule: WorkSchedule, *, office_id: int | None = None, unit: str | None = None
    ) -> ScheduleRecord:
        """Create or replace the schedule of a scope."""
        unit = _unit(unit)
        key = scope_key(office_id, unit)
        row = self._session.scalars(
            select(WorkScheduleRow).where(WorkScheduleRow.scope_key == key)
        ).one_or_none()
        missing = NotFoundError(f"office {office_id} does not exist", field="office_id")
        with guarded(self._session, foreign_key=missing):
            if row is None:
                row = WorkScheduleRow(scope_key=key, office_id=office_id, unit=unit)
                self._session.add(row)
            row.working_days = _mask(schedule.working_days)
            row.start_time = schedule.start
            row.end_time = schedule.end
            row.grace_minutes = schedule.grace_minutes
            row.timezone = schedule.timezone
            row.checkin_opens_at = schedule.checkin_opens_at
            row.weekday_hours = encode_weekday_hours(schedule.weekday_hours)
        return _schedule(row)

    def get(self, *, office_id: int | None = None, unit: str | None = None) -> ScheduleRecord:
        """The schedule set for exactly this scope (no fallback)."""
        key = scope_key(office_id, unit)
        query = select(WorkScheduleRow).where(WorkScheduleRow.scope_key == key)
        row = self._session.scalars(query).one_or_none()
        if row is None:
            raise NotFoundError(f"no work schedule for scope {key}", scope=key)
        return _schedule(row)

    def list(self) -> list[ScheduleRecord]:
        query = select(WorkScheduleRow).order_by(WorkScheduleRow.scope_key)
        return [_schedule(r) for r in self._session.scalars(query)]

    def get_by_id(self, schedule_id: int) -> ScheduleRecord:
        return _schedule(self._row(WorkScheduleRow, schedule_id, "work schedule"))

    def delete(self, schedule_id: int) -> None:
        """Remove one schedule (its scope falls back to the next less specific one)."""
        self._session.delete(self._row(WorkScheduleRow, schedule_id, "work schedule"))
        self._session.flush()

    def resolve(self, *, office_id: int | None = None, unit: str | None = None) -> WorkSchedule:
        """The schedule that applies to an employee of ``office_id`` and ``unit``."""
        unit = _unit(unit)
        query = select(WorkScheduleRow).where(_in_scope(WorkScheduleRow, office_id, unit))
        rows = sorted(self._session.scalars(query), key=lambda r: _specificity(r.office_id, r.unit))
        return _schedule(rows[-1]).schedule if rows else DEFAULT_SCHEDULE

    def add_override(
        self, override: ScheduleOverride, *, office_id: int | None = None, unit: str | None = None
    ) -> OverrideRecord:
        unit = _unit(unit)
        scope_key(office_id, unit)  # validates the scope
        row = ScheduleOverrideRow(
            office_id=office_id,
            unit=unit,
            start_date=override.start_date,
            end_date=override.end_date,
            start_time=override.start,
            end_time=override.end,
            grace_minutes=override.grace_minutes,
            label=override.label,
        )
        missing = NotFoundError(f"office {office_id} does not exist", field="office_id")
        with guarded(self._session, foreign_key=missing):
            self._session.add(row)
        return _override(row)

    def overrides_for(
        self, first: date, last: date, *, office_id: int | None = None, unit: str | None = None
    ) -> builtins.list[ScheduleOverride]:
        """Overrides touching ``first``..``last`` in priority order (the last one wins, as
        ``schedule_for`` expects): global, then office, then unit; older first within."""
        unit = _unit(unit)
        row = ScheduleOverrideRow
        query = select(row).where(
            _in_scope(row, office_id, unit), row.start_date <= last, row.end_date >= first
        )
        rows = sorted(
            self._session.scalars(query),
            key=lambda r: (_specificity(r.office_id, r.unit), r.start_date, r.id),
        )
        return [_override(r).override for r in rows]

    def resolve_scopes(
        self, first: date, last: date, scopes: Iterable[tuple[int | None, str | None]]
    ) -> dict[tuple[int | None, str | None], tuple[WorkSchedule, builtins.list[ScheduleOverride]]]:
        """``resolve`` and ``overrides_for(first, last)`` of each (office, unit) scope in
        two queries, not two per scope (the dashboard's 10,000 staff span some 20 scopes);
        the same choice and order as those two."""
        schedules = builtins.list(self._session.scalars(select(WorkScheduleRow)))
        row = ScheduleOverrideRow
        query = select(row).where(row.start_date <= last, row.end_date >= first)
        overrides = builtins.list(self._session.scalars(query))
        found = {}
        for office_id, unit in scopes:
            own = [r for r in schedules if _fits(r, office_id, _unit(unit))]
            own.sort(key=lambda r: _specificity(r.office_id, r.unit))
            touching = [r for r in overrides if _fits(r, office_id, _unit(unit))]
            touching.sort(key=lambda r: (_specificity(r.office_id, r.unit), r.start_date, r.id))
            schedule = _schedule(own[-1]).schedule if own else DEFAULT_SCHEDULE
            found[(office_id, unit)] = (schedule, [_override(r).override for r in touching])
        return found

    def list_overrides(
        self, *, office_id: int | None = None, unit: str | None = None
    ) -> builtins.list[OverrideRecord]:
        """The overrides set for exactly this scope (no fallback), by start date."""
        unit = _unit(unit)
        row = ScheduleOverrideRow
        exact = [
            row.office_id.is_(None) if office_id is None else row.office_id == office_id,
            row.unit.is_(None) if unit is None else row.unit == unit,
        ]
        query = select(row).where(*exact).order_by(row.start_date, row.id)
        return [_override(r) for r in self._session.scalars(query)]

    def get_override(self, override_id: int) -> OverrideRecord:
        return _override(self._row(ScheduleOverrideRow, override_id, "schedule override"))

    def delete_override(self, override_id: int) -> None:
        self._session.delete(self._row(ScheduleOverrideRow, override_id, "schedule override"))
        self._session.flush()


def _holiday(row: HolidayRow) -> HolidayRecord:
    return HolidayRecord(row.id, row.day, row.name, HolidaySource(row.source), row.office_id)


class HolidayRepository(SqlRepository):
    def add(
        self,
        day: date,
        name: str,
        *,
        source: HolidaySource = HolidaySource.NATIONAL,
        office_id: int | None = None,
    ) -> HolidayRecord:
        key = GLOBAL_SCOPE if office_id is None else f"office:{office_id}"
        row = HolidayRow(
            scope_key=key,
            office_id=office_id,
            day=day,
            name=clean_text(name, field_name="name"),
            source=HolidaySource(source).value,
        )
        taken = ConflictError(f"{day.isoformat()} is already a holiday ({key})", day=str(day))
        missing = NotFoundError(f"office {office_id} does not exist", field="office_id")
        with guarded(self._session, unique=taken, foreign_key=missing):
            self._session.add(row)
        return _holiday(row)

    def list(self, first: date, last: date, *, office_id: int | None = None) -> list[HolidayRecord]:
        """Holidays of every office plus ``office_id``'s own, by date."""
        scope: ColumnElement[bool] = HolidayRow.office_id.is_(None)
        if office_id is not None:
            scope = or_(scope, HolidayRow.office_id == office_id)
        query = (
            select(HolidayRow)
            .where(scope, HolidayRow.day >= first, HolidayRow.day <= last)
            .order_by(HolidayRow.day, HolidayRow.id)
        )
        return [_holiday(r) for r in self._session.scalars(query)]

    def calendar(self, first: date, last: date, *, office_id: int | None = None) -> dict[date, str]:
        """A ``HolidayCalendar`` for the range; an office's own name wins over the global."""
        names: dict[date, str] = {}
        for record in sorted(
            self.list(first, last, office_id=office_id), key=lambda r: r.office_id is not None
        ):
            names[record.day] = record.name
        return names

    def delete(self, holiday_id: int) -> None:
        self._session.delete(self._row(HolidayRow, holiday_id, "holiday"))
        self._session.flush()

    def get(self, holiday_id: int) -> HolidayRecord:
        return _holiday(self._row(HolidayRow, holiday_id, "holiday"))

    def update(self, holiday_id: int, day: date, name: str) -> HolidayRecord:
        """A new date and name (the scope and source stay)."""
        row = self._row(HolidayRow, holiday_id, "holiday")
        taken = ConflictError(
            f"{day.isoformat()} is already a holiday ({row.scope_key})", day=str(day)
        )
        with guarded(self._session, unique=taken):
            row.day = day
            row.name = clean_text(name, field_name="name")
        return _holiday(row)
