"""1:N identification at 1k, 10k and 100k subjects (medians, not test limits).

    .venv/bin/python bench/identify.py [--sizes 1000 10000 100000] [--probes 50] [--json]
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/identify.py ...

Run it both ways: numpy's OpenBLAS splits ``matrix @ probe`` over both cores by default,
and on a busy 2-core machine a woken BLAS thread can wait a scheduler slice (≈ 8 ms).

A gallery of distinct subjects with 1–3 synthetic templates each (random unit vectors,
512-d float32, in a ``TemplateIndex``); probes are noisy copies of enrolled templates. Per
size: build time of the index, its matrix's memory (and what the index holds besides),
and the median/p95 ms per identify of

- ``index``: ``TemplateIndex.identify`` as shipped (matrix @ probe, then a Python loop
  over every row to keep each subject's best similarity);
- ``fast``: ``fast_identify`` below, the proposed vectorised version (same matrix
  product, then ``np.maximum.reduceat`` over subject-sorted rows and ``argpartition``);
- ``matmul``: the raw ``matrix @ probe``, the floor of both.

``fast_identify`` is checked to return the same ``IdentifyResult`` as the shipped one for
every probe (subjects, similarities, decision, candidates in order).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hadir.face.matching import (
    Candidate,
    IdentifyResult,
    MatchDecision,
    TemplateIndex,
    Thresholds,
    require_same_contract,
)
from hadir.face.types import Embedding, EmbeddingContract

CONTRACT = EmbeddingContract("bench-synthetic", "0" * 64, "unit-random", 512)
THRESHOLDS = Thresholds(accept=0.6, review=0.5)


@dataclass(frozen=True)
class SubjectLayout:
    """The index's rows grouped by subject: what ``TemplateIndex`` would cache next to its
    matrix (rebuilt with the matrix, i.e. after ``add``/``remove_subject``)."""

    order: npt.NDArray[np.intp]
    """Row numbers sorted by subject (stable): ``similarities[order]`` groups subjects."""
    starts: npt.NDArray[np.intp]
    """Where each subject's run begins in ``order`` (the ``reduceat`` indices)."""
    subjects: list[str]
    """The subject of each run, in first-appearance order (the shipped tie order)."""

    @classmethod
    def of(cls, subjects: list[str]) -> SubjectLayout:
        first: dict[str, int] = {}
        codes = np.fromiter(
            (first.setdefault(s, len(first)) for s in subjects), dtype=np.intp, count=len(subjects)
        )
        order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(first))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return cls(order=order, starts=starts, subjects=list(first))


def fast_identify(
    matrix: npt.NDArray[np.float32],
    layout: SubjectLayout,
    contract: EmbeddingContract,
    probe: Embedding,
    thresholds: Thresholds,
    *,
    top: int = 3,
) -> IdentifyResult:
    """``TemplateIndex.identify`` without the per-row Python loop.

    Same result as the shipped loop: each subject's best similarity is the max over its
    rows (``reduceat`` over the rows gathered in subject order); ranking is by similarity,
    ties broken by the subject's first appearance (what the shipped stable sort of an
    insertion-ordered dict does). The similarities are computed on the unsorted matrix and
    then gathered, so every value is bit-identical to the shipped path.
    """
    require_same_contract(contract, [probe])
    if matrix.shape[0] == 0:
        return IdentifyResult(None, -1.0, thresholds.accept, MatchDecision.REJECT, ())
    similarities = matrix @ probe.vector
    best = np.maximum.reduceat(similarities[layout.order], layout.starts)
    k = min(top, best.size)
    if k < best.size:
        # candidates: every subject scoring at least the k-th best (keeps ties at the edge)
        kth = np.partition(best, best.size - k)[best.size - k]
        picked = np.flatnonzero(best >= kth)
    else:
        picked = np.arange(best.size)
    # by similarity descending, then first appearance ascending
    ranked = picked[np.lexsort((picked, -best[picked].astype(np.float64)))][:k]
    candidates = tuple(Candidate(layout.subjects[i], float(best[i])) for i in ranked)
    best_subject, value = candidates[0].subject_id, candidates[0].similarity
    decision = thresholds.decide(value)
    return IdentifyResult(
        subject_id=best_subject if decision is not MatchDecision.REJECT else None,
        similarity=value,
        threshold=thresholds.accept,
        decision=decision,
        candidates=candidates,
    )


