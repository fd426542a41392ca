"""FaceNet with int8 weights and activations (static quantisation, onnxruntime QDQ).

The activation ranges were measured once on dev faces of people outside every scored pair
(``scripts/quantize_facenet.py``) and ship as ``data/facenet_int8_ranges.json``: derived
statistics, no face. From them and the converted float model, the int8 model is built
locally on first use (``hadir init``), named after the hashes of both inputs and checked
against the float reference (every reference embedding within ``MIN_REFERENCE_COSINE``)
before it is published. Measured accuracy and speed: docs/performance.md.
"""

from __future__ import annotations

import hashlib
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

from hadir.domain.errors import ModelUnavailableError
from hadir.offline.tf_convert import ConvertedModel, _publish, load_reference

RANGES_RESOURCE = ("data", "facenet_int8_ranges.json")
RECIPE = "qdq-per-channel-u8-activations-u8-weights"
"""Part of the int8 model's file name, so a change of recipe rebuilds it.

Weights are unsigned (U8U8), not the usual signed (U8S8): on x86-64 CPUs without VNNI,
onnxruntime's U8S8 kernels add pairs of products in 16 bits (``vpmaddubsw``), which
saturate; measured on an AMD EPYC with AVX2 only, U8S8 left a reference embedding at
cosine 0.975 to the float model, U8U8 at 0.997 (``reduce_range`` 0.995)."""
MIN_REFERENCE_COSINE = 0.99
"""The int8 model's embedding of each reference input against the float one (measured
≥ 0.998 on dev faces; a broken quantisation lands far below)."""


def ranges_file() -> Path:
    resource = resources.files("hadir.face").joinpath(*RANGES_RESOURCE)
    return Path(str(resource))


def quantise_with_ranges(source: Path, target: Path, ranges: Path) -> None:
    """Quantise ``source`` into ``target`` with the activation ranges in ``ranges``."""
    from onnxruntime.quantization import (  # heavy: imported on use only
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    quantize_static(
        str(source),
        str(target),
        None,
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QUInt8,  # see RECIPE
        calibrate_method=CalibrationMethod.MinMax,
        calibration_cache_path=str(ranges),
    )


def reference_min_cosine(model: Path) -> float:
    from hadir.face.runtime import make_session

    inputs, expected = load_reference()  # standardised NHWC crops and float embeddings
    session = make_session(model, threads=1)
    name = session.get_inputs()[0].name
    got = np.asarray(session.run(None, {name: inputs})[0], dtype=np.float64)
    got /= np.linalg.norm(got, axis=1, keepdims=True)
    want = expected / np.linalg.norm(expected, axis=1, keepdims=True)
    return float(np.min(np.sum(got * want, axis=1)))


def ensure_facenet_int8(cache_dir: Path, converted: ConvertedModel) -> Path:
    """The int8 FaceNet in ``cache_dir``, built from ``converted`` on first use."""
    ranges = ranges_file()
    digest = hashlib.sha256(
        converted.source_sha256.encode()
        + hashlib.sha256(ranges.read_bytes()).digest()
        + RECIPE.encode()
    ).hexdigest()
    target = cache_dir / f"facenet-20180408-int8-{digest[:16]}.onnx"
    if target.is_file():
        return target

    def check(candidate: Path) -> str:
        cosine = reference_min_cosine(candidate)
        if not cosine >= MIN_REFERENCE_COSINE:
            raise ModelUnavailableError(
                f"the int8 FaceNet disagrees with the float model (cosine {cosine:.4f})",
                cosine=cosine,
            )
        return f"{cosine:.6f}"

    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".quantise.") as tmp:
        built = Path(tmp) / "model.onnx"
        quantise_with_ranges(converted.path, built, ranges)
        _publish(target, built.read_bytes(), check)
    return target
