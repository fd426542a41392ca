"""`hadir evaluate`: verification accuracy of the face engine on a labelled pairs file."""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hadir.domain.errors import HadirError, ImageError
from hadir.face import metrics
from hadir.face.embedder import Embedder
from hadir.face.fusion import FusedEmbedder
from hadir.face.intake import IntakeLimits, decode_image
from hadir.face.matching import Thresholds
from hadir.face.pipeline import Detector, central_detection, find_faces
from hadir.face.types import Detection, Image

Progress = Callable[[int, int], None]
ThresholdsOf = Callable[[Embedder[Any]], Thresholds | None]
"""The thresholds the server would use with an embedder (None: not calibrated)."""


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    same: bool


def read_pairs(path: Path) -> list[Pair]:
    """Pairs from a CSV with header ``left,right,same`` (extra columns are ignored)."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"left", "right", "same"} - set(reader.fieldnames or [])
            if missing:
                raise HadirError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            pairs = []
            for line, row in enumerate(reader, start=2):
                flag = (row["same"] or "").strip().lower()
                if flag not in {"0", "1", "true", "false"}:
                    raise HadirError(f"{path}:{line}: 'same' must be 0 or 1, got {flag!r}")
                pairs.append(Pair(row["left"].strip(), row["right"].strip(), flag in {"1", "true"}))
    except OSError as exc:
        raise HadirError(f"cannot read pairs file {path}: {exc.strerror}") from exc
    if not pairs:
        raise HadirError(f"{path}: no pairs")
    return pairs


@dataclass(frozen=True)
class ImageOutcome:
    """How one image was turned into a face: 'detected', 'detected_small' (found only
    with the smallest face size), 'centre_fallback' (no face: a central box was used),
    or 'unreadable' (scored -1 against everything)."""

    path: str
    handling: str
    faces: int


@dataclass(frozen=True)
class OperatingPoint:
    """What the server's own thresholds do on these pairs: the share of different-person
    pairs scoring at or above each threshold (FMR) and of same-person pairs (TAR)."""

    accept_threshold: float
    fmr_at_accept: float
    tar_at_accept: float
    review_threshold: float
    fmr_at_review: float
    tar_at_review: float

    @classmethod
    def measure(
        cls, scores: npt.NDArray[np.float64], labels: npt.NDArray[np.bool_], at: Thresholds
    ) -> OperatingPoint:
        def rates(threshold: float) -> tuple[float, float]:
            above = scores >= threshold
            fmr = float(above[~labels].mean()) if (~labels).any() else float("nan")
            tar = float(above[labels].mean()) if labels.any() else float("nan")
            return fmr, tar

        fmr_a, tar_a = rates(at.accept)
        fmr_r, tar_r = rates(at.review)
        return cls(at.accept, fmr_a, tar_a, at.review, fmr_r, tar_r)

    def to_json(self) -> dict[str, float]:
        return {
            "accept_threshold": round(self.accept_threshold, 5),
            "fmr_at_accept": round(self.fmr_at_accept, 6),
            "tar_at_accept": round(self.tar_at_accept, 5),
            "review_threshold": round(self.review_threshold, 5),
            "fmr_at_review": round(self.fmr_at_review, 6),
            "tar_at_review": round(self.tar_at_review, 5),
        }


@dataclass(frozen=True)
class EvaluationReport:
    pairs: int
    genuine_pairs: int
    impostor_pairs: int
    accuracy: float
    accuracy_std: float
    tar_at_far_1e_3: float
    tar_at_far_1e_2: float
    threshold_at_far_1e_3: float
    threshold_at_far_1e_2: float
    best_threshold: float
    eer: float
    eer_threshold: float
    auc: float
    images: int
    failed_images: int
    failures: dict[str, int]
    failed_examples: list[ImageOutcome]
    images_per_second: float
    contract: str
    scores: npt.NDArray[np.float64] = field(repr=False)
    labels: npt.NDArray[np.bool_] = field(repr=False)
    operating: OperatingPoint | None = None
    """At the shipped (or configured) thresholds; None when there are none."""

    def to_json(self) -> dict[str, object]:
        return {
            "pairs": self.pairs,
            "genuine_pairs": self.genuine_pairs,
            "impostor_pairs": self.impostor_pairs,
            "accuracy": round(self.accuracy, 5),
            "accuracy_std": round(self.accuracy_std, 5),
            "tar_at_far_1e-3": round(self.tar_at_far_1e_3, 5),
            "tar_at_far_1e-2": round(self.tar_at_far_1e_2, 5),
            "threshold_at_far_1e-3": round(self.threshold_at_far_1e_3, 5),
            "threshold_at_far_1e-2": round(self.threshold_at_far_1e_2, 5),
            "best_threshold": round(self.best_threshold, 5),
            "eer": round(self.eer, 5),
            "eer_threshold": round(self.eer_threshold, 5),
            "auc": round(self.auc, 6),
            "images": self.images,
            "failed_images": self.failed_images,
            "failures": self.failures,
            "failed_examples": [
                {"path": f.path, "handling": f.handling, "faces": f.faces}
                for f in self.failed_examples
            ],
            "images_per_second": round(self.images_per_second, 2),
            "contract": self.contract,
            **(self.operating.to_json() if self.operating is not None else {}),
        }


def pick_face(image: Image, detections: Sequence[Detection]) -> Detection:
    """Among large faces, the one nearest the image centre (LFW's subject is centred)."""
    largest = max(d.size for d in detections)
    big = [d for d in detections if d.size >= 0.5 * largest]
    cy, cx = image.shape[0] / 2.0, image.shape[1] / 2.0

    def distance(d: Detection) -> float:
        x1, y1, x2, y2 = d.box
        return float(np.hypot((x1 + x2) / 2 - cx, (y1 + y2) / 2 - cy))

    return min(big, key=distance)


class EmbeddingTable:
    """Embeds each distinct image once; failures are counted, not hidden."""

    def __init__(
        self,
        detector: Detector,
        embedder: Embedder[Any],
        *,
        limits: IntakeLimits | None = None,
        batch_size: int = 16,
    ) -> None:
        self.detector = detector
        self.embedder = embedder
        self.limits = limits or IntakeLimits()
        self.batch_size = batch_size

    def face_crop(self, path: Path) -> tuple[Any, ImageOutcome]:
        try:
            image = decode_image(path.read_bytes(), self.limits)
        except (ImageError, OSError):
            return None, ImageOutcome(str(path), "unreadable", 0)
        found, retried = find_faces(self.detector, image)
        handling = "detected_small" if retried else "detected"
        if found:
            detection = pick_face(image, found)
        else:
            detection, handling = central_detection(image), "centre_fallback"
        return self.embedder.prepare(image, detection), ImageOutcome(
            str(path), handling, len(found)
        )

    def build(
        self, root: Path, names: Sequence[str], progress: Progress | None = None
    ) -> tuple[npt.NDArray[np.float32], list[ImageOutcome]]:
        dim = self.embedder.contract.dim
        vectors = np.zeros((len(names), dim), dtype=np.float32)
        outcomes: list[ImageOutcome] = []
        pending: list[tuple[int, Any]] = []

        def flush() -> None:
            if pending:
                out = self.embedder.embed([crop for _, crop in pending])
                for (index, _), vector in zip(pending, out, strict=True):
                    vectors[index] = vector
                pending.clear()

        for index, name in enumerate(names):
            crop, outcome = self.face_crop(root / name)
            outcomes.append(outcome)
            if crop is not None:
                pending.append((index, crop))
            if len(pending) >= self.batch_size:
                flush()
            if progress is not None:
                progress(index + 1, len(names))
        flush()
        return vectors, outcomes


def component_vectors(
    vectors: npt.NDArray[np.float32], embedder: FusedEmbedder
) -> dict[str, tuple[npt.NDArray[np.float32], str]]:
    """Each component's own unit vectors, recovered from fused ones (block i was scaled
    by sqrt(w_i / Σ w)), with the component's contract key."""
    total = sum(c.weight for c in embedder.components)
    out: dict[str, tuple[npt.NDArray[np.float32], str]] = {}
    start = 0
    for c in embedder.components:
        dim = c.embedder.contract.dim
        block = vectors[:, start : start + dim] / np.float32(np.sqrt(c.weight / total))
        out[c.name] = (block.astype(np.float32), c.embedder.contract.key())
        start += dim
    return out


def evaluate_sets(
    table: EmbeddingTable,
    pairs: Sequence[Pair],
    root: Path,
    progress: Progress | None = None,
    thresholds_of: ThresholdsOf | None = None,
) -> dict[str, EvaluationReport]:
    """The report of the table's embedder under its model id; for a fused embedder also
    one per component, scored from the same embeddings (each image embedded once)."""
    names = sorted({p.left for p in pairs} | {p.right for p in pairs})
    started = time.perf_counter()
    vectors, outcomes = table.build(root, names, progress)
    elapsed = time.perf_counter() - started
    contract = table.embedder.contract

    def at(embedder: Embedder[Any]) -> Thresholds | None:
        return thresholds_of(embedder) if thresholds_of is not None else None

    reports = {
        contract.model_id: score(
            vectors, outcomes, pairs, names, elapsed, contract.key(), at(table.embedder)
        )
    }
    if isinstance(table.embedder, FusedEmbedder):
        parts = {c.name: c.embedder for c in table.embedder.components}
        for name, (part, key) in component_vectors(vectors, table.embedder).items():
            reports[name] = score(part, outcomes, pairs, names, elapsed, key, at(parts[name]))
    return reports


def evaluate(
    table: EmbeddingTable,
    pairs: Sequence[Pair],
    root: Path,
    progress: Progress | None = None,
) -> EvaluationReport:
    names = sorted({p.left for p in pairs} | {p.right for p in pairs})
    started = time.perf_counter()
    vectors, outcomes = table.build(root, names, progress)
    elapsed = time.perf_counter() - started
    return score(vectors, outcomes, pairs, names, elapsed, table.embedder.contract.key())


def score(
    vectors: npt.NDArray[np.float32],
    outcomes: Sequence[ImageOutcome],
    pairs: Sequence[Pair],
    names: Sequence[str],
    elapsed: float,
    contract: str,
    thresholds: Thresholds | None = None,
) -> EvaluationReport:
    """Pair scores (cosine) and the verification metrics of one set of embeddings."""
    index = {name: i for i, name in enumerate(names)}
    unreadable = np.array([o.handling == "unreadable" for o in outcomes], dtype=bool)
    left = np.array([index[p.left] for p in pairs])
    right = np.array([index[p.right] for p in pairs])
    scores = np.einsum("ij,ij->i", vectors[left], vectors[right]).astype(np.float64)
    scores[unreadable[left] | unreadable[right]] = -1.0
    labels = np.array([p.same for p in pairs], dtype=bool)
    folds = metrics.kfold_accuracy(scores, labels, folds=10)
    eer, eer_threshold = metrics.eer(scores, labels)
    best_threshold, _ = metrics.best_accuracy_threshold(scores, labels)
    failed = [o for o in outcomes if o.handling != "detected"]
    return EvaluationReport(
        pairs=len(pairs),
        genuine_pairs=int(labels.sum()),
        impostor_pairs=int((~labels).sum()),
        accuracy=folds.mean,
        accuracy_std=folds.std,
        tar_at_far_1e_3=metrics.tar_at_far(scores, labels, 1e-3),
        tar_at_far_1e_2=metrics.tar_at_far(scores, labels, 1e-2),
        threshold_at_far_1e_3=metrics.threshold_at_far(scores, labels, 1e-3),
        threshold_at_far_1e_2=metrics.threshold_at_far(scores, labels, 1e-2),
        best_threshold=best_threshold,
        eer=eer,
        eer_threshold=eer_threshold,
        auc=metrics.auc(scores, labels),
        images=len(names),
        failed_images=len(failed),
        failures=dict(Counter(o.handling for o in failed)),
        failed_examples=failed[:20],
        images_per_second=len(names) / elapsed if elapsed > 0 else float("inf"),
        contract=contract,
        scores=scores,
        labels=labels,
        operating=None
        if thresholds is None
        else OperatingPoint.measure(scores, labels, thresholds),
    )
