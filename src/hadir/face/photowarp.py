"""Synthetic presentation attacks: one still photo bent by a smooth 2-D warp.

Used by ``hadir liveness-eval`` and the tests. Every frame of such a burst is the same
photo with its pixels moved (a bijection of one texture): the nose pushed sideways, the
eye and mouth regions pushed (dragging the nose further), the whole face bent by a
thin-plate spline towards the landmarks of a turned head, or the face cut out and moved
over a fixed background. Each moves the five landmarks like a real head turn (yaw and
nose parallax), which is why the liveness check also asks whether the frames show the
same texture (:func:`hadir.face.texture.texture_change`).

Positions are image pixels; ``shift`` values are in inter-ocular distances, positive
towards the image's right (a positive yaw in :mod:`hadir.face.quality`).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.texture import tps_warp
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
    return np.asarray(np.exp(-d2 / (2.0 * radius**2)), dtype=np.float32)


def local_shift(
    image: Image,
    centres: npt.NDArray[np.floating],
    shifts: npt.NDArray[np.floating],
    radius: float,
) -> Image:
    """Each region around ``centres[i]`` (a Gaussian of ``radius`` pixels) moved by
    ``shifts[i]`` pixels (x, y); the rest of the photo stays. Strong moves with a small
    ``radius`` fold the photo over itself (visibly torn features)."""
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
    """The eye and mouth-corner regions pushed sideways by ``1.3 * shift`` (Gaussians of
    0.4 inter-ocular distances, wide enough to overlap over the nose, which is dragged
    further than the eyes): the landmarks move like a turn towards ``shift``."""
    return _push_eyes_and_mouth(image, landmarks, shift, np.array([[1.0, 0.0]] * 4))


def eyes_folded_in_place(
    image: Image, landmarks: npt.NDArray[np.floating], shift: float, *, vertical: bool
) -> Image:
    """The eye and mouth-corner regions folded without a turn: pushed ``1.3 * shift``
    apart (left ones left, right ones right) or, with ``vertical``, the eyes up and the
    mouth corners down. Yaw stays about where it was, so such a frame can stand in the
    middle of a turn whose ends are :func:`eyes_warp` frames, and no frame of the burst
    is the photo itself."""
    if vertical:
        directions = np.array([[0.0, -1.0], [0.0, -1.0], [0.0, 1.0], [0.0, 1.0]])
    else:
        directions = np.array([[-1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [1.0, 0.0]])
    return _push_eyes_and_mouth(image, landmarks, shift, directions)


def _push_eyes_and_mouth(
    image: Image,
    landmarks: npt.NDArray[np.floating],
    shift: float,
    directions: npt.NDArray[np.float64],
) -> Image:
    """The eyes' and mouth corners' regions (Gaussians of 0.4 inter-ocular distances)
    each moved ``1.3 * shift`` inter-ocular distances along its row of ``directions``."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    return local_shift(image, points[[0, 1, 3, 4]], directions * 1.3 * shift * iod, 0.4 * iod)


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
    drawn = np.zeros((height, width), np.float32)
    axes = (round(1.05 * iod), round(1.45 * iod))
    cv2.ellipse(drawn, (int(centre[0]), int(centre[1])), axes, 0.0, 0.0, 360.0, 1.0, -1)
    mask = cv2.GaussianBlur(drawn, (0, 0), 0.05 * iod)
    rotation = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 1.0)
    affine = np.vstack([rotation, [0.0, 0.0, 1.0]])
    narrow = np.array([[squeeze, 0.0, (1 - squeeze) * centre[0]], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
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


WARP_KINDS = (
    "warp_nose",
    "warp_eyes",
    "warp_face_tps",
    "warp_cutout",
    "warp_mirror",
    "warp_folds",
)
"""The attack kinds :func:`turn_bursts` builds."""


def _background(image: Image, landmarks: npt.NDArray[np.floating]) -> Image:
    """``image`` with the face painted over from its surroundings (a fixed scene)."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    iod = _inter_ocular(points)
    centre = points.mean(axis=0)
    mask = np.zeros(image.shape[:2], np.uint8)
    axes = (round(1.4 * iod), round(1.9 * iod))
    cv2.ellipse(mask, (int(centre[0]), int(centre[1])), axes, 0.0, 0.0, 360.0, 255, -1)
    return np.ascontiguousarray(cv2.inpaint(image, mask, 5, cv2.INPAINT_TELEA), np.uint8)


def turn_bursts(
    image: Image, landmarks: npt.NDArray[np.floating], rng: np.random.Generator
) -> dict[str, tuple[Image, ...]]:
    """Head-turn bursts (frontal, turned to the person's left, frontal, to their right)
    made from one photo, by kind (:data:`WARP_KINDS`), each frame with a camera's
    photometric jitter. Strengths are drawn so that the landmarks move like a turn of 20
    to 35 degrees each way: the nose pushed 0.35-0.55 inter-ocular distances, the eyes and
    mouth pushed with it, the face bent towards a head turned 25-35 degrees, the face
    cut out (with its nose pushed) and moved, narrowed and rotated over a fixed background,
    the nose pushed with the turned frame mirrored for the other side, and every frame
    folded (``warp_folds``: the ends as ``warp_eyes``, the frames between folded in place
    half as much to as much, so that the photo itself is never shown: the attack that
    answers the texture test's comparing the middle of the turn with its ends)."""
    shift = float(rng.choice([0.35, 0.45, 0.55]))
    yaw = float(rng.choice([25.0, 30.0, 35.0]))
    steps = (0.0, 1.0, 0.0, -1.0)
    scene = _background(image, landmarks)

    def cut(step: float) -> Image:
        pushed = nose_warp(image, landmarks, step * shift)
        return cutout_over(
            pushed,
            scene,
            landmarks,
            angle=float(rng.uniform(-6.0, 6.0)),
            squeeze=1.0 - 0.4 * abs(step * shift),
            offset=(0.6 * step * shift, 0.0),
        )

    turned = nose_warp(image, landmarks, shift)
    bursts = {
        "warp_nose": tuple(nose_warp(image, landmarks, s * shift) for s in steps),
        "warp_eyes": tuple(eyes_warp(image, landmarks, s * shift) for s in steps),
        "warp_face_tps": tuple(turned_face(image, landmarks, s * yaw) for s in steps),
        "warp_cutout": tuple(cut(s) for s in steps),
        "warp_mirror": (image, turned, np.ascontiguousarray(turned[:, ::-1])),
    }
    jittered = {k: tuple(photometric_jitter(f, rng) for f in v) for k, v in bursts.items()}
    # drawn from a child generator: the kinds above get the same frames as before this
    # kind was added, for the same ``rng``
    own = rng.spawn(1)[0]
    vertical = bool(own.integers(2))
    middle = shift * float(own.choice([0.5, 0.75, 1.0]))  # milder folds keep the identity
    folded = (
        eyes_folded_in_place(image, landmarks, middle, vertical=vertical),
        eyes_warp(image, landmarks, shift),
        eyes_folded_in_place(image, landmarks, -middle, vertical=vertical),
        eyes_warp(image, landmarks, -shift),
    )
    jittered["warp_folds"] = tuple(photometric_jitter(f, own) for f in folded)
    return jittered
