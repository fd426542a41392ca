"""Quality figures of one detected face, and the gates that refuse unusable photos.

The gates are meant for clearly unusable photos (a face too far away, nearly black,
washed out, strongly blurred or turned in profile), not for ordinary imperfect ones:
the default thresholds let more than 99.5 % of the development photos through.
``docs/quality.md`` records the measurements they were chosen from and
``scripts/measure_quality.py`` reproduces them.

Conventions:

* ``yaw`` is in degrees, positive when the nose tip is to the *image's right* of the
  face's midline, i.e. the person turned towards their own left. A horizontal flip of
  the photo flips its sign. It is an approximation from five 2-D landmarks (a rigid
  mean-face model, no perspective), good to roughly ten degrees, enough to tell a frontal
  face from a profile.
* ``roll`` is in degrees, the angle of the line from the image-left eye to the
  image-right eye; positive when the image-right eye is lower (a clockwise tilt as seen
  on screen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from hadir.domain.errors import ErrorCode, FaceQualityError
from hadir.face.types import Detection, Image, QualityReport

ANALYSIS_SIDE = 64
"""Side, in pixels, of the square grey face patch the sharpness is measured on. Larger
faces are shrunk to it; smaller ones are kept at their own size, never enlarged (an
enlarged patch is blurry by construction)."""

CENTRAL_FRACTION = 0.8
"""Share of the box's width and height, around its centre, used for sharpness and
brightness, so that background and hair at the box's edges count little."""

YAW_GAIN = 2.55
"""``tan(yaw) = YAW_GAIN * offset``, where ``offset`` is the nose's horizontal offset from
the face midline divided by the inter-ocular distance. From a mean 3-D face: eye centres
63 mm apart, nose tip about 24 mm in front of the midpoint of the eye and mouth lines."""


@dataclass(frozen=True)
class QualityThresholds:
    """Limits a face must respect to be enrolled or verified. See ``docs/quality.md``."""

    min_face_px: float = 40.0
    """The face box's shorter side, in pixels of the decoded photo."""
    min_highlight: float = 50.0
    """The face's 95th-percentile luma (0-255) must reach this, else ``face_too_dark``."""
    max_shadow: float = 180.0
    """The face's 5th-percentile luma (0-255) must stay below this, else
    ``face_too_bright``."""
    min_sharpness: float = 0.5
    """See :func:`sharpness`; below it, ``face_blurry``."""
    max_abs_yaw: float = 60.0
    """Degrees; see the module's conventions."""
    max_abs_roll: float = 45.0
    """Degrees. Alignment corrects roll, so only an extreme tilt is refused."""


def measure_quality(image: Image, detection: Detection) -> QualityReport:
    """Measure size, sharpness, exposure and pose of ``detection`` in ``image``."""
    grey = face_luma(image, detection)
    landmarks = np.asarray(detection.landmarks, dtype=np.float64)
    shadow, highlight = luma_levels(grey)
    return QualityReport(
        face_size_px=float(detection.size),
        sharpness=sharpness(analysis_patch(grey)),
        brightness=brightness(grey),
        yaw=yaw_from_landmarks(landmarks),
        detection_score=float(detection.score),
        roll=roll_from_landmarks(landmarks),
        shadow=shadow,
        highlight=highlight,
    )


def check_quality(report: QualityReport, thresholds: QualityThresholds) -> None:
    """Raise :class:`FaceQualityError` for the first gate ``report`` fails.

    Order: size, then darkness and brightness, then blur, then pose, so that the user
    hears about the cause most likely to explain the others first (a tiny or dark face
    also measures as blurry).
    """
    _check_size(report, thresholds)
    _check_exposure(report, thresholds)
    _check_sharpness(report, thresholds)
    _check_pose(report, thresholds)


