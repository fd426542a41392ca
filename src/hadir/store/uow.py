"""The unit of work: one session, one transaction, all repositories.

Usage (the composition root builds the factory once from settings)::

    engine = make_engine(settings.sqlalchemy_url)
    uow = SqlUnitOfWork(make_session_factory(engine))
    with uow:
        record = uow.employees.add(NewEmployee(employee_id="1987...", name="Sri"))
        uow.commit()

Nothing is kept unless ``commit`` is called; leaving the block, normally or by an
exception, rolls back whatever was not committed and closes the session. Repositories
hand out plain records (see ``hadir.services.records``), which stay valid afterwards. A
``SqlUnitOfWork`` may be entered again after it exits (a fresh session each time), but
not while it is in use. Services should type against ``AbstractUnitOfWork``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from hadir.services.ports import AbstractUnitOfWork
from hadir.store.errors import translate, unavailable
from hadir.store.repositories import (
    AuditRepository,
    Clock,
    CounterRepository,
    EmployeeRepository,
    EventRepository,
    EvidenceRepository,
    HolidayRepository,
    LeaveRepository,
    NonceRepository,
    OfficeRepository,
    ScheduleRepository,
    TemplateRepository,
    TokenRepository,
    UnitRepository,
    UserRepository,
)
from hadir.store.repositories.calibration import SiteCalibrationRepository
from hadir.store.repositories.corrections import CorrectionRepository
from hadir.store.repositories.leave_files import LeaveAttachmentRepository
from hadir.store.repositories.shifts import ShiftRepository
from hadir.store.types import utc_now

__all__ = ["AbstractUnitOfWork", "SqlUnitOfWork"]


@dataclass(frozen=True)
class _Repositories:
    session: Session
    offices: OfficeRepository
    employees: EmployeeRepository
    templates: TemplateRepository
    events: EventRepository
    schedules: ScheduleRepository
    holidays: HolidayRepository
    shifts: ShiftRepository
    leaves: LeaveRepository
    units: UnitRepository
    corrections: CorrectionRepository
    users: UserRepository
    tokens: TokenRepository
    audit: AuditRepository
    counters: CounterRepository
    nonces: NonceRepository
    evidence: EvidenceRepository
    leave_files: LeaveAttachmentRepository
    calibrations: SiteCalibrationRepository

    @classmethod
    def open(cls, session: Session, clock: Clock) -> _Repositories:
        return cls(
            session=session,
            offices=OfficeRepository(session, clock),
            employees=EmployeeRepository(session, clock),
            templates=TemplateRepository(session, clock),
            events=EventRepository(session, clock),
            schedules=ScheduleRepository(session, clock),
            holidays=HolidayRepository(session, clock),
            shifts=ShiftRepository(session, clock),
            leaves=LeaveRepository(session, clock),
            units=UnitRepository(session, clock),
            corrections=CorrectionRepository(session, clock),
            users=UserRepository(session, clock),
            tokens=TokenRepository(session, clock),
            audit=AuditRepository(session, clock),
            counters=CounterRepository(session, clock),
            nonces=NonceRepository(session, clock),
            evidence=EvidenceRepository(session, clock),
            leave_files=LeaveAttachmentRepository(session, clock),
            calibrations=SiteCalibrationRepository(session, clock),
        )


class SqlUnitOfWork:
    def __init__(self, session_factory: Callable[[], Session], *, clock: Clock = utc_now):
        self._session_factory = session_factory
        self._clock = clock
        self._open: _Repositories | None = None

    def __enter__(self) -> Self:
        if self._open is not None:
            raise RuntimeError("this unit of work is already in use")
        self._open = _Repositories.open(self._session_factory(), self._clock)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        current = self._repos()
        try:
            current.session.rollback()
        except DBAPIError:
            if exc is None:  # a rollback that fails after a clean block is news
                raise
        finally:
            current.session.close()
            self._open = None
        down = unavailable(exc) if exc is not None else None
        if down is not None:
            raise down from exc

    def commit(self) -> None:
        session = self._repos().session
        try:
            session.commit()
        except IntegrityError as error:
            session.rollback()
            raise translate(error) from error
        except DBAPIError as error:
            down = unavailable(error)
            if down is None:
                raise
            raise down from error

    def rollback(self) -> None:
        self._repos().session.rollback()

    def _repos(self) -> _Repositories:
        if self._open is None:
            raise RuntimeError("use the unit of work inside a 'with' block")
        return self._open

    @property
    def offices(self) -> OfficeRepository:
        return self._repos().offices

    @property
    def employees(self) -> EmployeeRepository:
        return self._repos().employees

    @property
    def templates(self) -> TemplateRepository:
        return self._repos().templates

    @property
    def events(self) -> EventRepository:
        return self._repos().events

    @property
    def schedules(self) -> ScheduleRepository:
        return self._repos().schedules

    @property
    def holidays(self) -> HolidayRepository:
        return self._repos().holidays

    @property
    def shifts(self) -> ShiftRepository:
        return self._repos().shifts

    @property
    def leaves(self) -> LeaveRepository:
        return self._repos().leaves

    @property
    def units(self) -> UnitRepository:
        return self._repos().units

    @property
    def corrections(self) -> CorrectionRepository:
        return self._repos().corrections

    @property
    def users(self) -> UserRepository:
        return self._repos().users

    @property
    def tokens(self) -> TokenRepository:
        return self._repos().tokens

    @property
    def audit(self) -> AuditRepository:
        return self._repos().audit

    @property
    def counters(self) -> CounterRepository:
        return self._repos().counters

    @property
    def nonces(self) -> NonceRepository:
        return self._repos().nonces

    @property
    def evidence(self) -> EvidenceRepository:
        return self._repos().evidence

    @property
    def leave_files(self) -> LeaveAttachmentRepository:
        return self._repos().leave_files

    @property
    def calibrations(self) -> SiteCalibrationRepository:
        return self._repos().calibrations


if TYPE_CHECKING:

    def _satisfies_protocol(uow: SqlUnitOfWork) -> AbstractUnitOfWork:
        return uow
