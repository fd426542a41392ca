"""Near-duplicate replay on dev faces (issue 13, finding 6).

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python bench/replay.py \
        [--pairs 200] [--people 40]

Two questions, with the default engine on real dev photos:

1. **Edited copies are caught.** For the first ``--pairs`` same-person pairs of
   ``pairs_far.csv`` (the engine must find a face in both), the left photo and each edit
   of it: mirrored, cropped by 10-20 px, rescaled to 70 %, re-encoded at JPEG quality 40,
   brightened by 40 grey levels, rotated 8 degrees, a 24-px white border.
2. **Different genuine photos are not.** The right photo against the left one (what must
   NOT be flagged), and, as an employee with many earlier check-ins, every photo of the
   ``--people`` dev people with the most photos (at most 60 each) against all their
   other photos: the share of photos that would be refused because ONE of the others is
   within the threshold.

For each rule (cosine of the embeddings, as against enrolment templates; Hamming
distance of the aligned-face fingerprint :mod:`hadir.face.fingerprint`, as against
earlier check-ins) it prints the false-refusal rates and the catch rate per edit.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image as PilImage

from hadir.bootstrap import build_face_engine
from hadir.domain.errors import HadirError
from hadir.face.fingerprint import FaceFingerprint, face_fingerprint
from hadir.face.intake import decode_image
from hadir.settings import Settings

Seen = tuple[np.ndarray, FaceFingerprint]
Row = tuple[float, int]
COSINES = (0.92, 0.94, 0.96)
DISTANCES = (4, 6, 8, 10)


def _jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    out = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(image)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _edits(image: np.ndarray, rng: np.random.Generator) -> dict[str, bytes]:
    h, w = image.shape[:2]
    c = int(rng.integers(10, 21))
    rotation = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 1.0)
    white = (255, 255, 255)
    small = cv2.resize(image, (int(w * 0.7), int(h * 0.7)), interpolation=cv2.INTER_AREA)
    bright = np.clip(image.astype(np.int16) + 40, 0, 255).astype(np.uint8)
    return {
        "mirror": _jpeg(image[:, ::-1]),
        "crop": _jpeg(image[c : h - c, c : w - c]),
        "rescale70": _jpeg(small),
        "jpeg40": _jpeg(image, 40),
        "bright40": _jpeg(bright),
        "rotate8": _jpeg(cv2.warpAffine(image, rotation, (w, h), borderMode=4)),
        "border": _jpeg(cv2.copyMakeBorder(image, 24, 24, 24, 24, 0, value=white)),
    }


def _compare(a: Seen, b: Seen) -> Row:
    return float(a[0] @ b[0]), b[1].distance(a[1].value)


def _rate(values: list[bool]) -> str:
    return f"{np.mean(values):.3f} ({sum(values)}/{len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()
    faces = Path(os.environ["HADIR_FACES_DIR"])
    engine = build_face_engine(Settings())

    def seen(data: bytes) -> Seen:
        analysis = engine.analyse(data)
        image = decode_image(data)
        return analysis.embedding.vector, face_fingerprint(image, analysis.detection.landmarks)

    rng = np.random.default_rng(0)
    with (faces / "pairs_far.csv").open() as handle:
        pairs = [r for r in csv.DictReader(handle) if r["same"] == "1"][: args.pairs]
    rows: dict[str, list[Row]] = {"genuine": []}
    for pair in pairs:
        try:
            left_bytes = (faces / pair["left"]).read_bytes()
            left = seen(left_bytes)
            right = seen((faces / pair["right"]).read_bytes())
        except HadirError:
            continue
        rows["genuine"].append(_compare(left, right))
        for kind, data in _edits(decode_image(left_bytes), rng).items():
            with contextlib.suppress(HadirError):
                rows.setdefault(kind, []).append(_compare(left, seen(data)))
    genuine = rows.pop("genuine")

    # many earlier check-ins: each photo against all the person's other photos
    folders = sorted(
        (p for p in faces.iterdir() if p.is_dir()), key=lambda p: -len(list(p.glob("*.jpg")))
    )[: args.people]
    nearest: list[Row] = []  # per photo: the highest cosine and the smallest distance
    for folder in folders:
        found = []
        for path in sorted(folder.glob("*.jpg"))[:60]:
            with contextlib.suppress(HadirError):
                found.append(seen(path.read_bytes()))
        for i, probe in enumerate(found):
            others = [_compare(o, probe) for j, o in enumerate(found) if j != i]
            if others:
                nearest.append((max(c for c, _ in others), min(d for _, d in others)))

    print(
        f"edits of {len(genuine)} pairs; {len(nearest)} photos of {len(folders)} people "
        "each against their other photos"
    )
    print("| rule | false (one pair) | false (vs all others) | " + " | ".join(rows) + " |")
    print("|---" * (3 + len(rows)) + "|")
    rules: list[tuple[str, Callable[[Row], bool]]] = [
        *((f"cosine >= {t}", lambda r, t=t: r[0] >= t) for t in COSINES),
        *((f"face fingerprint <= {d} bits", lambda r, d=d: r[1] <= d) for d in DISTANCES),
    ]
    for name, flagged in rules:
        cells = [_rate([flagged(r) for r in genuine]), _rate([flagged(r) for r in nearest])]
        cells += [_rate([flagged(r) for r in v]) for v in rows.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
