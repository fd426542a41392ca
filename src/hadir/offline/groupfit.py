"""Fitting that holds for the worst measured group (issue 12), numpy only.

Used by ``scripts/calibrate.py`` on embeddings cached once per dev image. The ideas:

* **Group-balanced centre.** The centring vector is the mean of per-group means of
  per-identity mean embeddings: each group weighs the same, whatever its head count in
  LFW. A centre fitted on the mixed population leaves the direction a homogeneous group
  shares, and every impostor score inside that group rises.
* **Cross-fitting.** Every score used to fit or check a threshold is computed with a centre
  that did not see the people in the pair: within a group, the centre leaves both
  identities of an impostor pair out (and the one identity of a genuine pair); across the
  whole set, it is fitted on the other half of the identities.
* **Tail model with a margin.** A small group has too few impostor pairs to read a 1e-3
  quantile with any confidence, and none below. Its threshold at FMR ``f`` is modelled as
  ``μ_g + σ_g · z(f)``, where ``z(f)`` is the standardised quantile of the large mixed
  impostor distribution (extrapolated log-linearly below its resolution) and ``μ_g, σ_g``
  the group's own impostor mean and spread; identities are resampled (a cluster bootstrap:
  pairs that share a person are not independent) and the chosen upper percentile is taken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
Centre = Callable[[set[int]], F64]
"""The centre fitted without the given identities."""


def unit(vectors: F64) -> F64:
    out: F64 = vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)
    return out


def identity_means(vectors: F64, codes: Ints, identities: int) -> F64:
    sums = np.zeros((identities, vectors.shape[1]))
    np.add.at(sums, codes, vectors)
    counts = np.bincount(codes, minlength=identities).astype(np.float64)
    out: F64 = sums / counts[:, None]
    return out


def balanced_centre(means: F64, group_of: Ints) -> Centre:
    """Mean over groups of the mean identity of each group, leaving identities out."""
    groups = np.unique(group_of)

    def centre(excluded: set[int]) -> F64:
        keep = np.ones(means.shape[0], dtype=bool)
        keep[list(excluded)] = False
        parts = [means[keep & (group_of == g)].mean(axis=0) for g in groups]
        out: F64 = np.mean(parts, axis=0)
        return out

    return centre


@dataclass(frozen=True)
class GroupScores:
    """Cross-fitted scores inside one group. ``left``/``right`` give the identities of
    each impostor score, for the cluster bootstrap."""

    impostors: F64
    genuine: F64
    left: Ints
    right: Ints


def in_group_scores(
    vectors: F64, codes: Ints, members: Sequence[int], centre: Centre
) -> GroupScores:
    """Every cross-identity pair among ``members`` (centre without both people) and every
    same-identity pair (centre without that person)."""
    imp: list[F64] = []
    gen: list[F64] = []
    lefts: list[Ints] = []
    rights: list[Ints] = []
    rows = {i: vectors[codes == i] for i in members}
    for n, i in enumerate(members):
        own = unit(rows[i] - centre({i}))
        sims = own @ own.T
        gen.append(sims[np.triu_indices(own.shape[0], k=1)])
        for j in members[n + 1 :]:
            c = centre({i, j})
            block = (unit(rows[i] - c) @ unit(rows[j] - c).T).ravel()
            imp.append(block)
            lefts.append(np.full(block.size, i, dtype=np.intp))
            rights.append(np.full(block.size, j, dtype=np.intp))
    return GroupScores(
        np.concatenate(imp), np.concatenate(gen), np.concatenate(lefts), np.concatenate(rights)
    )


def halves_of(identities: Sequence[str]) -> Ints:
    """A stable split of identities in two halves (first byte of the sha256 of the name)."""
    import hashlib

    return np.array([hashlib.sha256(i.encode()).digest()[0] & 1 for i in identities])


def mixed_impostors(vectors: F64, codes: Ints, halves: Ints, centre: Centre) -> F64:
    """All cross-identity pairs within each half, centred without that half."""
    out = []
    for h in (0, 1):
        sel = np.flatnonzero(halves[codes] == h)
        v = unit(vectors[sel] - centre(set(np.flatnonzero(halves == h).tolist())))
        sims = v @ v.T
        upper = np.triu(np.ones(sims.shape, dtype=bool), k=1)
        different = codes[sel][:, None] != codes[sel][None, :]
        out.append(sims[upper & different])
    return np.concatenate(out)


def pair_scores(
    vectors: F64, codes: Ints, halves: Ints, centre: Centre, left: Ints, right: Ints
) -> F64:
    """Scores of given image pairs (same person), centred without the person's half."""
    out = np.zeros(left.size)
    for h in (0, 1):
        sel = halves[codes[left]] == h
        c = centre(set(np.flatnonzero(halves == h).tolist()))
        a, b = unit(vectors[left[sel]] - c), unit(vectors[right[sel]] - c)
        out[sel] = np.einsum("ij,ij->i", a, b)
    return out


def threshold_at(impostors: F64, far: float) -> float:
    """The score that ``far`` of the impostors reach or exceed (empirical)."""
    ranked = np.sort(impostors)[::-1]
    return float(ranked[min(ranked.size - 1, int(far * ranked.size))])


def tail_z(impostors: F64, fars: Sequence[float]) -> dict[float, float]:
    """Standardised impostor quantiles, z(f) = (threshold(f) - μ) / σ; below the sample's
    resolution (fewer than 10 pairs above), extrapolated log-linearly from the last two
    resolved decades."""
    mu, sd = float(impostors.mean()), float(impostors.std())
    resolved = sorted((f for f in fars if f * impostors.size >= 10), reverse=True)
    z = {f: (threshold_at(impostors, f) - mu) / sd for f in resolved}
    if len(resolved) < 2:
        raise ValueError("too few impostor pairs for a tail model")
    f1, f2 = resolved[-2], resolved[-1]
    slope = (z[f2] - z[f1]) / (np.log10(f2) - np.log10(f1))
    for f in fars:
        if f not in z:
            z[f] = z[f2] + slope * (np.log10(f) - np.log10(f2))
    return z


def bootstrap_thresholds(
    group: GroupScores,
    z: dict[float, float],
    *,
    upper: float = 95.0,
    rounds: int = 1000,
    seed: int = 20261130,
) -> dict[float, float]:
    """The ``upper`` percentile, over identity resamplings, of μ_g + σ_g·z(f)."""
    people = np.unique(np.r_[group.left, group.right])
    position = {int(p): n for n, p in enumerate(people)}
    li = np.array([position[int(p)] for p in group.left])
    ri = np.array([position[int(p)] for p in group.right])
    rng = np.random.default_rng(seed)
    fars = sorted(z)
    draws = np.zeros((rounds, len(fars)))
    for r in range(rounds):
        count = np.bincount(rng.integers(0, people.size, people.size), minlength=people.size)
        weight = (count[li] * count[ri]).astype(np.float64)
        mu = np.average(group.impostors, weights=weight)
        sd = np.sqrt(np.average((group.impostors - mu) ** 2, weights=weight))
        draws[r] = [mu + sd * z[f] for f in fars]
    bound = np.percentile(draws, upper, axis=0)
    return {f: float(b) for f, b in zip(fars, bound, strict=True)}
