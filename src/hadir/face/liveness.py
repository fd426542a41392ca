"""Liveness from the geometry of a short burst of frames (no extra model).

The server asks for a motion (turn the head left then right, or come closer) and gets
3-8 frames taken during it. Each frame gives the detector's box and five landmarks
(eyes, nose tip, mouth corners; MTCNN order, image pixels). From those alone:

* **yaw** (:func:`hadir.face.quality.yaw_from_landmarks`): the nose tip's offset from
  the eye/mouth midline, over the inter-ocular distance. Positive when the person has
  turned towards *their own left* in an unmirrored camera frame.
* **parallax** (:func:`nose_parallax`): the affine map that best carries one frame's
  eyes and mouth corners onto another's also predicts where the nose goes *if the face
  is flat*. A printed photo or a screen moved, tilted or turned in front of the camera
  moves all five points by one plane-to-plane map (near-affine at arm's length), so the
  nose lands where predicted. A real head turning moves the nose tip, which stands about
  2 cm in front of the eyes, across the face: the miss, over the inter-ocular distance,
  is the parallax.
* **scale** (:func:`face_scale`): the face box's shorter side over the frame's shorter
  side, for "come closer".
* **distinctness** (:func:`patch_difference`): mean absolute difference of the face
  crops, aligned on the landmarks and shrunk to a small grey square.
* **texture change** (:func:`hadir.face.texture.texture_change`): evidence from the
  pixels, not the landmarks. Five landmarks can be moved by a smooth 2-D warp of one
  photo (the nose pushed sideways moves yaw and parallax like a turn); a warp keeps every
  pixel's content, a head turning does not. Between each extreme of the turn and the
  other extreme, the most frontal frame and the frame in the middle of the turn
  (:func:`texture_pairs`), what is left after the best smooth warp must be a large part
  of the face's texture.

"Come closer" only proves that the frames differ and the face grows: a photo brought
closer does the same. Only the turn separates a head from a flat picture (see
``docs/security.md (Liveness)``). Neither resists a video of the person turning their head.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.align import scaled_template, similarity_align
from hadir.face.quality import yaw_from_landmarks
from hadir.face.texture import FaceTexture, texture_change
from hadir.face.types import Box, Image

PATCH_SIDE = 32
"""Side of the grey face crop compared between frames."""

_OUTER = (0, 1, 3, 4)
"""Eyes and mouth corners: the points that fit the flat-face map."""
_NOSE = 2

T = TypeVar("T")


class ChallengeAction(StrEnum):
    TURN_LEFT_RIGHT = "turn_left_right"
    COME_CLOSER = "come_closer"


class LivenessReason(StrEnum):
    """Why a burst was refused."""

    TOO_FEW_FRAMES = "too_few_frames"
    IDENTICAL_FRAMES = "identical_frames"
    IDENTITY_CHANGED = "identity_changed"
    NO_MOTION = "no_motion"
    WRONG_DIRECTION = "wrong_direction"
    PLANAR_MOTION = "planar_motion"
    SAME_TEXTURE = "same_texture"


@dataclass(frozen=True)
class LivenessThresholds:
    """Limits of :func:`judge`. Defaults tuned with ``hadir liveness-eval`` on the dev
    faces (genuine sequences of real head poses against flat-photo, still and swapped
    attacks); see ``docs/security.md (Liveness)`` for the measured distributions."""

    min_frames: int = 3
    max_frames: int = 8
    min_patch_difference: float = 1.5
    """Grey levels (0-255): the most different pair of aligned face crops must differ at
    least this much on average, else ``identical_frames``. Only a backstop for the same
    picture sent again: re-encoding a still moves MTCNN's landmarks enough to give 1-12
    (measured), so stills are refused by the motion tests; a real turn gives 29 or more."""
    min_yaw_span: float = 25.0
    """Degrees between the most-left and the most-right frame of a turn. Genuine dev
    sequences (each side at least 15 degrees) span 33 or more; a sheet turned up to 35
    degrees reaches 43 at worst, because MTCNN's landmarks exaggerate foreshortening
    (the parallax is the real test)."""
    min_parallax: float = 0.22
    """The largest nose parallax between two frames of a turn, over the inter-ocular
    distance; below it the motion is that of a flat picture (``planar_motion``).
    Geometry alone gives a sheet about 0.03 and a head turning 25 degrees each way about
    0.36; with MTCNN's landmark error, sheets reach 0.31 (95th percentile 0.21) and
    genuine dev turns go down to 0.24 (5th percentile 0.28)."""
    min_texture_change: float = 0.30
    """The smallest :func:`hadir.face.texture.texture_change` (both ways) over
    :func:`texture_pairs`; below it the frames are one photo bent by a smooth warp
    (``same_texture``). Tuned on half ``a`` of the dev people only (``hadir
    liveness-eval --half a --people 60``): genuine turns 0.33 at least (5th percentile
    0.36), every warp kind 0.28 at most (95th percentiles 0.02-0.20). The warps that
    still passed (folds of a photo taken off-frontal, whose folded frames were compared
    only with each other) are refused since the middle of the turn is compared too: on
    held-out half ``b`` (89 people, four seeds) every warp kind passes 0 / 356 times,
    genuine turns are refused 1 / 45 (docs/security.md, Warp attacks, round 4)."""
    min_scale_gain: float = 1.15
    """Come closer: the largest face scale after the first frame over the first one (and
    the last frame larger than the first)."""


@dataclass(frozen=True)
class FrameObservation:
    """What :func:`judge` needs of one frame."""

    landmarks: npt.NDArray[np.float32]
    box: Box
    image_size: tuple[int, int]
    """(height, width) of the frame."""
    patch: npt.NDArray[np.uint8] | None = None
    """The grey face crop (:func:`face_patch`); ``None`` skips the distinctness test."""
    digest: bytes | None = None
    """A hash of the frame's bytes: equal digests are identical frames."""
    same_person: bool = True
    """Whether the frame matched the claimed (or identified) employee."""
    texture: FaceTexture | None = None
    """The aligned grey face (:func:`hadir.face.texture.face_texture`); ``None`` skips
    the texture test."""

    @property
    def yaw(self) -> float:
        return yaw_from_landmarks(self.landmarks)

    @property
    def scale(self) -> float:
        return face_scale(self.box, self.image_size)


