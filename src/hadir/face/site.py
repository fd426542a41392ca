"""Site adaptation: re-centre templates on the office's own staff, and fit its threshold.

A centring vector fitted on one population leaves a shared direction in another: inside a
homogeneous office every impostor score rises. The site transform removes the office's
own mean direction, block by block (one block per model of a fused set, see
``hadir.face.fusion``): each block b (a unit vector scaled by s = sqrt(w_i / W)) becomes

    s * normalise(b / s - c)

with c the block's site centre (the mean, over employees, of each employee's mean unit
block). It is applied at match time to the probe and to the stored templates, which stay
as enrolled: a recalibration never needs a re-enrolment, and templates of another
contract are still refused by the contract check. Cost: a subtraction and a norm per
block, for the probe and (once per index build) the templates.

The threshold for a target false-match rate comes from the impostor scores among the
enrolled employees: every template, as a probe, against every other employee's templates
(the best one, as 1:1 verification does). Offices are small, so there are too few pairs
for an empirical 1e-3 quantile: above the 90th percentile the scores are modelled by a
generalized Pareto tail (probability-weighted-moment fit, Hosking & Wallis 1987).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.face.embedder import Embedder, Vectors
from hadir.face.types import Detection, EmbeddingContract, Image

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Block:
    start: int
    stop: int
    scale: float


def blocks_of(embedder: object, dim: int) -> tuple[Block, ...]:
    """The model blocks of an embedder's vectors (one block unless fused)."""
    from hadir.face.fusion import FusedEmbedder

    if not isinstance(embedder, FusedEmbedder):
        return (Block(0, dim, 1.0),)
    total = math.fsum(c.weight for c in embedder.components)
    out, start = [], 0
    for c in embedder.components:
        size = c.embedder.contract.dim
        out.append(Block(start, start + size, math.sqrt(c.weight / total)))
        start += size
    return tuple(out)


@dataclass(frozen=True)
class SiteTransform:
    blocks: tuple[Block, ...]
    centre: Matrix
    """(dim,): each block's centre, in unit-block coordinates."""

    def apply(self, vectors: Matrix) -> Matrix:
        """Rows of ``vectors`` (n, dim) re-centred block by block; unit norm kept."""
        x = np.asarray(vectors, dtype=np.float32)
        single = x.ndim == 1
        x = np.atleast_2d(x)
        out = np.empty_like(x)
        for b in self.blocks:
            part = x[:, b.start : b.stop] / np.float32(b.scale) - self.centre[b.start : b.stop]
            norms = np.linalg.norm(part, axis=1, keepdims=True)
            out[:, b.start : b.stop] = part / np.maximum(norms, 1e-12) * np.float32(b.scale)
        return out[0] if single else out


def fit_transform(
    blocks: tuple[Block, ...], matrix: Matrix, owners: Sequence[int]
) -> SiteTransform:
    """The site centre: per block, the mean over employees of each one's mean unit block."""
    owner = np.asarray(owners)
    _, codes = np.unique(owner, return_inverse=True)
    sums = np.zeros((int(codes.max()) + 1, matrix.shape[1]), dtype=np.float64)
    np.add.at(sums, codes, matrix.astype(np.float64))
    counts = np.bincount(codes).astype(np.float64)[:, None]
    per_employee = sums / counts
    centre = np.zeros(matrix.shape[1], dtype=np.float32)
    for b in blocks:
        centre[b.start : b.stop] = (per_employee[:, b.start : b.stop] / b.scale).mean(axis=0)
    return SiteTransform(blocks, centre)


