"""Face engine speed per stage, at 1 and 2 onnxruntime threads (medians, not test limits).

    .venv/bin/python bench/face.py [--images 60] [--json]

Stages: decode (JPEG bytes → RGB), detect (MTCNN), crop, embed (FaceNet, with the
configured flip augmentation), and the whole ``analyse`` call; on LFW's 250x250 photos and
on 640x480 "selfies" (an LFW photo scaled into a 640x480 frame, face ≈ 220 px). The
float32 floor of FaceNet is reported beside the embed stage for a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from hadir.bootstrap import build_face_engine
from hadir.domain.errors import HadirError
from hadir.face.intake import decode_image, encode_jpeg
from hadir.settings import Settings

FLOOR_MS = 2.85e9 / 80e9 * 1000  # 2.85 GFLOP per face at ~80 GFLOP/s on 2 cores


def selfie(image: np.ndarray) -> np.ndarray:
    """An LFW photo scaled up into a 640x480 frame, as a phone's front camera would send."""
    canvas = np.full((480, 640, 3), 110, np.uint8)
    canvas[20:460, 100:540] = cv2.resize(image, (440, 440), interpolation=cv2.INTER_CUBIC)
    return canvas


def usable(photos: list[bytes]) -> list[bytes]:
    """Photos the engine accepts (LFW has background faces and profiles, refused by design)."""
    engine = build_face_engine(Settings())
    keep = []
    for data in photos:
        try:
            engine.analyse(data)
        except HadirError:
            continue
        keep.append(data)
    return keep


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def run(threads: int, photos: list[bytes], label: str) -> dict[str, object]:
    settings = Settings(onnx_threads=threads)
    engine = build_face_engine(settings)
    for data in photos[:3]:  # warm-up
        engine.analyse(data)
    stages: dict[str, list[float]] = {
        "decode": [],
        "detect": [],
        "crop": [],
        "embed": [],
        "total": [],
    }
    for data in photos:
        started = time.perf_counter()
        analysis = engine.analyse(data)
        wall = time.perf_counter() - started
        t = analysis.timings
        for name, value in (
            ("decode", t.decode),
            ("detect", t.detect),
            ("crop", t.crop),
            ("embed", t.embed),
            ("total", wall),
        ):
            stages[name].append(value * 1000)
    result: dict[str, object] = {"set": label, "threads": threads, "images": len(photos)}
    for name, values in stages.items():
        result[f"{name}_p50_ms"] = round(statistics.median(values), 2)
        result[f"{name}_p95_ms"] = round(percentile(values, 95), 2)
    crops = [
        engine.embedder.prepare(decode_image(photos[0]), engine.detect(decode_image(photos[0]))[0])
    ] * 8
    started = time.perf_counter()
    engine.embedder.embed(crops)
    per_face = (time.perf_counter() - started) / len(crops) * 1000
    result["embed_batch8_ms_per_face"] = round(per_face, 2)
    result["faces_per_second"] = round(1000 / statistics.median(stages["total"]), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=60)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    faces = Path(os.environ.get("HADIR_FACES_DIR", "../shared/data/faces-dev"))
    names = sorted(faces.glob("*/*_0001.jpg"))[: args.images * 2]
    lfw = usable([p.read_bytes() for p in names])
    lfw = lfw[: args.images]
    selfies = usable([encode_jpeg(selfie(decode_image(d)), 90) for d in lfw])
    rows = [
        run(t, photos, label)
        for label, photos in (("lfw250", lfw), ("selfie640", selfies))
        for t in (1, 2)
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"FaceNet float32 floor ≈ {FLOOR_MS:.1f} ms per face (2.85 GFLOP at 80 GFLOP/s)")
    header = [
        "set",
        "thr",
        "decode",
        "detect",
        "crop",
        "embed",
        "total p50",
        "total p95",
        "emb/face b8",
    ]
    print(" | ".join(header))
    for r in rows:
        print(
            f"{r['set']} | {r['threads']} | {r['decode_p50_ms']} | {r['detect_p50_ms']} | "
            f"{r['crop_p50_ms']} | {r['embed_p50_ms']} | {r['total_p50_ms']} | "
            f"{r['total_p95_ms']} | {r['embed_batch8_ms_per_face']}"
        )


if __name__ == "__main__":
    main()
