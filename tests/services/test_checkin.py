"""Check-in/check-out over a real store with the fake face engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

import pytest
from sqlalchemy import Engine

from hadir.domain.attendance import AttendanceKind, DayStatus, Decision
from hadir.domain.errors import ConflictError, ErrorCode, FaceQualityError
from hadir.face.pipeline import FaceAnalysis, Purpose
from hadir.services.checkin import CheckRequest, check
from hadir.services.enrolment import enrol_faces
from hadir.services.errors import FaceMismatchError, NotEnrolledError, UnknownEmployeeError
from hadir.services.index import TemplateIndexProvider
from hadir.services.records import MatchMethod
from services.helpers import POLICY

from .conftest import FakeFaceEngine, FixedClock, UowFactory, factory_for, photo, wib
from .helpers import ARIO, SRI, add_employee, count_events

ON_TIME = wib(2025, 3, 3, 7, 55)  # a Monday
LATE = wib(2025, 3, 3, 8, 30)


def _enrol(make_uow: UowFactory, engine: FakeFaceEngine, nip: str, person: str) -> None:
    outcomes = enrol_faces(
        make_uow, engine, nip, [photo(person, seed=1), photo(person, seed=2)], consent=True
    )
    assert all(o.accepted for o in outcomes)


def _setup(make_uow: UowFactory, engine: FakeFaceEngine) -> None:
    add_employee(make_uow(), SRI, "Sri Wahyuni")
    add_employee(make_uow(), ARIO, "Ario Nugroho")
    _enrol(make_uow, engine, SRI, "sri")
    _enrol(make_uow, engine, ARIO, "ario")


def test_accepted_check_in_on_time(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    _setup(uow_factory, fake_engine)
    result = check(
        uow_factory,
        fake_engine,
        TemplateIndexProvider(uow_factory),
        CheckRequest(AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=5), SRI, device="k1"),
        clock=FixedClock(ON_TIME),
        policy=POLICY,
    )
    assert result.decision is Decision.ACCEPTED
    assert result.employee.employee_id == SRI
    assert result.event.method is MatchMethod.VERIFY
    assert result.event.device == "k1"
    assert result.local_time.time() == time(7, 55)
    assert result.local_time.utcoffset() is not None
    assert result.local_time.utcoffset().total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert result.status is DayStatus.ON_TIME
    assert result.similarity is not None and result.similarity >= 0.9
    assert result.threshold == fake_engine.thresholds.accept
    assert not result.replayed


def test_late_at_0830_wib(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    _setup(uow_factory, fake_engine)
    result = check(
        uow_factory,
        fake_engine,
        TemplateIndexProvider(uow_factory),
        CheckRequest(AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=5), SRI),
        clock=FixedClock(LATE),
        policy=POLICY,
    )
    assert result.status is DayStatus.LATE
    assert result.late_minutes == 30


def test_check_out_after_check_in(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    _setup(uow_factory, fake_engine)
    provider = TemplateIndexProvider(uow_factory)
    probe = photo("sri", sim=0.97, seed=5)
    check(
        uow_factory,
        fake_engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_IN, probe, SRI),
        clock=FixedClock(ON_TIME),
        policy=POLICY,
    )
    out = check(
        uow_factory,
        fake_engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_OUT, photo("sri", sim=0.97, seed=6), SRI),
        clock=FixedClock(wib(2025, 3, 3, 15, 30)),
        policy=POLICY,
    )
    assert out.event.kind is AttendanceKind.CHECK_OUT
    assert out.day is not None
    assert out.day.check_in is not None and out.day.check_in.time() == time(7, 55)
    assert out.day.check_out is not None and out.day.check_out.time() == time(15, 30)
    assert out.day.left_early_minutes == 30
    assert out.status is DayStatus.ON_TIME


def test_mismatch_is_recorded_and_raised(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _setup(uow_factory, fake_engine)
    with pytest.raises(FaceMismatchError) as raised:
        check(
            uow_factory,
            fake_engine,
            TemplateIndexProvider(uow_factory),
            CheckRequest(AttendanceKind.CHECK_IN, photo("ario", seed=5), SRI),
            clock=FixedClock(ON_TIME),
            policy=POLICY,
        )
    assert raised.value.code is ErrorCode.FACE_MISMATCH
    with uow_factory() as uow:
        (event,) = uow.events.list()
    assert event.id == raised.value.details["event_id"]
    assert event.decision is Decision.REJECTED
    assert event.refusal_code == "face_mismatch"
    assert event.employee_id is not None
    assert event.similarity is not None and event.similarity < 0.6


def test_needs_review_is_recorded_and_not_counted(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _setup(uow_factory, fake_engine)
    result = check(
        uow_factory,
        fake_engine,
        TemplateIndexProvider(uow_factory),
        CheckRequest(AttendanceKind.CHECK_IN, photo("sri", sim=0.78, seed=5), SRI),
        clock=FixedClock(ON_TIME),
        policy=POLICY,
    )
    assert result.decision is Decision.NEEDS_REVIEW
    assert result.event.decision is Decision.NEEDS_REVIEW
    assert result.day is None
    assert count_events(uow_factory) == 1


def test_unusable_image_is_recorded_then_raised(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _setup(uow_factory, fake_engine)
    with pytest.raises(FaceQualityError) as raised:
        check(
            uow_factory,
            fake_engine,
            TemplateIndexProvider(uow_factory),
            CheckRequest(AttendanceKind.CHECK_IN, b"error=no_face", SRI),
            clock=FixedClock(ON_TIME),
            policy=POLICY,
        )
    assert raised.value.code is ErrorCode.NO_FACE
    with uow_factory() as uow:
        (event,) = uow.events.list()
    assert (event.decision, event.refusal_code) == (Decision.REJECTED, "no_face")


def test_unknown_and_not_enrolled(uow_factory: UowFactory, fake_engine: FakeFaceEngine) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    provider = TemplateIndexProvider(uow_factory)
    with pytest.raises(UnknownEmployeeError):
        check(
            uow_factory,
            fake_engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_IN, photo("sri"), "999"),
            policy=POLICY,
        )
    with pytest.raises(NotEnrolledError):
        check(
            uow_factory,
            fake_engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_IN, photo("sri"), SRI),
            policy=POLICY,
        )
    with uow_factory() as uow:
        (event,) = uow.events.list()
    assert event.refusal_code == "not_enrolled"
    assert fake_engine.calls == []


def test_idempotent_client_request_id(any_db: Engine) -> None:
    """Same on SQLite and PostgreSQL: a retry returns the first event, one row only."""
    make_uow = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make_uow, engine)
    provider = TemplateIndexProvider(make_uow)
    request = CheckRequest(
        AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=5), SRI, client_request_id="abc-1"
    )
    first = check(make_uow, engine, provider, request, clock=FixedClock(LATE), policy=POLICY)
    calls = len(engine.calls)
    again = check(
        make_uow, engine, provider, request, clock=FixedClock(wib(2025, 3, 3, 9)), policy=POLICY
    )

    assert again.event.id == first.event.id
    assert again.replayed and not first.replayed
    assert again.event.occurred_at == first.event.occurred_at
    assert again.late_minutes == first.late_minutes == 30
    assert len(engine.calls) == calls  # no face work for a retry
    assert count_events(make_uow) == 1

    with pytest.raises(ConflictError):
        check(
            make_uow,
            engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_OUT, request.image, SRI, client_request_id="abc-1"),
            policy=POLICY,
        )
    assert count_events(make_uow) == 1


def test_concurrent_delivery_race_returns_the_winner(any_db: Engine) -> None:
    make_uow = factory_for(any_db)
    engine = FakeFaceEngine()
    _setup(make_uow, engine)
    provider = TemplateIndexProvider(make_uow)
    request = CheckRequest(
        AttendanceKind.CHECK_IN, photo("sri", sim=0.97, seed=5), SRI, client_request_id="race"
    )

    class RacingEngine(FakeFaceEngine):
        """While this request does its face work, another delivery of it completes."""

        winner_id: int | None = None

        def analyse(
            self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: object = None
        ) -> FaceAnalysis:
            if self.winner_id is None:
                self.winner_id = -1
                won = check(
                    make_uow, engine, provider, request, clock=FixedClock(ON_TIME), policy=POLICY
                )
                self.winner_id = won.event.id
            return super().analyse(data, purpose)

    racing = RacingEngine()
    result = check(make_uow, racing, provider, request, clock=FixedClock(ON_TIME), policy=POLICY)

    assert result.event.id == racing.winner_id
    assert result.replayed
    assert count_events(make_uow) == 1


def test_identify_finds_the_employee_and_rejects_strangers(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    _setup(uow_factory, fake_engine)
    provider = TemplateIndexProvider(uow_factory)
    found = check(
        uow_factory,
        fake_engine,
        provider,
        CheckRequest(AttendanceKind.CHECK_IN, photo("ario", sim=0.97, seed=9)),
        clock=FixedClock(LATE),
        policy=POLICY,
    )
    assert found.employee.employee_id == ARIO
    assert found.event.method is MatchMethod.IDENTIFY
    assert found.status is DayStatus.LATE

    with pytest.raises(FaceMismatchError):
        check(
            uow_factory,
            fake_engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_IN, photo("stranger", seed=3)),
            clock=FixedClock(LATE),
            policy=POLICY,
        )
    with uow_factory() as uow:
        stranger = uow.events.list()[-1]
    assert stranger.employee_id is None
    assert stranger.decision is Decision.REJECTED
    assert stranger.method is MatchMethod.IDENTIFY
    assert stranger.refusal_code == "face_mismatch"


def test_identify_refuses_when_two_employees_are_close(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    add_employee(uow_factory(), ARIO, "Ario Nugroho")
    _enrol(uow_factory, fake_engine, SRI, "twin")
    provider = TemplateIndexProvider(uow_factory)
    # the index is cached; enrolling through the provider's hook makes it rebuild; twins
    # are two employees: an admin overrides the duplicate-face refusal
    enrol_faces(
        uow_factory,
        fake_engine,
        ARIO,
        [photo("twin", seed=7)],
        consent=True,
        on_change=provider.invalidate,
        override_by="admin",
    )
    with pytest.raises(FaceMismatchError):
        check(
            uow_factory,
            fake_engine,
            provider,
            CheckRequest(AttendanceKind.CHECK_IN, photo("twin", sim=0.99, seed=8)),
            clock=FixedClock(ON_TIME),
            policy=POLICY,
        )


def test_index_is_rebuilt_after_enrolment(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    provider = TemplateIndexProvider(uow_factory)
    assert len(provider.get(fake_engine.embedder.contract)) == 0
    enrol_faces(
        uow_factory, fake_engine, SRI, [photo("sri")], consent=True, on_change=provider.invalidate
    )
    assert provider.version == 1
    assert len(provider.get(fake_engine.embedder.contract)) == 1


def test_index_sees_changes_made_by_another_process(
    uow_factory: UowFactory, fake_engine: FakeFaceEngine
) -> None:
    """A provider that is never told (another worker or server) still rebuilds: the
    ``templates`` change counter moved in the database."""
    contract = fake_engine.embedder.contract
    add_employee(uow_factory(), SRI, "Sri Wahyuni")
    elsewhere = TemplateIndexProvider(uow_factory)
    assert len(elsewhere.get(contract)) == 0
    assert elsewhere.get(contract) is elsewhere.get(contract)  # cached while nothing moves
    assert elsewhere.rebuilds == 1
    enrol_faces(uow_factory, fake_engine, SRI, [photo("sri")], consent=True)
    assert len(elsewhere.get(contract)) == 1
    with uow_factory() as uow:  # deactivation removes the employee from the index
        employee = uow.employees.get_by_employee_id(SRI)
        uow.employees.update(replace(employee, active=False))
        uow.commit()
    assert len(elsewhere.get(contract)) == 0
    assert elsewhere.rebuilds == 3
