"""Schedule, office and review use cases (and the repository methods under them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from hadir.domain.attendance import AttendanceKind, Decision, ScheduleOverride, WorkSchedule
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services import schedules
from hadir.services.records import MatchMethod, NewEmployee, NewEvent, Role
from hadir.services.review import review_event, review_queue
from services.conftest import UowFactory
from services.helpers import SRI, add_employee

RAMADAN = ScheduleOverride(date(2025, 3, 1), date(2025, 3, 30), time(8), time(15), label="R")


def test_scopes_and_overrides(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        office = uow.offices.add("SETDA", "Setda")
        base = schedules.create_schedule(uow, WorkSchedule(), schedules.Scope())
        unit = schedules.create_schedule(uow, WorkSchedule(), schedules.Scope(unit="Bappeda"))
        with pytest.raises(ConflictError):
            schedules.create_schedule(uow, WorkSchedule(), schedules.Scope(unit=" Bappeda"))
        schedules.create_schedule(uow, WorkSchedule(), schedules.Scope(office_id=office.id))
        schedules.add_override(uow, unit.id, RAMADAN)
        with pytest.raises(ConflictError):
            schedules.add_override(uow, unit.id, RAMADAN)
        schedules.add_override(uow, base.id, RAMADAN)  # another scope: allowed
        assert [o.unit for o in schedules.list_overrides(uow, unit.id)] == ["Bappeda"]
        assert [o.unit for o in schedules.list_overrides(uow, base.id)] == [None]
        assert uow.schedules.get_by_id(unit.id) == unit
        uow.schedules.delete(unit.id)
        with pytest.raises(NotFoundError):
            uow.schedules.get_by_id(unit.id)
        uow.commit()


def test_resolve_day(uow_factory: UowFactory) -> None:
    add_employee(uow_factory(), SRI, "Sri")
    with uow_factory() as uow:
        later = WorkSchedule(start=time(9), end=time(17), grace_minutes=5)
        record = schedules.create_schedule(uow, later, schedules.Scope(unit="Bappeda"))
        schedules.add_override(uow, record.id, RAMADAN)
        day = schedules.resolve_day(uow, SRI, date(2025, 3, 3))
        assert day.working and day.hours is not None
        assert (day.hours.start, day.hours.end, day.hours.grace_minutes) == (time(8), time(15), 5)
        sunday = schedules.resolve_day(uow, SRI, date(2025, 3, 2))
        assert sunday.hours is None and not sunday.working


def test_office_update_and_delete(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        office = uow.offices.add("SETDA", "Setda")
        changed = schedules.update_office(uow, "SETDA", {"name": " Setda Kab. ", "radius_m": 80.0})
        assert (changed.name, changed.radius_m) == ("Setda Kab.", 80.0)
        with pytest.raises(DomainValidationError):
            schedules.update_office(uow, "SETDA", {"timezone": "Mars/Base"})
        uow.employees.add(NewEmployee(employee_id=SRI, name="Sri", office_id=office.id))
        with pytest.raises(ConflictError):
            schedules.delete_office(uow, "SETDA")
        with pytest.raises(ConflictError):  # the database refuses too
            uow.offices.delete(office.id)
        uow.commit()


def test_review(uow_factory: UowFactory) -> None:
    sri = add_employee(uow_factory(), SRI, "Sri")
    with uow_factory() as uow:
        user = uow.users.add("hr", "x", Role.OPERATOR)
        event = uow.events.add(
            NewEvent(
                sri.id,
                AttendanceKind.CHECK_IN,
                datetime(2025, 3, 3, 1, 5, tzinfo=UTC),
                Decision.NEEDS_REVIEW,
                MatchMethod.VERIFY,
            )
        )
        assert [i.event.id for i in review_queue(uow)] == [event.id]
        assert review_queue(uow, unit="Dinkes") == []
        with pytest.raises(DomainValidationError):
            review_event(uow, event.id, Decision.NEEDS_REVIEW, reviewer_id=user.id)
        done = review_event(uow, event.id, Decision.ACCEPTED, reviewer_id=user.id, note=" ok ")
        assert (done.event.decision, done.event.reviewed_by) == (Decision.ACCEPTED, user.id)
        assert done.event.review_note == "ok"
        with pytest.raises(ConflictError):
            review_event(uow, event.id, Decision.REJECTED, reviewer_id=user.id)
        assert uow.events.first_check_in(sri.id, date(2025, 3, 3)) is not None
