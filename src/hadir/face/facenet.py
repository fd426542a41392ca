"""FaceNet (davidsandberg 20180408-102900, Inception-ResNet-v1, 512-d) on onnxruntime.

Recipe (measured in docs/accuracy.md): MTCNN box grown by a relative margin, resized to
160, fixed standardisation (x - 127.5) / 128 as the weights were trained, optionally the
mirrored crop's embedding added (flip test-time augmentation), optionally a mean
embedding fitted on other people subtracted before re-normalising.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.face.align import crop_with_margin
from hadir.face.embedder import Vectors, flip_and_centre, run_in_batches
from hadir.face.runtime import make_session
from hadir.face.types import Detection, EmbeddingContract, Image

MODEL_ID = "facenet-20180408-102900"
INPUT_SIZE = 160
DIM = 512


@dataclass(frozen=True)
class FaceNetRecipe:
    """Everything between a detection and the vector; part of the embedding contract."""

    margin: float = 0.3
    flip: bool = True
    centre: npt.NDArray[np.float32] | None = None
    int8: bool = False
    """The statically quantised network (``hadir.offline.quantize``) instead of float32."""

    def tag(self) -> str:
        parts = [f"mtcnn-margin{self.margin:.2f}-{INPUT_SIZE}-std128"]
        if self.int8:
            parts.append("int8")
        if self.flip:
            parts.append("flipsum")
        if self.centre is not None:
            digest = hashlib.sha256(np.asarray(self.centre, np.float32).tobytes()).hexdigest()
            parts.append(f"centre{digest[:8]}")
        return "-".join(parts) + "-v1"


def standardise(crops: Sequence[Image]) -> npt.NDArray[np.float32]:
    """NHWC float32 batch with davidsandberg's fixed standardisation."""
    batch = np.stack([np.asarray(c, dtype=np.float32) for c in crops])
    return (batch - 127.5) / 128.0


class FaceNetEmbedder:
    """Embeds MTCNN detections with the converted FaceNet ONNX model."""

    def __init__(
        self,
        onnx_path: Path,
        *,
        source_sha256: str,
        recipe: FaceNetRecipe | None = None,
        threads: int = 2,
        batch_size: int = 16,
    ) -> None:
        self._recipe = recipe or FaceNetRecipe()
        self._session: Any = make_session(onnx_path, threads=threads)
        self._input = self._session.get_inputs()[0].name
        self._batch_size = batch_size
        self._contract = EmbeddingContract(
            model_id=MODEL_ID,
            model_sha256=source_sha256,
            preprocessing=self._recipe.tag(),
            dim=DIM,
        )

    @property
    def contract(self) -> EmbeddingContract:
        return self._contract

    @property
    def recipe(self) -> FaceNetRecipe:
        return self._recipe

    def prepare(self, image: Image, detection: Detection) -> Image:
        return crop_with_margin(image, detection, size=INPUT_SIZE, margin=self._recipe.margin)

    def raw(self, crops: Sequence[Image]) -> Vectors:
        """The network's own L2-normalised outputs, no augmentation, no centring."""
        return run_in_batches(self._run, crops, batch_size=self._batch_size, dim=DIM)

    def _run(self, chunk: Sequence[Image]) -> Any:
        return self._session.run(None, {self._input: standardise(chunk)})[0]

    def embed(self, crops: Sequence[Image]) -> Vectors:
        recipe = self._recipe
        return flip_and_centre(self.raw, crops, flip=recipe.flip, centre=recipe.centre, dim=DIM)
