"""Score fusion as an embedder: the affine equivalence, the contract, a real evaluation."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeEmbedder
from hadir.face.embedder import l2_normalise
from hadir.face.fusion import Component, FusedCrop, FusedEmbedder, fuse
from hadir.face.types import Detection
from hadir.settings import Settings


def test_fused_cosine_is_an_affine_function_of_the_z_score_sum() -> None:
    rng = np.random.default_rng(3)
    dims, sigma, mu = (512, 128), np.array([0.11, 0.07]), np.array([0.02, 0.05])
    weights = 1.0 / sigma
    for _ in range(50):
        a = [l2_normalise(rng.standard_normal((1, d))) for d in dims]
        b = [l2_normalise(rng.standard_normal((1, d)) + 0.5 * a[i]) for i, d in enumerate(dims)]
        fa, fb = fuse(a, list(weights)), fuse(b, list(weights))
        assert abs(float(np.linalg.norm(fa)) - 1.0) < 1e-5
        cosines = np.array([float(x[0] @ y[0]) for x, y in zip(a, b, strict=True)])
        z_sum = float(((cosines - mu) / sigma).sum())
        fused = float(fa[0] @ fb[0])
        assert fused == pytest.approx(float(weights @ cosines / weights.sum()), abs=1e-5)
        expected = weights.sum() * fused - float((mu / sigma).sum())
        assert z_sum == pytest.approx(expected, abs=1e-4)


def test_the_fused_contract_names_both_models_and_the_weights() -> None:
    a, b = FakeEmbedder(dim=64, seed=1), FakeEmbedder(dim=32, seed=2)
    fused = FusedEmbedder([Component("a", a, 9.5), Component("b", b, 12.25)])
    contract = fused.contract
    assert contract.model_id == "a+b"
    assert contract.dim == 96
    shas = a.contract.model_sha256 + b.contract.model_sha256
    assert contract.model_sha256 == hashlib.sha256(shas.encode()).hexdigest()
    assert a.contract.preprocessing in contract.preprocessing
    assert "w9.5000" in contract.preprocessing and "w12.2500" in contract.preprocessing
    other = FusedEmbedder([Component("a", a, 9.0), Component("b", b, 12.25)]).contract
    assert other.preprocessing != contract.preprocessing


def test_fused_embedder_prepares_each_models_own_crop() -> None:
    a, b = FakeEmbedder(dim=64, seed=1), FakeEmbedder(dim=32, seed=2)
    fused = FusedEmbedder([Component("a", a, 1.0), Component("b", b, 3.0)])
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (120, 100, 3), dtype=np.uint8)
    detection = Detection(
        box=(20.0, 20.0, 80.0, 90.0), score=0.99, landmarks=np.zeros((5, 2), np.float32)
    )
    crop = fused.prepare(image, detection)
    assert isinstance(crop, FusedCrop) and len(crop.parts) == 2
    vectors = fused.embed([crop, crop])
    assert vectors.shape == (2, 96)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    expected = fuse([a.embed([crop.parts[0]]), b.embed([crop.parts[1]])], [1.0, 3.0])
    np.testing.assert_allclose(vectors[:1], expected, atol=1e-6)
    assert fused.embed([]).shape == (0, 96)
    with pytest.raises(ValueError):
        FusedEmbedder([Component("a", a, 1.0)])
    with pytest.raises(ValueError):
        FusedEmbedder([Component("a", a, 1.0), Component("b", b, 0.0)])


@pytest.mark.slow
def test_evaluate_models_facenet_sface_on_dev_subset(
    settings: Settings, faces: Path, tmp_path: Path
) -> None:
    rows = list(csv.DictReader((faces / "pairs.csv").open()))[:100]
    subset = tmp_path / "pairs.csv"
    with subset.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["left", "right", "same"])
        writer.writeheader()
        writer.writerows(rows)
    env = {**os.environ, "HADIR_DATA_DIR": str(settings.data_dir)}
    result = subprocess.run(
        [
            *(sys.executable, "-m", "hadir.cli", "evaluate", "--pairs", str(subset)),
            *("--root", str(faces), "--json", "--models", "facenet+sface"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["models"] == "facenet+sface"
    assert report["contract"].startswith("facenet+sface")
    assert report["pairs"] == 100
    assert report["accuracy"] >= 0.97


def test_an_unknown_model_set_is_refused(settings: Settings) -> None:
    from hadir.bootstrap import build_embedder
    from hadir.domain.errors import ModelUnavailableError

    with pytest.raises(ModelUnavailableError):
        build_embedder(settings, "facenet+dlib")


def test_every_model_set_is_built_and_calibrated(settings: Settings) -> None:
    from hadir.bootstrap import MODEL_SETS, build_embedder, thresholds_for
    from hadir.face.calibration import load_calibrations

    calibrations = load_calibrations()
    for models in MODEL_SETS:
        embedder = build_embedder(settings, models)
        assert embedder.contract.preprocessing in calibrations, models
        thresholds = thresholds_for(embedder, settings)
        assert -1.0 < thresholds.review <= thresholds.accept < 1.0
    fused = build_embedder(settings, "facenet+sface")
    assert isinstance(fused, FusedEmbedder)
    assert fused.contract.dim == 512 + 128
