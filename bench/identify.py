"""1:N identification at 1k, 10k and 100k templates (medians, not test limits).

    .venv/bin/python bench/identify.py [--sizes 1000 10000 100000] [--probes 200] [--json]
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/identify.py ...

A gallery of synthetic subjects with 1–3 templates each (random unit vectors of the
default fused dimension, 640), probes that are noisy copies of enrolled templates
(similarity ≈ 0.6–0.8) and, one in five, strangers. Random isotropic vectors are the
hardest case for the coarse pass (real embeddings put most of their energy in fewer
directions), so its agreement here is a lower bound.

Per size: index build time, matrix memory, and ms per identify for

- ``exact``: every template scored (``matching.EXACT``);
- ``shipped``: ``TemplateIndex`` with its default ``SearchPolicy`` (exact below 20k rows,
  a 128-d principal-direction shortlist of 256 rows above);
- ``matmul``: the raw full ``matrix @ probe``, the floor of the exact search;

and how often the shipped search agrees with the exact one (same decision; for accepted or
review results also the same subject, top similarity and runner-up when it is within 0.05).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from hadir.face.matching import EXACT, IdentifyResult, MatchDecision, TemplateIndex, Thresholds
from hadir.face.types import Embedding, EmbeddingContract

THRESHOLDS = Thresholds(accept=0.45, review=0.35)


def unit_rows(rng: np.random.Generator, n: int, dim: int) -> npt.NDArray[np.float32]:
    rows = rng.standard_normal((n, dim), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def gallery(
    rng: np.random.Generator, templates: int, dim: int
) -> tuple[list[str], npt.NDArray[np.float32]]:
    names: list[str] = []
    subject = 0
    while len(names) < templates:
        names.extend([f"s{subject:06d}"] * int(rng.integers(1, 4)))
        subject += 1
    names = names[:templates]
    shuffle = rng.permutation(len(names))  # enrolment over time interleaves subjects
    return [names[i] for i in shuffle], unit_rows(rng, len(names), dim)


def timed(fn: Callable[[Embedding], object], probes: list[Embedding]) -> tuple[list[float], list]:  # type: ignore[type-arg]
    times: list[float] = []
    results: list[object] = []
    fn(probes[0])
    for probe in probes:
        started = time.perf_counter()
        results.append(fn(probe))
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def agree(a: IdentifyResult, b: IdentifyResult) -> bool:
    """Same decision; when not a rejection also the same subject, similarity and close
    runner-up (a rejected stranger's best impostor may differ: it decides nothing)."""
    if (a.decision, a.subject_id) != (b.decision, b.subject_id):
        return False
    if a.decision is MatchDecision.REJECT:
        return True
    if abs(a.similarity - b.similarity) > 1e-5:
        return False
    close = [c for c in a.candidates[1:2] if a.similarity - c.similarity <= 0.05]
    return all(c.subject_id == b.candidates[1].subject_id for c in close)


def build(
    contract: EmbeddingContract, names: list[str], rows: npt.NDArray[np.float32], exact: bool
) -> tuple[TemplateIndex, float]:
    started = time.perf_counter()
    index = TemplateIndex(contract, EXACT if exact else None)
    for name, row in zip(names, rows, strict=True):
        index.add(name, Embedding(row, contract))
    index.prepare()
    return index, time.perf_counter() - started


def run(size: int, probes_n: int, seed: int, dim: int) -> dict[str, object]:
    contract = EmbeddingContract("bench-synthetic", "0" * 64, "unit-random", dim)
    rng = np.random.default_rng(seed)
    names, rows = gallery(rng, size, dim)
    exact, exact_build_s = build(contract, names, rows, exact=True)
    shipped, shipped_build_s = build(contract, names, rows, exact=False)

    picks = rng.integers(0, len(names), size=probes_n)
    probes = []
    for i, row in enumerate(rows[picks]):
        noise = rng.standard_normal(dim).astype(np.float32) * float(rng.uniform(0.03, 0.05))
        vector = row + noise if i % 5 else unit_rows(rng, 1, dim)[0]
        probes.append(Embedding((vector / np.linalg.norm(vector)).astype(np.float32), contract))

    exact_ms, exact_results = timed(lambda p: exact.identify(p, THRESHOLDS), probes)
    shipped_ms, shipped_results = timed(lambda p: shipped.identify(p, THRESHOLDS), probes)
    raw_ms, _ = timed(lambda p: rows @ p.vector, probes)
    agreed = sum(agree(a, b) for a, b in zip(exact_results, shipped_results, strict=True))
    accepted = sum(r.decision is MatchDecision.ACCEPT for r in exact_results)

    result: dict[str, object] = {
        "templates": size,
        "subjects": len(set(names)),
        "dim": dim,
        "matrix_mb": round(rows.nbytes / 2**20, 1),
        "exact_build_s": round(exact_build_s, 2),
        "shipped_build_s": round(shipped_build_s, 2),
        "probes": probes_n,
        "accepted_exact": accepted,
        "agreement": f"{agreed}/{probes_n}",
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }
    for label, values in (("exact", exact_ms), ("shipped", shipped_ms), ("matmul", raw_ms)):
        result[f"{label}_p50_ms"] = round(statistics.median(values), 3)
        result[f"{label}_p95_ms"] = round(float(np.percentile(values, 95)), 3)
    result["speedup"] = round(statistics.median(exact_ms) / statistics.median(shipped_ms), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--dim", type=int, default=640)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(size, args.probes, args.seed, args.dim) for size in args.sizes]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    keys = [
        "templates",
        "matrix_mb",
        "exact_p50_ms",
        "exact_p95_ms",
        "shipped_p50_ms",
        "shipped_p95_ms",
        "matmul_p50_ms",
        "speedup",
        "agreement",
        "shipped_build_s",
        "loadavg_1m",
    ]
    print(" | ".join(keys))
    for r in results:
        print(" | ".join(str(r[k]) for k in keys))


if __name__ == "__main__":
    main()
