"""A failure after the face decision and before the commit leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from hadir.domain.attendance import AttendanceKind
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.index import TemplateIndexProvider
from hadir.services.ports import AbstractUnitOfWork
from hadir.store.db import make_session_factory
from hadir.store.uow import SqlUnitOfWork
from services.helpers import POLICY

from .conftest import FakeFaceEngine, FixedClock, factory_for, photo, wib
from .helpers import SRI, add_employee


class DiskFull(RuntimeError):
    pass


class FailingCommit(SqlUnitOfWork):
    """A unit of work whose event insert reaches the database, then the commit fails."""

    def commit(self) -> None:
        self._repos().session.flush()  # the row exists inside the transaction...
        raise DiskFull("the disk is full")  # ...and the commit never happens


def events_in(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("select count(*) from attendance_events")).scalar_one())


def test_failed_commit_leaves_no_event_and_a_retry_succeeds(any_db: Engine) -> None:
    make = factory_for(any_db)
    face = FakeFaceEngine()
    add_employee(make(), SRI, "Sri Wahyuni")
    enrol_faces(make, face, SRI, [photo("sri", seed=1), photo("sri", seed=2)], consent=True)
    sessions = make_session_factory(any_db)

    def failing() -> AbstractUnitOfWork:
        return FailingCommit(sessions)

    request = CheckRequest(
        AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=3), SRI, client_request_id="r-1"
    )
    clock = FixedClock(wib(2025, 3, 3, 7, 45))
    with pytest.raises(DiskFull):
        check(failing, face, TemplateIndexProvider(make), request, clock=clock, policy=POLICY)
    assert events_in(any_db) == 0  # no half record
    result = check(make, face, TemplateIndexProvider(make), request, clock=clock, policy=POLICY)
    assert not result.replayed  # the failed attempt left no trace to replay
    assert events_in(any_db) == 1