def unit_rows(rng: np.random.Generator, n: int, dim: int) -> npt.NDArray[np.float32]:
    rows = rng.standard_normal((n, dim), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def gallery(rng: np.random.Generator, subjects: int) -> tuple[list[str], npt.NDArray[np.float32]]:
    per_subject = rng.integers(1, 4, size=subjects)  # 1–3 templates each
    names = [f"s{i:06d}" for i, n in enumerate(per_subject) for _ in range(n)]
    # interleave subjects a little, as enrolment over time would (not one sorted block)
    shuffle = rng.permutation(len(names))
    names = [names[i] for i in shuffle]
    return names, unit_rows(rng, len(names), CONTRACT.dim)


def timed(
    fn: Callable[[Embedding], object], probes: list[Embedding]
) -> tuple[list[float], list[object]]:
    times: list[float] = []
    results: list[object] = []
    fn(probes[0])  # warm-up (builds caches)
    for probe in probes:
        started = time.perf_counter()
        results.append(fn(probe))
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def run(size: int, probes_n: int, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    names, rows = gallery(rng, size)
    started = time.perf_counter()
    index = TemplateIndex(CONTRACT)
    for name, row in zip(names, rows, strict=True):
        index.add(name, Embedding(row, CONTRACT))
    add_s = time.perf_counter() - started
    matrix = rows  # same values as the index's stacked matrix, for the raw/fast paths
    started = time.perf_counter()
    layout = SubjectLayout.of(names)
    layout_s = time.perf_counter() - started

    picks = rng.integers(0, len(names), size=probes_n)
    probes = []
    for i, row in enumerate(rows[picks]):
        noise = rng.standard_normal(CONTRACT.dim).astype(np.float32) * 0.04
        vector = row + noise if i % 5 else unit_rows(rng, 1, CONTRACT.dim)[0]  # 1 in 5: stranger
        probes.append(Embedding((vector / np.linalg.norm(vector)).astype(np.float32), CONTRACT))

    started = time.perf_counter()
    index.identify(probes[0], THRESHOLDS)  # first call stacks the matrix
    first_s = time.perf_counter() - started

    shipped_ms, shipped = timed(lambda p: index.identify(p, THRESHOLDS), probes)
    fast_ms, fast = timed(lambda p: fast_identify(matrix, layout, CONTRACT, p, THRESHOLDS), probes)
    raw_ms, _ = timed(lambda p: matrix @ p.vector, probes)
    mismatches = sum(a != b for a, b in zip(shipped, fast, strict=True))
    accepted = sum(
        isinstance(r, IdentifyResult) and r.decision is MatchDecision.ACCEPT for r in shipped
    )

    matrix_mb = matrix.nbytes / 2**20
    row_list_mb = sum(r.nbytes for r in index._rows) / 2**20  # kept beside the matrix
    result: dict[str, object] = {
        "subjects": size,
        "templates": len(names),
        "matrix_mb": round(matrix_mb, 1),
        "index_rows_list_mb": round(row_list_mb, 1),
        "add_s": round(add_s, 2),
        "first_identify_s": round(first_s, 3),
        "layout_build_ms": round(layout_s * 1000, 1),
        "probes": probes_n,
        "accepted": accepted,
        "mismatches_fast_vs_index": mismatches,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }
    for label, values in (("index", shipped_ms), ("fast", fast_ms), ("matmul", raw_ms)):
        result[f"{label}_p50_ms"] = round(statistics.median(values), 3)
        result[f"{label}_p95_ms"] = round(float(np.percentile(values, 95)), 3)
    result["speedup_fast_vs_index"] = round(
        statistics.median(shipped_ms) / statistics.median(fast_ms), 1
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--probes", type=int, default=50)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [run(size, args.probes, args.seed) for size in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    header = [
        "subjects",
        "templates",
        "matrix MB",
        "index p50",
        "index p95",
        "fast p50",
        "fast p95",
        "matmul p50",
        "matmul p95",
        "x",
        "mismatch",
        "load",
    ]
    print(" | ".join(header))
    for r in rows:
        print(
            f"{r['subjects']} | {r['templates']} | {r['matrix_mb']} | {r['index_p50_ms']} | "
            f"{r['index_p95_ms']} | {r['fast_p50_ms']} | {r['fast_p95_ms']} | "
            f"{r['matmul_p50_ms']} | {r['matmul_p95_ms']} | {r['speedup_fast_vs_index']} | "
            f"{r['mismatches_fast_vs_index']} | {r['loadavg_1m']}"
        )


if __name__ == "__main__":
    main()
