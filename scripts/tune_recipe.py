"""Compare FaceNet crop/augmentation recipes on the dev faces (one-off tuning tool).

    .venv/bin/python scripts/tune_recipe.py [--cache .cache/tune]

Detects every dev image once, embeds each crop variant once (and its mirror), then scores
pairs.csv (10-fold accuracy), pairs_far.csv (TAR at FAR 1e-3) and the official View 2
folds 8-10. The centring vector is cross-fitted: fitted on one half of the identities and
applied to pairs of the other half, so no pair is scored with a mean that saw its people.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from hadir.face import metrics
from hadir.face.align import crop_with_margin, scaled_template, similarity_align
from hadir.face.assets import mtcnn_files
from hadir.face.embedder import l2_normalise
from hadir.face.facenet import FaceNetEmbedder
from hadir.face.intake import decode_image
from hadir.face.mtcnn import MtcnnDetector, adaptive_min_face_size
from hadir.face.pipeline import central_detection
from hadir.face.types import Detection, Image
from hadir.offline.evaluation import pick_face
from hadir.offline.tf_convert import ensure_facenet_onnx

FACES = Path(os.environ.get("HADIR_FACES_DIR", "../shared/data/faces-dev"))


def all_images() -> list[str]:
    return sorted(str(p.relative_to(FACES)) for p in FACES.glob("*/*.jpg"))


def detect_all(names: list[str], cache: Path) -> list[Detection]:
    path = cache / "detections.npz"
    if path.exists():
        data = np.load(path)
        return [
            Detection(tuple(b), float(s), lm)
            for b, s, lm in zip(data["box"], data["score"], data["lm"], strict=True)
        ]
    detector = MtcnnDetector(mtcnn_files(), threads=2)
    out: list[Detection] = []
    for name in names:
        image = decode_image((FACES / name).read_bytes())
        found = detector.detect(image, min_face_size=adaptive_min_face_size(*image.shape[:2]))
        if not found:
            found = detector.detect(image, min_face_size=20)
        out.append(pick_face(image, found) if found else central_detection(image))
    np.savez(
        path,
        box=np.array([d.box for d in out]),
        score=np.array([d.score for d in out]),
        lm=np.stack([d.landmarks for d in out]),
    )
    return out


Cropper = Callable[[Image, Detection], Image]


def variants() -> dict[str, Cropper]:
    v: dict[str, Cropper] = {}
    for m in (0.2, 0.25, 0.3, 0.4):
        v[f"margin{m:.2f}"] = lambda im, d, m=m: crop_with_margin(im, d, size=160, margin=m)
    for z in (0.75, 0.85):
        t = scaled_template(160, zoom=z)
        v[f"align{z:.2f}"] = lambda im, d, t=t: similarity_align(
            im, d.landmarks, size=160, template=t
        )
    return v


def embed_variant(
    name: str,
    crop: Cropper,
    names: list[str],
    dets: list[Detection],
    embedder: FaceNetEmbedder,
    cache: Path,
) -> tuple[np.ndarray, np.ndarray]:
    path = cache / f"emb-{name}.npz"
    if path.exists():
        data = np.load(path)
        return data["plain"], data["flip"]
    crops = [
        crop(decode_image((FACES / n).read_bytes()), d) for n, d in zip(names, dets, strict=True)
    ]
    started = time.perf_counter()
    plain = embedder.raw(crops)
    flip = embedder.raw([np.ascontiguousarray(c[:, ::-1]) for c in crops])
    print(f"  embedded {name}: {2 * len(crops) / (time.perf_counter() - started):.1f} crops/s")
    np.savez(path, plain=plain, flip=flip)
    return plain, flip


def read_pairs(file: str, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(csv.DictReader((FACES / file).open()))
    left = np.array([index[r["left"]] for r in rows])
    right = np.array([index[r["right"]] for r in rows])
    same = np.array([r["same"] == "1" for r in rows])
    return left, right, same


def half_of(identity: str) -> int:
    return hashlib.sha256(identity.encode()).digest()[0] & 1


def identity_mean(vectors: np.ndarray, ids: list[str], keep: np.ndarray) -> np.ndarray:
    groups: dict[str, list[int]] = {}
    for i, ident in enumerate(ids):
        if keep[i]:
            groups.setdefault(ident, []).append(i)
    means = np.stack([vectors[idx].mean(axis=0) for idx in groups.values()])
    return means.mean(axis=0)


def centred_scores(
    vectors: np.ndarray, ids: list[str], left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    halves = np.array([half_of(i) for i in ids])
    scores = np.zeros(left.size)
    for h in (0, 1):
        mean = identity_mean(vectors, ids, halves != h)
        centred = l2_normalise(vectors - mean)
        sel = (halves[left] == h) | (
            halves[right] == h
        )  # pair touches half h: use other half's mean
        scores[sel] = np.einsum("ij,ij->i", centred[left[sel]], centred[right[sel]])
    return scores


def report(
    label: str, vectors: np.ndarray, ids: list[str], sets: dict[str, tuple], centre: bool
) -> None:
    cells = []
    for file, (left, right, same) in sets.items():
        if centre:
            s = centred_scores(vectors, ids, left, right)
        else:
            s = np.einsum("ij,ij->i", vectors[left], vectors[right])
        if file == "pairs_far.csv":
            cells.append(f"TAR@1e-3 {metrics.tar_at_far(s, same, 1e-3):.4f}")
            cells.append(f"EER {metrics.eer(s, same)[0]:.4f}")
        else:
            cells.append(f"{file.split('.')[0]} {metrics.kfold_accuracy(s, same).mean:.4f}")
    print(f"{label:32s} " + "  ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path(".cache/tune"))
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    names = all_images()
    ids = [n.split("/")[0] for n in names]
    index = {n: i for i, n in enumerate(names)}
    dets = detect_all(names, args.cache)
    print(f"{len(names)} images, {sum(d.score == 0 for d in dets)} without detection")
    converted = ensure_facenet_onnx(Path(os.environ.get("HADIR_DATA_DIR", "var")) / "models")
    embedder = FaceNetEmbedder(converted.path, source_sha256=converted.source_sha256, threads=2)
    sets = {
        f: read_pairs(f, index) for f in ("pairs.csv", "pairs_official_view2.csv", "pairs_far.csv")
    }
    for name, crop in variants().items():
        plain, flip = embed_variant(name, crop, names, dets, embedder, args.cache)
        summed = l2_normalise(plain + flip)
        concat = l2_normalise(np.concatenate([plain, flip], axis=1))
        for label, vec in (("plain", plain), ("flipsum", summed), ("flipcat", concat)):
            for centre in (False, True):
                report(f"{name}/{label}{'/centre' if centre else ''}", vec, ids, sets, centre)


if __name__ == "__main__":
    main()
