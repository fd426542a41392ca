"""What services may rely on: the unit of work and its repositories, as Protocols.

Services type against these so tests can pass an in-memory fake instead of
``SqlUnitOfWork``. This module imports no SQLAlchemy (only records and domain types),
so depending on it costs nothing. ``hadir.store.uow`` checks that the SQL
implementation satisfies ``AbstractUnitOfWork``.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from hadir.domain.attendance import (
    Decision,
    Leave,
    LeaveStatus,
    ScheduleOverride,
    WorkSchedule,
)
from hadir.face.types import Embedding, EmbeddingContract, QualityReport
from hadir.services.records import (
    AuditRecord,
    EmployeeRecord,
    EventFilter,
    EventRecord,
    HolidayRecord,
    HolidaySource,
    LeaveRecord,
    NewEmployee,
    NewEvent,
    OfficeRecord,
    OverrideRecord,
    Role,
    ScheduleRecord,
    TemplateRecord,
    TokenRecord,
    UserRecord,
)

if TYPE_CHECKING:
    from hadir.face.embedder import Embedder
    from hadir.face.matching import Thresholds
    from hadir.face.pipeline import FaceAnalysis, Purpose


class FaceAnalyser(Protocol):
    """What the use cases need of ``hadir.face.pipeline.FaceEngine`` (tests pass a fake)."""

    @property
    def embedder(self) -> Embedder: ...
    @property
    def thresholds(self) -> Thresholds: ...
    def analyse(self, data: bytes, purpose: Purpose = ...) -> FaceAnalysis: ...


class OfficeRepo(Protocol):
    def add(
        self,
        code: str,
        name: str,
        *,
        timezone: str = ...,
        latitude: float | None = ...,
        longitude: float | None = ...,
        radius_m: float | None = ...,
    ) -> OfficeRecord: ...
    def get(self, office_id: int) -> OfficeRecord: ...
    def get_by_code(self, code: str) -> OfficeRecord: ...
    def list(self) -> list[OfficeRecord]: ...


class EmployeeRepo(Protocol):
    def add(self, employee: NewEmployee) -> EmployeeRecord: ...
    def get(self, employee_id: int) -> EmployeeRecord: ...
    def get_by_employee_id(self, nip: str) -> EmployeeRecord: ...
    def list(
        self,
        *,
        search: str | None = ...,
        unit: str | None = ...,
        active: bool | None = ...,
        office_id: int | None = ...,
        limit: int | None = ...,
        offset: int = ...,
    ) -> list[EmployeeRecord]: ...
    def update(self, employee: EmployeeRecord) -> EmployeeRecord: ...
    def delete(self, employee_id: int) -> None: ...


class TemplateRepo(Protocol):
    def add(
        self,
        employee_id: int,
        embedding: Embedding,
        *,
        quality: QualityReport | None = ...,
        image_sha256: str | None = ...,
    ) -> TemplateRecord: ...
    def list_for(self, employee_id: int) -> list[TemplateRecord]: ...
    def list_all_for_contract(
        self, contract: EmbeddingContract, *, active_only: bool = ...
    ) -> list[TemplateRecord]: ...
    def delete_for(self, employee_id: int) -> int: ...


class EventRepo(Protocol):
    def add(self, event: NewEvent) -> EventRecord: ...
    def get(self, event_id: int) -> EventRecord: ...
    def get_by_client_request_id(
        self, employee_id: int, client_request_id: str
    ) -> EventRecord | None: ...
    def list(self, criteria: EventFilter | None = ...) -> list[EventRecord]: ...
    def first_check_in(
        self, employee_id: int, day: date, *, tz: str = ...
    ) -> EventRecord | None: ...
    def first_check_ins(
        self, first: date, last: date, *, tz: str = ..., unit: str | None = ...
    ) -> builtins.list[EventRecord]: ...
    def review(
        self, event_id: int, *, decision: Decision, reviewed_by: int | None, note: str | None = ...
    ) -> EventRecord: ...


class ScheduleRepo(Protocol):
    def set(
        self, schedule: WorkSchedule, *, office_id: int | None = ..., unit: str | None = ...
    ) -> ScheduleRecord: ...
    def get(self, *, office_id: int | None = ..., unit: str | None = ...) -> ScheduleRecord: ...
    def list(self) -> list[ScheduleRecord]: ...
    def resolve(self, *, office_id: int | None = ..., unit: str | None = ...) -> WorkSchedule: ...
    def add_override(
        self, override: ScheduleOverride, *, office_id: int | None = ..., unit: str | None = ...
    ) -> OverrideRecord: ...
    def overrides_for(
        self, first: date, last: date, *, office_id: int | None = ..., unit: str | None = ...
    ) -> builtins.list[ScheduleOverride]: ...
    def delete_override(self, override_id: int) -> None: ...


class HolidayRepo(Protocol):
    def add(
        self,
        day: date,
        name: str,
        *,
        source: HolidaySource = ...,
        office_id: int | None = ...,
    ) -> HolidayRecord: ...
    def list(
        self, first: date, last: date, *, office_id: int | None = ...
    ) -> list[HolidayRecord]: ...
    def calendar(
        self, first: date, last: date, *, office_id: int | None = ...
    ) -> dict[date, str]: ...
    def delete(self, holiday_id: int) -> None: ...


class LeaveRepo(Protocol):
    def add(self, leave: Leave, *, reason: str = ...) -> LeaveRecord: ...
    def get(self, leave_id: int) -> LeaveRecord: ...
    def list(
        self,
        *,
        employee_id: int | None = ...,
        status: LeaveStatus | None = ...,
        first: date | None = ...,
        last: date | None = ...,
        unit: str | None = ...,
    ) -> list[LeaveRecord]: ...
    def decide(
        self, leave_id: int, status: LeaveStatus, *, approver_id: int | None
    ) -> LeaveRecord: ...


class UserRepo(Protocol):
    def add(
        self,
        username: str,
        password_hash: str,
        role: Role,
        *,
        employee_id: int | None = ...,
        unit: str | None = ...,
        active: bool = ...,
    ) -> UserRecord: ...
    def get(self, user_id: int) -> UserRecord: ...
    def get_by_username(self, username: str) -> UserRecord: ...
    def list(self) -> list[UserRecord]: ...
    def set_active(self, user_id: int, active: bool) -> UserRecord: ...


class TokenRepo(Protocol):
    def add(
        self,
        user_id: int,
        name: str,
        token_hash: str,
        role: Role,
        *,
        expires_at: datetime | None = ...,
    ) -> TokenRecord: ...
    def find_by_hash(self, token_hash: str) -> TokenRecord | None: ...
    def list_for(self, user_id: int) -> list[TokenRecord]: ...
    def revoke(self, token_id: int) -> TokenRecord: ...
    def touch(self, token_id: int) -> None: ...


class AuditRepo(Protocol):
    def append(
        self,
        actor: str,
        action: str,
        target: str | None = ...,
        detail: Mapping[str, object] | None = ...,
    ) -> AuditRecord: ...
    def list(self, *, limit: int = ..., offset: int = ...) -> list[AuditRecord]: ...
    def verify(self) -> int | None: ...


class AbstractUnitOfWork(Protocol):
    """``with uow: ...; uow.commit()``. Leaving the block without ``commit`` (or with an
    exception) rolls everything back. Repositories are only usable inside the block."""

    @property
    def offices(self) -> OfficeRepo: ...
    @property
    def employees(self) -> EmployeeRepo: ...
    @property
    def templates(self) -> TemplateRepo: ...
    @property
    def events(self) -> EventRepo: ...
    @property
    def schedules(self) -> ScheduleRepo: ...
    @property
    def holidays(self) -> HolidayRepo: ...
    @property
    def leaves(self) -> LeaveRepo: ...
    @property
    def users(self) -> UserRepo: ...
    @property
    def tokens(self) -> TokenRepo: ...
    @property
    def audit(self) -> AuditRepo: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
