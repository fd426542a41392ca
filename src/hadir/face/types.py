"""Value objects of the face pipeline. Boxes are (x1, y1, x2, y2) pixels; images RGB uint8."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]
"""An RGB image, shape (H, W, 3), dtype uint8."""

Box = tuple[float, float, float, float]
"""(x1, y1, x2, y2) in pixels of the image it was found in."""


@dataclass(frozen=True)
class Detection:
    """One face found by the detector.

    ``landmarks`` has shape (5, 2), (x, y) pixels, in MTCNN order: the eye on the
    image's left, the eye on the image's right, the nose tip, the mouth corner on the
    image's left, the mouth corner on the image's right.
    """

    box: Box
    score: float
    landmarks: npt.NDArray[np.float32]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def size(self) -> float:
        """The face's size in pixels: the shorter side of its box."""
        return min(self.width, self.height)

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    def scaled(self, factor: float) -> Detection:
        """The same detection in an image ``factor`` times larger."""
        x1, y1, x2, y2 = self.box
        return Detection(
            box=(x1 * factor, y1 * factor, x2 * factor, y2 * factor),
            score=self.score,
            landmarks=(self.landmarks * factor).astype(np.float32),
        )


@dataclass(frozen=True)
class EmbeddingContract:
    """Which pipeline produced an embedding. Embeddings are comparable only if equal."""

    model_id: str
    model_sha256: str
    preprocessing: str
    dim: int

    def key(self) -> str:
        return f"{self.model_id}@{self.model_sha256[:12]}/{self.preprocessing}/{self.dim}"


@dataclass(frozen=True)
class Embedding:
    """An L2-normalised face embedding with the contract of the pipeline that made it."""

    vector: npt.NDArray[np.float32]
    contract: EmbeddingContract

    def __post_init__(self) -> None:
        if self.vector.ndim != 1 or self.vector.shape[0] != self.contract.dim:
            raise ValueError(
                f"embedding of shape {self.vector.shape} does not fit contract dim "
                f"{self.contract.dim}"
            )


@dataclass(frozen=True)
class QualityReport:
    """Measured figures of one face crop; each gate compares one figure to a threshold."""

    face_size_px: float
    sharpness: float
    brightness: float
    yaw: float
    detection_score: float
    roll: float = 0.0
    shadow: float = 0.0
    """5th percentile of the face's luma (0-255): high when even its darkest parts are
    washed out."""
    highlight: float = 255.0
    """95th percentile of the face's luma (0-255): low when nothing on the face is lit."""
    extras: dict[str, float] = field(default_factory=dict)
