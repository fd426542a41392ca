"""Measure the face-quality figures over the dev faces and check the default gates.

Usage (from the repository root):

    PYTHONPATH=src .venv/bin/python scripts/measure_quality.py [--degrade] [--step N]

Prints, as Markdown, the percentiles of every figure of ``hadir.face.quality`` over the
dev photos (``HADIR_FACES_DIR``, default ``/work/shared/data/faces-dev``), how many photos
the default :class:`~hadir.face.quality.QualityThresholds` let through and, with
``--degrade``, how often each gate fires on synthetic degradations of the same photos.
Each photo's face is the detection nearest the image centre (LFW photos often show
other people at the edges). Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from hadir.domain.errors import FaceQualityError
from hadir.face.assets import mtcnn_files
from hadir.face.intake import decode_image, encode_jpeg
from hadir.face.mtcnn import MtcnnDetector
from hadir.face.quality import QualityThresholds, check_quality, measure_quality
from hadir.face.types import Detection, Image, QualityReport

PERCENTILES = (0.1, 1.0, 5.0, 50.0, 95.0, 99.0, 99.9)
FIGURES: dict[str, Callable[[QualityReport], float]] = {
    "face_size_px": lambda r: r.face_size_px,
    "sharpness": lambda r: r.sharpness,
    "brightness (mean luma)": lambda r: r.brightness,
    "shadow (p5 luma)": lambda r: r.shadow,
    "highlight (p95 luma)": lambda r: r.highlight,
    "yaw (deg)": lambda r: r.yaw,
    "abs(yaw) (deg)": lambda r: abs(r.yaw),
    "roll (deg)": lambda r: r.roll,
    "detection_score": lambda r: r.detection_score,
}


def _scaled(image: Image, gain: float, offset: float = 0.0) -> Image:
    values = image.astype(np.float32) * gain + offset
    clipped: Image = np.clip(np.rint(values), 0, 255).astype(np.uint8)
    return clipped


def _blurred(image: Image, sigma: float) -> Image:
    return np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), dtype=np.uint8)


def _shrunk(image: Image, side: int) -> Image:
    return np.asarray(cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA))


@dataclass(frozen=True)
class Degradation:
    name: str
    expected: frozenset[str]
    """Outcomes counted as right: the gate that should fire, or "pass" for usable photos."""
    apply: Callable[[Image], Image]


def _expect(*codes: str) -> frozenset[str]:
    return frozenset(codes)


DEGRADATIONS = (
    Degradation("GaussianBlur sigma 3", _expect("face_blurry"), lambda im: _blurred(im, 3.0)),
    Degradation("GaussianBlur sigma 4", _expect("face_blurry"), lambda im: _blurred(im, 4.0)),
    Degradation("GaussianBlur sigma 6", _expect("face_blurry"), lambda im: _blurred(im, 6.0)),
    Degradation("image * 0.15", _expect("face_too_dark"), lambda im: _scaled(im, 0.15)),
    Degradation(
        "image * 0.2 + 200", _expect("face_too_bright"), lambda im: _scaled(im, 0.2, 200.0)
    ),
    Degradation("image * 0.4 (dim)", _expect("pass"), lambda im: _scaled(im, 0.4)),
    Degradation("JPEG quality 15", _expect("pass"), lambda im: _jpeg(im, 15)),
    Degradation(
        "shrunk to 130 px (faces 28-80 px, median 48)",
        _expect("pass", "face_too_small"),
        lambda im: _shrunk(im, 130),
    ),
)


def _jpeg(image: Image, quality: int) -> Image:
    return decode_image(encode_jpeg(image, quality=quality))


def central_face(image: Image, detections: Sequence[Detection]) -> Detection | None:
    """The detection whose box centre is nearest the image centre."""
    if not detections:
        return None
    height, width = image.shape[:2]

    def distance(detection: Detection) -> float:
        x1, y1, x2, y2 = detection.box
        return float(np.hypot((x1 + x2) / 2 - width / 2, (y1 + y2) / 2 - height / 2))

    return min(detections, key=distance)


def outcome(report: QualityReport, thresholds: QualityThresholds) -> str:
    """``"pass"`` or the code of the first gate that fails."""
    try:
        check_quality(report, thresholds)
    except FaceQualityError as error:
        return error.code.value
    return "pass"


def percentile_table(reports: Sequence[QualityReport]) -> str:
    header = "| figure | " + " | ".join(f"p{p:g}" for p in PERCENTILES) + " |"
    rule = "| --- |" + " ---: |" * len(PERCENTILES)
    rows = [header, rule]
    for name, figure in FIGURES.items():
        values = np.array([figure(report) for report in reports], dtype=np.float64)
        cells = " | ".join(f"{v:.3g}" if abs(v) < 1 else f"{v:.1f}" for v in _pct(values))
        rows.append(f"| {name} | {cells} |")
    return "\n".join(rows)


def _pct(values: np.ndarray) -> Iterable[float]:
    return (float(v) for v in np.percentile(values, PERCENTILES))


def _tally(counts: Counter[str], total: int) -> str:
    parts = [f"{code} {n} ({100 * n / total:.2f} %)" for code, n in counts.most_common()]
    return ", ".join(parts)


def run(faces_dir: Path, step: int, degrade: bool, min_face_size: int) -> None:
    files = sorted(faces_dir.glob("*/*.jpg"))[::step]
    if not files:
        sys.exit(f"no photos under {faces_dir}")
    detector = MtcnnDetector(mtcnn_files(), threads=1)
    thresholds = QualityThresholds()
    reports: list[QualityReport] = []
    outcomes: Counter[str] = Counter()
    degraded: dict[str, Counter[str]] = {d.name: Counter() for d in DEGRADATIONS}
    same_box: dict[str, Counter[str]] = {d.name: Counter() for d in DEGRADATIONS}
    started = time.perf_counter()
    for path in files:
        image = decode_image(path.read_bytes())
        face = central_face(image, detector.detect(image, min_face_size=min_face_size))
        if face is None:
            outcomes["no_face"] += 1
            continue
        report = measure_quality(image, face)
        reports.append(report)
        outcomes[outcome(report, thresholds)] += 1
        if not degrade:
            continue
        for degradation in DEGRADATIONS:
            worse = degradation.apply(image)
            box = face.scaled(worse.shape[0] / image.shape[0])
            same_box[degradation.name][outcome(measure_quality(worse, box), thresholds)] += 1
            found = central_face(worse, detector.detect(worse, min_face_size=min_face_size))
            redetected = (
                "no_face" if found is None else outcome(measure_quality(worse, found), thresholds)
            )
            degraded[degradation.name][redetected] += 1
    elapsed = time.perf_counter() - started

    print(f"## Quality figures over {len(files)} dev photos ({faces_dir})\n")
    print(f"{len(reports)} with a face (detector min_face_size={min_face_size}); {elapsed:.0f} s\n")
    print(percentile_table(reports))
    print(f"\nDefault thresholds: {thresholds}\n")
    passed = outcomes["pass"]
    print(f"Pass all gates: {passed} / {len(files)} = {100 * passed / len(files):.2f} %")
    print(f"Outcomes: {_tally(outcomes, len(files))}")
    if degrade:
        print(_degradation_table("face re-detected on the degraded photo", degraded))
        print(_degradation_table("the original photo's face box", same_box))


def _degradation_table(title: str, results: dict[str, Counter[str]]) -> str:
    rows = [
        f"\n## Synthetic degradations, measured on {title}\n",
        "| degradation | expected | as expected | outcomes |",
        "| --- | --- | ---: | --- |",
    ]
    for degradation in DEGRADATIONS:
        counts = results[degradation.name]
        total = max(1, sum(counts.values()))
        hit = sum(counts[code] for code in degradation.expected)
        expected = " or ".join(sorted(degradation.expected))
        rows.append(
            f"| {degradation.name} | {expected} | {100 * hit / total:.2f} % "
            f"| {_tally(counts, total)} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--faces-dir",
        type=Path,
        default=Path(os.environ.get("HADIR_FACES_DIR", "/work/shared/data/faces-dev")),
    )
    parser.add_argument("--step", type=int, default=1, help="measure every Nth photo")
    parser.add_argument("--degrade", action="store_true", help="also test degradations")
    parser.add_argument("--min-face-size", type=int, default=20)
    args = parser.parse_args(argv)
    run(args.faces_dir, max(1, args.step), args.degrade, args.min_face_size)


if __name__ == "__main__":
    main()
