"""The whole face engine, real models on real dev faces: decisions and error codes."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PilImage

from hadir.domain.errors import ErrorCode, HadirError
from hadir.face.intake import decode_image, encode_jpeg
from hadir.face.matching import MatchDecision
from hadir.face.pipeline import FaceEngine, Purpose

SAME = [
    ("Serena_Williams/Serena_Williams_0001.jpg", "Serena_Williams/Serena_Williams_0004.jpg"),
    ("Ariel_Sharon/Ariel_Sharon_0001.jpg", "Ariel_Sharon/Ariel_Sharon_0010.jpg"),
    ("John_Ashcroft/John_Ashcroft_0001.jpg", "John_Ashcroft/John_Ashcroft_0005.jpg"),
    (
        "Junichiro_Koizumi/Junichiro_Koizumi_0002.jpg",
        "Junichiro_Koizumi/Junichiro_Koizumi_0020.jpg",
    ),
]
DIFFERENT = [
    ("Serena_Williams/Serena_Williams_0001.jpg", "Ariel_Sharon/Ariel_Sharon_0001.jpg"),
    ("John_Ashcroft/John_Ashcroft_0001.jpg", "Junichiro_Koizumi/Junichiro_Koizumi_0002.jpg"),
    ("George_W_Bush/George_W_Bush_0001.jpg", "John_Ashcroft/John_Ashcroft_0005.jpg"),
]


def load(faces: Path, name: str) -> np.ndarray:
    return decode_image((faces / name).read_bytes())


def code_of(engine: FaceEngine, data: bytes, purpose: Purpose = Purpose.VERIFY) -> ErrorCode:
    with pytest.raises(HadirError) as info:
        engine.analyse(data, purpose)
    assert info.value.message
    return info.value.code


@pytest.mark.parametrize(("left", "right"), SAME)
def test_same_person_pairs_are_accepted(engine: FaceEngine, faces: Path, left: str, right: str):
    result = engine.compare((faces / left).read_bytes(), (faces / right).read_bytes())
    assert result.match.decision is MatchDecision.ACCEPT, result.match


@pytest.mark.parametrize(("left", "right"), DIFFERENT)
def test_different_people_are_rejected(engine: FaceEngine, faces: Path, left: str, right: str):
    result = engine.compare((faces / left).read_bytes(), (faces / right).read_bytes())
    assert result.match.decision is MatchDecision.REJECT, result.match


def test_embedding_is_unit_length_and_carries_its_contract(engine: FaceEngine, faces: Path):
    analysis = engine.analyse((faces / SAME[0][0]).read_bytes())
    vector = analysis.embedding.vector
    assert vector.shape == (128,)  # the default set: SFace (docs/fairness.md)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
    contract = analysis.embedding.contract
    assert contract.model_id.startswith("sface-")
    assert len(contract.model_sha256) == 64
    assert analysis.faces_found >= 1


def test_a_larger_photo_of_the_same_face_embeds_alike(engine: FaceEngine, faces: Path):
    image = load(faces, SAME[0][0])
    big = cv2.resize(image, (1000, 1000), interpolation=cv2.INTER_CUBIC)
    a = engine.analyse(encode_jpeg(image, 95)).embedding.vector
    b = engine.analyse(encode_jpeg(big, 95)).embedding.vector
    assert float(a @ b) > 0.9


def test_exif_rotated_photo_still_matches(engine: FaceEngine, faces: Path):
    image = load(faces, SAME[0][0])
    rotated = np.ascontiguousarray(np.rot90(image, k=1))  # stored sideways...
    exif = PilImage.Exif()
    exif[0x0112] = 6  # ...with an Orientation tag that turns it upright again
    buffer = io.BytesIO()
    PilImage.fromarray(rotated).save(buffer, format="JPEG", quality=95, exif=exif)
    upright = engine.analyse(encode_jpeg(image, 95)).embedding.vector
    restored = engine.analyse(buffer.getvalue()).embedding.vector
    assert float(upright @ restored) > 0.95


def test_photo_without_face(engine: FaceEngine):
    rng = np.random.default_rng(5)
    scene = cv2.GaussianBlur(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8), (0, 0), 6)
    cv2.rectangle(scene, (100, 100), (300, 400), (30, 90, 200), -1)
    assert code_of(engine, encode_jpeg(scene)) is ErrorCode.NO_FACE


def test_two_faces(engine: FaceEngine, faces: Path):
    pair = np.hstack([load(faces, SAME[0][0]), load(faces, DIFFERENT[0][1])])
    assert code_of(engine, encode_jpeg(pair)) is ErrorCode.MULTIPLE_FACES
    assert code_of(engine, encode_jpeg(pair), Purpose.ENROL) is ErrorCode.MULTIPLE_FACES


def test_small_background_face_refuses_enrolment_but_not_check_in(engine: FaceEngine, faces: Path):
    main = load(faces, SAME[0][0])
    canvas = np.full((400, 500, 3), 128, np.uint8)
    canvas[75:325, 0:250] = main
    small = cv2.resize(load(faces, DIFFERENT[0][1]), (110, 110), interpolation=cv2.INTER_AREA)
    canvas[20:130, 350:460] = small
    data = encode_jpeg(canvas, 95)
    assert engine.analyse(data, Purpose.VERIFY).faces_found == 2
    assert code_of(engine, data, Purpose.ENROL) is ErrorCode.MULTIPLE_FACES


def test_tiny_face(engine: FaceEngine, faces: Path):
    canvas = np.full((480, 640, 3), 120, np.uint8)
    tiny = cv2.resize(load(faces, SAME[0][0]), (70, 70), interpolation=cv2.INTER_AREA)
    canvas[200:270, 300:370] = tiny
    assert code_of(engine, encode_jpeg(canvas, 95)) is ErrorCode.FACE_TOO_SMALL


def test_blurred_face(engine: FaceEngine, faces: Path):
    blurred = cv2.GaussianBlur(load(faces, SAME[0][0]), (0, 0), 5)
    assert code_of(engine, encode_jpeg(blurred, 95)) is ErrorCode.FACE_BLURRY


def test_dark_and_bright_faces(engine: FaceEngine, faces: Path):
    image = load(faces, SAME[1][0]).astype(np.float32)
    dark = np.clip(image * 0.12, 0, 255).astype(np.uint8)
    bright = np.clip(image * 0.25 + 205, 0, 255).astype(np.uint8)
    assert code_of(engine, encode_jpeg(dark, 95)) in {ErrorCode.FACE_TOO_DARK, ErrorCode.NO_FACE}
    assert code_of(engine, encode_jpeg(bright, 95)) in {
        ErrorCode.FACE_TOO_BRIGHT,
        ErrorCode.NO_FACE,
    }


def test_truncated_jpeg(engine: FaceEngine, faces: Path):
    data = (faces / SAME[0][0]).read_bytes()
    assert code_of(engine, data[: len(data) // 2]) is ErrorCode.IMAGE_UNREADABLE


def test_png_declaring_huge_dimensions(engine: FaceEngine):
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )
    assert code_of(engine, png) is ErrorCode.IMAGE_TOO_LARGE


@pytest.mark.parametrize(
    "data", [b"", bytes(np.random.default_rng(1).integers(0, 256, 4096, np.uint8))]
)
def test_empty_and_random_bytes(engine: FaceEngine, data: bytes):
    assert code_of(engine, data) is ErrorCode.IMAGE_UNREADABLE
