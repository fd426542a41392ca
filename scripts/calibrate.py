"""Fit the shipped centring vectors, fusion weights and thresholds so they hold for the
worst measured group (issue 12), on the dev faces.

    HADIR_FACES_DIR=... .venv/bin/python scripts/calibrate.py [--models sface,facenet,...] \
        [--cache /tmp/dev.npz]

1. Embeds every dev image once per model with the product recipe, without centring (one
   detection per image); ``--cache`` keeps the vectors in an .npz so the fitting below can be
   re-run with numpy alone.
2. Centre, per model: the group-balanced centre of ``hadir.offline.groupfit`` (the mean of
   the East/Southeast-Asian identities of ``groups.csv`` and the mean of everybody else,
   averaged), saved to ``src/hadir/face/data/<model>_centre.npy``.
3. Scores, all cross-fitted (the centre never saw the people of a pair): every different-
   and same-person pair inside each group of ``groups.csv``; every cross-identity pair of the
   whole set within each half of the identities (≈ 4.3 M, reads FMR to 1e-6); the genuine
   pairs of ``pairs_far.csv``.
4. Fusion weights (``facenet+sface``): w_i = 1/σ_i of model i's in-group impostor cosines (the
   worst group's spread, not the mixed population's), saved to ``fusion.json``.
5. Thresholds: at each FMR f, the largest of the mixed set's empirical threshold and, per
   group, the 95th percentile over identity resamplings of the tail model μ_g + σ_g·z(f)
   (``groupfit.bootstrap_thresholds``). accept = f 1e-3, review = f 1e-2; f down to 1e-7
   serves 1:N identification scaled to the gallery. Written to ``calibration.json`` with
   per-group figures and a leave-identities-out estimate (the threshold fitted on half the
   group's people, FMR/TAR read on pairs of the other half; 10 random splits).
   Centres and fusion weights are fitted with the default int8 FaceNet; run again with
   HADIR_FACENET_INT8=false (another ``--cache``) to give the float model its own thresholds
   (it keeps the int8 model's centre and weights: their embeddings agree to cosine ≥ 0.998).
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.bootstrap import build_detector
from hadir.face import metrics
from hadir.face.calibration import load_centre, load_fusion
from hadir.face.embedder import Embedder
from hadir.face.facenet import FaceNetEmbedder, FaceNetRecipe
from hadir.face.fusion import fused_preprocessing
from hadir.face.intake import IntakeLimits, decode_image
from hadir.face.pipeline import central_detection, find_faces
from hadir.face.sface import SFaceEmbedder, SFaceRecipe
from hadir.offline import groupfit as gf
from hadir.offline.evaluation import pick_face
from hadir.offline.quantize import ensure_facenet_int8
from hadir.offline.tf_convert import ensure_facenet_onnx
from hadir.settings import Settings

DATA = Path(__file__).resolve().parents[1] / "src" / "hadir" / "face" / "data"
FARS = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7)
ACCEPT_FAR, REVIEW_FAR = 1e-3, 1e-2
UPPER = 95.0
"""Percentile of the identity bootstrap taken as the group's threshold (the margin)."""
SPLITS = 10
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
REST = "rest"


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


def embed_dev(settings: Settings, names: list[str], cache: Path | None) -> dict[str, F64]:
    """Un-centred unit embeddings of every dev image, per model (one detection each)."""
    if cache is not None and cache.exists():
        stored = np.load(cache)
        if list(stored["names"]) == names:
            return {k: stored[k].astype(np.float64) for k in ("facenet", "sface")}
    detector = build_detector(settings)
    embedders = raw_embedders(settings)
    out = {m: np.zeros((len(names), e.contract.dim), np.float32) for m, e in embedders.items()}
    for start in range(0, len(names), 16):
        crops: dict[str, list[Any]] = {m: [] for m in embedders}
        for name in names[start : start + 16]:
            image = decode_image((settings.faces_dir / name).read_bytes(), IntakeLimits())
            found, _ = find_faces(detector, image)
            face = pick_face(image, found) if found else central_detection(image)
            for m, e in embedders.items():
                crops[m].append(e.prepare(image, face))
        for m, e in embedders.items():
            out[m][start : start + len(crops[m])] = e.embed(crops[m])
        print(f"embedded {min(len(names), start + 16)} / {len(names)}", end="\r", flush=True)
    if cache is not None:
        np.savez(cache, names=np.array(names), facenet=out["facenet"], sface=out["sface"])
    return {k: v.astype(np.float64) for k, v in out.items()}


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


