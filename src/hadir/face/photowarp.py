"""Synthetic presentation attacks: one still photo bent by a smooth 2-D warp.

Used by ``hadir liveness-eval`` and the tests. Every frame of such a burst is the same
photo with its pixels moved (a bijection of one texture): the nose pushed sideways, the
eyes and mouth pushed the other way, the whole face bent by a thin-plate spline towards
the landmarks of a turned head, or the face cut out and moved over a fixed background.
Each moves the five landmarks like a real head turn (yaw and nose parallax), which is
why the liveness check also asks whether the frames show the same texture
(:func:`hadir.face.liveness.texture_residual`).

Positions are image pixels; ``shift`` values are in inter-ocular distances, positive
towards the image's right (a positive yaw in :mod:`hadir.face.quality`).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.types import Image

Field = npt.NDArray[np.float32]

# a mean face in inter-ocular units (x to the image's right, y down, z towards the camera),
# for the landmarks of a turned head: eyes, nose tip, mouth corners, then the cheek
# contour at eye and mouth height (left, right)
_HEAD = np.array(
    [
        [-0.5, 0.0, 0.0],
        [0.5, 0.0, 0.0],
        [0.0, 0.55, 0.38],
        [-0.4, 1.1, 0.1],
        [0.4, 1.1, 0.1],
        [-0.95, 0.1, -0.45],
        [0.95, 0.1, -0.45],
        [-0.8, 1.0, -0.4],
        [0.8, 1.0, -0.4],
    ]
)


def _inter_ocular(landmarks: npt.NDArray[np.floating]) -> float:
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    return float(np.hypot(*(points[1] - points[0])))


def _remap(image: Image, dx: Field, dy: Field) -> Image:
    """``image`` with every pixel moved by about (dx, dy) (read from ``x - d(x)``: close
    to the forward move for the smooth fields used here)."""
    height, width = image.shape[:2]
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    out = cv2.remap(
        image, xs - dx, ys - dy, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
    )
    return np.ascontiguousarray(out, dtype=np.uint8)


def _bump(shape: tuple[int, int], centre: npt.NDArray[np.floating], radius: float) -> Field:
    height, width = shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    d2 = (xs - float(centre[0])) ** 2 + (ys - float(centre[1])) ** 2
    return np.exp(-d2 / (2.0 * radius**2)).astype(np.float32)


def local_shift(
    image: Image,
    centres: npt.NDArray[np.floating],
    shifts: npt.NDArray[np.floating],
    radius: float,
) -> Image:
    """Each region around ``centres[i]`` (a Gaussian of ``radius`` pixels) moved by
    ``shifts[i]`` pixels (x, y); the rest of the photo stays."""
    height, width = image.shape[:2]
    dx = np.zeros((height, width), np.float32)
    dy = np.zeros((height, width), np.float32)
    for centre, shift in zip(np.atleast_2d(centres), np.atleast_2d(shifts), strict=True):
        bump = _bump((height, width), centre, radius)
        dx += float(shift[0]) * bump
        dy += float(shift[1]) * bump
    return _remap(image, dx, dy)


def nose_warp(image: Image, landmarks: npt.NDArray[np.floating], shift: float) -> Image:
    """The nose region alone pushed sideways by ``shift`` inter-ocular distances (the
    attack that beat the head-turn check)."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    return local_shift(image, points[2:3], np.array([[shift * iod, 0.0]]), 0.3 * iod)


def eyes_warp(image: Image, landmarks: npt.NDArray[np.floating], shift: float) -> Image:
    """Both eye regions and the mouth corners pushed sideways by ``-shift``: the nose
    stays, so it seems to move by ``shift`` across the face."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    moves = np.full((4, 2), 0.0)
    moves[:, 0] = -shift * iod
    return local_shift(image, points[[0, 1, 3, 4]], moves, 0.25 * iod)


def head_points(landmarks: npt.NDArray[np.floating], yaw: float) -> tuple[Field, Field]:
    """Control points of the face in the photo (the five landmarks and four contour
    points placed from the mean face) and where a head turned by ``yaw`` degrees would
    show them."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    eye_mid = (points[0] + points[1]) / 2.0
    frontal = _HEAD[:, :2] * iod + eye_mid
    source = np.vstack([points, frontal[5:]])
    a = math.radians(yaw)
    turned_x = _HEAD[:, 0] * math.cos(a) + _HEAD[:, 2] * math.sin(a)
    target = source.copy()
    target[:, 0] += (turned_x - _HEAD[:, 0]) * iod
    return source.astype(np.float32), target.astype(np.float32)


