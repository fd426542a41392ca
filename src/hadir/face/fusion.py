"""Score-level fusion of several embedders, expressed as one embedder.

Each model's cosine similarity is z-scored with statistics of its impostor distribution
(fitted on dev cross-identity pairs: mean μ_i, standard deviation σ_i) and the z-scores
are summed. ``FusedEmbedder`` does this without changing anything downstream (templates,
``verify``, the threshold): its vector is the concatenation of each component's unit
vector scaled by sqrt(w_i), w_i = 1/σ_i, divided by sqrt(Σ w_i).

Why the cosine of two fused vectors is the fused score, up to a fixed affine map:
let a_i, b_i be the unit vectors of model i for two faces and cos_i = a_i·b_i. The fused
vectors are A = (sqrt(w_1) a_1, ..., sqrt(w_k) a_k) / sqrt(W) and B likewise, with
W = Σ w_i. Each block sqrt(w_i) a_i has norm sqrt(w_i), so |A|² = Σ w_i / W = 1: A is
already a unit vector. Their dot product is

    A·B = Σ w_i (a_i·b_i) / W = Σ cos_i / σ_i / W.

The z-score sum is Z = Σ (cos_i − μ_i) / σ_i = W · A·B − Σ μ_i/σ_i, an increasing affine
function of A·B with constant coefficients. Thresholding Z at z is thresholding A·B at
(z + Σ μ_i/σ_i) / W: the offsets are absorbed by the calibrated threshold, so the μ_i
need not be stored and the fused threshold is calibrated directly on A·B.

Templates are tied to the model set: a fused template holds every component's vector,
so a template enrolled under another set (or other weights) has another contract and
cannot be compared; photos are not kept, so people enrol again when the set changes.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hadir.face.embedder import Embedder, Vectors
from hadir.face.types import Detection, EmbeddingContract, Image


@dataclass(frozen=True)
class FusedCrop:
    """One prepared input per component, in component order."""

    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Component:
    name: str
    embedder: Embedder[Any]
    weight: float


def fused_preprocessing(names: Sequence[str], tags: Sequence[str], weights: Sequence[float]) -> str:
    """The fused preprocessing tag: every component's name, own tag and weight."""
    parts = [f"{n}[{t}]w{w:.4f}" for n, t, w in zip(names, tags, weights, strict=True)]
    return "fused-" + "+".join(parts) + "-v1"


def fused_contract(components: Sequence[Component]) -> EmbeddingContract:
    """model_id ``a+b``; sha256 over the components' shas; preprocessing names both
    component tags and the weights (change any and the contract changes)."""
    contracts = [c.embedder.contract for c in components]
    shas = hashlib.sha256("".join(k.model_sha256 for k in contracts).encode()).hexdigest()
    return EmbeddingContract(
        model_id="+".join(c.name for c in components),
        model_sha256=shas,
        preprocessing=fused_preprocessing(
            [c.name for c in components],
            [k.preprocessing for k in contracts],
            [c.weight for c in components],
        ),
        dim=sum(k.dim for k in contracts),
    )


def fuse(parts: Sequence[Vectors], weights: Sequence[float]) -> Vectors:
    """Concatenate unit vectors scaled by sqrt(w_i), divided by sqrt(Σ w_i)."""
    total = math.fsum(weights)
    blocks = [
        np.asarray(v, np.float32) * np.float32(math.sqrt(w / total))
        for v, w in zip(parts, weights, strict=True)
    ]
    out: Vectors = np.concatenate(blocks, axis=1).astype(np.float32)
    return out


class FusedEmbedder:
    """Several embedders as one: each prepares its own crop from the source image."""

    def __init__(self, components: Sequence[Component]) -> None:
        if len(components) < 2:
            raise ValueError("fusion needs at least two components")
        if any(not (c.weight > 0 and math.isfinite(c.weight)) for c in components):
            raise ValueError("fusion weights must be positive and finite")
        self._components = tuple(components)
        self._contract = fused_contract(self._components)

    @property
    def contract(self) -> EmbeddingContract:
        return self._contract

    @property
    def components(self) -> tuple[Component, ...]:
        return self._components

    def prepare(self, image: Image, detection: Detection) -> FusedCrop:
        return FusedCrop(tuple(c.embedder.prepare(image, detection) for c in self._components))

    def embed(self, crops: Sequence[FusedCrop]) -> Vectors:
        if not crops:
            return np.zeros((0, self._contract.dim), dtype=np.float32)
        parts = [
            c.embedder.embed([crop.parts[i] for crop in crops])
            for i, c in enumerate(self._components)
        ]
        return fuse(parts, [c.weight for c in self._components])
