"""Verification metrics over scored pairs: pure numpy, no models.

Scores are similarities (higher is closer); a pair is accepted when ``score >= threshold``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _split(scores: npt.ArrayLike, same: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(same, dtype=bool)
    if s.shape != y.shape or s.ndim != 1:
        raise ValueError("scores and labels must be 1-d arrays of the same length")
    return s[y], s[~y]


def threshold_at_far(scores: npt.ArrayLike, same: npt.ArrayLike, far: float) -> float:
    """The lowest threshold whose false-accept rate on the impostor pairs is at most ``far``."""
    _, impostor = _split(scores, same)
    if impostor.size == 0:
        raise ValueError("no impostor pairs")
    ranked = np.sort(impostor)[::-1]
    allowed = int(np.floor(far * impostor.size + 1e-9))
    if allowed >= ranked.size:
        return float(ranked[-1])
    # accept strictly above the (allowed+1)-th highest impostor score
    return float(np.nextafter(ranked[allowed], np.inf))


def rates_at(scores: npt.ArrayLike, same: npt.ArrayLike, threshold: float) -> tuple[float, float]:
    """(TAR, FAR) when accepting ``score >= threshold``."""
    genuine, impostor = _split(scores, same)
    tar = float(np.mean(genuine >= threshold)) if genuine.size else float("nan")
    far = float(np.mean(impostor >= threshold)) if impostor.size else float("nan")
    return tar, far


def tar_at_far(scores: npt.ArrayLike, same: npt.ArrayLike, far: float) -> float:
    return rates_at(scores, same, threshold_at_far(scores, same, far))[0]


def roc_curve(scores: npt.ArrayLike, same: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """(FAR, TAR) arrays over every distinct threshold, from strictest to loosest."""
    genuine, impostor = _split(scores, same)
    thresholds = np.unique(np.concatenate([genuine, impostor]))[::-1]
    g = np.sort(genuine)
    i = np.sort(impostor)
    tar = (g.size - np.searchsorted(g, thresholds, side="left")) / max(g.size, 1)
    far = (i.size - np.searchsorted(i, thresholds, side="left")) / max(i.size, 1)
    return np.concatenate([[0.0], far]), np.concatenate([[0.0], tar])


def auc(scores: npt.ArrayLike, same: npt.ArrayLike) -> float:
    """Area under the ROC curve: the chance a genuine pair outscores an impostor pair."""
    genuine, impostor = _split(scores, same)
    if genuine.size == 0 or impostor.size == 0:
        return float("nan")
    allscores = np.concatenate([genuine, impostor])
    order = allscores.argsort(kind="mergesort")
    ranks = np.empty(allscores.size, dtype=np.float64)
    sorted_scores = allscores[order]
    # average ranks for ties
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(avg, counts)
    u = ranks[: genuine.size].sum() - genuine.size * (genuine.size + 1) / 2.0
    return float(u / (genuine.size * impostor.size))


def eer(scores: npt.ArrayLike, same: npt.ArrayLike) -> tuple[float, float]:
    """(equal error rate, threshold where FAR and FRR cross)."""
    far, tar = roc_curve(scores, same)
    frr = 1.0 - tar
    idx = int(np.argmin(np.abs(far - frr)))
    genuine, impostor = _split(scores, same)
    thresholds = np.concatenate([[np.inf], np.unique(np.concatenate([genuine, impostor]))[::-1]])
    return float((far[idx] + frr[idx]) / 2.0), float(thresholds[idx])


def best_accuracy_threshold(scores: npt.ArrayLike, same: npt.ArrayLike) -> tuple[float, float]:
    """(threshold, accuracy) maximising accuracy; the threshold is a midpoint between scores."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(same, dtype=bool)
    order = np.argsort(s)
    s_sorted = s[order]
    y_sorted = y[order]
    # threshold between position k-1 and k: pairs [k:] accepted
    genuine_below = np.concatenate([[0], np.cumsum(y_sorted)])
    impostor_below = np.concatenate([[0], np.cumsum(~y_sorted)])
    correct = impostor_below + (y.sum() - genuine_below)
    k = int(np.argmax(correct))
    if k == 0:
        threshold = s_sorted[0] - 1e-6
    elif k == s.size:
        threshold = s_sorted[-1] + 1e-6
    else:
        threshold = (s_sorted[k - 1] + s_sorted[k]) / 2.0
    return float(threshold), float(correct[k] / s.size)


@dataclass(frozen=True)
class FoldAccuracy:
    mean: float
    std: float
    thresholds: tuple[float, ...]


def kfold_accuracy(scores: npt.ArrayLike, same: npt.ArrayLike, folds: int = 10) -> FoldAccuracy:
    """LFW protocol: per fold, the threshold is chosen on the other folds and tested on this one.

    Folds are contiguous blocks in the given order (the LFW convention).
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(same, dtype=bool)
    n = s.size
    if n < folds:
        raise ValueError(f"need at least {folds} pairs for {folds}-fold accuracy, got {n}")
    bounds = np.linspace(0, n, folds + 1).astype(int)
    accuracies: list[float] = []
    thresholds: list[float] = []
    for lo, hi in itertools.pairwise(bounds.tolist()):
        test = np.zeros(n, dtype=bool)
        test[lo:hi] = True
        threshold, _ = best_accuracy_threshold(s[~test], y[~test])
        thresholds.append(threshold)
        accuracies.append(float(np.mean((s[test] >= threshold) == y[test])))
    return FoldAccuracy(
        mean=float(np.mean(accuracies)), std=float(np.std(accuracies)), thresholds=tuple(thresholds)
    )
