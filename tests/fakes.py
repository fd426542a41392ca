"""Test doubles shared by the fast tests of the layers above the face engine."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import cv2
import numpy as np

from hadir.face.align import crop_with_margin
from hadir.face.embedder import Vectors, l2_normalise
from hadir.face.types import Detection, EmbeddingContract, Image


class FakeEmbedder:
    """Deterministic, model-free embedder: a fixed random projection of a tiny grey crop.

    Identical crops give identical vectors and similar crops similar ones; it knows nothing
    about identity. For unit tests of services and entry points only.
    """

    def __init__(self, dim: int = 64, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        self._projection = rng.standard_normal((16 * 16, dim)).astype(np.float32)
        digest = hashlib.sha256(self._projection.tobytes()).hexdigest()
        self._contract = EmbeddingContract(
            model_id="fake", model_sha256=digest, preprocessing="fake-grey16-v1", dim=dim
        )

    @property
    def contract(self) -> EmbeddingContract:
        return self._contract

    def prepare(self, image: Image, detection: Detection) -> Image:
        return crop_with_margin(image, detection, size=32, margin=0.2)

    def embed(self, crops: Sequence[Image]) -> Vectors:
        rows = []
        for crop in crops:
            grey = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
            small = cv2.resize(grey, (16, 16), interpolation=cv2.INTER_AREA).astype(np.float32)
            rows.append((small.ravel() - small.mean()) @ self._projection)
        if not rows:
            return np.zeros((0, self._contract.dim), dtype=np.float32)
        return l2_normalise(np.stack(rows))
