"""From a detection to the fixed-size face crop a model was trained on.

Two recipes:

* ``crop_with_margin``: davidsandberg's FaceNet recipe, the MTCNN box grown by a margin,
  cropped and resized (no rotation). The margin is relative to the box, so a face fills
  the crop the same way whatever its size in pixels (32 px at 160 on LFW's ~110 px boxes).
* ``similarity_align``: a similarity transform taking the 5 landmarks to a fixed template
  (Umeyama's least-squares estimate), then ``cv2.warpAffine``.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.types import Detection, Image

# ArcFace's 112x112 template (eye, eye, nose, mouth, mouth), the de facto standard.
ARCFACE_112 = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float64,
)


def margin_box(
    detection: Detection, margin: float, height: int, width: int
) -> tuple[int, int, int, int]:
    """The detection box grown by ``margin`` x its size in total (half each side), clipped."""
    x1, y1, x2, y2 = detection.box
    grow_x = margin * (x2 - x1) / 2.0
    grow_y = margin * (y2 - y1) / 2.0
    left = int(np.floor(max(x1 - grow_x, 0.0)))
    top = int(np.floor(max(y1 - grow_y, 0.0)))
    right = int(np.ceil(min(x2 + grow_x, float(width))))
    bottom = int(np.ceil(min(y2 + grow_y, float(height))))
    if right - left < 2 or bottom - top < 2:
        raise ValueError("face box lies outside the image")
    return left, top, right, bottom


def crop_with_margin(image: Image, detection: Detection, *, size: int, margin: float) -> Image:
    """Crop the grown box and resize it to ``size`` x ``size``."""
    height, width = image.shape[:2]
    left, top, right, bottom = margin_box(detection, margin, height, width)
    crop = image[top:bottom, left:right]
    shrinking = (right - left) > size
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    out = cv2.resize(crop, (size, size), interpolation=interpolation)
    return np.ascontiguousarray(out, dtype=np.uint8)


def similarity_matrix(
    source: npt.NDArray[np.floating], target: npt.NDArray[np.floating]
) -> npt.NDArray[np.float64]:
    """The 2x3 similarity transform (rotation, uniform scale, shift) best taking
    ``source`` points to ``target`` points in the least-squares sense (Umeyama, 1991)."""
    src = np.asarray(source, dtype=np.float64)
    dst = np.asarray(target, dtype=np.float64)
    src_mean = src.mean(axis=0)
    dst_mean = dst.mean(axis=0)
    src_c = src - src_mean
    dst_c = dst - dst_mean
    covariance = dst_c.T @ src_c / src.shape[0]
    u, singular, vt = np.linalg.svd(covariance)
    d = np.ones(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        d[-1] = -1.0
    rotation = u @ np.diag(d) @ vt
    variance = (src_c**2).sum() / src.shape[0]
    scale = float((singular * d).sum() / variance) if variance > 0 else 1.0
    shift = dst_mean - scale * rotation @ src_mean
    matrix = np.zeros((2, 3), dtype=np.float64)
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = shift
    return matrix


def scaled_template(size: int, zoom: float = 1.0) -> npt.NDArray[np.float64]:
    """The ArcFace template for a ``size`` crop; ``zoom`` < 1 leaves more context around."""
    centre = np.array([56.0, 56.0])
    out: npt.NDArray[np.float64] = ((ARCFACE_112 - centre) * zoom + centre) * (size / 112.0)
    return out


def similarity_align(
    image: Image,
    landmarks: npt.NDArray[np.floating],
    *,
    size: int,
    template: npt.NDArray[np.float64],
) -> Image:
    """Warp the face so its 5 landmarks land on ``template`` in a ``size`` x ``size`` crop."""
    matrix = similarity_matrix(landmarks, template)
    out = cv2.warpAffine(
        image, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.ascontiguousarray(out, dtype=np.uint8)
