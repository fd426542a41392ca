"""What the liveness check costs on top of the face analysis of its frames.

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python bench/liveness.py \
        [--people 30] [--repeat 3] [--json]

For the genuine head-turn sequences of the first ``--people`` dev people with enough
poses (the sequences of ``hadir liveness-eval``: 3-4 real photos of the person), each
burst is timed ``--repeat`` times, interleaved, in one process:

* **analysis**: every frame through :func:`hadir.services.liveness.observe` (decode,
  MTCNN, quality gates, FaceNet, the aligned grey faces), what a live check does per
  frame, the peer in this run;
* **judge**: :func:`hadir.face.liveness.judge` on the burst's observations (landmark
  geometry, then the texture change over :func:`hadir.face.liveness.texture_pairs`: 3
  pairs when the most frontal frame is the middle of the turn, up to 5 otherwise).

It prints the medians per burst, the judge's share of the whole check, and the
judge's median by the number of pairs compared; the ratio is the figure to read (the
load average is printed too).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path

from hadir.bootstrap import build_face_engine
from hadir.domain.errors import HadirError
from hadir.face.liveness import FrameObservation, judge, texture_pairs
from hadir.offline.liveness_eval import build_attempts, load_photos
from hadir.services.liveness import observe
from hadir.settings import Settings


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = build_face_engine(Settings())
    photos = load_photos(engine, Path(os.environ["HADIR_FACES_DIR"]), people=args.people)
    attempts, _ = build_attempts(photos)
    bursts = [a for a in attempts if a.kind == "genuine_turn"]
    analysis: list[float] = []
    judged: list[float] = []
    by_pairs: defaultdict[int, list[float]] = defaultdict(list)
    for _ in range(args.repeat):
        for burst in bursts:
            start = time.perf_counter()
            try:
                frames: list[FrameObservation] = [observe(engine, f)[1] for f in burst.frames]
            except HadirError:
                continue
            analysis.append(_ms(start))
            start = time.perf_counter()
            verdict = judge(burst.action, frames)
            judged.append(_ms(start))
            if verdict.measures is not None:
                by_pairs[len(texture_pairs(verdict.measures.yaw))].append(judged[-1])
    if not judged:
        raise SystemExit("no burst could be analysed")
    result = {
        "bursts": len(bursts),
        "timed": len(judged),
        "frames_per_burst": statistics.median(len(b.frames) for b in bursts),
        "analysis_ms_median": round(statistics.median(analysis), 1),
        "judge_ms_median": round(statistics.median(judged), 1),
        "judge_share_of_check": round(
            statistics.median(j / (a + j) for a, j in zip(analysis, judged, strict=True)), 3
        ),
        "judge_ms_median_by_pairs": {
            str(n): round(statistics.median(v), 1) for n, v in sorted(by_pairs.items())
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
