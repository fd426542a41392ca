from __future__ import annotations

import numpy as np
import pytest

from hadir.face import metrics


def test_threshold_at_far_admits_at_most_the_allowed_impostors() -> None:
    impostor = np.linspace(0.0, 0.999, 1000)
    genuine = np.array([0.5, 0.9995, 1.0])
    scores = np.concatenate([genuine, impostor])
    same = np.r_[np.ones(3, bool), np.zeros(1000, bool)]
    t = metrics.threshold_at_far(scores, same, 1e-3)
    tar, far = metrics.rates_at(scores, same, t)
    assert far <= 1e-3
    assert far == pytest.approx(1e-3)  # exactly one impostor (0.999) still accepted
    assert tar == pytest.approx(2 / 3)


def test_auc_and_eer_of_separable_and_random_scores() -> None:
    same = np.r_[np.ones(50, bool), np.zeros(50, bool)]
    separable = np.r_[np.full(50, 0.9), np.full(50, 0.1)]
    assert metrics.auc(separable, same) == 1.0
    assert metrics.eer(separable, same)[0] == 0.0
    rng = np.random.default_rng(1)
    noise = rng.random(100)
    assert 0.3 < metrics.auc(noise, same) < 0.7


def test_auc_matches_gaussian_theory() -> None:
    rng = np.random.default_rng(0)
    g, i = rng.normal(1, 0.5, 4000), rng.normal(0, 0.5, 4000)
    s = np.r_[g, i]
    y = np.r_[np.ones(4000, bool), np.zeros(4000, bool)]
    # d' = 2 -> AUC = Phi(2 / sqrt 2) = 0.921
    assert metrics.auc(s, y) == pytest.approx(0.921, abs=0.01)
    assert metrics.eer(s, y)[0] == pytest.approx(0.159, abs=0.015)


def test_kfold_accuracy_picks_thresholds_out_of_fold() -> None:
    rng = np.random.default_rng(3)
    y = rng.random(600) < 0.5
    s = np.where(y, 0.7, 0.3) + rng.normal(0, 0.05, 600)
    result = metrics.kfold_accuracy(s, y, folds=10)
    assert result.mean == 1.0
    assert len(result.thresholds) == 10
    assert all(0.4 < t < 0.6 for t in result.thresholds)


def test_best_accuracy_threshold_is_between_classes() -> None:
    s = np.array([0.1, 0.2, 0.8, 0.9])
    y = np.array([False, False, True, True])
    threshold, accuracy = metrics.best_accuracy_threshold(s, y)
    assert accuracy == 1.0
    assert 0.2 < threshold < 0.8


def test_mismatched_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        metrics.auc([0.1, 0.2], [True])
