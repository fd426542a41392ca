from __future__ import annotations

import numpy as np
import pytest

from hadir.face.align import (
    ARCFACE_112,
    crop_with_margin,
    margin_box,
    scaled_template,
    similarity_align,
    similarity_matrix,
)
from hadir.face.types import Detection


def det(box: tuple[float, float, float, float]) -> Detection:
    return Detection(box=box, score=1.0, landmarks=np.zeros((5, 2), np.float32))


def test_similarity_matrix_recovers_a_known_transform() -> None:
    angle, scale, shift = np.deg2rad(20), 1.7, np.array([5.0, -3.0])
    rot = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    target = ARCFACE_112 @ rot.T + shift
    m = similarity_matrix(ARCFACE_112, target)
    assert np.allclose(m[:, :2], rot, atol=1e-9)
    assert np.allclose(m[:, 2], shift, atol=1e-9)


def test_margin_is_relative_and_clipped() -> None:
    assert margin_box(det((100, 100, 200, 200)), 0.3, 500, 500) == (85, 85, 215, 215)
    assert margin_box(det((0, 0, 100, 100)), 0.3, 110, 110) == (0, 0, 110, 110)
    with pytest.raises(ValueError):
        margin_box(det((600, 600, 700, 700)), 0.3, 500, 500)


def test_crop_with_margin_has_the_model_size() -> None:
    image = np.zeros((300, 400, 3), np.uint8)
    image[100:200, 150:250] = 255
    crop = crop_with_margin(image, det((150, 100, 250, 200)), size=160, margin=0.0)
    assert crop.shape == (160, 160, 3)
    assert crop.dtype == np.uint8
    assert crop[5:-5, 5:-5].min() == 255


def test_similarity_align_puts_landmarks_on_the_template() -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)
    template = scaled_template(160, zoom=0.85)
    # landmarks where the template would land after a 2x upscale + shift
    landmarks = (template - 20) / 2.0 + 30
    out = similarity_align(image, landmarks.astype(np.float32), size=160, template=template)
    assert out.shape == (160, 160, 3)
    m = similarity_matrix(landmarks, template)
    mapped = landmarks @ m[:, :2].T + m[:, 2]
    assert np.allclose(mapped, template, atol=1e-6)