@dataclass(frozen=True)
class Scores:
    """One model set's cross-fitted scores: per group, the whole set, pairs_far genuine."""

    groups: dict[str, gf.GroupScores]
    mixed: F64
    far_genuine: F64


def fuse(parts: dict[str, Scores], weights: dict[str, float]) -> Scores:
    """The fused set's scores: Σ w_i s_i / Σ w_i, pair by pair (same pair order)."""
    total = sum(weights.values())

    def mix(arrays: dict[str, F64]) -> F64:
        out = np.zeros_like(next(iter(arrays.values())))
        for m, values in arrays.items():
            out += weights[m] * values
        result: F64 = out / total
        return result

    first = next(iter(parts.values()))
    groups = {
        g: gf.GroupScores(
            mix({m: p.groups[g].impostors for m, p in parts.items()}),
            mix({m: p.groups[g].genuine for m, p in parts.items()}),
            first.groups[g].left,
            first.groups[g].right,
        )
        for g in first.groups
    }
    return Scores(
        groups,
        mix({m: p.mixed for m, p in parts.items()}),
        mix({m: p.far_genuine for m, p in parts.items()}),
    )


def thresholds(scores: Scores) -> tuple[dict[float, float], dict[str, dict[float, float]]]:
    """Per FMR, the largest of the mixed threshold and every group's bootstrap bound."""
    z = gf.tail_z(scores.mixed, FARS)
    mu, sd = float(scores.mixed.mean()), float(scores.mixed.std())
    per: dict[str, dict[float, float]] = {
        "mixed": {
            f: gf.threshold_at(scores.mixed, f) if f * scores.mixed.size >= 10 else mu + sd * z[f]
            for f in FARS
        }
    }
    for g, group in scores.groups.items():
        per[g] = gf.bootstrap_thresholds(group, z, upper=UPPER)
    return {f: max(p[f] for p in per.values()) for f in FARS}, per


