"""Schedule, office and review use cases (and the repository methods under them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import (
    AttendanceKind,
    Decision,
    ScheduleOverride,
    Weekday,
    WeekdayHours,
    WorkSchedule,
)
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services import calendar, schedules
from hadir.services.audit import Actor
from hadir.services.records import MatchMethod, NewEmployee, NewEvent, Role
from hadir.services.review import review_event, review_queue
from services.conftest import UowFactory, factory_for
from services.helpers import SRI, add_employee

HR = Actor("hr", "10.1.2.3")
RAMADAN = ScheduleOverride(date(2025, 3, 1), date(2025, 3, 30), time(8), time(15), label="R")


def test_scopes_and_overrides(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        office = uow.offices.add("SETDA", "Setda")
        uow.commit()
    base = schedules.create_schedule(uow_factory, WorkSchedule(), schedules.Scope(), actor=HR)
    unit_scope = schedules.Scope(unit="Bappeda")
    unit = schedules.create_schedule(uow_factory, WorkSchedule(), unit_scope, actor=HR)
    with pytest.raises(ConflictError):
        spaced = schedules.Scope(unit=" Bappeda")
        schedules.create_schedule(uow_factory, WorkSchedule(), spaced, actor=HR)
    at_office = schedules.Scope(office_id=office.id)
    schedules.create_schedule(uow_factory, WorkSchedule(), at_office, actor=HR)
    schedules.add_override(uow_factory, unit.id, RAMADAN, actor=HR)
    with pytest.raises(ConflictError):
        schedules.add_override(uow_factory, unit.id, RAMADAN, actor=HR)
    schedules.add_override(uow_factory, base.id, RAMADAN, actor=HR)  # another scope: allowed
    with uow_factory() as uow:
        assert [o.unit for o in schedules.list_overrides(uow, unit.id)] == ["Bappeda"]
        assert [o.unit for o in schedules.list_overrides(uow, base.id)] == [None]
        assert uow.schedules.get_by_id(unit.id) == unit
    schedules.delete_schedule(uow_factory, unit.id, actor=HR)
    with uow_factory() as uow:
        with pytest.raises(NotFoundError):
            uow.schedules.get_by_id(unit.id)
        actions = [e.action for e in reversed(uow.audit.list())]
    assert actions == ["schedule.create"] * 3 + ["override.create"] * 2 + ["schedule.delete"]


def test_resolve_day(uow_factory: UowFactory) -> None:
    add_employee(uow_factory(), SRI, "Sri")
    later = WorkSchedule(start=time(9), end=time(17), grace_minutes=5)
    record = schedules.create_schedule(
        uow_factory, later, schedules.Scope(unit="Bappeda"), actor=HR
    )
    schedules.add_override(uow_factory, record.id, RAMADAN, actor=HR)
    with uow_factory() as uow:
        day = schedules.resolve_day(uow, SRI, date(2025, 3, 3))
        assert day.working and day.hours is not None
        assert (day.hours.start, day.hours.end, day.hours.grace_minutes) == (time(8), time(15), 5)
        sunday = schedules.resolve_day(uow, SRI, date(2025, 3, 2))
        assert sunday.hours is None and not sunday.working


def test_office_update_and_delete(uow_factory: UowFactory) -> None:
    office = calendar.create_office(uow_factory, "SETDA", "Setda", actor=HR)
    changes = {"name": " Setda Kab. ", "radius_m": 80.0}
    changed = calendar.update_office(uow_factory, "SETDA", changes, actor=HR)
    assert (changed.name, changed.radius_m) == ("Setda Kab.", 80.0)
    with pytest.raises(DomainValidationError):
        calendar.update_office(uow_factory, "SETDA", {"timezone": "Mars/Base"}, actor=HR)
    with uow_factory() as uow:
        uow.employees.add(NewEmployee(employee_id=SRI, name="Sri", office_id=office.id))
        uow.commit()
    with pytest.raises(ConflictError):
        calendar.delete_office(uow_factory, "SETDA", actor=HR)
    with uow_factory() as uow, pytest.raises(ConflictError):  # the database refuses too
        uow.offices.delete(office.id)


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
        uow.commit()
    with pytest.raises(DomainValidationError):
        review_event(uow_factory, event.id, Decision.NEEDS_REVIEW, reviewer_id=user.id, actor=HR)
    done = review_event(
        uow_factory, event.id, Decision.ACCEPTED, reviewer_id=user.id, actor=HR, note=" ok "
    )
    assert (done.event.decision, done.event.reviewed_by) == (Decision.ACCEPTED, user.id)
    assert done.event.review_note == "ok"
    with pytest.raises(ConflictError):
        review_event(uow_factory, event.id, Decision.REJECTED, reviewer_id=user.id, actor=HR)
    with uow_factory() as uow:
        assert uow.events.first_check_in(sri.id, date(2025, 3, 3)) is not None
        entry = uow.audit.list()[0]
    assert (entry.actor, entry.action, entry.target) == (
        "hr",
        "review.accepted",
        f"event:{event.id}",
    )
    assert entry.detail["ip"] == "10.1.2.3" and entry.detail["note"] == "ok"


def test_weekday_hours_are_stored_audited_and_resolved(any_db: Engine) -> None:
    """A shorter Friday round-trips through the store and applies to that weekday only."""
    uow_factory = factory_for(any_db)
    add_employee(uow_factory(), SRI, "Sri")
    friday = WeekdayHours(Weekday.FRIDAY, time(7, 30), time(11, 30), grace_minutes=0)
    monday = WeekdayHours(Weekday.MONDAY, time(7, 0), time(16, 0))
    hours = WorkSchedule(grace_minutes=5, weekday_hours=(friday, monday))
    record = schedules.set_schedule(uow_factory, hours, schedules.Scope(), actor=HR)
    assert record.schedule.weekday_hours == (monday, friday)  # kept by weekday
    with uow_factory() as uow:
        assert uow.schedules.get_by_id(record.id).schedule == hours
        fri = schedules.resolve_day(uow, SRI, date(2025, 3, 7)).hours
        thu = schedules.resolve_day(uow, SRI, date(2025, 3, 6)).hours
        entry = uow.audit.list()[0]
    assert fri is not None and (fri.start, fri.end, fri.grace_minutes) == (
        time(7, 30),
        time(11, 30),
        0,
    )
    assert thu is not None and (thu.start, thu.end, thu.grace_minutes) == (time(8), time(16), 5)
    assert entry.detail is not None
    assert entry.detail["after"]["weekday_hours"] == [  # type: ignore[index]
        "monday 07:00-16:00",
        "friday 07:30-11:30 grace 0",
    ]
    # the Ramadan override wins over Friday's own hours
    schedules.add_override(uow_factory, record.id, RAMADAN, actor=HR)
    with uow_factory() as uow:
        ramadan_friday = schedules.resolve_day(uow, SRI, date(2025, 3, 7)).hours
    assert ramadan_friday is not None and ramadan_friday.end == time(15)
    cleared = schedules.set_schedule(uow_factory, WorkSchedule(), schedules.Scope(), actor=HR)
    with uow_factory() as uow:
        assert uow.schedules.get_by_id(cleared.id).schedule.weekday_hours == ()
        change = uow.audit.list()[0]
    assert change.action == "schedule.update" and change.detail is not None
    assert "weekday_hours" in change.detail["changes"]  # type: ignore[operator]
