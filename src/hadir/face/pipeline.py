"""The face engine: bytes of a photo → one checked face → an embedding → a decision."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np

from hadir.domain.errors import ErrorCode, FaceQualityError
from hadir.face.embedder import Embedder
from hadir.face.intake import IntakeLimits, decode_image, downscale
from hadir.face.matching import MatchResult, Thresholds, verify
from hadir.face.mtcnn import adaptive_min_face_size
from hadir.face.quality import QualityThresholds, check_quality, measure_quality
from hadir.face.types import Detection, Embedding, Image, QualityReport

SMALLEST_FACE_PX = 20
"""The smallest face MTCNN looks for (its 12 px cells at the finest useful scale)."""


class Detector(Protocol):
    def detect(self, image: Image, *, min_face_size: int = 20) -> list[Detection]: ...


def find_faces(detector: Detector, image: Image) -> tuple[list[Detection], bool]:
    """Faces with the minimum size adapted to the image; only when none is found, once more
    with the smallest size (so failing photos alone pay for the full pyramid, and a far face
    is reported as too small rather than missing). Also says whether that retry ran."""
    min_size = adaptive_min_face_size(int(image.shape[0]), int(image.shape[1]))
    found = detector.detect(image, min_face_size=min_size)
    if found or min_size <= SMALLEST_FACE_PX:
        return found, False
    return detector.detect(image, min_face_size=SMALLEST_FACE_PX), True


class Purpose(StrEnum):
    """Why a face is read: enrolment is strict about other faces, check-in less so."""

    ENROL = "enrol"
    VERIFY = "verify"
    IDENTIFY = "identify"


@dataclass(frozen=True)
class EngineConfig:
    intake: IntakeLimits = field(default_factory=IntakeLimits)
    quality: QualityThresholds = field(default_factory=QualityThresholds)
    detect_max_side: int = 1280
    # check-in: a second face at least this fraction of the main face's size refuses
    second_face_ratio: float = 0.6
    # enrolment: any second face at least this fraction of the main face's size refuses
    enrol_second_face_ratio: float = 0.25
    # analyses run at once (each uses the sessions' intra-op threads); more wait their turn,
    # so a burst of requests does not oversubscribe the cores
    concurrency: int = 1


@dataclass
class StageTimings:
    """Seconds spent in each stage of one analysis."""

    decode: float = 0.0
    detect: float = 0.0
    crop: float = 0.0
    embed: float = 0.0

    @property
    def total(self) -> float:
        return self.decode + self.detect + self.crop + self.embed


@dataclass(frozen=True)
class FaceAnalysis:
    embedding: Embedding
    detection: Detection
    quality: QualityReport
    image_size: tuple[int, int]
    faces_found: int
    timings: StageTimings


@dataclass(frozen=True)
class Comparison:
    match: MatchResult
    left: FaceAnalysis
    right: FaceAnalysis


class FaceEngine:
    """Composes intake, detection, quality gates, alignment, embedding and matching."""

    def __init__(
        self,
        detector: Detector,
        embedder: Embedder[Any],
        thresholds: Thresholds,
        config: EngineConfig | None = None,
        *,
        identify_thresholds: Thresholds | None = None,
        gallery_thresholds: Callable[[int], Thresholds] | None = None,
    ) -> None:
        self.detector = detector
        self.embedder = embedder
        self.thresholds = thresholds
        self.identify_thresholds = identify_thresholds or thresholds
        """1:N (identification) thresholds: stricter than 1:1 when calibrated."""
        self._gallery_thresholds = gallery_thresholds
        self.config = config or EngineConfig()
        self._slots = threading.BoundedSemaphore(max(1, self.config.concurrency))

    def identify_thresholds_for(self, people: int) -> Thresholds:
        """1:N thresholds scaled to a gallery of ``people`` (docs/fairness.md); the fixed
        ``identify_thresholds`` when no scaling was configured."""
        if self._gallery_thresholds is None:
            return self.identify_thresholds
        return self._gallery_thresholds(people)

    def analyse(
        self, data: bytes, purpose: Purpose = Purpose.VERIFY, *, image: Image | None = None
    ) -> FaceAnalysis:
        """Analyse the photo ``data``; ``image``: its pixels when the caller has already
        decoded them (with the same limits), so they are not decoded twice."""
        started = time.perf_counter()
        if image is None:
            image = decode_image(data, self.config.intake)
        timings = StageTimings(decode=time.perf_counter() - started)
        return self.analyse_image(image, purpose, timings=timings)

    def analyse_image(
        self,
        image: Image,
        purpose: Purpose = Purpose.VERIFY,
        *,
        timings: StageTimings | None = None,
    ) -> FaceAnalysis:
        timings = timings or StageTimings()
        with self._slots:
            return self._analyse(image, purpose, timings)

    def _analyse(self, image: Image, purpose: Purpose, timings: StageTimings) -> FaceAnalysis:
        started = time.perf_counter()
        detections = self.detect(image)
        timings.detect = time.perf_counter() - started
        if not detections:
            raise FaceQualityError(
                "No face was found in the photo. Face the camera in good light and try again.",
                code=ErrorCode.NO_FACE,
            )
        main = self._single_face(detections, purpose)
        quality = measure_quality(image, main)
        check_quality(quality, self.config.quality)
        started = time.perf_counter()
        crop = self.embedder.prepare(image, main)
        timings.crop = time.perf_counter() - started
        started = time.perf_counter()
        vector = self.embedder.embed([crop])[0]
        timings.embed = time.perf_counter() - started
        return FaceAnalysis(
            embedding=Embedding(vector=vector, contract=self.embedder.contract),
            detection=main,
            quality=quality,
            image_size=(int(image.shape[0]), int(image.shape[1])),
            faces_found=len(detections),
            timings=timings,
        )

    def detect(self, image: Image) -> list[Detection]:
        """Faces in full-image coordinates, largest first; big photos detected downscaled."""
        small, scale = downscale(image, self.config.detect_max_side)
        found, _ = find_faces(self.detector, small)
        if scale != 1.0:
            found = [d.scaled(scale) for d in found]
        return sorted(found, key=lambda d: d.area, reverse=True)

    def _single_face(self, detections: Sequence[Detection], purpose: Purpose) -> Detection:
        main = detections[0]
        ratio = (
            self.config.enrol_second_face_ratio
            if purpose is Purpose.ENROL
            else self.config.second_face_ratio
        )
        rivals = [d for d in detections[1:] if d.size >= ratio * main.size]
        if rivals:
            raise FaceQualityError(
                f"{1 + len(rivals)} faces are in the photo. Make sure only your face is "
                "in the picture.",
                code=ErrorCode.MULTIPLE_FACES,
                faces=1 + len(rivals),
            )
        return main

    def warm_up(self) -> float:
        """Run every network once on a synthetic frame (first-call allocations and kernel
        choices happen here, not in the first employee's check-in); returns seconds. The
        frame is the largest detection input (``detect_max_side`` square), so the runtime's
        memory arena reaches its final size now and a large photo later does not grow it."""
        started = time.perf_counter()
        side = self.config.detect_max_side
        rows = np.linspace(40, 200, side, dtype=np.float32)[:, None, None]
        image = np.broadcast_to(rows, (side, side, 3)).astype(np.uint8)
        self.detect(image)
        x1, y1, x2, y2 = 220.0, 140.0, 420.0, 340.0
        unit = np.array([[0.3, 0.4], [0.7, 0.4], [0.5, 0.6], [0.35, 0.8], [0.65, 0.8]])
        points = (np.array([x1, y1]) + unit * (x2 - x1)).astype(np.float32)
        face = Detection(box=(x1, y1, x2, y2), score=1.0, landmarks=points)
        self.embedder.embed([self.embedder.prepare(image, face)])
        return time.perf_counter() - started

    def compare(self, left: bytes, right: bytes) -> Comparison:
        a = self.analyse(left, Purpose.VERIFY)
        b = self.analyse(right, Purpose.VERIFY)
        return Comparison(
            match=verify(a.embedding, [b.embedding], self.thresholds), left=a, right=b
        )


def central_detection(image: Image, fraction: float = 0.45) -> Detection:
    """A box in the image centre: the evaluation fallback for photos with no detection."""
    height, width = image.shape[:2]
    side = fraction * min(height, width)
    cx, cy = width / 2.0, height / 2.0
    box = (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    return Detection(box=box, score=0.0, landmarks=np.zeros((5, 2), dtype=np.float32))