def _tps_kernel(r2: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = r2 * np.log(r2)
    return np.nan_to_num(out)


def tps_warp(image: Image, source: Field, target: Field) -> Image:
    """``image`` bent by the thin-plate spline that carries ``source`` points onto
    ``target`` (the frame's border is pinned)."""
    height, width = image.shape[:2]
    border = np.array(
        [[x, y] for x in (0, width / 2, width - 1) for y in (0, height / 2, height - 1)]
    )
    border = border[~((border[:, 0] == width / 2) & (border[:, 1] == height / 2))]
    dst = np.vstack([target, border]).astype(np.float64)
    src = np.vstack([source, border]).astype(np.float64)
    # the backward map: a spline from target positions to source positions
    n = len(dst)
    k = _tps_kernel(((dst[:, None, :] - dst[None, :, :]) ** 2).sum(-1))
    p = np.hstack([np.ones((n, 1)), dst])
    system = np.zeros((n + 3, n + 3))
    system[:n, :n] = k + 1e-6 * np.eye(n)
    system[:n, n:] = p
    system[n:, :n] = p.T
    rhs = np.zeros((n + 3, 2))
    rhs[:n] = src
    coef = np.linalg.solve(system, rhs)
    step = 4  # the spline on a coarse grid, resized (smooth anyway)
    gx, gy = np.meshgrid(np.arange(0, width + step, step), np.arange(0, height + step, step))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float64)
    u = _tps_kernel(((grid[:, None, :] - dst[None, :, :]) ** 2).sum(-1))
    mapped = u @ coef[:n] + np.hstack([np.ones((len(grid), 1)), grid]) @ coef[n:]
    map_x = mapped[:, 0].reshape(gx.shape).astype(np.float32)
    map_y = mapped[:, 1].reshape(gx.shape).astype(np.float32)
    size = (gx.shape[1] * step, gx.shape[0] * step)
    map_x = cv2.resize(map_x, size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    map_y = cv2.resize(map_y, size, interpolation=cv2.INTER_LINEAR)[:height, :width]
    out = cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return np.ascontiguousarray(out, dtype=np.uint8)


def turned_face(image: Image, landmarks: npt.NDArray[np.floating], yaw: float) -> Image:
    """The whole face bent (thin-plate spline) towards a head turned ``yaw`` degrees."""
    source, target = head_points(landmarks, yaw)
    return tps_warp(image, source, target)


def cutout_over(
    image: Image,
    background: Image,
    landmarks: npt.NDArray[np.floating],
    *,
    angle: float,
    squeeze: float,
    offset: tuple[float, float],
) -> Image:
    """The face (an ellipse around the landmarks) cut out of ``image`` and laid on
    ``background`` (same size), rotated ``angle`` degrees, narrowed ``squeeze`` times
    across and moved by ``offset`` inter-ocular distances: an affine move of a flat
    cut-out."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    height, width = image.shape[:2]
    centre = points.mean(axis=0)
    mask = np.zeros((height, width), np.float32)
    axes = (int(round(1.05 * iod)), int(round(1.45 * iod)))
    cv2.ellipse(mask, (int(centre[0]), int(centre[1])), axes, 0.0, 0.0, 360.0, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 0.05 * iod)
    rotation = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)
    affine = np.vstack([rotation, [0.0, 0.0, 1.0]])
    narrow = np.array(
        [[squeeze, 0.0, (1 - squeeze) * centre[0]], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    )
    move = np.array([[1.0, 0.0, offset[0] * iod], [0.0, 1.0, offset[1] * iod], [0, 0, 1.0]])
    matrix = (move @ narrow @ affine)[:2]
    face = cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_LINEAR)[..., None]
    out = alpha * face.astype(np.float32) + (1.0 - alpha) * background.astype(np.float32)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def photometric_jitter(image: Image, rng: np.random.Generator) -> Image:
    """A camera's frame-to-frame changes: a little gain, offset and sensor noise."""
    gain = rng.uniform(0.92, 1.08)
    offset = rng.uniform(-8.0, 8.0)
    noisy = image.astype(np.float32) * gain + offset + rng.normal(0.0, 2.0, image.shape)
    return np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
