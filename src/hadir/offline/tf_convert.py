"""FaceNet's frozen TensorFlow graph converted to ONNX, without TensorFlow.

:mod:`hadir.offline.tf_graphdef` reads the GraphDef; :mod:`hadir.offline.tf_ops`
rewrites its nodes as an NCHW ONNX graph with a free batch dimension.
:func:`ensure_facenet_onnx` converts once into a cache directory and checks the result
against the shipped reference embeddings before it is ever used.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from hadir.domain.errors import ModelUnavailableError
from hadir.face.assets import facenet_pb, sha256_file
from hadir.offline.tf_graphdef import parse_graphdef
from hadir.offline.tf_ops import F32, INPUT_NAME, Converter

OPSET = 17
IR_VERSION = 8
OUTPUT_NAME = "embedding"
TF_OUTPUT = "embeddings"
REFERENCE_TOLERANCE = 1e-4
REFERENCE_RESOURCE = ("data", "facenet_reference.npz")


def convert_facenet_pb(pb_path: Path) -> bytes:
    """Convert the frozen FaceNet GraphDef at ``pb_path`` to a serialized ONNX model.

    Input ``input``: [N,160,160,3] float32 NHWC, standardised RGB. Output ``embedding``:
    [N,512], L2-normalised.
    """
    from onnx import TensorProto, checker, helper

    converter = Converter(parse_graphdef(pb_path.read_bytes()))
    result = converter.run(TF_OUTPUT)
    g = converter.g
    g.nodes.append(helper.make_node("Identity", [result.name], [OUTPUT_NAME], name=OUTPUT_NAME))
    graph = helper.make_graph(
        g.nodes,
        "facenet_20180408_102900",
        [
            helper.make_tensor_value_info(
                INPUT_NAME, TensorProto.FLOAT, ["N", *converter.input_shape]
            )
        ],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", *result.shape])],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="hadir.offline.tf_convert",
        doc_string="FaceNet 20180408-102900 (Inception-ResNet-v1) from graph_final.pb",
    )
    model.ir_version = IR_VERSION
    checker.check_model(model)
    data: bytes = model.SerializeToString()
    return data


@dataclass(frozen=True)
class ConvertedModel:
    """A converted FaceNet ONNX file and the sha256 of the .pb it came from."""

    path: Path
    source_sha256: str


def load_reference() -> tuple[F32, F32]:
    """The shipped reference ``(inputs NHWC, embeddings)``, made with OpenCV's importer."""
    resource = resources.files("hadir.face").joinpath(*REFERENCE_RESOURCE)
    with resource.open("rb") as handle, np.load(handle) as data:
        return data["inputs"].astype(np.float32), data["embeddings"].astype(np.float32)


def reference_max_abs_diff(model: Path | bytes, *, threads: int = 2) -> float:
    """Largest absolute difference between ``model``'s embeddings and the reference."""
    from hadir.face.runtime import make_session

    inputs, expected = load_reference()
    (actual,) = make_session(model, threads=threads).run([OUTPUT_NAME], {INPUT_NAME: inputs})
    return float(np.max(np.abs(np.asarray(actual, np.float32) - expected)))


def _marker(model: Path) -> str:
    """What a ``.ok`` marker holds: the sha256 of the model and of the reference it passed."""
    reference = resources.files("hadir.face").joinpath(*REFERENCE_RESOURCE).read_bytes()
    return f"{sha256_file(model)} {hashlib.sha256(reference).hexdigest()}\n"


def _verify(model: Path) -> str:
    """Check ``model`` against the reference (else delete it and raise); its marker text."""
    error: Exception | None = None
    try:
        diff = reference_max_abs_diff(model)
    except Exception as exc:  # onnxruntime has its own exception types for damaged files
        diff, error = math.nan, exc
    if not diff <= REFERENCE_TOLERANCE:  # also catches NaN
        model.unlink(missing_ok=True)
        problem = f"cannot be run ({error})" if error else f"differs by {diff:.3g}"
        raise ModelUnavailableError(
            f"converted FaceNet model {model.name} {problem}", path=str(model), max_abs_diff=diff
        ) from error
    return _marker(model)


def _publish(path: Path, data: bytes, check: Callable[[Path], str] | None = None) -> str:
    """Write ``path`` atomically (unique temp file + ``os.replace``) once ``check`` passes."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the cache from other users
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        result = check(tmp) if check is not None else ""
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return result


def ensure_facenet_onnx(cache_dir: Path, pb_path: Path | None = None) -> ConvertedModel:
    """The converted FaceNet model in ``cache_dir``, converted and checked on first use.

    The file is named after the .pb's sha256 and published only after matching the
    reference; a ``.ok`` marker with its sha256 makes later calls cheap (~0.2 s). A cached
    file that no longer matches is deleted and ModelUnavailableError raised (the next
    call converts afresh).
    """
    pb = pb_path if pb_path is not None else facenet_pb()
    source_sha = sha256_file(pb)
    target = cache_dir / f"facenet-20180408-{source_sha[:16]}.onnx"
    marker = target.with_name(target.name + ".ok")
    if target.is_file():
        with contextlib.suppress(OSError):
            if marker.read_text() == _marker(target):
                return ConvertedModel(target, source_sha)
        marker.unlink(missing_ok=True)
        _publish(marker, _verify(target).encode())
        return ConvertedModel(target, source_sha)
    cache_dir.mkdir(parents=True, exist_ok=True)
    try:
        data = convert_facenet_pb(pb)
    except (OSError, ValueError, KeyError, IndexError) as exc:  # ValueError: WireFormatError
        raise ModelUnavailableError(f"cannot convert {pb}: {exc}", path=str(pb)) from exc
    _publish(marker, _publish(target, data, _verify).encode())
    return ConvertedModel(target, source_sha)
