"""Offices are not studios: synthetic degradations of probes, scored at the shipped threshold.

    HADIR_FACES_DIR=/work/shared/data/faces-dev .venv/bin/python scripts/degrade.py \\
        [--pairs pairs_asian.csv] [--kinds clean,mask,lowlight,small60,jpeg] [--json]

Every image of the pairs file goes once through the real face engine of the default settings
(``build_face_engine``: detection, the quality gates, the shipped model set, centre and
thresholds) as it is, which gives the enrolled templates; then once per condition as a
degraded probe. For each pair both directions are tried (probe degraded, template clean).
Per condition it reports:

* ``refused``: share of probe images the engine refuses (no face, or a quality gate), with
  the stable codes the employee sees;
* ``tar``: share of same-person attempts accepted (a refusal counts as not accepted);
* ``fmr``: share of different-person attempts accepted: on ``pairs_asian.csv`` this is the
  in-group false-match rate, which no condition may raise above the clean one.

Conditions (deterministic; noise is seeded by the image's name):

* ``mask``: a surgical mask over the lower face, from mid-nose to below the chin;
* ``lowlight``: exposure cut to about a fifth (gamma 1.3) with sensor noise (σ 6 grey levels);
* ``small60``: the photo scaled so the face is 60 px wide (a kiosk user standing back);
* ``jpeg``: re-encoded at JPEG quality 8 (a messaging app at its worst).
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from hadir.bootstrap import build_face_engine
from hadir.domain.errors import FaceQualityError, ImageError
from hadir.face.intake import decode_image
from hadir.face.pipeline import FaceEngine, Purpose
from hadir.face.types import Detection, Image
from hadir.offline.evaluation import read_pairs
from hadir.settings import Settings

MASK_RGB = (168, 198, 222)
"""A light-blue surgical mask."""
LOW_LIGHT_GAIN = 0.22
LOW_LIGHT_GAMMA = 1.3
LOW_LIGHT_NOISE = 6.0
SMALL_FACE_PX = 60.0
JPEG_QUALITY = 8

Degrade = Callable[[Image, Detection, np.random.Generator], Image]


def masked(image: Image, face: Detection, rng: np.random.Generator) -> Image:
    """A mask from mid-nose (halfway between the eyes and the mouth line, then a little
    lower) to below the chin, as wide as the face box, narrowing towards the chin."""
    x1, y1, x2, y2 = face.box
    pts = np.asarray(face.landmarks, dtype=np.float64)
    eyes_y = (pts[0, 1] + pts[1, 1]) / 2
    mouth_y = (pts[3, 1] + pts[4, 1]) / 2
    top = eyes_y + 0.55 * (mouth_y - eyes_y)
    width = x2 - x1
    bottom = y2 + 0.08 * (y2 - y1)
    polygon = np.array(
        [
            (x1 - 0.03 * width, top + 0.05 * width),
            ((x1 + x2) / 2, top - 0.03 * width),
            (x2 + 0.03 * width, top + 0.05 * width),
            (x2 - 0.12 * width, bottom),
            (x1 + 0.12 * width, bottom),
        ]
    )
    out = image.copy()
    cv2.fillPoly(out, [np.rint(polygon).astype(np.int32)], MASK_RGB)
    return out


def low_light(image: Image, face: Detection, rng: np.random.Generator) -> Image:
    dark = 255.0 * (image.astype(np.float64) / 255.0) ** LOW_LIGHT_GAMMA * LOW_LIGHT_GAIN
    noisy = dark + rng.normal(0.0, LOW_LIGHT_NOISE, size=image.shape)
    out: Image = np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
    return out


def small_face(image: Image, face: Detection, rng: np.random.Generator) -> Image:
    scale = min(1.0, SMALL_FACE_PX / face.size)
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def heavy_jpeg(image: Image, face: Detection, rng: np.random.Generator) -> Image:
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    )
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if not ok or decoded is None:
        raise ValueError("JPEG round trip failed")
    out: Image = np.asarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), dtype=np.uint8)
    return out


def unchanged(image: Image, face: Detection, rng: np.random.Generator) -> Image:
    return image


CONDITIONS: dict[str, Degrade] = {
    "clean": unchanged,
    "mask": masked,
    "lowlight": low_light,
    "small60": small_face,
    "jpeg": heavy_jpeg,
}


@dataclass(frozen=True)
class Probe:
    vector: npt.NDArray[np.float32] | None
    refusal: str | None
    detection: Detection | None


def analyse(engine: FaceEngine, image: Image) -> Probe:
    try:
        found = engine.analyse_image(image, Purpose.VERIFY)
    except FaceQualityError as exc:
        return Probe(None, str(exc.code), None)
    return Probe(np.asarray(found.embedding.vector), None, found.detection)


@dataclass(frozen=True)
class ConditionReport:
    condition: str
    probes: int
    refused: float
    refusals: dict[str, int]
    genuine_attempts: int
    tar: float
    impostor_attempts: int
    fmr: float
    impostors_accepted: int
    accept_threshold: float


def score(
    condition: str,
    probes: dict[str, Probe],
    templates: dict[str, Probe],
    pairs: list[tuple[str, str, bool]],
    threshold: float,
) -> ConditionReport:
    genuine = impostor = tar_hits = fmr_hits = 0
    for left, right, same in pairs:
        for probe, template in ((left, right), (right, left)):
            enrolled = templates[template].vector
            if enrolled is None:
                continue  # could not be enrolled: no attempt against it
            vector = probes[probe].vector
            accepted = vector is not None and float(vector @ enrolled) >= threshold
            if same:
                genuine += 1
                tar_hits += accepted
            else:
                impostor += 1
                fmr_hits += accepted
    refusals = Counter(p.refusal for p in probes.values() if p.refusal is not None)
    return ConditionReport(
        condition=condition,
        probes=len(probes),
        refused=sum(refusals.values()) / max(1, len(probes)),
        refusals=dict(refusals),
        genuine_attempts=genuine,
        tar=tar_hits / max(1, genuine),
        impostor_attempts=impostor,
        fmr=fmr_hits / max(1, impostor),
        impostors_accepted=fmr_hits,
        accept_threshold=threshold,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default="pairs_asian.csv", help="in HADIR_FACES_DIR")
    parser.add_argument("--kinds", default=",".join(CONDITIONS))
    parser.add_argument("--json", action="store_true", help="one JSON object per condition")
    args = parser.parse_args()
    settings = Settings()
    root = settings.faces_dir
    engine = build_face_engine(settings)
    rows = read_pairs(Path(root) / args.pairs)
    pairs = [(p.left, p.right, p.same) for p in rows]
    names = sorted({p.left for p in rows} | {p.right for p in rows})
    images: dict[str, Image] = {}
    for name in names:
        try:
            images[name] = decode_image((Path(root) / name).read_bytes(), engine.config.intake)
        except (ImageError, OSError) as exc:
            raise SystemExit(f"{name}: {exc}") from exc
    templates = {name: analyse(engine, images[name]) for name in names}
    reports = []
    for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
        degrade = CONDITIONS[kind]
        probes: dict[str, Probe] = {}
        for name in names:
            clean = templates[name]
            if kind == "clean":
                probes[name] = clean
                continue
            face = clean.detection or engine.detect(images[name])[0]
            rng = np.random.default_rng(zlib.crc32(f"{kind}/{name}".encode()))
            probes[name] = analyse(engine, degrade(images[name], face, rng))
        report = score(kind, probes, templates, pairs, engine.thresholds.accept)
        reports.append(report)
        if args.json:
            print(json.dumps(asdict(report)), flush=True)
    if not args.json:
        print("| condition | probes | refused | refusal codes | TAR | FMR (accepted / tries) |")
        print("|---|---|---|---|---|---|")
        for r in reports:
            codes = ", ".join(f"{k} {v}" for k, v in sorted(r.refusals.items())) or "-"
            print(
                f"| {r.condition} | {r.probes} | {r.refused:.1%} | {codes} | {r.tar:.4f} | "
                f"{r.fmr:.5f} ({r.impostors_accepted} / {r.impostor_attempts}) |"
            )
        print(f"accept threshold {engine.thresholds.accept:.4f}, {engine.embedder.contract.key()}")


if __name__ == "__main__":
    main()