def face_luma(image: Image, detection: Detection) -> npt.NDArray[np.uint8]:
    """The luma (Rec. 601 grey) of the centre of the face box, at the photo's resolution.

    The centre is :data:`CENTRAL_FRACTION` of the box's width and height. Returns an empty
    (0, 0) array when the box does not overlap the image.
    """
    x1, y1, x2, y2 = _central_box(image, detection)
    if x2 <= x1 or y2 <= y1:
        return np.zeros((0, 0), dtype=np.uint8)
    crop = np.ascontiguousarray(image[y1:y2, x1:x2])
    return np.asarray(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def analysis_patch(grey: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """``grey`` resized (with area averaging) to a square of side
    ``min(ANALYSIS_SIDE, its shorter side)``: big faces are brought to a common scale,
    small ones are not enlarged."""
    if grey.size == 0:
        return grey
    side = min(ANALYSIS_SIDE, *grey.shape[:2])
    resized = cv2.resize(grey, (side, side), interpolation=cv2.INTER_AREA)
    return np.asarray(resized, dtype=np.uint8)


def sharpness(patch: npt.NDArray[np.uint8]) -> float:
    """Share of a grey patch's energy in its finest detail; higher is sharper.

    It is ``var(Laplacian) / (var(patch) + 1)``, with the 3x3 Laplacian. Blur removes fine
    detail but keeps coarse shading, so the ratio falls; multiplying the pixel values
    (a darker or lighter exposure) or adding to them (haze) leaves it unchanged, so
    exposure is judged by its own gates and not mistaken for blur. Measured on
    :func:`analysis_patch`, it does not depend on how many pixels the face spans.
    0 for an empty or flat patch.
    """
    if patch.size == 0:
        return 0.0
    grey = patch.astype(np.float64)
    laplacian = cv2.Laplacian(grey, cv2.CV_64F, ksize=3)
    return float(np.var(laplacian) / (float(np.var(grey)) + 1.0))


def brightness(grey: npt.NDArray[np.uint8]) -> float:
    """Mean luma (0-255) of a grey patch; 0 for an empty patch. Reported, not gated:
    it depends on skin tone as much as on light."""
    if grey.size == 0:
        return 0.0
    return float(np.mean(grey))


def luma_levels(grey: npt.NDArray[np.uint8]) -> tuple[float, float]:
    """``(shadow, highlight)``: the 5th and 95th percentiles of a grey patch's luma.

    A face in usable light has some lit skin (highlight) and some dark detail, such as
    eyes, brows and nostrils (shadow), whatever its skin tone: a dark face is one with
    no highlight, a washed-out one has no shadow. ``(0, 0)`` for an empty patch.
    """
    if grey.size == 0:
        return 0.0, 0.0
    low, high = np.percentile(grey, [5.0, 95.0])
    return float(low), float(high)


def yaw_from_landmarks(landmarks: npt.NDArray[np.floating]) -> float:
    """Approximate yaw in degrees from five MTCNN-ordered landmarks (see module doc).

    The nose tip's offset from the face midline (the line through the eye midpoint and
    the mouth midpoint, read at the nose's height) is measured along the eye line, divided
    by the inter-ocular distance and mapped to an angle with :data:`YAW_GAIN`.
    """
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    left_eye, right_eye, nose, mouth_left, mouth_right = points
    eye_axis = right_eye - left_eye
    inter_ocular = float(np.hypot(*eye_axis))
    if inter_ocular < 1e-6:
        return 90.0
    across = eye_axis / inter_ocular
    down = np.array([-across[1], across[0]])
    eye_mid = (left_eye + right_eye) / 2.0
    mouth_mid = (mouth_left + mouth_right) / 2.0
    midline = mouth_mid - eye_mid
    midline_down = float(midline @ down)
    if abs(midline_down) < 1e-6:
        at_nose = eye_mid
    else:
        t = float((nose - eye_mid) @ down) / midline_down
        at_nose = eye_mid + t * midline
    offset = float((nose - at_nose) @ across) / inter_ocular
    return math.degrees(math.atan(YAW_GAIN * offset))


def roll_from_landmarks(landmarks: npt.NDArray[np.floating]) -> float:
    """Angle in degrees of the eye line; positive when the image-right eye is lower."""
    points = np.asarray(landmarks, dtype=np.float64).reshape(5, 2)
    dx, dy = points[1] - points[0]
    return math.degrees(math.atan2(dy, dx))


def _central_box(image: Image, detection: Detection) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = detection.box
    cx, cy = (x1 + x2) / 2.0, (y1 + y2) / 2.0
    half_w = (x2 - x1) * CENTRAL_FRACTION / 2.0
    half_h = (y2 - y1) * CENTRAL_FRACTION / 2.0
    height, width = image.shape[:2]
    left = max(0, math.floor(cx - half_w))
    top = max(0, math.floor(cy - half_h))
    right = min(width, math.ceil(cx + half_w))
    bottom = min(height, math.ceil(cy + half_h))
    return left, top, right, bottom


def _check_size(report: QualityReport, thresholds: QualityThresholds) -> None:
    if report.face_size_px < thresholds.min_face_px:
        raise FaceQualityError(
            "The face is too small in the photo. Move closer to the camera.",
            code=ErrorCode.FACE_TOO_SMALL,
            face_size_px=round(report.face_size_px, 1),
            min_face_px=thresholds.min_face_px,
        )


def _check_exposure(report: QualityReport, thresholds: QualityThresholds) -> None:
    if report.highlight < thresholds.min_highlight:
        raise FaceQualityError(
            "The face is too dark. Find more light or turn towards the light.",
            code=ErrorCode.FACE_TOO_DARK,
            highlight=round(report.highlight, 1),
            min_highlight=thresholds.min_highlight,
        )
    if report.shadow > thresholds.max_shadow:
        raise FaceQualityError(
            "The face is too bright or washed out. Move out of strong light or direct sunlight.",
            code=ErrorCode.FACE_TOO_BRIGHT,
            shadow=round(report.shadow, 1),
            max_shadow=thresholds.max_shadow,
        )


def _check_sharpness(report: QualityReport, thresholds: QualityThresholds) -> None:
    if report.sharpness < thresholds.min_sharpness:
        raise FaceQualityError(
            "The face is blurry. Hold still, clean the camera lens and try again.",
            code=ErrorCode.FACE_BLURRY,
            sharpness=round(report.sharpness, 3),
            min_sharpness=thresholds.min_sharpness,
        )


def _check_pose(report: QualityReport, thresholds: QualityThresholds) -> None:
    if abs(report.yaw) > thresholds.max_abs_yaw:
        raise FaceQualityError(
            "The face is turned to the side. Look straight at the camera.",
            code=ErrorCode.FACE_NOT_FRONTAL,
            yaw=round(report.yaw, 1),
            max_abs_yaw=thresholds.max_abs_yaw,
        )
    if abs(report.roll) > thresholds.max_abs_roll:
        raise FaceQualityError(
            "The head is tilted. Hold your head upright and look straight at the camera.",
            code=ErrorCode.FACE_NOT_FRONTAL,
            roll=round(report.roll, 1),
            max_abs_roll=thresholds.max_abs_roll,
        )
