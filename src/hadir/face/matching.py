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


def cosine_similarity(a: Embedding, b: Embedding) -> float:
    require_same_contract(a.contract, [b])
    return float(np.dot(a.vector, b.vector))


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


class TemplateIndex:
    """An in-memory matrix of templates of one contract, for 1:N identification."""

    def __init__(self, contract: EmbeddingContract) -> None:
        self.contract = contract
        self._subjects: list[str] = []
        self._rows: list[npt.NDArray[np.float32]] = []
        self._matrix: npt.NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return len(self._subjects)

    def add(self, subject_id: str, embedding: Embedding) -> None:
        require_same_contract(self.contract, [embedding])
        self._subjects.append(subject_id)
        self._rows.append(embedding.vector.astype(np.float32))
        self._matrix = None

    def remove_subject(self, subject_id: str) -> int:
        keep = [i for i, s in enumerate(self._subjects) if s != subject_id]
        removed = len(self._subjects) - len(keep)
        self._subjects = [self._subjects[i] for i in keep]
        self._rows = [self._rows[i] for i in keep]
        self._matrix = None
        return removed

    def _stacked(self) -> npt.NDArray[np.float32]:
        if self._matrix is None:
            self._matrix = (
                np.stack(self._rows) if self._rows else np.zeros((0, self.contract.dim), np.float32)
            )
        return self._matrix

    def identify(self, probe: Embedding, thresholds: Thresholds, *, top: int = 3) -> IdentifyResult:
        require_same_contract(self.contract, [probe])
        if not self._subjects:
            return IdentifyResult(None, -1.0, thresholds.accept, MatchDecision.REJECT, ())
        similarities = self._stacked() @ probe.vector
        best_per_subject: dict[str, float] = {}
        for subject, value in zip(self._subjects, similarities.tolist(), strict=True):
            if value > best_per_subject.get(subject, -2.0):
                best_per_subject[subject] = value
        ranked = sorted(best_per_subject.items(), key=lambda kv: kv[1], reverse=True)[:top]
        candidates = tuple(Candidate(s, v) for s, v in ranked)
        best_subject, best = ranked[0]
        decision = thresholds.decide(best)
        return IdentifyResult(
            subject_id=best_subject if decision is not MatchDecision.REJECT else None,
            similarity=best,
            threshold=thresholds.accept,
            decision=decision,
            candidates=candidates,
        )