@dataclass(frozen=True)
class LivenessMeasures:
    yaw: tuple[float, ...]
    scale: tuple[float, ...]
    parallax: float
    patch_difference: float | None
    texture_change: float | None = None
    """The smallest :func:`hadir.face.texture.texture_change` over the frames of
    :func:`texture_pairs` (``None`` without textures)."""


@dataclass(frozen=True)
class LivenessVerdict:
    passed: bool
    reason: LivenessReason | None
    measures: LivenessMeasures | None
    best_frame: int
    """Index of the most frontal frame (the one to record attendance with)."""


def face_scale(box: Box, image_size: tuple[int, int]) -> float:
    """The box's shorter side over the frame's shorter side."""
    side = min(box[2] - box[0], box[3] - box[1])
    return float(side / max(1, min(image_size)))


def _inter_ocular(points: npt.NDArray[np.float64]) -> float:
    return float(np.hypot(*(points[1] - points[0])))


def nose_parallax(a: npt.NDArray[np.floating], b: npt.NDArray[np.floating]) -> float:
    """How far frame ``b``'s nose is from where a flat face would put it, over ``b``'s
    inter-ocular distance: the least-squares affine map of ``a``'s eyes and mouth corners
    onto ``b``'s, applied to ``a``'s nose."""
    pa = np.asarray(a, dtype=np.float64).reshape(5, 2)
    pb = np.asarray(b, dtype=np.float64).reshape(5, 2)
    src = np.hstack([pa[list(_OUTER)], np.ones((4, 1))])
    dst = pb[list(_OUTER)]
    affine, *_ = np.linalg.lstsq(src, dst, rcond=None)
    predicted = np.append(pa[_NOSE], 1.0) @ affine
    iod = _inter_ocular(pb)
    if iod < 1e-6:
        return 0.0
    return float(np.hypot(*(pb[_NOSE] - predicted)) / iod)


def face_patch(
    image: Image, landmarks: npt.NDArray[np.floating], side: int = PATCH_SIDE
) -> npt.NDArray[np.uint8]:
    """The face aligned on its five landmarks (a similarity transform to the ArcFace
    layout), in grey, ``side`` x ``side`` (aligned at 4x then area-averaged, so a pixel of
    landmark jitter or sensor noise barely shows)."""
    big = 4 * side
    aligned = similarity_align(image, landmarks, size=big, template=scaled_template(big, zoom=0.8))
    grey = cv2.cvtColor(aligned, cv2.COLOR_RGB2GRAY)
    return np.asarray(cv2.resize(grey, (side, side), interpolation=cv2.INTER_AREA), np.uint8)


