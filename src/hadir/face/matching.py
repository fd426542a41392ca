"""Cosine similarity, 1:1 verification and 1:N identification with open-set rejection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from hadir.domain.errors import ContractMismatchError
from hadir.face.types import Embedding, EmbeddingContract


class MatchDecision(StrEnum):
    ACCEPT = "accept"
    REVIEW = "review"
    REJECT = "reject"


@dataclass(frozen=True)
class Thresholds:
    """Accept at ``accept`` or above; ``review`` <= similarity < ``accept`` goes to a human."""

    accept: float
    review: float

    def __post_init__(self) -> None:
        if not -1.0 <= self.review <= self.accept <= 1.0:
            raise ValueError("need -1 <= review <= accept <= 1")

    def decide(self, similarity: float) -> MatchDecision:
        if similarity >= self.accept:
            return MatchDecision.ACCEPT
        if similarity >= self.review:
            return MatchDecision.REVIEW
        return MatchDecision.REJECT


@dataclass(frozen=True)
class MatchResult:
    similarity: float
    threshold: float
    review_threshold: float
    decision: MatchDecision
    best_template: int | None


@dataclass(frozen=True)
class Candidate:
    subject_id: str
    similarity: float


@dataclass(frozen=True)
class IdentifyResult:
    """The best subject, if its similarity clears the threshold; the runner-up for context."""

    subject_id: str | None
    similarity: float
    threshold: float
    decision: MatchDecision
    candidates: tuple[Candidate, ...]


def require_same_contract(expected: EmbeddingContract, embeddings: Sequence[Embedding]) -> None:
    for embedding in embeddings:
        if embedding.contract != expected:
            raise ContractMismatchError(
                "These face templates were made by a different face model or recipe "
                "and cannot be compared; enrol the faces again.",
                expected=expected.key(),
                found=embedding.contract.key(),
            )


def verify(probe: Embedding, templates: Sequence[Embedding], thresholds: Thresholds) -> MatchResult:
    """1:1: the probe against one person's templates; the best similarity decides."""
    require_same_contract(probe.contract, templates)
    if not templates:
        return MatchResult(-1.0, thresholds.accept, thresholds.review, MatchDecision.REJECT, None)
    matrix = np.stack([t.vector for t in templates])
    similarities = matrix @ probe.vector
    best = int(np.argmax(similarities))
    similarity = float(similarities[best])
    return MatchResult(
        similarity=similarity,
        threshold=thresholds.accept,
        review_threshold=thresholds.review,
        decision=thresholds.decide(similarity),
        best_template=best,
    )


@dataclass(frozen=True)
class _Layout:
    """Templates grouped by subject: rows of one subject are contiguous, groups in order of
    the subject's first appearance (so ties rank the earlier-enrolled subject first)."""

    matrix: npt.NDArray[np.float32]
    starts: npt.NDArray[np.intp]
    ends: npt.NDArray[np.intp]
    row_group: npt.NDArray[np.intp]
    """The group (subject number) of every row."""
    subjects: tuple[str, ...]
    coarse: _Coarse | None


@dataclass(frozen=True)
class _Coarse:
    """The rows projected on the gallery's leading principal directions (uncentred, so
    inner products are kept as well as ``dims`` directions can keep them)."""

    basis: npt.NDArray[np.float32]
    """(dim, dims), orthonormal columns."""
    matrix: npt.NDArray[np.float32]
    """(rows, dims) = layout matrix @ basis."""


@dataclass(frozen=True)
class SearchPolicy:
    """How ``TemplateIndex.identify`` searches large galleries.

    Below ``coarse_from`` rows every template is scored exactly. From there on, a coarse
    pass scores every row in ``coarse_dims`` dimensions (the gallery's principal
    directions: 5x fewer bytes to read for 640-d fused templates), keeps the ``shortlist``
    best rows, and scores every template of their subjects exactly. The decision needs the
    best and the runner-up subject; both score far above the crowd when they matter, so
    the shortlist keeps them (bench/identify.py measures agreement with the exact search).
    """

    coarse_from: int = 20_000
    coarse_dims: int = 128
    shortlist: int = 256
    sample_rows: int = 8_192

    def __post_init__(self) -> None:
        if self.coarse_dims < 1 or self.shortlist < 1 or self.sample_rows < self.coarse_dims:
            raise ValueError("coarse_dims, shortlist >= 1 and sample_rows >= coarse_dims")


EXACT = SearchPolicy(coarse_from=2**62)
"""Always score every template (tests and benchmarks)."""


