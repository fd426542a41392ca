"""Fit the shipped centring vectors, fusion weights and decision thresholds on the dev faces.

    .venv/bin/python scripts/calibrate.py [--models facenet,sface,facenet+sface] [--cache F]

1. Embeds every dev image once per model with the product recipe (without centring);
   ``--cache`` keeps those vectors in an .npz to re-run the fitting cheaply.
2. Centre (centred models): the mean of per-identity mean embeddings (each person weighs
   the same), saved to ``src/hadir/face/data/<model>_centre.npy`` (left untouched when
   the fitted vector equals the shipped one to 1e-6, so the recipe tag stays stable).
3. Thresholds: every cross-identity pair of dev images is an impostor pair (≈ 4.3 M pairs,
   enough to read FAR down to 1e-6). The centre used to score them is cross-fitted (fitted
   on the other half of the identities), as it will be for the unseen people of a real
   office. accept = FAR 1e-3, review = FAR 1e-2. Written to ``calibration.json`` under the
   set's preprocessing tag, with TAR on the genuine pairs of ``pairs_far.csv``.
   With HADIR_FACENET_INT8=true FaceNet is the int8 model; it keeps the float model's
   centre and fusion weights (its embeddings agree to cosine ≥ 0.998) and only gets its
   own thresholds.
4. Fusion (``facenet+sface``): w_i = 1/σ_i of each model's impostor cosines (the same
   cross-fitted pairs), saved to ``fusion.json``; the fused score of a pair is
   Σ w_i cos_i / Σ w_i (see ``hadir.face.fusion``), thresholded like a single model's.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from hadir.bootstrap import build_detector
from hadir.face import metrics
from hadir.face.calibration import load_centre, load_fusion
from hadir.face.embedder import Embedder, l2_normalise
from hadir.face.facenet import FaceNetEmbedder, FaceNetRecipe
from hadir.face.fusion import fused_preprocessing
from hadir.face.sface import SFaceEmbedder, SFaceRecipe
from hadir.offline.evaluation import EmbeddingTable
from hadir.offline.quantize import ensure_facenet_int8
from hadir.offline.tf_convert import ensure_facenet_onnx
from hadir.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "src" / "hadir" / "face" / "data"
FARS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6)
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
CENTRED = {"facenet": True, "sface": True}


def identity_centre(vectors: F32, ids: list[str], keep: npt.NDArray[np.bool_]) -> F32:
    groups: dict[str, list[int]] = {}
    for i, ident in enumerate(ids):
        if keep[i]:
            groups.setdefault(ident, []).append(i)
    means = np.stack([vectors[idx].mean(axis=0) for idx in groups.values()])
    centre: F32 = means.mean(axis=0).astype(np.float32)
    return centre


def impostor_scores(vectors: F32, ids: list[str], centred: bool = True) -> F64:
    """Scores of all cross-identity pairs within each half, centred with the other half."""
    halves = np.array([hashlib.sha256(i.encode()).digest()[0] & 1 for i in ids])
    codes = np.unique(np.array(ids), return_inverse=True)[1]
    out = []
    for h in (0, 1):
        sel = np.flatnonzero(halves == h)
        v = vectors[sel]
        if centred:
            v = l2_normalise(v - identity_centre(vectors, ids, halves != h))
        sims = v @ v.T
        upper = np.triu(np.ones(sims.shape, dtype=bool), k=1)
        different = codes[sel][:, None] != codes[sel][None, :]
        out.append(sims[upper & different].astype(np.float64))
    return np.concatenate(out)


def raw_embedders(settings: Settings) -> dict[str, Embedder]:
    converted = ensure_facenet_onnx(settings.model_cache_dir)
    path = converted.path
    if settings.facenet_int8:
        path = ensure_facenet_int8(settings.model_cache_dir, converted)
    return {
        "facenet": FaceNetEmbedder(
            path,
            source_sha256=converted.source_sha256,
            recipe=FaceNetRecipe(flip=settings.flip_tta, centre=None, int8=settings.facenet_int8),
        ),
        "sface": SFaceEmbedder(recipe=SFaceRecipe(centre=None)),
    }


def embed_dev(settings: Settings, names: list[str], cache: Path | None) -> dict[str, F32]:
    if cache is not None and cache.exists():
        stored = np.load(cache)
        if list(stored["names"]) == names:
            return {k: stored[k].astype(np.float32) for k in ("facenet", "sface")}
    detector = build_detector(settings)
    out = {}
    for model, embedder in raw_embedders(settings).items():
        out[model], outcomes = EmbeddingTable(detector, embedder).build(settings.faces_dir, names)
        print(f"{model}: {len(names)} images; handling {sorted({o.handling for o in outcomes})}")
    if cache is not None:
        np.savez(cache, names=np.array(names), **out)
    return out


def shipped_tag(model: str, settings: Settings) -> str:
    centre = load_centre(f"{model}_centre.npy")
    if model == "facenet":
        return FaceNetRecipe(
            flip=settings.flip_tta, centre=centre, int8=settings.facenet_int8
        ).tag()
    return SFaceRecipe(centre=centre).tag()


def save_centre(model: str, centre: F32) -> None:
    shipped = load_centre(f"{model}_centre.npy")
    if shipped is None or not np.allclose(shipped, centre, atol=1e-6):
        np.save(DATA / f"{model}_centre.npy", centre)


def calibration_entry(genuine: F64, impostors: F64, extra: dict[str, object]) -> dict[str, object]:
    ranked = np.sort(impostors)[::-1]
    thresholds = {f"{far:g}": float(ranked[int(far * ranked.size)]) for far in FARS}
    tars = {far: round(float(np.mean(genuine >= t)), 4) for far, t in thresholds.items()}
    for far, t in thresholds.items():
        print(f"  FAR {far:>6}: threshold {t:.4f}  TAR {tars[far]:.4f}")
    scores = np.concatenate([genuine, impostors])
    same = np.r_[np.ones(genuine.size, bool), np.zeros(impostors.size, bool)]
    print(f"  EER {metrics.eer(scores, same)[0]:.4f}")
    return {
        "accept": round(thresholds["0.001"], 5),
        "review": round(thresholds["0.01"], 5),
        "target_far": 1e-3,
        "thresholds_at_far": {k: round(v, 5) for k, v in thresholds.items()},
        "tar_at_far": tars,
        "impostor_pairs": int(impostors.size),
        "genuine_pairs": int(genuine.size),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="facenet,sface,facenet+sface")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    sets = [m.strip() for m in args.models.split(",") if m.strip()]
    settings = Settings()
    faces = settings.faces_dir
    names = sorted(str(p.relative_to(faces)) for p in faces.glob("*/*.jpg"))
    ids = [n.split("/")[0] for n in names]
    raw = embed_dev(settings, names, args.cache)

    index = {n: i for i, n in enumerate(names)}
    rows = [r for r in csv.DictReader((faces / "pairs_far.csv").open()) if r["same"] == "1"]
    left = np.array([index[r["left"]] for r in rows])
    right = np.array([index[r["right"]] for r in rows])
    impostors: dict[str, F64] = {}
    genuine: dict[str, F64] = {}
    for model, vectors in raw.items():
        everyone = np.ones(len(ids), dtype=bool)
        if CENTRED[model]:
            if not settings.facenet_int8:  # int8 keeps the float model's centre and weights
                save_centre(model, identity_centre(vectors, ids, everyone))
            shipped = load_centre(f"{model}_centre.npy")
            assert shipped is not None
            vectors = l2_normalise(vectors - shipped)
        impostors[model] = impostor_scores(raw[model], ids, CENTRED[model])
        genuine[model] = np.einsum("ij,ij->i", vectors[left], vectors[right]).astype(np.float64)

    source = {"source": "scripts/calibrate.py on faces-dev (cross-fitted centre)"}
    entries: dict[str, dict[str, object]] = {}
    fusion: dict[str, object] = {}
    for models in sets:
        parts = models.split("+")
        if len(parts) == 1:
            tag = shipped_tag(models, settings)
            print(f"{models} [{tag}]")
            entries[tag] = calibration_entry(genuine[models], impostors[models], source)
            continue
        mean = {m: float(impostors[m].mean()) for m in parts}
        std = {m: float(impostors[m].std()) for m in parts}
        weights = {m: round(1.0 / std[m], 4) for m in parts}
        shipped_fusion = load_fusion(models)
        if settings.facenet_int8 and shipped_fusion is not None:
            weights = dict(shipped_fusion.weights)
        total = sum(weights.values())
        fused_imp = sum(weights[m] * impostors[m] for m in parts) / total
        fused_gen = sum(weights[m] * genuine[m] for m in parts) / total
        tag = fused_preprocessing(
            parts, [shipped_tag(m, settings) for m in parts], [weights[m] for m in parts]
        )
        print(f"{models} [{tag}] weights {weights}")
        entries[tag] = calibration_entry(np.asarray(fused_gen), np.asarray(fused_imp), source)
        fusion[models] = {
            "weights": weights,
            "impostor_mean": {m: round(v, 6) for m, v in mean.items()},
            "impostor_std": {m: round(v, 6) for m, v in std.items()},
            "source": "scripts/calibrate.py: w = 1/std of cross-fitted dev impostor cosines",
        }

    if settings.facenet_int8:
        fusion = {}
    for name, new in (("calibration.json", entries), ("fusion.json", fusion)):
        if not new:
            continue
        path = DATA / name
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing.update(new)
        path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
