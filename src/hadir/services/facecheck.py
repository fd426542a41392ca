"""Enrolment cross-checks: a face is bound to one employee, and one person to one NIP.

Every photo offered for enrolment (after the quality gates) is checked, in the same unit
of work that stores the accepted ones, so the check and the write see the same templates:

1. **Against every other employee** (active or not, templates of the same contract): a
   best similarity at or above the identification threshold for that many employees
   (``MatchPolicy.identify_for``: the worst-group 1:N threshold scaled to the gallery, the
   same one the kiosk uses; docs/fairness.md) refuses the photo as
   ``face_matches_other_employee``; the refusal names the other NIP in its details, for
   the staff who enrol (the message itself names nobody). An admin may override this
   (identical twins are two employees): the override is written to the audit trail.
2. **Against the employee's own face**: when the employee has templates, the photo's best
   similarity to them must reach the 1:1 accept threshold; for a first enrolment of
   several photos, each must match at least half of the other photos of the batch (two
   photos that disagree are both refused: which one is right cannot be told). Otherwise
   ``face_inconsistent``. Photos refused in step 1 do not vote.

Two enrolments running at the same moment can still each pass before the other commits;
``hadir audit faces`` (``find_duplicates``) finds any such pair afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hadir.domain.errors import HadirError
from hadir.face.types import Embedding, EmbeddingContract
from hadir.services.errors import FaceInconsistentError, FaceMatchesOtherEmployeeError
from hadir.services.face_records import TemplateRecord
from hadir.services.ports import AbstractUnitOfWork, FaceAnalyser
from hadir.services.sitecal import MatchPolicy, match_policy

Matrix = npt.NDArray[np.float32]


def _stack(embeddings: Sequence[Embedding], dim: int) -> Matrix:
    if not embeddings:
        return np.zeros((0, dim), dtype=np.float32)
    return np.ascontiguousarray(np.stack([e.vector for e in embeddings]), dtype=np.float32)


@dataclass(frozen=True)
class _Others:
    """Other employees' templates: rows grouped by employee (database key)."""

    matrix: Matrix
    owners: npt.NDArray[np.int64]


def _others(
    templates: Sequence[TemplateRecord], employee_pk: int, dim: int, policy: MatchPolicy
) -> _Others:
    kept = [t for t in templates if t.employee_id != employee_pk]
    return _Others(
        matrix=_stack(policy.embeddings([t.embedding for t in kept]), dim),
        owners=np.array([t.employee_id for t in kept], dtype=np.int64),
    )


def _other_match(
    uow: AbstractUnitOfWork, others: _Others, vector: Matrix, threshold: float
) -> HadirError | None:
    if others.matrix.shape[0] == 0:
        return None
    scores = others.matrix @ vector
    best = int(np.argmax(scores))
    similarity = float(scores[best])
    if similarity < threshold:
        return None
    other = uow.employees.get(int(others.owners[best]))
    return FaceMatchesOtherEmployeeError(
        "This face matches the enrolled face of another employee; it was not enrolled. "
        "Check that the photo is of this employee.",
        other_employee_id=other.employee_id,
        similarity=round(similarity, 4),
    )


def _inconsistent(similarity: float | None) -> FaceInconsistentError:
    return FaceInconsistentError(
        "This photo does not match the employee's other face photos; it was not enrolled. "
        "Check that every photo is of this employee.",
        similarity=None if similarity is None else round(similarity, 4),
    )


