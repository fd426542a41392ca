"""Property tests of the image intake: whatever the bytes, ``decode_image`` returns an RGB
image or raises ``ImageError`` (never another exception), and pHash works on the result."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image as PilImage

from hadir.domain.errors import ErrorCode, ImageError
from hadir.face.intake import IntakeLimits, decode_image
from hadir.face.phash import phash

LIMITS = IntakeLimits(max_bytes=2_000_000, max_pixels=4_000_000)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    PilImage.fromarray(np.full((height, width, 3), 90, dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    rng = np.random.default_rng(0)
    PilImage.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(buffer, "JPEG")
    return buffer.getvalue()


PNG, JPEG = _png(), _jpeg()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` (valid CRCs)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * 3)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _intake(data: bytes) -> None:
    try:
        image = decode_image(data, LIMITS)
    except ImageError as exc:
        assert exc.code in (ErrorCode.IMAGE_UNREADABLE, ErrorCode.IMAGE_TOO_LARGE)
        return
    assert image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8
    assert image.shape[0] * image.shape[1] <= LIMITS.max_pixels
    assert len(phash(image)) == 16


@FUZZ
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\xff\xd8\xff")
@example(b"\x89PNG\r\n\x1a\n")
@example(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
def test_random_bytes(data: bytes) -> None:
    _intake(data)


@FUZZ
@given(st.sampled_from([PNG, JPEG]), st.integers(min_value=0, max_value=4000))
def test_truncated_files(source: bytes, cut: int) -> None:
    _intake(source[: min(cut, len(source))])


@FUZZ
@given(st.sampled_from([PNG, JPEG]), st.integers(min_value=0), st.binary(min_size=1, max_size=8))
def test_flipped_bytes(source: bytes, position: int, noise: bytes) -> None:
    at = position % len(source)
    _intake(source[:at] + noise + source[at + len(noise) :])


@FUZZ
@given(
    st.integers(min_value=1, max_value=2**31 - 1),
    st.integers(min_value=1, max_value=2**31 - 1),
)
@example(100_000, 100_000)
@example(2**31 - 1, 1)
def test_huge_declared_png_dimensions(width: int, height: int) -> None:
    data = png_claiming(width, height)
    if width * height > LIMITS.max_pixels:
        with pytest.raises(ImageError) as refused:
            decode_image(data, LIMITS)
        assert refused.value.code is ErrorCode.IMAGE_TOO_LARGE
    else:
        _intake(data)


POLYGLOT_TAILS = [
    b"PK\x03\x04" + b"\x00" * 26,  # a zip after the image
    b"<script>alert(1)</script>",
    b"<?php system($_GET['c']); ?>",
    b"%PDF-1.4\n1 0 obj<<>>endobj",
]


@FUZZ
@given(
    st.sampled_from([PNG, JPEG]),
    st.sampled_from(POLYGLOT_TAILS),
    st.booleans(),
)
def test_polyglots(image: bytes, other: bytes, image_first: bool) -> None:
    _intake(image + other if image_first else other + image)


def test_a_real_photo_with_a_zip_appended_still_decodes(faces: Path) -> None:
    photo = (faces / "Serena_Williams" / "Serena_Williams_0001.jpg").read_bytes()
    image = decode_image(photo + POLYGLOT_TAILS[0], LIMITS)
    assert image.shape == (250, 250, 3)
