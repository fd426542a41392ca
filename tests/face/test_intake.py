"""Bytes to RGB uint8: formats, modes, orientation, and every way an upload can be bad."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage

from hadir.domain.errors import ErrorCode, ImageError
from hadir.face.intake import IntakeLimits, decode_image, downscale, encode_jpeg

FACES_DIR = Path(os.environ.get("HADIR_FACES_DIR", "/work/shared/data/faces-dev"))
REAL_PHOTO = FACES_DIR / "Aaron_Eckhart" / "Aaron_Eckhart_0001.jpg"


@pytest.fixture(scope="module")
def real_jpeg() -> bytes:
    if not REAL_PHOTO.is_file():
        pytest.fail(f"dev photo missing: {REAL_PHOTO} (set HADIR_FACES_DIR)")
    return REAL_PHOTO.read_bytes()


def _save(image: PilImage.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _assert_rgb(array: np.ndarray, shape: tuple[int, int]) -> None:
    assert array.shape == (*shape, 3)
    assert array.dtype == np.uint8
    assert array.flags.c_contiguous


def _code(data: bytes, limits: IntakeLimits = IntakeLimits()) -> ErrorCode:
    with pytest.raises(ImageError) as caught:
        decode_image(data, limits)
    assert caught.value.message  # a plain-words message for the user
    return caught.value.code


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG header declaring ``width`` x ``height`` RGB, with a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


# --- real photo and formats -------------------------------------------------------------


def test_real_jpeg_decodes(real_jpeg: bytes) -> None:
    image = decode_image(real_jpeg)
    _assert_rgb(image, (250, 250))
    assert 30 < float(image.mean()) < 230


def test_png_and_webp_round_trip(real_jpeg: bytes) -> None:
    original = decode_image(real_jpeg)
    pil = PilImage.fromarray(original)
    png = decode_image(_save(pil, "PNG"))
    np.testing.assert_array_equal(png, original)
    webp = decode_image(_save(pil, "WEBP", lossless=True))
    np.testing.assert_array_equal(webp, original)
    lossy = decode_image(_save(pil, "WEBP", quality=80))
    _assert_rgb(lossy, (250, 250))
    assert float(np.abs(lossy.astype(int) - original.astype(int)).mean()) < 8


def test_encode_jpeg_round_trip(real_jpeg: bytes) -> None:
    original = decode_image(real_jpeg)
    again = decode_image(encode_jpeg(original, quality=95))
    assert float(np.abs(again.astype(int) - original.astype(int)).mean()) < 4


# --- modes --------------------------------------------------------------------------------


def test_grayscale_jpeg() -> None:
    grey = np.tile(np.arange(0, 256, 4, dtype=np.uint8), (16, 1))  # 16 x 64
    image = decode_image(_save(PilImage.fromarray(grey, mode="L"), "PNG"))
    _assert_rgb(image, (16, 64))
    np.testing.assert_array_equal(image[..., 0], grey)
    np.testing.assert_array_equal(image[..., 0], image[..., 2])
    jpeg = decode_image(_save(PilImage.fromarray(grey, mode="L"), "JPEG", quality=95))
    _assert_rgb(jpeg, (16, 64))


def test_rgba_composited_on_white() -> None:
    rgba = np.zeros((8, 10, 4), dtype=np.uint8)
    rgba[..., 0] = 200  # red
    rgba[:, :5, 3] = 255  # left half opaque
    rgba[:, 5:, 3] = 0  # right half transparent
    image = decode_image(_save(PilImage.fromarray(rgba, mode="RGBA"), "PNG"))
    _assert_rgb(image, (8, 10))
    np.testing.assert_array_equal(image[0, 0], [200, 0, 0])
    np.testing.assert_array_equal(image[0, 9], [255, 255, 255])


def test_half_transparent_blends() -> None:
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[..., 3] = 128  # black at half opacity over white: mid grey
    image = decode_image(_save(PilImage.fromarray(rgba, mode="RGBA"), "WEBP", lossless=True))
    assert 120 <= int(image[0, 0, 0]) <= 135


def test_la_composited_on_white() -> None:
    la = PilImage.new("LA", (6, 6), (10, 0))
    image = decode_image(_save(la, "PNG"))
    np.testing.assert_array_equal(image[0, 0], [255, 255, 255])


def test_palette_with_transparency() -> None:
    palette_image = PilImage.new("P", (6, 4), 0)
    palette_image.putpalette([10, 20, 30, 250, 0, 0] + [0] * (256 * 3 - 6))
    palette_image.paste(1, (3, 0, 6, 4))
    data = _save(palette_image, "PNG", transparency=0)
    image = decode_image(data)
    _assert_rgb(image, (4, 6))
    np.testing.assert_array_equal(image[0, 0], [255, 255, 255])  # transparent index
    np.testing.assert_array_equal(image[0, 5], [250, 0, 0])


def test_palette_without_transparency() -> None:
    palette_image = PilImage.new("P", (5, 5), 1)
    palette_image.putpalette([0, 0, 0, 12, 200, 34] + [0] * (256 * 3 - 6))
    image = decode_image(_save(palette_image, "PNG"))
    np.testing.assert_array_equal(image[2, 2], [12, 200, 34])


def test_rgb_png_with_transparent_colour() -> None:
    rgb = PilImage.new("RGB", (4, 4), (1, 2, 3))
    image = decode_image(_save(rgb, "PNG", transparency=(1, 2, 3)))
    np.testing.assert_array_equal(image[0, 0], [255, 255, 255])


def test_cmyk_jpeg() -> None:
    cmyk = PilImage.new("CMYK", (8, 8), (0, 255, 255, 0))  # pure red in CMYK
    image = decode_image(_save(cmyk, "JPEG", quality=95))
    _assert_rgb(image, (8, 8))
    red, green, blue = (int(v) for v in image[4, 4])
    assert red > 220 and green < 40 and blue < 40


def test_sixteen_bit_grey_png_scaled_to_eight_bits() -> None:
    values = np.array([[0, 257, 32896, 65535]], dtype=np.uint16)
    pil = PilImage.fromarray(values)
    data = _save(pil, "PNG")
    assert PilImage.open(io.BytesIO(data)).mode.startswith("I")
    image = decode_image(data)
    _assert_rgb(image, (1, 4))
    np.testing.assert_array_equal(image[0, :, 0], [0, 1, 128, 255])


def test_sixteen_bit_rgb_png() -> None:
    height, width = 3, 4
    samples = np.full((height, width, 3), 65535, dtype=np.uint16)
    samples[..., 1] = 0
    samples[..., 2] = 32896
    raw = b"".join(b"\x00" + samples[row].astype(">u2").tobytes() for row in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(raw))
        + _png_chunk(b"IEND", b"")
    )
    image = decode_image(data)
    _assert_rgb(image, (height, width))
    np.testing.assert_array_equal(image[1, 1], [255, 0, 128])


def test_bilevel_png() -> None:
    bilevel = PilImage.new("1", (8, 8), 0)
    bilevel.putpixel((0, 0), 1)
    image = decode_image(_save(bilevel, "PNG"))
    np.testing.assert_array_equal(image[0, 0], [255, 255, 255])
    np.testing.assert_array_equal(image[1, 1], [0, 0, 0])


def test_animated_webp_and_png_give_first_frame() -> None:
    frames = [PilImage.new("RGB", (8, 8), colour) for colour in [(255, 0, 0), (0, 0, 255)]]
    for fmt, params in [("WEBP", {"lossless": True}), ("PNG", {})]:
        data = _save(frames[0], fmt, save_all=True, append_images=frames[1:], **params)
        assert getattr(PilImage.open(io.BytesIO(data)), "n_frames", 1) == 2
        image = decode_image(data)
        _assert_rgb(image, (8, 8))
        np.testing.assert_array_equal(image[4, 4], [255, 0, 0])


# --- orientation -------------------------------------------------------------------------


def test_exif_orientation_six_rotates_clockwise() -> None:
    stored = np.zeros((20, 40, 3), dtype=np.uint8)  # stored landscape: 40 wide, 20 high
    stored[:, :20] = (255, 0, 0)  # stored left half red
    pil = PilImage.fromarray(stored)
    exif = PilImage.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    image = decode_image(_save(pil, "JPEG", quality=95, exif=exif.tobytes()))
    assert image.shape == (40, 20, 3)  # displayed portrait
    top, bottom = image[5, 10], image[35, 10]
    assert top[0] > 200 and top[2] < 60  # the stored left edge is now at the top
    assert bottom[0] < 60


def test_without_exif_orientation_unchanged() -> None:
    pil = PilImage.new("RGB", (40, 20), (0, 128, 0))
    assert decode_image(_save(pil, "JPEG")).shape == (20, 40, 3)


# --- refusals ----------------------------------------------------------------------------


def test_truncated_jpeg_is_unreadable(real_jpeg: bytes) -> None:
    assert _code(real_jpeg[: len(real_jpeg) // 2]) is ErrorCode.IMAGE_UNREADABLE


def test_truncated_png_is_unreadable(real_jpeg: bytes) -> None:
    png = _save(PilImage.fromarray(decode_image(real_jpeg)), "PNG")
    assert _code(png[: len(png) // 2]) is ErrorCode.IMAGE_UNREADABLE


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is not a photo\n",
        np.random.default_rng(0).bytes(5000),
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,  # JPEG magic, garbage after
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,  # PNG magic, garbage after
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8,  # WebP magic, garbage after
    ],
    ids=["empty", "text", "random", "jpeg-magic", "png-magic", "webp-magic"],
)
def test_garbage_is_unreadable(data: bytes) -> None:
    assert _code(data) is ErrorCode.IMAGE_UNREADABLE


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "PPM", "ICO"])
def test_other_formats_are_refused(fmt: str) -> None:
    data = _save(PilImage.new("RGB", (16, 16), (9, 9, 9)), fmt)
    assert _code(data) is ErrorCode.IMAGE_UNREADABLE


def test_png_declaring_huge_dimensions_refused_without_allocating() -> None:
    data = _png_declaring(30_000, 30_000)
    assert len(data) < 200
    started = time.perf_counter()
    assert _code(data) is ErrorCode.IMAGE_TOO_LARGE
    assert time.perf_counter() - started < 0.5


def test_pixel_limit_below_pillow_bomb_limit() -> None:
    # 7000 x 7000 = 49 Mpx: under Pillow's own bomb limit, over our 40 Mpx default
    with pytest.raises(ImageError) as caught:
        decode_image(_png_declaring(7_000, 7_000))
    assert caught.value.code is ErrorCode.IMAGE_TOO_LARGE
    assert caught.value.details["width"] == 7_000


def test_pixel_limit_is_configurable(real_jpeg: bytes) -> None:
    assert _code(real_jpeg, IntakeLimits(max_pixels=250 * 249)) is ErrorCode.IMAGE_TOO_LARGE
    decode_image(real_jpeg, IntakeLimits(max_pixels=250 * 250))


def test_byte_limit(real_jpeg: bytes) -> None:
    limits = IntakeLimits(max_bytes=len(real_jpeg) - 1)
    assert _code(real_jpeg, limits) is ErrorCode.IMAGE_TOO_LARGE
    decode_image(real_jpeg, IntakeLimits(max_bytes=len(real_jpeg)))


def test_pillow_globals_untouched(real_jpeg: bytes) -> None:
    from PIL import ImageFile

    before = (PilImage.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)
    decode_image(real_jpeg)
    with pytest.raises(ImageError):
        decode_image(_png_declaring(30_000, 30_000))
    assert before == (PilImage.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES)


# --- downscale ---------------------------------------------------------------------------


def test_downscale_keeps_aspect_and_reports_factor() -> None:
    image = np.zeros((300, 1200, 3), dtype=np.uint8)
    small, scale = downscale(image, 600)
    assert small.shape == (150, 600, 3)
    assert small.dtype == np.uint8
    assert scale == pytest.approx(2.0)
    # a point in the small image maps back to the original
    assert (300 * scale, 75 * scale) == pytest.approx((600.0, 150.0))


def test_downscale_portrait_odd_factor() -> None:
    image = np.full((1000, 700, 3), 77, dtype=np.uint8)
    small, scale = downscale(image, 640)
    assert small.shape[0] == 640
    assert small.shape[1] == round(700 * 640 / 1000)
    assert scale == pytest.approx(1000 / 640)
    assert int(small[10, 10, 0]) == 77


def test_downscale_leaves_small_images_alone() -> None:
    image = np.zeros((100, 80, 3), dtype=np.uint8)
    same, scale = downscale(image, 100)
    assert same is image
    assert scale == 1.0


def test_downscale_rejects_nonpositive_side() -> None:
    with pytest.raises(ValueError):
        downscale(np.zeros((4, 4, 3), dtype=np.uint8), 0)
