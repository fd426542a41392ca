"""Attendance events: every check-in/check-out attempt, accepted or not."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, case, func, literal, select, update

from hadir.domain.attendance import (
    DEFAULT_TIMEZONE,
    AttendanceKind,
    Decision,
    Punch,
    as_utc,
    local_date_of,
)
from hadir.domain.errors import ConflictError, NotFoundError
from hadir.services.face_records import FaceSeen, ImageHashes
from hadir.services.records import EventFilter, EventRecord, EventSpan, MatchMethod, NewEvent
from hadir.store.errors import guarded
from hadir.store.repositories._base import SqlRepository
from hadir.store.repositories._periods import day_starts, period_of
from hadir.store.tables.attendance import AttendanceEventRow
from hadir.store.tables.people import Employee
from hadir.store.types import epoch_microseconds

_NEW_EVENT_COLUMNS = (
    "employee_id",
    "occurred_at",
    "similarity",
    "threshold",
    "device",
    "latitude",
    "longitude",
    "accuracy_m",
    "client_request_id",
    "refusal_code",
    "image_sha256",
    "image_phash",
    "face_fingerprint",
)


_READ_COLUMNS = tuple(
    getattr(AttendanceEventRow, column.key) for column in AttendanceEventRow.__table__.columns
)
"""Every column, selected as plain values: lists of events are read as rows, not ORM
objects (no identity map, no per-object state): about a fifth less time for a large read
(docs/performance.md, "A regency's year"); most of the rest is building the records."""


_ID_CHUNK = 1000
"""Employee ids per ``IN`` list (SQLite's bound-parameter limit is far above it)."""


def _decision_is(decision: Decision) -> ColumnElement[bool]:
    """``decision = '<value>'`` with the value inline, so PostgreSQL's cached generic plans
    can still prove that a partial index of one decision applies (migrations 0017, 0018)."""
    return AttendanceEventRow.decision == literal(decision.value, literal_execute=True)


def _event(row: AttendanceEventRow | Row[Any]) -> EventRecord:
    return EventRecord(
        employee_id=row.employee_id,
        kind=AttendanceKind(row.kind),
        occurred_at=row.occurred_at,
        decision=Decision(row.decision),
        method=MatchMethod(row.method),
        similarity=row.similarity,
        threshold=row.threshold,
        device=row.device,
        latitude=row.latitude,
        longitude=row.longitude,
        accuracy_m=row.accuracy_m,
        client_request_id=row.client_request_id,
        refusal_code=row.refusal_code,
        image_sha256=row.image_sha256,
        image_phash=row.image_phash,
        face_fingerprint=row.face_fingerprint,
        id=row.id,
        created_at=row.created_at,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        review_note=row.review_note,
    )


class EventRepository(SqlRepository):
    def add(self, event: NewEvent) -> EventRecord:
        """Record ``event``. Reusing an employee's ``client_request_id`` is a ConflictError;
        look for the earlier event with ``get_by_client_request_id`` to answer a retry."""
        row = AttendanceEventRow(
            **{name: getattr(event, name) for name in _NEW_EVENT_COLUMNS},
            kind=event.kind.value,
            decision=event.decision.value,
            method=event.method.value,
            created_at=self._now(),
        )
        reused = ConflictError(
            f"employee {event.employee_id} already has an event with client_request_id "
            f"{event.client_request_id!r}",
            field="client_request_id",
            client_request_id=event.client_request_id,
            employee_id=event.employee_id,
        )
        missing = NotFoundError(
            f"employee {event.employee_id} does not exist", employee_id=event.employee_id
        )
        try:
            with guarded(self._session, unique=reused, foreign_key=missing):
                self._session.add(row)
        except ConflictError as exc:
            cause = getattr(exc.__cause__, "orig", exc.__cause__)
            if "image_sha256" in str(cause).splitlines()[0]:
                raise ConflictError(
                    "this employee already sent this exact image",
                    field="image_sha256",
                    employee_id=event.employee_id,
                ) from exc
            raise
        return _event(row)

    def image_hashes(
        self, employee_id: int, *, since: datetime | None = None
    ) -> builtins.list[ImageHashes]:
        """The image hashes of the employee's earlier attempts (newest first)."""
        row = AttendanceEventRow
        query = (
            select(row.id, row.image_sha256, row.image_phash)
            .where(row.employee_id == employee_id)
            .where((row.image_sha256.is_not(None)) | (row.image_phash.is_not(None)))
            .order_by(row.id.desc())
        )
        if since is not None:
            query = query.where(row.occurred_at >= as_utc(since, field="since"))
        return [ImageHashes(i, sha, ph) for i, sha, ph in self._session.execute(query)]

    def clear_image_hashes(self, employee_id: int) -> int:
        """Forget the image hashes of the employee's attempts (biometric erasure)."""
        done = self._session.execute(
            update(AttendanceEventRow)
            .where(AttendanceEventRow.employee_id == employee_id)
            .values(image_sha256=None, image_phash=None, face_fingerprint=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def face_fingerprints(self, employee_id: int, *, since: datetime) -> builtins.list[FaceSeen]:
        """The face fingerprints of the employee's attempts since ``since`` (newest first)."""
        row = AttendanceEventRow
        query = (
            select(row.id, row.face_fingerprint)
            .where(row.employee_id == employee_id)
            .where(row.face_fingerprint.is_not(None))
            .where(row.occurred_at >= as_utc(since, field="since"))
            .order_by(row.id.desc())
        )
        return [FaceSeen(i, fp) for i, fp in self._session.execute(query) if fp is not None]

    def clear_face_fingerprints(self, before: datetime) -> int:
        """Forget the face fingerprints of attempts older than ``before`` (retention)."""
        row = AttendanceEventRow
        done = self._session.execute(
            update(row)
            .where(row.face_fingerprint.is_not(None))
            .where(row.occurred_at < as_utc(before, field="before"))
            .values(face_fingerprint=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def scrub_refused(self, before: datetime) -> int:
        """Remove the location and device of refused attempts older than ``before``."""
        row = AttendanceEventRow
        done = self._session.execute(
            update(row)
            .where(row.decision == Decision.REJECTED.value)
            .where(row.occurred_at < as_utc(before, field="before"))
            .where(row.latitude.is_not(None) | row.longitude.is_not(None) | row.device.is_not(None))
            .values(latitude=None, longitude=None, accuracy_m=None, device=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def get(self, event_id: int) -> EventRecord:
        return _event(self._row(AttendanceEventRow, event_id, "attendance event"))

    def get_by_client_request_id(
        self, employee_id: int, client_request_id: str
    ) -> EventRecord | None:
        """The employee's event created by that request, or ``None`` (a new request)."""
        crid = client_request_id.strip()
        if not crid:
            return None
        query = select(AttendanceEventRow).where(
            AttendanceEventRow.employee_id == employee_id,
            AttendanceEventRow.client_request_id == crid,
        )
        row = self._session.scalars(query).one_or_none()
        return None if row is None else _event(row)

    def list(self, criteria: EventFilter | None = None) -> list[EventRecord]:
        """Events matching ``criteria``, oldest first."""
        query = self._filtered(criteria or EventFilter())
        return [_event(r) for r in self._session.execute(query)]

    def punches(
        self, start: datetime, end: datetime, *, employee_ids: Sequence[int] | None = None
    ) -> builtins.list[tuple[int, Punch]]:
        """Every accepted event of ``start`` (inclusive) to ``end`` (exclusive), of
        ``employee_ids`` (``None``: everyone), as (employee id, punch) in time order: the
        reports' read, five columns as plain tuples (no record per event). Given ids, each
        employee's range is read from the covering index of accepted punches instead of
        the whole agency's month (docs/performance.md, "Monthly reports at volume")."""
        row = AttendanceEventRow
        query = (
            select(row.employee_id, row.kind, row.occurred_at, row.method, row.id)
            .where(row.occurred_at >= as_utc(start, field="start"))
            .where(row.occurred_at < as_utc(end, field="end"))
            .where(_decision_is(Decision.ACCEPTED))
            .where(row.employee_id.is_not(None))
        )
        # Core rows from the session's connection: the ORM's row loading cost more than
        # the query itself for a whole agency's month (half a million rows)
        execute = self._session.connection().execute
        if employee_ids is None:
            rows = builtins.list(execute(query.order_by(row.occurred_at, row.id)).all())
        else:
            # no ORDER BY in the database: sorted on the time index, PostgreSQL would walk
            # the whole agency's month; unsorted, each employee is one range of
            # ix_attendance_events_accepted_punches, and the few rows are sorted here
            rows = []
            for chunk in range(0, len(employee_ids), _ID_CHUNK):
                ids = employee_ids[chunk : chunk + _ID_CHUNK]
                rows.extend(execute(query.where(row.employee_id.in_(ids))).all())
            rows.sort(key=lambda r: (r[2], r[4]))
        kinds = {k.value: k for k in AttendanceKind}
        correction = MatchMethod.CORRECTION.value
        new = tuple.__new__  # Punch(...) without NamedTuple's Python-level __new__
        return [
            (employee, new(Punch, (kinds[kind], at, method == correction)))
            for employee, kind, at, method, _ in rows
            if employee is not None
        ]

    def employees_seen(
        self, start: datetime, end: datetime, employee_ids: Sequence[int]
    ) -> set[int]:
        """Which of ``employee_ids`` have any event (of any decision) in the range."""
        return {employee for employee, _ in self._seen((start, end), employee_ids)}

    def days_seen(
        self, first: date, last: date, employee_ids: Sequence[int], *, tz: str = DEFAULT_TIMEZONE
    ) -> set[tuple[int, date]]:
        """Which of ``employee_ids`` have any event (of any decision) on which local date
        of ``first``..``last`` in ``tz``, as (employee id, date), in one query per
        thousand employees (``employees_seen`` of every day at once)."""
        seen = self._seen(day_starts(first, last, tz), employee_ids)
        return {(e, first + timedelta(days=i)) for e, i in seen}

    def _seen(
        self, starts: Sequence[datetime], employee_ids: Sequence[int]
    ) -> set[tuple[int, int]]:
        row, at = AttendanceEventRow, AttendanceEventRow.occurred_at
        seen: set[tuple[int, int]] = set()
        for chunk in range(0, len(employee_ids), _ID_CHUNK):
            query = (
                select(row.employee_id, period_of(at, starts))
                .distinct()
                .where(row.employee_id.in_(employee_ids[chunk : chunk + _ID_CHUNK]))
                .where(at >= as_utc(starts[0], field="start"))
                .where(at < as_utc(starts[-1], field="end"))
            )
            seen.update((int(e), int(i)) for e, i in self._session.execute(query) if e is not None)
        return seen

    def count(self, criteria: EventFilter) -> int:
        """How many events match ``criteria`` (its limit and offset are ignored)."""
        query = self._filtered(replace(criteria, limit=None, offset=0)).order_by(None)
        return int(self._session.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def spans(
        self, start: datetime, end: datetime, *, unit: str | None = None
    ) -> builtins.list[EventSpan]:
        """Per employee, the first accepted check-in and the last accepted check-out in
        ``start``..``end`` (end exclusive), aggregated in the database: a day's status needs
        no more of them (the dashboard's today: one row per person, not every event)."""
        return [span for _, span in self._spans((start, end), unit)]

    def day_spans(
        self, first: date, last: date, *, tz: str = DEFAULT_TIMEZONE, unit: str | None = None
    ) -> builtins.list[tuple[date, EventSpan]]:
        """``spans`` of every local date of ``first``..``last`` in ``tz``, as (date, span),
        from one query grouped by employee and date (the dashboard's week in one pass)."""
        spans = self._spans(day_starts(first, last, tz), unit)
        return [(first + timedelta(days=i), span) for i, span in spans]

    def _spans(
        self, starts: Sequence[datetime], unit: str | None
    ) -> builtins.list[tuple[int, EventSpan]]:
        """The spans of each period ``starts[i]``..``starts[i + 1]``, as (i, span)."""
        row, at = AttendanceEventRow, AttendanceEventRow.occurred_at
        dialect = self._session.get_bind().dialect.name
        first = func.min(case((row.kind == AttendanceKind.CHECK_IN.value, at)))
        last = func.max(case((row.kind == AttendanceKind.CHECK_OUT.value, at)))
        period = period_of(at, starts)
        query = (  # the two in microseconds since the epoch
            select(
                period, row.employee_id, *(epoch_microseconds(x, dialect) for x in (first, last))
            )
            .where(_decision_is(Decision.ACCEPTED))
            .where(at >= as_utc(starts[0], field="start"))
            .where(at < as_utc(starts[-1], field="end"))
            .where(row.employee_id.is_not(None))
            .group_by(row.employee_id, period)
        )
        if unit is not None:
            query = query.join(Employee, Employee.id == row.employee_id)
            query = query.where(Employee.unit == unit)
        # Core rows (no ORM step) taken one by one from the cursor: 10,000 rows alive at
        # once cost a full garbage collection on a large heap (some 30 ms at 2,000 staff)
        rows = self._session.connection().execute(query)
        new = tuple.__new__  # EventSpan(...) without NamedTuple's Python-level __new__
        return [(i, new(EventSpan, (e, f, la))) for i, e, f, la in rows if e is not None]

    def list_of(
        self, employee_ids: Iterable[int], start: datetime, end: datetime
    ) -> builtins.list[EventRecord]:
        """The events of ``employee_ids`` in ``start``..``end`` (end exclusive), oldest
        first, in one query."""
        wanted = sorted(set(employee_ids))
        if not wanted:
            return []
        query = self._filtered(EventFilter(start=start, end=end)).where(
            AttendanceEventRow.employee_id.in_(wanted)
        )
        return [_event(r) for r in self._session.execute(query)]

    def first_check_in(
        self, employee_id: int, day: date, *, tz: str = DEFAULT_TIMEZONE
    ) -> EventRecord | None:
        """The employee's first accepted check-in on local ``day`` in ``tz``, if any."""
        found = self.list(self._check_ins(day, day, tz, employee_id=employee_id, limit=1))
        return found[0] if found else None

    def first_check_ins(
        self,
        first: date,
        last: date,
        *,
        tz: str = DEFAULT_TIMEZONE,
        unit: str | None = None,
    ) -> builtins.list[EventRecord]:
        """The first accepted check-in of every employee on every local date in the range,
        ordered by time."""
        firsts: dict[tuple[int, date], EventRecord] = {}
        for record in self.list(self._check_ins(first, last, tz, unit=unit)):
            if record.employee_id is not None:
                key = (record.employee_id, local_date_of(record.occurred_at, tz))
                firsts.setdefault(key, record)
        return list(firsts.values())

    def review(
        self,
        event_id: int,
        *,
        decision: Decision,
        reviewed_by: int | None,
        note: str | None = None,
    ) -> EventRecord:
        """Record a human's decision on an event (typically one that ``needs_review``)."""
        row = self._row(AttendanceEventRow, event_id, "attendance event")
        missing = NotFoundError(f"user {reviewed_by} does not exist", user_id=reviewed_by)
        with guarded(self._session, foreign_key=missing):
            row.decision = Decision(decision).value
            row.reviewed_by = reviewed_by
            row.reviewed_at = self._now()
            row.review_note = note
        return _event(row)

    @staticmethod
    def _check_ins(
        first: date, last: date, tz: str, *, limit: int | None = None, **criteria: object
    ) -> EventFilter:
        return EventFilter.for_days(
            first,
            last,
            tz,
            decision=Decision.ACCEPTED,
            kind=AttendanceKind.CHECK_IN,
            limit=limit,
            **criteria,
        )

    @staticmethod
    def _filtered(criteria: EventFilter) -> Select[Any]:
        row = AttendanceEventRow
        query = select(*_READ_COLUMNS).order_by(row.occurred_at, row.id)
        if criteria.start is not None:
            query = query.where(row.occurred_at >= criteria.start)
        if criteria.end is not None:
            query = query.where(row.occurred_at < criteria.end)
        if criteria.employee_id is not None:
            query = query.where(row.employee_id == criteria.employee_id)
        if criteria.unit is not None:
            query = query.join(Employee, Employee.id == row.employee_id).where(
                Employee.unit == criteria.unit
            )
        if criteria.decision is not None:
            query = query.where(_decision_is(Decision(criteria.decision)))
        if criteria.kind is not None:
            query = query.where(row.kind == AttendanceKind(criteria.kind).value)
        return query.offset(criteria.offset).limit(criteria.limit)
