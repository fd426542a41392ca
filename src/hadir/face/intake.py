"""Uploaded bytes to an RGB uint8 image, refusing anything unsafe or unreadable.

Only JPEG, PNG and WebP are accepted. The declared size is checked against
:class:`IntakeLimits` from the file header, before any pixel is decoded, so a small file
that claims to be huge (a "decompression bomb") is refused without allocating it.
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
from hadir.face.types import Image

ACCEPTED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
"""Pillow format names :func:`decode_image` opens; every other format is refused."""

_WHITE = 255
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I"})


@dataclass(frozen=True)
class IntakeLimits:
    """Upper bounds on an uploaded image: encoded size in bytes, decoded size in pixels."""

    max_bytes: int = 10_000_000
    max_pixels: int = 40_000_000


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


def _decode(data: bytes, limits: IntakeLimits) -> Image:
    # Image.open only parses the header: nothing is decoded until load().
    with PilImage.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS)) as opened:
        width, height = opened.size
        if width <= 0 or height <= 0:
            raise ValueError(f"invalid dimensions {width}x{height}")
        if width * height > limits.max_pixels:
            raise _too_large_pixels(width, height, limits)
        opened.seek(0)  # animated files: the first frame
        opened.load()  # raises OSError on truncated data
        oriented = ImageOps.exif_transpose(opened)
        rgb = _to_rgb(oriented)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"conversion produced {rgb.dtype} array of shape {rgb.shape}")
    return np.ascontiguousarray(rgb)


def _to_rgb(image: PilImage.Image) -> Image:
    """Any Pillow mode to an RGB uint8 array."""
    mode = image.mode
    if _has_alpha(image):
        rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
        return _composite_on_white(rgba)
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


def _composite_on_white(rgba: npt.NDArray[np.uint8]) -> Image:
    rgb = rgba[..., :3].astype(np.uint32)
    alpha = rgba[..., 3:4].astype(np.uint32)
    blended = (rgb * alpha + _WHITE * (255 - alpha) + 127) // 255
    return blended.astype(np.uint8)


def _sixteen_to_eight(values: npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    """16-bit (or 32-bit integer) samples to 8 bits: 0..65535 maps to 0..255."""
    wide = np.clip(values.astype(np.int64), 0, 65535)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def _float_to_eight(values: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Float samples to 8 bits: treated as 0..1 when they all fit there, else 0..255."""
    finite = np.nan_to_num(values, nan=0.0, posinf=255.0, neginf=0.0)
    if finite.size and float(finite.min()) >= 0.0 and float(finite.max()) <= 1.0:
        finite = finite * 255.0
    return np.clip(np.rint(finite), 0, 255).astype(np.uint8)


def _grey_to_rgb(grey: npt.NDArray[np.uint8]) -> Image:
    return np.repeat(grey[:, :, np.newaxis], 3, axis=2)