def held_out_estimate(scores: Scores, group: str) -> dict[str, float]:
    """Fit the group threshold on half its people, read FMR and TAR on the other half's
    pairs (pooled over ``SPLITS`` random halvings): what unseen people of the group meet."""
    g = scores.groups[group]
    z = gf.tail_z(scores.mixed, FARS)
    people = np.unique(np.r_[g.left, g.right])
    rng = np.random.default_rng(12)
    hits = tries = 0
    for _ in range(SPLITS):
        fit = set(rng.choice(people, people.size // 2, replace=False).tolist())
        in_fit = np.array([p in fit for p in g.left]) & np.array([p in fit for p in g.right])
        out = np.array([p not in fit for p in g.left]) & np.array([p not in fit for p in g.right])
        part = gf.GroupScores(g.impostors[in_fit], g.genuine, g.left[in_fit], g.right[in_fit])
        bound = gf.bootstrap_thresholds(part, {ACCEPT_FAR: z[ACCEPT_FAR]}, upper=UPPER)
        accept = max(bound[ACCEPT_FAR], gf.threshold_at(scores.mixed, ACCEPT_FAR))
        hits += int((g.impostors[out] >= accept).sum())
        tries += int(out.sum())
    return {"fmr": hits / tries, "impostor_pairs": tries, "splits": SPLITS}


def calibration_entry(scores: Scores, source: str) -> dict[str, object]:
    chosen, per = thresholds(scores)
    accept, review = chosen[ACCEPT_FAR], chosen[REVIEW_FAR]
    groups: dict[str, object] = {}
    for name, g in scores.groups.items():
        labels = np.r_[np.ones(g.genuine.size, bool), np.zeros(g.impostors.size, bool)]
        both = np.r_[g.genuine, g.impostors]
        groups[name] = {
            "identities": int(np.unique(np.r_[g.left, g.right]).size),
            "impostor_pairs": int(g.impostors.size),
            "genuine_pairs": int(g.genuine.size),
            "threshold_at_fmr_1e-3_empirical": round(gf.threshold_at(g.impostors, 1e-3), 5),
            "tar_at_fmr_1e-3_empirical": round(metrics.tar_at_far(both, labels, 1e-3), 4),
            "thresholds_bound": {f"{f:g}": round(v, 5) for f, v in per[name].items()},
            "fmr_at_accept": round(float(np.mean(g.impostors >= accept)), 6),
            "tar_at_accept": round(float(np.mean(g.genuine >= accept)), 4),
            "held_out_estimate": held_out_estimate(scores, name),
        }
    mixed_fmr = float(np.mean(scores.mixed >= accept))
    entry: dict[str, object] = {
        "accept": round(accept, 5),
        "review": round(review, 5),
        "target_far": ACCEPT_FAR,
        "thresholds_at_far": {f"{f:g}": round(v, 5) for f, v in chosen.items()},
        "mixed": {
            "impostor_pairs": int(scores.mixed.size),
            "thresholds": {f"{f:g}": round(v, 5) for f, v in per["mixed"].items()},
            "fmr_at_accept": round(mixed_fmr, 7),
            "tar_at_accept_pairs_far": round(float(np.mean(scores.far_genuine >= accept)), 4),
            "tar_at_review_pairs_far": round(float(np.mean(scores.far_genuine >= review)), 4),
        },
        "groups": groups,
        "margin": f"group thresholds: {UPPER:g}th percentile of an identity bootstrap",
        "source": source,
    }
    print(json.dumps(entry, indent=1))
    return entry


def read_groups(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["identity"]: row["group"] for row in csv.DictReader(handle)}


def model_scores(
    raw: dict[str, F64], ids: list[str], groups: dict[str, str], far: tuple[F64, F64]
) -> tuple[dict[str, Scores], dict[str, F32]]:
    uid, inverse = np.unique(np.array(ids), return_inverse=True)
    codes = inverse.astype(np.intp)
    labels = np.array([groups.get(str(u), REST) for u in uid])
    group_of = np.unique(labels, return_inverse=True)[1].astype(np.intp)
    halves = gf.halves_of([str(u) for u in uid])
    left, right = (a.astype(np.intp) for a in far)
    out: dict[str, Scores] = {}
    centres: dict[str, F32] = {}
    for model, vectors in raw.items():
        centre = gf.balanced_centre(gf.identity_means(vectors, codes, uid.size), group_of)
        centres[model] = centre(set()).astype(np.float32)
        per_group = {
            g: gf.in_group_scores(vectors, codes, np.flatnonzero(labels == g).tolist(), centre)
            for g in sorted(set(labels) - {REST})
        }
        out[model] = Scores(
            per_group,
            gf.mixed_impostors(vectors, codes, halves, centre),
            gf.pair_scores(vectors, codes, halves, centre, left, right),
        )
    return out, centres


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
    groups = read_groups(faces / "groups.csv")
    index = {n: i for i, n in enumerate(names)}
    rows = [r for r in csv.DictReader((faces / "pairs_far.csv").open()) if r["same"] == "1"]
    far = (np.array([index[r["left"]] for r in rows]), np.array([index[r["right"]] for r in rows]))
    scores, centres = model_scores(raw, ids, groups, far)
    if settings.facenet_int8:  # the float model keeps the default (int8) centre and weights
        for model, centre in centres.items():
            save_centre(model, centre)

    source = "scripts/calibrate.py on faces-dev (group-balanced centre, cross-fitted)"
    entries: dict[str, dict[str, object]] = {}
    fusion: dict[str, object] = {}
    for models in sets:
        parts = models.split("+")
        if len(parts) == 1:
            tag = shipped_tag(models, settings)
            print(f"{models} [{tag}]")
            entries[tag] = calibration_entry(scores[models], source)
            continue
        worst = {m: max(float(g.impostors.std()) for g in scores[m].groups.values()) for m in parts}
        weights = {m: round(1.0 / worst[m], 4) for m in parts}
        shipped_fusion = load_fusion(models)
        if not settings.facenet_int8 and shipped_fusion is not None:
            weights = dict(shipped_fusion.weights)
        tag = fused_preprocessing(
            parts, [shipped_tag(m, settings) for m in parts], [weights[m] for m in parts]
        )
        print(f"{models} [{tag}] weights {weights}")
        entries[tag] = calibration_entry(fuse({m: scores[m] for m in parts}, weights), source)
        fusion[models] = {
            "weights": weights,
            "impostor_std": {m: round(v, 6) for m, v in worst.items()},
            "impostor_mean": {
                m: round(float(np.mean([g.impostors.mean() for g in scores[m].groups.values()])), 6)
                for m in parts
            },
            "source": "scripts/calibrate.py: w = 1/std of in-group (worst group) impostor cosines",
        }

    if not settings.facenet_int8:
        fusion = {}
    for name, new in (("calibration.json", entries), ("fusion.json", fusion)):
        if not new:
            continue
        path = DATA / name
        existing = json.loads(path.read_text()) if path.exists() else {}
        if name == "calibration.json":  # entries of earlier fits name centres no longer shipped
            existing = {k: v for k, v in existing.items() if v.get("source") == source}
        existing.update(new)
        path.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
