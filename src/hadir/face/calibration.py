"""Shipped calibration: the centring vector and the thresholds fitted on the dev faces.

Both were fitted by ``scripts/calibrate.py`` on ``faces-dev`` (people who are not in the
acceptance set) and are part of the recipe: change them and the contract changes too.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from hadir.face.matching import Thresholds


@dataclass(frozen=True)
class Calibration:
    """Thresholds for one embedding recipe, keyed by its preprocessing tag."""

    preprocessing: str
    accept: float
    review: float
    target_far: float
    thresholds_at_far: dict[str, float]
    source: str

    def threshold_at(self, far: float) -> float:
        """The threshold for a false-match rate per comparison of ``far``: log-linear
        between the calibrated points, clamped to the strictest and loosest of them."""
        points = sorted((float(k), v) for k, v in self.thresholds_at_far.items())
        if not points:
            return self.accept
        fars = np.log10([f for f, _ in points])
        values = [v for _, v in points]
        return min(1.0, float(np.interp(np.log10(max(far, 1e-300)), fars, values)))


IDENTIFY_FAR = "1e-05"
"""A fixed 1:N point (the enrolment cross-check's threshold for another employee's face)."""
IDENTIFY_FPIR = 1e-2
"""Target chance, per identification attempt, that a face is taken for some employee."""


def identification_thresholds(base: Thresholds, calibration: Calibration | None) -> Thresholds:
    """Stricter thresholds for 1:N: the calibrated FAR 1e-5 value, else ``base.accept``."""
    strict = base.accept
    if calibration is not None and IDENTIFY_FAR in calibration.thresholds_at_far:
        strict = max(strict, calibration.thresholds_at_far[IDENTIFY_FAR])
    return Thresholds(accept=strict, review=min(base.review, strict))


def gallery_thresholds(
    base: Thresholds, calibration: Calibration | None, people: int
) -> Thresholds:
    """1:N among ``people`` employees: the calibrated (worst-group) threshold at a
    per-comparison false-match rate of ``IDENTIFY_FPIR / people``, so the chance that a
    face is taken for somebody stays near ``IDENTIFY_FPIR`` whatever the office's size;
    never below ``base.accept`` (all there is without a shipped calibration)."""
    strict = base.accept
    if calibration is not None:
        strict = max(strict, calibration.threshold_at(IDENTIFY_FPIR / max(1, people)))
    return Thresholds(accept=strict, review=min(base.review, strict))


def _data(name: str) -> bytes:
    return resources.files("hadir.face").joinpath("data", name).read_bytes()


def load_centre(name: str = "facenet_centre.npy") -> npt.NDArray[np.float32] | None:
    try:
        raw = _data(name)
    except FileNotFoundError:
        return None
    centre: npt.NDArray[np.float32] = np.load(io.BytesIO(raw)).astype(np.float32)
    return centre


def load_calibrations() -> dict[str, Calibration]:
    try:
        raw = json.loads(_data("calibration.json"))
    except FileNotFoundError:
        return {}
    out: dict[str, Calibration] = {}
    for tag, entry in raw.items():
        out[tag] = Calibration(
            preprocessing=tag,
            accept=float(entry["accept"]),
            review=float(entry["review"]),
            target_far=float(entry["target_far"]),
            thresholds_at_far={k: float(v) for k, v in entry["thresholds_at_far"].items()},
            source=str(entry.get("source", "")),
        )
    return out


@dataclass(frozen=True)
class FusionWeights:
    """Per-model weights w_i = 1/σ_i of a model set (σ_i: std of impostor cosines)."""

    models: str
    weights: dict[str, float]
    impostor_mean: dict[str, float]
    impostor_std: dict[str, float]


def load_fusion(models: str) -> FusionWeights | None:
    """The fitted fusion weights of ``models`` (e.g. ``"facenet+sface"``), if shipped."""
    try:
        raw = json.loads(_data("fusion.json"))
    except FileNotFoundError:
        return None
    entry = raw.get(models)
    if entry is None:
        return None
    return FusionWeights(
        models=models,
        weights={k: float(v) for k, v in entry["weights"].items()},
        impostor_mean={k: float(v) for k, v in entry["impostor_mean"].items()},
        impostor_std={k: float(v) for k, v in entry["impostor_std"].items()},
    )