def patch_difference(a: npt.NDArray[np.uint8], b: npt.NDArray[np.uint8]) -> float:
    """Mean absolute grey difference of two crops of the same side."""
    return float(np.mean(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def _max_pairwise(values: Sequence[T], fn: Callable[[T, T], float]) -> float:
    best = 0.0
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            best = max(best, float(fn(values[i], values[j])))
    return best


def texture_pairs(yaw: Sequence[float]) -> list[tuple[int, int]]:
    """The frames whose texture must differ, as index pairs ``(i, j)``, ``i < j``: the
    two extremes of yaw, each with the other and with each of two references, the most
    frontal frame and the frame nearest the middle of the turn.

    Two references, because a burst made from one photo shows that photo unwarped in
    some frames, and the landmarks of a photo taken off-frontal put the photo near one
    end of the turn, not at 0: the warped frame pushed towards the front is then the
    most frontal one, and comparing only the extremes and it never compares a warped
    frame with the photo itself (docs/security.md, Warp attacks, round 4). The middle of
    the turn is where a real head passes between its extremes, and there is always such
    a frame when the person faces the camera before turning."""
    values = np.asarray(yaw, dtype=np.float64)
    if values.size == 0:
        return []
    left, right = int(np.argmax(values)), int(np.argmin(values))
    middle = (values[left] + values[right]) / 2.0
    references = {int(np.argmin(np.abs(values))), int(np.argmin(np.abs(values - middle)))}
    pairs = {(min(left, right), max(left, right))} if left != right else set()
    for reference in references:
        for end in (left, right):
            if reference != end:
                pairs.add((min(reference, end), max(reference, end)))
    return sorted(pairs)


def _texture_change(frames: Sequence[FrameObservation], yaw: Sequence[float]) -> float | None:
    """The smallest texture change over :func:`texture_pairs`: a turn must change the
    visible texture between each of them (a single photo warped, or mirrored, leaves at
    least one pair that is the same texture moved)."""
    textures = [f.texture for f in frames]
    if not frames or any(t is None for t in textures):
        return None
    pairs = texture_pairs(yaw)
    if not pairs:
        return 0.0
    return min(
        texture_change(textures[i], textures[j])  # type: ignore[arg-type]
        for i, j in pairs
    )


def measure(frames: Sequence[FrameObservation]) -> LivenessMeasures:
    landmarks = [np.asarray(f.landmarks, dtype=np.float64) for f in frames]
    patches = [f.patch for f in frames if f.patch is not None]
    yaw = tuple(f.yaw for f in frames)
    return LivenessMeasures(
        yaw=yaw,
        scale=tuple(f.scale for f in frames),
        parallax=_max_pairwise(landmarks, nose_parallax),
        patch_difference=(
            _max_pairwise(patches, patch_difference) if len(patches) == len(frames) else None
        ),
        texture_change=_texture_change(frames, yaw),
    )


def judge(
    action: ChallengeAction | str,
    frames: Sequence[FrameObservation],
    thresholds: LivenessThresholds | None = None,
) -> LivenessVerdict:
    """Whether ``frames`` show a live face doing ``action`` (see the module docstring).

    Checked in order: the number of frames, identical frames, the identity of every
    frame, then the motion (``no_motion``, ``planar_motion``, ``same_texture``,
    ``wrong_direction``)."""
    limits = thresholds or LivenessThresholds()
    action = ChallengeAction(action)
    if not limits.min_frames <= len(frames) <= limits.max_frames:
        return LivenessVerdict(False, LivenessReason.TOO_FEW_FRAMES, None, 0)
    measures = measure(frames)
    best = int(np.argmin(np.abs(np.asarray(measures.yaw))))

    def fail(reason: LivenessReason) -> LivenessVerdict:
        return LivenessVerdict(False, reason, measures, best)

    digests = [f.digest for f in frames if f.digest is not None]
    if len(set(digests)) < len(digests):
        return fail(LivenessReason.IDENTICAL_FRAMES)
    if (
        measures.patch_difference is not None
        and measures.patch_difference < limits.min_patch_difference
    ):
        return fail(LivenessReason.IDENTICAL_FRAMES)
    if not all(f.same_person for f in frames):
        return fail(LivenessReason.IDENTITY_CHANGED)
    reason = (
        _turn_problem(measures, limits)
        if action is ChallengeAction.TURN_LEFT_RIGHT
        else _closer_problem(measures, limits)
    )
    if reason is not None:
        return fail(reason)
    return LivenessVerdict(True, None, measures, best)


def _turn_problem(m: LivenessMeasures, limits: LivenessThresholds) -> LivenessReason | None:
    """A span the size of a real turn, a nose that leaves the face plane, a texture that
    is not one photo bent, and the left extreme (positive yaw) before the right one
    (negative yaw)."""
    yaw = np.asarray(m.yaw)
    left, right = int(np.argmax(yaw)), int(np.argmin(yaw))
    span = float(yaw[left] - yaw[right])
    if span < limits.min_yaw_span:
        return LivenessReason.NO_MOTION
    if m.parallax < limits.min_parallax:
        return LivenessReason.PLANAR_MOTION
    if m.texture_change is not None and m.texture_change < limits.min_texture_change:
        return LivenessReason.SAME_TEXTURE
    if left > right:
        return LivenessReason.WRONG_DIRECTION
    return None


def _closer_problem(m: LivenessMeasures, limits: LivenessThresholds) -> LivenessReason | None:
    scale = np.asarray(m.scale)
    first = float(scale[0])
    if first <= 0:
        return LivenessReason.NO_MOTION
    gain = float(scale[1:].max()) / first
    shrink = first / max(float(scale[1:].min()), 1e-9)
    if gain >= limits.min_scale_gain and scale[-1] > first:
        return None
    if shrink >= limits.min_scale_gain:
        return LivenessReason.WRONG_DIRECTION
    return LivenessReason.NO_MOTION
