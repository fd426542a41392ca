"""A cached 1:N ``TemplateIndex`` per embedding contract.

The cache is rebuilt when the provider's version changes; enrolment and deletion in this
process call ``invalidate``. Known limit: another process (a second API worker, the CLI)
that enrols or deletes faces does not bump this counter, so its changes are only seen
after ``max_age`` seconds (or never, with ``max_age=None``). Cross-process freshness
(e.g. a version column read per request, or LISTEN/NOTIFY) is a later issue.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from hadir.face.matching import TemplateIndex
from hadir.face.types import EmbeddingContract
from hadir.services.ports import AbstractUnitOfWork

UowFactory = Callable[[], AbstractUnitOfWork]


def subject_of(employee_id: int) -> str:
    """The ``TemplateIndex`` subject id of an employee (its database key as text)."""
    return str(employee_id)


def employee_of(subject_id: str) -> int:
    return int(subject_id)


def build_index(uow: AbstractUnitOfWork, contract: EmbeddingContract) -> TemplateIndex:
    """Every active employee's templates of ``contract`` (call inside ``with uow``)."""
    index = TemplateIndex(contract)
    for template in uow.templates.list_all_for_contract(contract):
        index.add(subject_of(template.employee_id), template.embedding)
    return index


@dataclass
class _Cached:
    version: int
    built_at: float
    index: TemplateIndex


class TemplateIndexProvider:
    """Builds and caches the index; thread-safe. ``version`` counts invalidations."""

    def __init__(
        self,
        uow_factory: UowFactory,
        *,
        max_age: float | None = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow_factory = uow_factory
        self._max_age = max_age
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._version = 0
        self._cache: dict[EmbeddingContract, _Cached] = {}

    @property
    def version(self) -> int:
        return self._version

    def invalidate(self) -> None:
        """Templates changed in this process: the next ``get`` rebuilds."""
        with self._lock:
            self._version += 1

    def get(self, contract: EmbeddingContract) -> TemplateIndex:
        with self._lock:
            cached = self._cache.get(contract)
            now = self._monotonic()
            if (
                cached is not None
                and cached.version == self._version
                and not self._stale(cached, now)
            ):
                return cached.index
            version = self._version
        with self._uow_factory() as uow:
            index = build_index(uow, contract)
        with self._lock:
            self._cache[contract] = _Cached(version, now, index)
        return index

    def _stale(self, cached: _Cached, now: float) -> bool:
        return self._max_age is not None and now - cached.built_at > self._max_age
