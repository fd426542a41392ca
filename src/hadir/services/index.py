"""A cached 1:N ``TemplateIndex`` per embedding contract, fresh across processes.

Every change that can alter an index (template added or deleted, employee activated,
deactivated or deleted) bumps the ``templates`` change counter in the same transaction
(``hadir.store``). ``get`` reads that counter (one primary-key lookup) and rebuilds the
cached index when it moved (saving a site calibration bumps it too), so a face enrolled
through one server or worker is used by every other process at its next identification.
``poll_seconds`` > 0 trades that freshness for fewer lookups: the counter is then read at
most that often.
``invalidate`` forces a rebuild in this process (e.g. after a change made outside SQL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hadir.face.matching import TemplateIndex
from hadir.face.site import SiteTransform
from hadir.face.types import Embedding, EmbeddingContract
from hadir.services.face_records import SiteCalibrationRecord
from hadir.services.ports import TEMPLATES_COUNTER, AbstractUnitOfWork, UowFactory
from hadir.services.records import EmployeeKey


def subject_of(employee_id: int) -> str:
    """The ``TemplateIndex`` subject id of an employee (its database key as text)."""
    return str(employee_id)


def employee_of(subject_id: str) -> EmployeeKey:
    return EmployeeKey(int(subject_id))


def build_index(
    uow: AbstractUnitOfWork, contract: EmbeddingContract
) -> tuple[TemplateIndex, SiteCalibrationRecord | None]:
    """Every active employee's templates of ``contract``, in the space of the site
    calibration in force (returned with it); call inside ``with uow``."""
    index = TemplateIndex(contract)
    calibration = uow.calibrations.latest(contract)
    templates = uow.templates.list_all_for_contract(contract)
    vectors = [t.embedding.vector for t in templates]
    if calibration is not None and templates:
        transform = SiteTransform(calibration.blocks, np.asarray(calibration.centre, np.float32))
        vectors = list(transform.apply(np.stack(vectors)))
    for template, vector in zip(templates, vectors, strict=True):
        index.add(subject_of(template.employee_id), Embedding(vector, contract))
    return index, calibration


@dataclass(frozen=True)
class _Cached:
    stored_version: int
    local_version: int
    index: TemplateIndex
    calibration: SiteCalibrationRecord | None


class TemplateIndexProvider:
    """Builds and caches the index; thread-safe."""

    def __init__(
        self,
        uow_factory: UowFactory,
        *,
        poll_seconds: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow_factory = uow_factory
        self._poll_seconds = poll_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._local_version = 0
        self._stored_version = -1
        self._checked_at = float("-inf")
        self._cache: dict[EmbeddingContract, _Cached] = {}
        self.rebuilds = 0
        """How many times an index was (re)built: for tests and metrics."""

    @property
    def version(self) -> int:
        """In-process invalidations so far."""
        return self._local_version

    def invalidate(self) -> None:
        """Templates changed in this process: the next ``get`` rebuilds."""
        with self._lock:
            self._local_version += 1

    def get(self, contract: EmbeddingContract) -> TemplateIndex:
        return self.lookup(contract)[0]

    def lookup(
        self, contract: EmbeddingContract
    ) -> tuple[TemplateIndex, SiteCalibrationRecord | None]:
        """The index and the site calibration its vectors are transformed by (match a
        probe in the same space: ``sitecal.policy_of``)."""
        with self._lock:
            cached = self._cache.get(contract)
            local = self._local_version
            recent = self._monotonic() - self._checked_at < self._poll_seconds
            if recent and self._fresh(cached, self._stored_version, local):
                assert cached is not None
                return cached.index, cached.calibration
        with self._uow_factory() as uow:
            stored = uow.counters.get(TEMPLATES_COUNTER)
            if not self._fresh(cached, stored, local):
                cached = _Cached(stored, local, *build_index(uow, contract))
                with self._lock:
                    self.rebuilds += 1
                    self._cache[contract] = cached
        assert cached is not None
        with self._lock:
            self._stored_version = stored
            self._checked_at = self._monotonic()
        return cached.index, cached.calibration

    @staticmethod
    def _fresh(cached: _Cached | None, stored: int, local: int) -> bool:
        return (
            cached is not None and cached.stored_version == stored and cached.local_version == local
        )
