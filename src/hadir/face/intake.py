"""Uploaded bytes to an RGB uint8 image, refusing anything unsafe or unreadable.

Only JPEG, PNG and WebP are accepted. The declared size is checked against
:class:`IntakeLimits` from the file header, before any pixel is decoded, so a small file
that claims to be huge (a "decompression bomb") is refused without allocating it.

Memory (issue 13, finding 2): the header gives dimensions and mode, so the bytes the
decoder will hold are known before decoding (``decoded_bytes``: Pillow keeps 1, 2 or 4
bytes a pixel); over ``max_decode_bytes`` the photo is ``image_too_large``. A JPEG is
decoded at a reduced DCT scale when larger than ``max_side`` (``draft``); every image is
then shrunk to ``max_side`` *before* any conversion, so orientation, transparency and
16-bit handling work on the small copy, in 16-bit arithmetic at most. The peak per
request is about ``max_decode_bytes`` plus a few tens of MB (bench/memory.py).
Every failure is an :class:`~hadir.domain.errors.ImageError`; no other exception type
leaves :func:`decode_image`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PilImage
from PIL import ImageOps, UnidentifiedImageError

from hadir.domain.errors import ErrorCode, HadirError, ImageError
from hadir.face.memory import TRIM_AFTER_BYTES, trim
from hadir.face.types import Image

ACCEPTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
"""Pillow format names :func:`decode_image` opens; every other format is refused."""

_WHITE = 255
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})
MIB = 1 << 20
MAX_DECODE_BYTES = 96 * MIB
"""What the decoder may hold for one photo: a 24-Mpx RGB photo (6000 x 4000, 4 bytes a
pixel in Pillow). A JPEG this large is decoded at 1/2 or 1/4 scale anyway; the bound bites
on PNG/WebP, which cannot be decoded reduced (a 6300 x 6300 RGBA PNG needs 159 MB)."""
MAX_SIDE = 2560
"""Longest side kept after decoding. Detection works at 1280 px and the aligned face is
112-160 px; a face filling a 2560-px frame is still far above what the models see."""


@dataclass(frozen=True)
class IntakeLimits:
    """Upper bounds on an uploaded image: encoded size in bytes, declared size in pixels,
    bytes the decoder may hold, and the longest side kept after decoding."""

    max_bytes: int = 10_000_000
    max_pixels: int = 40_000_000
    max_decode_bytes: int = MAX_DECODE_BYTES
    max_side: int = MAX_SIDE


def decoded_bytes(mode: str, width: int, height: int) -> int:
    """Bytes Pillow holds for a ``mode`` image of ``width`` x ``height``: 1 a pixel for
    bilevel, grey and palette, 2 for 16-bit grey, 4 for everything else (RGB included);
    twice that with alpha, because shrinking premultiplies it into a full-size copy."""
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    copies = 2 if mode in ("RGBA", "LA", "PA") else 1
    return width * height * per_pixel * copies


def decode_image(data: bytes, limits: IntakeLimits = IntakeLimits()) -> Image:
    """Decode ``data`` (JPEG, PNG or WebP) into a C-contiguous RGB uint8 array (H, W, 3).

    EXIF orientation is applied, transparency is composited on white, 16-bit greyscale is
    scaled to 8 bits, and animated files give their first frame.

    Raises:
        ImageError: ``image_too_large`` if the bytes or the declared pixel count exceed
            ``limits``; ``image_unreadable`` for empty, truncated, corrupt or
            unsupported data.
    """
    _check_byte_size(data, limits)
    try:
        return _decode(data, limits)
    except HadirError:
        raise
    except PilImage.DecompressionBombError as exc:
        raise _too_large_pixels(None, None, limits) from exc
    except UnidentifiedImageError as exc:
        raise ImageError(
            "This file is not a supported photo. Send a JPEG, PNG or WebP image.",
            code=ErrorCode.IMAGE_UNREADABLE,
            reason=str(exc),
        ) from exc
    except MemoryError as exc:
        raise ImageError(
            "The image is too large to process. Send a smaller photo.",
            code=ErrorCode.IMAGE_TOO_LARGE,
        ) from exc
    except Exception as exc:  # Pillow raises many types on corrupt input
        raise ImageError(
            "The photo is damaged or incomplete and could not be read. Take or send it again.",
            code=ErrorCode.IMAGE_UNREADABLE,
            reason=f"{type(exc).__name__}: {exc}",
        ) from exc


def downscale(image: Image, max_side: int) -> tuple[Image, float]:
    """Shrink ``image`` so its longest side is at most ``max_side`` pixels.

    Returns the (possibly untouched) image and ``scale`` such that
    ``original coordinates = small coordinates * scale`` (``1.0`` when untouched).
    """
    if max_side <= 0:
        raise ValueError(f"max_side must be positive, got {max_side}")
    height, width = image.shape[:2]
    longest = max(height, width)
    if longest <= max_side:
        return image, 1.0
    factor = max_side / longest
    new_width = max(1, round(width * factor))
    new_height = max(1, round(height * factor))
    small = cv2.resize(image, (new_width, new_height), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(small, dtype=np.uint8), longest / max_side


def encode_jpeg(image: Image, quality: int = 90) -> bytes:
    """Encode an RGB uint8 image as JPEG bytes."""
    buffer = io.BytesIO()
    PilImage.fromarray(np.ascontiguousarray(image, dtype=np.uint8), mode="RGB").save(
        buffer, format="JPEG", quality=quality
    )
    return buffer.getvalue()


def _check_byte_size(data: bytes, limits: IntakeLimits) -> None:
    if not data:
        raise ImageError(
            "The uploaded file is empty. Send a JPEG, PNG or WebP photo.",
            code=ErrorCode.IMAGE_UNREADABLE,
        )
    if len(data) > limits.max_bytes:
        raise ImageError(
            f"The file is too large ({len(data):,} bytes; the limit is "
            f"{limits.max_bytes:,}). Send a smaller photo.",
            code=ErrorCode.IMAGE_TOO_LARGE,
            size_bytes=len(data),
            max_bytes=limits.max_bytes,
        )


def _too_large_pixels(width: int | None, height: int | None, limits: IntakeLimits) -> ImageError:
    return ImageError(
        f"The photo has too many pixels (the limit is {limits.max_pixels:,}). "
        "Send a smaller photo.",
        code=ErrorCode.IMAGE_TOO_LARGE,
        width=width,
        height=height,
        max_pixels=limits.max_pixels,
    )


def _too_large_decode(width: int, height: int, need: int, limits: IntakeLimits) -> ImageError:
    return ImageError(
        f"The photo is too large to process ({width}x{height} pixels would need "
        f"{need // MIB} MB; the limit is {limits.max_decode_bytes // MIB} MB). "
        "Send a smaller photo (a phone camera's JPEG is fine).",
        code=ErrorCode.IMAGE_TOO_LARGE,
        width=width,
        height=height,
        decode_bytes=need,
        max_decode_bytes=limits.max_decode_bytes,
    )


def _decode(data: bytes, limits: IntakeLimits) -> Image:
    held: list[int] = []
    try:
        return _decode_rgb(data, limits, held)
    finally:
        if held and held[0] >= TRIM_AFTER_BYTES:
            trim()  # the full-size pixels are freed by now; give their pages back


def _decode_rgb(data: bytes, limits: IntakeLimits, held: list[int]) -> Image:
    # Image.open only parses the header: nothing is decoded until load().
    with PilImage.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as opened:
        width, height = opened.size
        if width <= 0 or height <= 0:
            raise ValueError(f"invalid dimensions {width}x{height}")
        if width * height > limits.max_pixels:
            raise _too_large_pixels(width, height, limits)
        opened.seek(0)  # animated files: the first frame
        longest = max(width, height)
        if opened.format == "JPEG" and longest > limits.max_side:
            # DCT scaling: the decoder itself produces 1/2, 1/4 or 1/8 of the pixels
            factor = limits.max_side / longest
            opened.draft(None, (max(1, int(width * factor)), max(1, int(height * factor))))
        need = decoded_bytes(opened.mode, *opened.size)
        if need > limits.max_decode_bytes:
            raise _too_large_decode(width, height, need, limits)
        held.append(need)
        opened.load()  # raises OSError on truncated data
        small = _shrink(opened, limits.max_side)
        oriented = ImageOps.exif_transpose(small)
        rgb = _to_rgb(oriented)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"conversion produced {rgb.dtype} array of shape {rgb.shape}")
    return np.ascontiguousarray(rgb)


def _shrink(image: PilImage.Image, max_side: int) -> PilImage.Image:
    """``image`` with its longest side at most ``max_side`` (integer box reduction, then
    a bilinear resize; a new, small image: the full-size one is freed with its file)."""
    width, height = image.size
    longest = max(width, height)
    if longest <= max_side:
        return image
    size = (max(1, round(width * max_side / longest)), max(1, round(height * max_side / longest)))
    small = image.resize(size, PilImage.Resampling.BILINEAR, reducing_gap=2.0)
    small.info = dict(image.info)  # keeps EXIF orientation and the transparency key
    return small


def _to_rgb(image: PilImage.Image) -> Image:
    """Any Pillow mode to an RGB uint8 array."""
    mode = image.mode
    if _has_alpha(image):
        return _composite_on_white(image.convert("RGBA"))
    if mode == "RGB":
        return np.asarray(image, dtype=np.uint8)
    if mode in _SIXTEEN_BIT_MODES:
        return _grey_to_rgb(_sixteen_to_eight(np.asarray(image)))
    if mode == "F":
        return _grey_to_rgb(_float_to_eight(np.asarray(image, dtype=np.float32)))
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _has_alpha(image: PilImage.Image) -> bool:
    if image.mode in {"RGBA", "LA", "PA", "RGBa", "La"}:
        return True
    return image.mode in {"1", "P", "L", "RGB"} and "transparency" in image.info


def _composite_on_white(rgba: PilImage.Image) -> Image:
    """Blend on white inside Pillow (8-bit, one new image; no wide numpy copies)."""
    white = PilImage.new("RGBA", rgba.size, (_WHITE, _WHITE, _WHITE, 255))
    return np.asarray(PilImage.alpha_composite(white, rgba).convert("RGB"), dtype=np.uint8)


def _sixteen_to_eight(values: npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    """16-bit (or 32-bit integer) samples to 8 bits: 0..65535 maps to 0..255."""
    wide: npt.NDArray[np.uint32] = np.clip(values, 0, 65535).astype(np.uint32)
    wide *= 255
    wide += 32767
    wide //= 65535
    return wide.astype(np.uint8)


def _float_to_eight(values: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Float samples to 8 bits: treated as 0..1 when they all fit there, else 0..255."""
    finite = np.nan_to_num(values, nan=0.0, posinf=255.0, neginf=0.0)
    if finite.size and float(finite.min()) >= 0.0 and float(finite.max()) <= 1.0:
        finite = finite * 255.0
    return np.clip(np.rint(finite), 0, 255).astype(np.uint8)


def _grey_to_rgb(grey: npt.NDArray[np.uint8]) -> Image:
    return np.repeat(grey[:, :, np.newaxis], 3, axis=2)