def cross_check(
    uow: AbstractUnitOfWork,
    contract: EmbeddingContract,
    employee_pk: int,
    batch: Mapping[int, Embedding],
    policy: MatchPolicy,
    *,
    allow_other_match: bool = False,
) -> dict[int, HadirError]:
    """The refusal of every photo of ``batch`` (position -> embedding) that fails a check;
    photos that pass are absent. Scores are in ``policy``'s space (the site calibration
    in force); call inside ``with uow`` (it reads templates)."""
    refused: dict[int, HadirError] = {}
    if not batch:
        return refused
    positions = list(batch)
    vectors = _stack(policy.embeddings([batch[p] for p in positions]), contract.dim)
    same = policy.thresholds.accept
    if not allow_other_match:
        everyone = uow.templates.list_all_for_contract(contract, active_only=False)
        others = _others(everyone, employee_pk, contract.dim, policy)
        threshold = policy.identify_for(len(set(others.owners.tolist()))).accept
        for row, position in enumerate(positions):
            problem = _other_match(uow, others, vectors[row], threshold)
            if problem is not None:
                refused[position] = problem
    mine = [t.embedding for t in uow.templates.list_for(employee_pk)]
    own = _stack(policy.embeddings([e for e in mine if e.contract == contract]), contract.dim)
    voters = [row for row, position in enumerate(positions) if position not in refused]
    if own.shape[0]:
        for row in voters:
            best = float(np.max(own @ vectors[row]))
            if best < same:
                refused[positions[row]] = _inconsistent(best)
    elif len(voters) > 1:
        chosen = vectors[voters]
        agree = (chosen @ chosen.T) >= same
        np.fill_diagonal(agree, False)
        needed = (len(voters) - 1) / 2
        for i, row in enumerate(voters):
            if int(agree[i].sum()) < needed:
                refused[positions[row]] = _inconsistent(None)
    return refused


@dataclass(frozen=True)
class DuplicatePair:
    """Two different employees whose templates match (``similarity``: their best pair)."""

    employee_id: str
    name: str
    active: bool
    other_employee_id: str
    other_name: str
    other_active: bool
    similarity: float
    templates: tuple[int, int]


DUPLICATE_BLOCK = 512
"""Rows scored at a time: memory stays at DUPLICATE_BLOCK x templates floats."""


def find_duplicates(
    uow: AbstractUnitOfWork,
    templates: Sequence[TemplateRecord],
    threshold: float,
    policy: MatchPolicy | None = None,
) -> list[DuplicatePair]:
    """Every pair of different employees among ``templates`` (all of one contract) with a
    template pair at or above ``threshold`` (in ``policy``'s space), most similar first.
    Call inside ``with uow`` (it reads the employees' names)."""
    if len(templates) < 2:
        return []
    embeddings = [t.embedding for t in templates]
    if policy is not None:
        embeddings = policy.embeddings(embeddings)
    matrix = _stack(embeddings, templates[0].embedding.contract.dim)
    owners = np.array([t.employee_id for t in templates], dtype=np.int64)
    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for start in range(0, matrix.shape[0], DUPLICATE_BLOCK):
        scores = matrix[start : start + DUPLICATE_BLOCK] @ matrix.T
        rows, cols = np.nonzero(scores >= threshold)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = start + r, c
            a, b = int(owners[i]), int(owners[j])
            if a >= b:
                continue  # the same employee, or the pair seen the other way round
            similarity = float(scores[r, c])
            if (a, b) not in best or similarity > best[(a, b)][0]:
                best[(a, b)] = (similarity, templates[i].id, templates[j].id)
    out = []
    for (a, b), (similarity, ta, tb) in best.items():
        left, right = uow.employees.get(a), uow.employees.get(b)
        out.append(
            DuplicatePair(
                employee_id=left.employee_id,
                name=left.name,
                active=left.active,
                other_employee_id=right.employee_id,
                other_name=right.name,
                other_active=right.active,
                similarity=similarity,
                templates=(ta, tb),
            )
        )
    return sorted(out, key=lambda p: (-p.similarity, p.employee_id, p.other_employee_id))


@dataclass(frozen=True)
class DuplicateReport:
    """Pairs of employees whose templates match at the identification ``threshold`` (the
    one the enrolment cross-check uses for an office of this size)."""

    contract: str
    threshold: float
    templates: int
    pairs: tuple[DuplicatePair, ...]


def duplicate_report(uow: AbstractUnitOfWork, engine: FaceAnalyser) -> DuplicateReport:
    """``find_duplicates`` for the engine's contract at its identification threshold."""
    contract = engine.embedder.contract
    with uow:
        policy = match_policy(uow, engine)
        templates = uow.templates.list_all_for_contract(contract, active_only=False)
        threshold = policy.identify_for(len({t.employee_id for t in templates})).accept
        pairs = find_duplicates(uow, templates, threshold, policy)
    return DuplicateReport(contract.key(), threshold, len(templates), tuple(pairs))
