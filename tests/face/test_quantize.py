"""The int8 FaceNet: built locally from the shipped ranges, close to the float model on
real faces, and a contract of its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hadir.bootstrap import build_facenet
from hadir.face.assets import mtcnn_files
from hadir.face.facenet import FaceNetEmbedder
from hadir.face.intake import decode_image
from hadir.face.mtcnn import MtcnnDetector
from hadir.face.pipeline import find_faces
from hadir.offline.quantize import MIN_REFERENCE_COSINE, ensure_facenet_int8, reference_min_cosine
from hadir.offline.tf_convert import ensure_facenet_onnx
from hadir.settings import Settings


@pytest.fixture(scope="module")
def int8_model(model_cache: Path) -> Path:
    return ensure_facenet_int8(model_cache, ensure_facenet_onnx(model_cache))


def test_the_int8_model_is_cached_and_passes_its_reference_check(
    int8_model: Path, model_cache: Path
) -> None:
    assert int8_model.is_file() and "int8" in int8_model.name
    assert ensure_facenet_int8(model_cache, ensure_facenet_onnx(model_cache)) == int8_model
    assert reference_min_cosine(int8_model) >= MIN_REFERENCE_COSINE


def test_int8_embeddings_agree_with_float_on_real_faces(
    settings: Settings, faces: Path, int8_model: Path
) -> None:
    float_embedder = build_facenet(settings.model_copy(update={"facenet_int8": False}))
    int8_embedder = build_facenet(settings.model_copy(update={"facenet_int8": True}))
    assert isinstance(int8_embedder, FaceNetEmbedder)
    assert float_embedder.contract != int8_embedder.contract  # never compared with each other
    assert "int8" in int8_embedder.contract.preprocessing
    detector = MtcnnDetector(mtcnn_files(), threads=1)
    crops = []
    for path in (
        sorted((faces / "Serena_Williams").glob("*.jpg"))[:4]
        + sorted((faces / "John_Ashcroft").glob("*.jpg"))[:4]
    ):
        image = decode_image(path.read_bytes())
        found, _ = find_faces(detector, image)
        crops.append(float_embedder.prepare(image, found[0]))
    a, b = float_embedder.embed(crops), int8_embedder.embed(crops)
    assert np.min(np.sum(a * b, axis=1)) > 0.99
    same, different = float(b[0] @ b[1]), float(b[0] @ b[4])
    assert same > different + 0.3  # still tells Serena from John Ashcroft
