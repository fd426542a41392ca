"""The embedder interface, and a deterministic fake for fast tests of the layers above."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Protocol

import cv2
import numpy as np
import numpy.typing as npt
from typing_extensions import TypeVar

from hadir.face.align import crop_with_margin
from hadir.face.types import Detection, EmbeddingContract, Image

Vectors = npt.NDArray[np.float32]

Crop = TypeVar("Crop", default=Image)
"""What ``prepare`` hands to ``embed``: an image crop for one model (the default), or
whatever a composite embedder needs (``FusedEmbedder``: one crop per component)."""


def l2_normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    out: Vectors = (v / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


class Embedder(Protocol[Crop]):
    """Turns a detected face into an L2-normalised vector under a fixed contract.

    ``prepare`` and ``embed`` belong together: callers only pass what an embedder's own
    ``prepare`` returned to the same embedder's ``embed`` (code generic over embedders
    types it ``Embedder[Any]``).
    """

    @property
    def contract(self) -> EmbeddingContract: ...

    def prepare(self, image: Image, detection: Detection) -> Crop:
        """The model's input for one detected face (its own alignment recipe)."""
        ...

    def embed(self, crops: Sequence[Crop]) -> Vectors:
        """Embeddings of prepared crops, shape (N, dim), each row of unit length."""
        ...


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


def run_in_batches(
    run: Callable[[Sequence[Image]], npt.NDArray[np.floating]],
    crops: Sequence[Image],
    *,
    batch_size: int,
    dim: int,
) -> Vectors:
    """``run`` over ``crops`` in batches of at most ``batch_size``, rows L2-normalised."""
    out = [
        np.asarray(run(crops[start : start + batch_size]), dtype=np.float32)
        for start in range(0, len(crops), batch_size)
    ]
    return l2_normalise(np.concatenate(out)) if out else np.zeros((0, dim), dtype=np.float32)


def flip_and_centre(
    raw: Callable[[Sequence[Image]], Vectors],
    crops: Sequence[Image],
    *,
    flip: bool,
    centre: npt.NDArray[np.float32] | None,
    dim: int,
) -> Vectors:
    """The shared recipe tail: optionally add each mirrored crop's vector (flip test-time
    augmentation), re-normalise, optionally subtract a centring vector, re-normalise."""
    if not crops:
        return np.zeros((0, dim), dtype=np.float32)
    if flip:
        mirrored = [np.ascontiguousarray(c[:, ::-1]) for c in crops]
        both = raw([*crops, *mirrored])
        vectors = l2_normalise(both[: len(crops)] + both[len(crops) :])
    else:
        vectors = raw(crops)
    if centre is not None:
        vectors = l2_normalise(vectors - centre[None, :])
    return vectors
