"""Attendance events: idempotency constraint, rollback, filters, first check-in per day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hadir.domain.attendance import AttendanceKind, Decision
from hadir.domain.errors import ConflictError, DomainValidationError, NotFoundError
from hadir.services.records import EventFilter, EventRecord
from hadir.store.uow import SqlUnitOfWork

from .builders import new_employee, new_event, utc

CHECK_OUT = AttendanceKind.CHECK_OUT


def test_duplicate_client_request_id_rolls_the_whole_unit_of_work_back(
    uow: SqlUnitOfWork,
) -> None:
    with uow:
        employee_id = uow.employees.add(new_employee(1)).id
        uow.commit()
    with pytest.raises(ConflictError) as caught, uow:
        uow.events.add(new_event(employee_id, utc(2025, 3, 3, 1), client_request_id="req-1"))
        uow.events.add(new_event(employee_id, utc(2025, 3, 3, 2), client_request_id="req-1"))
        uow.commit()
    assert "req-1" in caught.value.message
    assert caught.value.details["client_request_id"] == "req-1"
    with uow:
        assert uow.events.list() == []


def test_a_retry_finds_the_first_event(uow: SqlUnitOfWork) -> None:
    with uow:
        employee_id = uow.employees.add(new_employee(1)).id
        first = uow.events.add(new_event(employee_id, utc(2025, 3, 3, 1), client_request_id="r"))
        uow.commit()
    with uow:
        with pytest.raises(ConflictError):
            uow.events.add(new_event(employee_id, utc(2025, 3, 3, 1, 1), client_request_id="r"))
        assert uow.events.get_by_client_request_id(employee_id, "r") == first
        assert uow.events.get_by_client_request_id(employee_id, "other") is None
        assert uow.events.get_by_client_request_id(employee_id, " ") is None
        uow.commit()
    with uow:
        assert uow.events.list() == [first]


def test_the_constraint_only_bites_when_a_request_id_is_present(uow: SqlUnitOfWork) -> None:
    at = utc(2025, 3, 3, 1)
    with uow:
        a = uow.employees.add(new_employee(1)).id
        b = uow.employees.add(new_employee(2)).id
        uow.events.add(new_event(a, at))
        uow.events.add(new_event(a, at))
        uow.events.add(new_event(a, at, client_request_id="  "))  # blank means none
        uow.events.add(new_event(a, at, client_request_id="shared"))
        uow.events.add(new_event(b, at, client_request_id="shared"))
        uow.events.add(new_event(None, at, decision=Decision.REJECTED, client_request_id="k"))
        uow.events.add(new_event(None, at, decision=Decision.REJECTED, client_request_id="k"))
        uow.commit()
    with uow:
        events = uow.events.list()
    assert len(events) == 7
    assert [e.client_request_id for e in events[:3]] == [None, None, None]


def test_event_fields_round_trip(uow: SqlUnitOfWork) -> None:
    with uow:
        employee_id = uow.employees.add(new_employee(1)).id
        added = uow.events.add(new_event(employee_id, utc(2025, 3, 3, 1), client_request_id="x"))
        uow.commit()
    with uow:
        stored = uow.events.get(added.id)
    assert stored == added
    assert stored.similarity == 0.81 and stored.threshold == 0.62
    assert stored.occurred_at == utc(2025, 3, 3, 1)
    assert stored.to_domain().counts


def test_list_filters(uow: SqlUnitOfWork) -> None:
    with uow:
        a = uow.employees.add(new_employee(1, unit="Bappeda")).id
        b = uow.employees.add(new_employee(2, unit="Dinkes")).id
        # 3 March 2025 in Jakarta (UTC+7) runs from 2 March 17:00 UTC to 3 March 17:00 UTC.
        uow.events.add(new_event(a, utc(2025, 3, 2, 16, 59)))  # 2 March 23:59 WIB
        uow.events.add(new_event(a, utc(2025, 3, 2, 17, 0)))  # 3 March 00:00 WIB
        uow.events.add(new_event(a, utc(2025, 3, 3, 9), kind=CHECK_OUT))
        uow.events.add(new_event(b, utc(2025, 3, 3, 1), decision=Decision.NEEDS_REVIEW))
        uow.events.add(new_event(b, utc(2025, 3, 3, 17)))  # 4 March WIB
        uow.events.add(new_event(None, utc(2025, 3, 3, 2), decision=Decision.REJECTED))
        uow.commit()
    with uow:
        day = EventFilter.for_days(date(2025, 3, 3), date(2025, 3, 3))
        assert len(uow.events.list(day)) == 4

        def by(**criteria: Any) -> list[EventRecord]:
            return uow.events.list(
                EventFilter.for_days(date(2025, 3, 3), date(2025, 3, 3), **criteria)
            )

        assert [e.occurred_at for e in by(employee_id=a)] == [
            utc(2025, 3, 2, 17),
            utc(2025, 3, 3, 9),
        ]
        assert [e.employee_id for e in by(unit="Dinkes")] == [b]
        assert [e.employee_id for e in by(decision=Decision.REJECTED)] == [None]
        assert [e.kind for e in by(kind=CHECK_OUT)] == [CHECK_OUT]
        assert len(uow.events.list(EventFilter(start=utc(2025, 3, 3, 17)))) == 1
        assert len(uow.events.list(EventFilter(limit=2, offset=1))) == 2


def test_first_accepted_check_in_per_day(uow: SqlUnitOfWork) -> None:
    with uow:
        a = uow.employees.add(new_employee(1)).id
        b = uow.employees.add(new_employee(2)).id
        uow.events.add(new_event(a, utc(2025, 3, 3, 0, 30), decision=Decision.REJECTED))
        first_a = uow.events.add(new_event(a, utc(2025, 3, 3, 0, 45)))
        uow.events.add(new_event(a, utc(2025, 3, 3, 1)))
        uow.events.add(new_event(a, utc(2025, 3, 2, 23), kind=CHECK_OUT))
        first_a_next = uow.events.add(new_event(a, utc(2025, 3, 4, 1)))
        first_b = uow.events.add(new_event(b, utc(2025, 3, 3, 0, 50)))
        uow.commit()
    with uow:
        assert uow.events.first_check_in(a, date(2025, 3, 3)) == first_a
        assert uow.events.first_check_in(b, date(2025, 3, 4)) is None
        firsts = uow.events.first_check_ins(date(2025, 3, 3), date(2025, 3, 4))
        assert firsts == [first_a, first_b, first_a_next]


def test_review_records_who_decided(uow: SqlUnitOfWork) -> None:
    from hadir.services.records import Role

    with uow:
        a = uow.employees.add(new_employee(1)).id
        event = uow.events.add(new_event(a, utc(2025, 3, 3, 1), decision=Decision.NEEDS_REVIEW))
        reviewer = uow.users.add("supervisor", "hash", Role.SUPERVISOR, unit="Bappeda")
        reviewed = uow.events.review(
            event.id, decision=Decision.ACCEPTED, reviewed_by=reviewer.id, note="ok"
        )
        uow.commit()
    assert reviewed.decision is Decision.ACCEPTED
    assert reviewed.reviewed_by == reviewer.id and reviewed.reviewed_at is not None
    with uow, pytest.raises(NotFoundError):
        uow.events.review(event.id, decision=Decision.REJECTED, reviewed_by=999)


def test_events_need_aware_times_and_known_employees(uow: SqlUnitOfWork) -> None:
    with pytest.raises(DomainValidationError):
        new_event(1, utc(2025, 3, 3).replace(tzinfo=None))
    with uow, pytest.raises(NotFoundError):
        uow.events.add(new_event(777, utc(2025, 3, 3)))
