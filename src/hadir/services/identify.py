"""Identification (1:N): who of the enrolled employees a face is, if anyone.

One function for every door (the plain check without a NIP and the kiosk's live check),
with the 1:N rules: the identification thresholds of the site calibration in force, else
the engine's shipped ones scaled to the number of enrolled employees (the worst-group
threshold at a per-comparison false-match rate of ``IDENTIFY_FPIR / employees``, never
below 1:1's; docs/fairness.md), the probe in the index's space (``hadir.services.sitecal``)
and a refusal when the runner-up employee is within ``IDENTIFY_MARGIN`` of the best.
"""

from __future__ import annotations

from dataclasses import dataclass

from hadir.face.matching import MatchDecision
from hadir.face.types import Embedding
from hadir.services.index import TemplateIndexProvider, employee_of
from hadir.services.ports import FaceAnalyser
from hadir.services.records import EmployeeKey
from hadir.services.sitecal import policy_of, shipped_policy

IDENTIFY_MARGIN = 0.05
"""1:N refuses when the second-best employee is this close to the best."""


@dataclass(frozen=True)
class Identification:
    decision: MatchDecision
    similarity: float | None
    """The best employee's similarity (``None`` with nobody enrolled)."""
    threshold: float
    employee_key: EmployeeKey | None
    """The identified employee's key; ``None`` when refused."""

    @property
    def found(self) -> bool:
        return self.employee_key is not None


def identify(
    engine: FaceAnalyser, index_provider: TemplateIndexProvider, embedding: Embedding
) -> Identification:
    index, calibration = index_provider.lookup(embedding.contract)
    site = shipped_policy(engine) if calibration is None else policy_of(calibration)
    thresholds = site.identify_for(index.people)
    result = index.identify(site.embedding(embedding), thresholds, top=2)
    decision = result.decision
    runner_up = result.candidates[1].similarity if len(result.candidates) > 1 else None
    if runner_up is not None and result.similarity - runner_up < IDENTIFY_MARGIN:
        decision = MatchDecision.REJECT
    subject = None if decision is MatchDecision.REJECT else result.subject_id
    return Identification(
        decision=decision,
        similarity=result.similarity if result.candidates else None,
        threshold=result.threshold,
        employee_key=None if subject is None else employee_of(subject),
    )
