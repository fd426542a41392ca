"""Near-duplicate replay on dev pairs (issue 13, finding 6).

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python bench/replay.py [--pairs 200]

For the first ``--pairs`` same-person pairs of ``pairs_far.csv`` (the engine must find a
face in both): the cosine of the default engine's embeddings and the Hamming distance of
the 64-bit pHash of the aligned face (the nearer of it and its mirror) between

- the two different genuine photos (what must NOT be flagged), and
- the left photo and each edit of it: mirrored, cropped by 10-20 px, rotated 8 degrees,
  a 24-px white border, re-encoded at JPEG quality 50 (what must be flagged).

Prints, per threshold, the false-replay rate on genuine pairs and the catch rate per edit.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
from pathlib import Path

import cv2
import numpy as np
from PIL import Image as PilImage

from hadir.bootstrap import build_face_engine
from hadir.domain.errors import HadirError
from hadir.face.align import scaled_template, similarity_align
from hadir.face.intake import decode_image
from hadir.face.phash import hamming, phash
from hadir.settings import Settings

Row = tuple[float, int]


def _jpeg(image: np.ndarray, quality: int) -> bytes:
    out = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(image)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _edits(image: np.ndarray, rng: np.random.Generator) -> dict[str, bytes]:
    h, w = image.shape[:2]
    c = int(rng.integers(10, 21))
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 1.0)
    white = (255, 255, 255)
    return {
        "mirror": _jpeg(image[:, ::-1], 90),
        "crop": _jpeg(image[c : h - c, c : w - c], 90),
        "rotate8": _jpeg(cv2.warpAffine(image, rotation, (w, h), borderMode=4), 90),
        "border": _jpeg(cv2.copyMakeBorder(image, 24, 24, 24, 24, 0, value=white), 90),
        "reencode": _jpeg(image, 50),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    args = parser.parse_args()
    faces = Path(os.environ["HADIR_FACES_DIR"])
    engine = build_face_engine(Settings())

    def fingerprint(data: bytes) -> tuple[np.ndarray, str, str]:
        analysis = engine.analyse(data)
        image = decode_image(data)
        template = scaled_template(128, zoom=0.8)
        aligned = similarity_align(image, analysis.detection.landmarks, size=128, template=template)
        return analysis.embedding.vector, phash(aligned), phash(aligned[:, ::-1].copy())

    def compare(a: tuple[np.ndarray, str, str], b: tuple[np.ndarray, str, str]) -> Row:
        return float(a[0] @ b[0]), min(hamming(a[1], b[1]), hamming(a[2], b[1]))

    rng = np.random.default_rng(0)
    with (faces / "pairs_far.csv").open() as handle:
        pairs = [r for r in csv.DictReader(handle) if r["same"] == "1"][: args.pairs]
    rows: dict[str, list[Row]] = {"genuine": []}
    for pair in pairs:
        try:
            left_bytes = (faces / pair["left"]).read_bytes()
            left = fingerprint(left_bytes)
            right = fingerprint((faces / pair["right"]).read_bytes())
        except HadirError:
            continue
        rows["genuine"].append(compare(left, right))
        for kind, data in _edits(decode_image(left_bytes), rng).items():
            with contextlib.suppress(HadirError):
                rows.setdefault(kind, []).append(compare(left, fingerprint(data)))
    genuine = rows.pop("genuine")
    print(f"genuine pairs: {len(genuine)}; max cosine {max(c for c, _ in genuine):.3f}")
    print("| rule | false replay (genuine) | " + " | ".join(rows) + " |")
    print("|---" * (2 + len(rows)) + "|")
    for t in (0.92, 0.94, 0.96):
        rates = [np.mean([c >= t for c, _ in v]) for v in rows.values()]
        false = np.mean([c >= t for c, _ in genuine])
        cells = " | ".join(f"{r:.3f}" for r in rates)
        print(f"| cosine >= {t} | {false:.3f} | {cells} |")
    for d in (6, 8, 10):
        rates = [np.mean([h <= d for _, h in v]) for v in rows.values()]
        false = np.mean([h <= d for _, h in genuine])
        print(
            f"| face pHash <= {d} | {false:.3f} | " + " | ".join(f"{r:.3f}" for r in rates) + " |"
        )


if __name__ == "__main__":
    main()
