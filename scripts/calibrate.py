"""Fit the shipped centring vector and the decision thresholds on the dev faces.

    .venv/bin/python scripts/calibrate.py

1. Embeds every dev image once with the product recipe (without centring).
2. Centre: the mean of per-identity mean embeddings (each person weighs the same), saved
   to ``src/hadir/face/data/facenet_centre.npy``.
3. Thresholds: every cross-identity pair of dev images is an impostor pair (≈ 8.8 M pairs,
   enough to read FAR down to 1e-6). The centre used to score them is cross-fitted (fitted
   on the other half of the identities), as it will be for the unseen people of a real
   office. accept = FAR 1e-3, review = FAR 1e-2. Written to ``calibration.json`` under the
   recipe's preprocessing tag, with TAR on the genuine pairs of ``pairs_far.csv``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hadir.bootstrap import build_detector
from hadir.face import metrics
from hadir.face.calibration import load_centre
from hadir.face.embedder import l2_normalise
from hadir.face.facenet import FaceNetEmbedder, FaceNetRecipe
from hadir.face.tf_convert import ensure_facenet_onnx
from hadir.services.evaluation import EmbeddingTable
from hadir.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "src" / "hadir" / "face" / "data"
FARS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
F32 = npt.NDArray[np.float32]


def identity_centre(vectors: F32, ids: list[str], keep: npt.NDArray[np.bool_]) -> F32:
    groups: dict[str, list[int]] = {}
    for i, ident in enumerate(ids):
        if keep[i]:
            groups.setdefault(ident, []).append(i)
    means = np.stack([vectors[idx].mean(axis=0) for idx in groups.values()])
    centre: F32 = means.mean(axis=0).astype(np.float32)
    return centre


def impostor_scores(vectors: F32, ids: list[str]) -> npt.NDArray[np.float64]:
    """Scores of all cross-identity pairs within each half, centred with the other half."""
    halves = np.array([hashlib.sha256(i.encode()).digest()[0] & 1 for i in ids])
    codes = np.unique(np.array(ids), return_inverse=True)[1]
    out = []
    for h in (0, 1):
        centre = identity_centre(vectors, ids, halves != h)
        sel = np.flatnonzero(halves == h)
        v = l2_normalise(vectors[sel] - centre)
        sims = v @ v.T
        upper = np.triu(np.ones(sims.shape, dtype=bool), k=1)
        different = codes[sel][:, None] != codes[sel][None, :]
        out.append(sims[upper & different].astype(np.float64))
    return np.concatenate(out)


def main() -> None:
    settings = Settings()
    faces = settings.faces_dir
    names = sorted(str(p.relative_to(faces)) for p in faces.glob("*/*.jpg"))
    ids = [n.split("/")[0] for n in names]
    converted = ensure_facenet_onnx(settings.model_cache_dir)
    plain = FaceNetRecipe(flip=settings.flip_tta, centre=None)
    embedder = FaceNetEmbedder(
        converted.path, source_sha256=converted.source_sha256, recipe=plain, threads=2
    )
    table = EmbeddingTable(build_detector(settings), embedder)
    vectors, outcomes = table.build(faces, names)
    print(f"{len(names)} images; handling: {sorted({o.handling for o in outcomes})}")

    centre = identity_centre(vectors, ids, np.ones(len(ids), dtype=bool))
    np.save(DATA / "facenet_centre.npy", centre)
    tag = FaceNetRecipe(flip=settings.flip_tta, centre=load_centre()).tag()

    impostors = impostor_scores(vectors, ids)
    print(f"{impostors.size} impostor pairs")
    ranked = np.sort(impostors)[::-1]
    thresholds = {f"{far:g}": float(ranked[int(far * ranked.size)]) for far in FARS}

    index = {n: i for i, n in enumerate(names)}
    rows = [r for r in csv.DictReader((faces / "pairs_far.csv").open()) if r["same"] == "1"]
    centred = l2_normalise(vectors - centre)
    genuine = np.array(
        [float(centred[index[r["left"]]] @ centred[index[r["right"]]]) for r in rows]
    )
    table_rows = {}
    for far, t in thresholds.items():
        table_rows[far] = {"threshold": round(t, 5), "tar": round(float(np.mean(genuine >= t)), 4)}
        print(f"FAR {far:>6}: threshold {t:.4f}  TAR {np.mean(genuine >= t):.4f}")
    scores = np.concatenate([genuine, impostors])
    same = np.r_[np.ones(genuine.size, bool), np.zeros(impostors.size, bool)]
    print(f"EER {metrics.eer(scores, same)[0]:.4f}")

    path = DATA / "calibration.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing[tag] = {
        "accept": round(thresholds["0.001"], 5),
        "review": round(thresholds["0.01"], 5),
        "target_far": 1e-3,
        "thresholds_at_far": {k: round(v, 5) for k, v in thresholds.items()},
        "tar_at_far": {k: v["tar"] for k, v in table_rows.items()},
        "impostor_pairs": int(impostors.size),
        "genuine_pairs": int(genuine.size),
        "source": "scripts/calibrate.py on faces-dev (cross-fitted centre)",
        "faces_dir_images": len(names),
    }
    path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
    print(f"wrote {path} [{tag}]")


if __name__ == "__main__":
    main()
