"""SQL repositories, one per aggregate, each bound to the session of a unit of work.

They take and return plain values (``hadir.services.records`` and domain objects), never ORM
rows. Conventions: ``get*`` raise ``NotFoundError`` when nothing matches, while
``find*`` and ``EventRepository.get_by_client_request_id`` return ``None`` (absence is
the normal case there). Every write is flushed at once inside a SAVEPOINT, so constraint
violations surface at the call as ``ConflictError`` / ``NotFoundError`` /
``DomainValidationError`` and the rest of the unit of work is unaffected.
"""

from __future__ import annotations

from hadir.services.ports import Clock
from hadir.store.repositories._base import SqlRepository
from hadir.store.repositories.access import TokenRepository, UserRepository
from hadir.store.repositories.audit import GENESIS_HASH, AuditRepository, entry_hash
from hadir.store.repositories.calendar import HolidayRepository, ScheduleRepository
from hadir.store.repositories.events import EventRepository
from hadir.store.repositories.evidence import EvidenceRepository
from hadir.store.repositories.leaves import LeaveRepository
from hadir.store.repositories.people import (
    EmployeeRepository,
    OfficeRepository,
    TemplateRepository,
)
from hadir.store.repositories.state import CounterRepository, NonceRepository
from hadir.store.repositories.units import UnitRepository

__all__ = [
    "GENESIS_HASH",
    "AuditRepository",
    "Clock",
    "CounterRepository",
    "EmployeeRepository",
    "EventRepository",
    "EvidenceRepository",
    "HolidayRepository",
    "LeaveRepository",
    "NonceRepository",
    "OfficeRepository",
    "ScheduleRepository",
    "SqlRepository",
    "TemplateRepository",
    "TokenRepository",
    "UnitRepository",
    "UserRepository",
    "entry_hash",
]
