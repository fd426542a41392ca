"""pHash on real dev photos: the same picture re-encoded or resized stays within the replay
distance; another photo of the same person does not."""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np
import pytest

from hadir.face.intake import decode_image, encode_jpeg
from hadir.face.phash import hamming, phash
from hadir.services.checkguard import CheckPolicy

MAX = CheckPolicy().replay_max_distance


def _same_person_pairs(faces: Path, n: int) -> list[tuple[Path, Path]]:
    with (faces / "pairs.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["same"] in ("1", "True", "true")]
    return [(faces / r["left"], faces / r["right"]) for r in rows[:n]]


def test_hamming_and_format() -> None:
    image = np.zeros((40, 40, 3), dtype=np.uint8)
    image[:, 20:] = 255
    value = phash(image)
    assert len(value) == 16 and int(value, 16) >= 0
    assert hamming(value, value) == 0
    assert hamming("0" * 16, "f" * 16) == 64


def test_re_encoded_and_resized_copies_are_near(faces: Path) -> None:
    for left, _ in _same_person_pairs(faces, 40):
        image = decode_image(left.read_bytes())
        original = phash(image)
        copies = [
            decode_image(encode_jpeg(image, quality=50)),
            np.ascontiguousarray(cv2.resize(image, (230, 230), interpolation=cv2.INTER_AREA)),
            np.ascontiguousarray(cv2.resize(image, (300, 300))),
        ]
        for copy in copies:
            assert hamming(original, phash(copy)) <= MAX, left.name


def test_other_photos_of_the_same_person_are_far(faces: Path) -> None:
    distances = [
        hamming(phash(decode_image(a.read_bytes())), phash(decode_image(b.read_bytes())))
        for a, b in _same_person_pairs(faces, 200)
    ]
    assert min(distances) > MAX
    assert float(np.median(distances)) > 3 * MAX


@pytest.mark.parametrize("size", [(1, 1), (3, 500), (500, 3)])
def test_tiny_and_thin_images_hash(size: tuple[int, int]) -> None:
    assert len(phash(np.full((*size, 3), 128, dtype=np.uint8))) == 16
