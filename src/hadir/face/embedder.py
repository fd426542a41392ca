"""The embedder interface and the helpers every embedder shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from typing_extensions import TypeVar

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
