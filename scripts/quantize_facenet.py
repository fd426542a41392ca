"""Static int8 quantisation of the converted FaceNet, measured (issue 6's "beyond float32").

    HADIR_DATA_DIR=var .venv/bin/python scripts/quantize_facenet.py [--calibration 200]

1. Calibration crops: ``--calibration`` dev photos of people who appear in no pair of
   pairs.csv (so the accuracy below is not measured on calibration faces), detected and
   cropped with the shipped recipe.
2. ``onnxruntime.quantization.quantize_static``: QDQ, per-channel int8 weights, uint8
   activations, MinMax calibration. With ``--measure-ranges`` (or when missing) the
   activation ranges are measured on the crops and written to the shipped
   ``src/hadir/face/data/facenet_int8_ranges.json``; the int8 model itself is then built
   from them exactly as ``hadir init`` does (``hadir.offline.quantize.ensure_facenet_int8``).
3. Speed: one 160x160 crop (and a batch of 8) through the float and the int8 model, both
   on the shipped session options (2 threads), medians of ``--runs``.
4. Accuracy: every pairs.csv image embedded by both models with the shipped recipe (flip,
   centring), 10-fold accuracy of each, and the cosine between the two embeddings of
   each image.

The option ships only if accuracy drops by at most 0.2 points AND it is faster; the
numbers and the decision are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from hadir.bootstrap import default_recipe
from hadir.face import metrics
from hadir.face.assets import mtcnn_files
from hadir.face.facenet import FaceNetEmbedder, standardise
from hadir.face.intake import decode_image
from hadir.face.mtcnn import MtcnnDetector
from hadir.face.pipeline import central_detection, find_faces
from hadir.face.runtime import make_session
from hadir.face.types import Image
from hadir.offline.evaluation import pick_face, read_pairs
from hadir.offline.quantize import ensure_facenet_int8, ranges_file, reference_min_cosine
from hadir.offline.tf_convert import ensure_facenet_onnx
from hadir.settings import Settings

FACES = Path(os.environ.get("HADIR_FACES_DIR", "../shared/data/faces-dev"))


def crops_of(names: list[str], detector: MtcnnDetector, embedder: FaceNetEmbedder) -> list[Image]:
    crops = []
    for name in names:
        image = decode_image((FACES / name).read_bytes())
        found, _ = find_faces(detector, image)
        face = pick_face(image, found) if found else central_detection(image)
        crops.append(embedder.prepare(image, face))
    return crops


def measure_ranges(source: Path, crops: list[Image]) -> None:
    """Run the calibration crops through ``source`` and write the activation ranges to the
    shipped ``data/facenet_int8_ranges.json`` (onnxruntime's calibration cache format)."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self._batches = iter([standardise([c]) for c in crops])
            self._name = make_session(source).get_inputs()[0].name

        def get_next(self) -> dict[str, Any] | None:
            batch = next(self._batches, None)
            return None if batch is None else {self._name: batch}

    ranges = ranges_file()
    ranges.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        quantize_static(
            str(source),
            str(Path(tmp) / "int8.onnx"),
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QUInt8,  # hadir.offline.quantize.RECIPE
            calibrate_method=CalibrationMethod.MinMax,
            calibration_cache_path=str(ranges),
        )


def median_ms(session: Any, batch: np.ndarray, runs: int) -> float:
    name = session.get_inputs()[0].name
    session.run(None, {name: batch})
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        session.run(None, {name: batch})
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calibration", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--measure-ranges", action="store_true", help="re-measure the shipped activation ranges"
    )
    args = parser.parse_args()
    settings = Settings()
    converted = ensure_facenet_onnx(settings.model_cache_dir)
    detector = MtcnnDetector(mtcnn_files(), threads=args.threads)
    recipe = default_recipe(settings)
    float_embedder = FaceNetEmbedder(
        converted.path, source_sha256=converted.source_sha256, recipe=recipe, threads=args.threads
    )

    pairs = read_pairs(FACES / "pairs.csv")
    in_pairs = {p.left.split("/")[0] for p in pairs} | {p.right.split("/")[0] for p in pairs}
    with (FACES / "identities.csv").open(newline="") as handle:
        people = [r["identity"] for r in csv.DictReader(handle) if r["identity"] not in in_pairs]
    calibration = [
        str(p.relative_to(FACES))
        for person in people
        for p in sorted((FACES / person).glob("*.jpg"))
    ][:: max(1, len(people) // args.calibration)][: args.calibration]
    if args.measure_ranges or not ranges_file().is_file():
        measure_ranges(converted.path, crops_of(calibration, detector, float_embedder))
    started = time.perf_counter()
    target = ensure_facenet_int8(settings.model_cache_dir, converted)
    quantise_s = time.perf_counter() - started

    int8_embedder = FaceNetEmbedder(
        target, source_sha256=converted.source_sha256, recipe=recipe, threads=args.threads
    )
    sample = crops_of(calibration[:8], detector, float_embedder)
    speed: dict[str, float] = {}
    for label, path in (("float32", converted.path), ("int8", target)):
        session = make_session(path, threads=args.threads)
        speed[f"{label}_b1_ms"] = median_ms(session, standardise(sample[:1]), args.runs)
        speed[f"{label}_b8_per_face_ms"] = median_ms(session, standardise(sample), args.runs) / 8

    names = sorted({p.left for p in pairs} | {p.right for p in pairs})
    crops = crops_of(names, detector, float_embedder)
    position = {n: i for i, n in enumerate(names)}
    same = np.array([p.same for p in pairs])
    result: dict[str, object] = {
        "calibration_images": len(calibration),
        "ensure_int8_s": round(quantise_s, 1),
        "reference_min_cosine": round(reference_min_cosine(target), 5),
        **{k: round(v, 2) for k, v in speed.items()},
    }
    vectors = {}
    for label, embedder in (("float32", float_embedder), ("int8", int8_embedder)):
        vectors[label] = embedder.embed(crops)
        v = vectors[label]
        scores = np.array([float(v[position[p.left]] @ v[position[p.right]]) for p in pairs])
        result[f"{label}_accuracy"] = round(metrics.kfold_accuracy(scores, same).mean, 4)
        result[f"{label}_eer"] = round(metrics.eer(scores, same)[0], 4)
    agreement = np.sum(vectors["float32"] * vectors["int8"], axis=1)
    result["cosine_float_int8_min"] = round(float(agreement.min()), 4)
    result["cosine_float_int8_median"] = round(float(np.median(agreement)), 4)
    result["speedup_b1"] = round(speed["float32_b1_ms"] / speed["int8_b1_ms"], 2)
    result["loadavg_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