def _principal_basis(
    matrix: npt.NDArray[np.float32], policy: SearchPolicy
) -> npt.NDArray[np.float32]:
    rows = matrix.shape[0]
    step = max(1, rows // policy.sample_rows)
    sample = matrix[::step][: policy.sample_rows].astype(np.float64)
    _, vectors = np.linalg.eigh(sample.T @ sample)  # ascending eigenvalues
    dims = min(policy.coarse_dims, matrix.shape[1])
    return np.ascontiguousarray(vectors[:, ::-1][:, :dims], dtype=np.float32)


class TemplateIndex:
    """An in-memory matrix of templates of one contract, for 1:N identification.

    Identification is one matrix-vector product and one ``np.maximum.reduceat`` over the
    subject groups, with no Python loop over templates; galleries of ``policy.coarse_from``
    rows or more first shortlist rows in a reduced space (``SearchPolicy``). Figures in
    docs/performance.md (bench/identify.py).
    """

    def __init__(self, contract: EmbeddingContract, policy: SearchPolicy | None = None) -> None:
        self.contract = contract
        self.policy = policy or SearchPolicy()
        self._subjects: list[str] = []
        self._rows: list[npt.NDArray[np.float32]] = []
        self._layout: _Layout | None = None

    def __len__(self) -> int:
        return len(self._subjects)

    def add(self, subject_id: str, embedding: Embedding) -> None:
        require_same_contract(self.contract, [embedding])
        self._subjects.append(subject_id)
        self._rows.append(np.asarray(embedding.vector, dtype=np.float32))
        self._layout = None

    def remove_subject(self, subject_id: str) -> int:
        keep = [i for i, s in enumerate(self._subjects) if s != subject_id]
        removed = len(self._subjects) - len(keep)
        self._subjects = [self._subjects[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
        self._layout = None
        return removed

    @property
    def people(self) -> int:
        """Distinct subjects in the gallery."""
        return len(self._grouped().subjects)

    def prepare(self) -> None:
        """Build the search structures now (otherwise the first ``identify`` does)."""
        self._grouped()

    @property
    def shortlisted(self) -> bool:
        """Whether ``identify`` runs the coarse shortlist pass (large galleries)."""
        return self._grouped().coarse is not None

    def _grouped(self) -> _Layout:
        if self._layout is not None:
            return self._layout
        first_seen: dict[str, int] = {}
        codes = np.fromiter(
            (first_seen.setdefault(s, len(first_seen)) for s in self._subjects),
            dtype=np.intp,
            count=len(self._subjects),
        )
        order = np.argsort(codes, kind="stable")
        matrix = np.stack(self._rows)[order] if self._rows else np.zeros((0, self.contract.dim))
        matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        sorted_codes = codes[order]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        ends = np.r_[starts[1:], sorted_codes.size].astype(np.intp)
        # keep one copy of the vectors: the row list becomes views into the grouped matrix
        position = np.empty_like(order)
        position[order] = np.arange(order.size)
        self._rows = [matrix[j] for j in position.tolist()]
        coarse = None
        if matrix.shape[0] >= self.policy.coarse_from:
            basis = _principal_basis(matrix, self.policy)
            coarse = _Coarse(basis=basis, matrix=np.ascontiguousarray(matrix @ basis))
        self._layout = _Layout(
            matrix=matrix,
            starts=starts,
            ends=ends,
            row_group=sorted_codes,
            subjects=tuple(first_seen),
            coarse=coarse,
        )
        return self._layout

    def _scores(
        self, layout: _Layout, vector: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """(groups, each group's best similarity), groups ascending."""
        coarse = layout.coarse
        if coarse is None:
            best = np.maximum.reduceat(layout.matrix @ vector, layout.starts)
            return np.arange(best.size), best
        rough = coarse.matrix @ (vector @ coarse.basis)
        keep = min(self.policy.shortlist, rough.size)
        rows = np.argpartition(rough, rough.size - keep)[rough.size - keep :]
        groups = np.unique(layout.row_group[rows])
        lengths = layout.ends[groups] - layout.starts[groups]
        local_starts = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.intp)
        offsets = np.arange(int(lengths.sum())) - np.repeat(local_starts, lengths)
        picked_rows = np.repeat(layout.starts[groups], lengths) + offsets
        exact = layout.matrix[picked_rows] @ vector
        return groups, np.maximum.reduceat(exact, local_starts)

    def identify(self, probe: Embedding, thresholds: Thresholds, *, top: int = 3) -> IdentifyResult:
        require_same_contract(self.contract, [probe])
        if not self._subjects:
            return IdentifyResult(None, -1.0, thresholds.accept, MatchDecision.REJECT, ())
        layout = self._grouped()
        groups, best = self._scores(layout, np.asarray(probe.vector, dtype=np.float32))
        k = min(top, best.size)
        if k < best.size:
            kth = np.partition(best, best.size - k)[best.size - k]
            picked = np.flatnonzero(best >= kth)  # keeps ties at the edge
        else:
            picked = np.arange(best.size)
        # similarity descending, then first appearance ascending
        ranked = picked[np.lexsort((picked, -best[picked].astype(np.float64)))][:k]
        candidates = tuple(
            Candidate(layout.subjects[int(groups[i])], float(best[i])) for i in ranked
        )
        top_candidate = candidates[0]
        decision = thresholds.decide(top_candidate.similarity)
        return IdentifyResult(
            subject_id=top_candidate.subject_id if decision is not MatchDecision.REJECT else None,
            similarity=top_candidate.similarity,
            threshold=thresholds.accept,
            decision=decision,
            candidates=candidates,
        )