@dataclass(frozen=True)
class ScoreTable:
    """``best[t, e]``: template t's best similarity to employee e's templates (its own
    employee: the best of the others, NaN when it has none)."""

    best: npt.NDArray[np.float64]
    owner: npt.NDArray[np.intp]
    """Each template's employee (0..employees-1)."""

    @classmethod
    def of(cls, matrix: Matrix, owners: Sequence[int]) -> ScoreTable:
        _, owner = np.unique(np.asarray(owners), return_inverse=True)
        sims = matrix.astype(np.float64) @ matrix.T.astype(np.float64)
        np.fill_diagonal(sims, -np.inf)
        order = np.argsort(owner, kind="stable")
        starts = np.flatnonzero(np.r_[True, owner[order][1:] != owner[order][:-1]])
        best = np.maximum.reduceat(sims[:, order], starts, axis=1)
        best[~np.isfinite(best)] = np.nan
        return cls(best, owner.astype(np.intp))

    @property
    def employees(self) -> int:
        return int(self.best.shape[1])

    def scores(
        self, sample: npt.NDArray[np.intp] | None = None
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(impostor, genuine) scores, over the employees in ``sample`` (a bootstrap
        draw, repeats allowed; default all)."""
        chosen = np.arange(self.employees) if sample is None else sample
        by_employee = self._rows()
        rows = np.concatenate([by_employee[e] for e in chosen])
        from_emp = np.repeat(chosen, [by_employee[e].size for e in chosen])
        block = self.best[rows][:, chosen]
        impostor = block[from_emp[:, None] != chosen[None, :]]
        genuine = self.best[rows, self.owner[rows]]
        return impostor, genuine[~np.isnan(genuine)]

    def _rows(self) -> list[npt.NDArray[np.intp]]:
        order = np.argsort(self.owner, kind="stable")
        cuts = np.flatnonzero(np.diff(self.owner[order])) + 1
        return list(np.split(order, cuts))


@dataclass(frozen=True)
class Tail:
    """Impostor scores: the empirical body, a generalized Pareto tail above ``u``."""

    u: float
    p_u: float
    """Share of impostor scores above ``u``."""
    k: float
    alpha: float

    @classmethod
    def fit(cls, impostor: npt.NDArray[np.float64], quantile: float = 0.9) -> Tail:
        u = float(np.quantile(impostor, quantile))
        y = np.sort(impostor[impostor > u] - u)
        n = y.size
        if n < 5:
            raise ValueError("too few impostor scores above the tail threshold")
        a0 = float(y.mean())
        a1 = float(np.sum((n - np.arange(1, n + 1)) / (n - 1) * y) / n)
        k = a0 / (a0 - 2 * a1) - 2
        alpha = 2 * a0 * a1 / (a0 - 2 * a1)
        return cls(u=u, p_u=n / impostor.size, k=k, alpha=alpha)

    def exceedance(self, t: float) -> float:
        """P(impostor score >= t) for t above ``u``."""
        y = t - self.u
        if y <= 0:
            return self.p_u
        if abs(self.k) < 1e-9:
            return self.p_u * math.exp(-y / self.alpha)
        base = 1 - self.k * y / self.alpha
        return 0.0 if base <= 0 else float(self.p_u * base ** (1 / self.k))

    def threshold(self, fmr: float) -> float:
        """The score whose exceedance is ``fmr`` (``fmr`` below ``p_u``)."""
        r = min(1.0, fmr / self.p_u)
        if abs(self.k) < 1e-9:
            return self.u - self.alpha * math.log(r)
        return float(self.u + self.alpha * (1 - r**self.k) / self.k)


def threshold_for(impostor: npt.NDArray[np.float64], fmr: float) -> float:
    """The empirical quantile when there are at least 10 / fmr scores, else the tail's."""
    if impostor.size * fmr >= 10:
        return float(np.quantile(impostor, 1 - fmr))
    return Tail.fit(impostor).threshold(fmr)


def fmr_at(impostor: npt.NDArray[np.float64], t: float) -> float:
    """Estimated P(impostor >= t): the tail model above its threshold, else empirical."""
    tail = Tail.fit(impostor)
    if t > tail.u:
        return tail.exceedance(t)
    return float(np.mean(impostor >= t))


class SiteEmbedder:
    """An embedder whose vectors come out in a site's space (``hadir evaluate --site``):
    the inner embedder's vectors with the site transform applied; same contract."""

    def __init__(self, inner: Embedder[Any], transform: SiteTransform) -> None:
        self.inner = inner
        self.transform = transform

    @property
    def contract(self) -> EmbeddingContract:
        return self.inner.contract

    def prepare(self, image: Image, detection: Detection) -> Any:
        return self.inner.prepare(image, detection)

    def embed(self, crops: Sequence[Any]) -> Vectors:
        vectors = self.inner.embed(crops)
        if len(vectors) == 0:
            return vectors
        out: Vectors = self.transform.apply(vectors)
        return out
