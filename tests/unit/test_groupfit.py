"""Worst-group fitting (issue 12): centre, cross-fitting, tail model, identification scaling."""

from __future__ import annotations

import numpy as np
import pytest

from hadir.face.calibration import IDENTIFY_FPIR, gallery_thresholds, load_calibrations
from hadir.face.matching import Thresholds
from hadir.offline import groupfit as gf


def population(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two groups of identities in 16-d; group 1 shares a strong common direction."""
    rng = np.random.default_rng(seed)
    shared = np.zeros(16)
    shared[0] = 1.5
    vectors, codes, group_of = [], [], []
    for ident in range(40):
        group = int(ident >= 25)
        person = rng.normal(size=16) + (shared if group else 0.0)
        for _ in range(4):
            vectors.append(person + 0.3 * rng.normal(size=16))
            codes.append(ident)
        group_of.append(group)
    return gf.unit(np.array(vectors)), np.array(codes), np.array(group_of)


def test_balanced_centre_weighs_groups_not_heads() -> None:
    vectors, codes, group_of = population()
    means = gf.identity_means(vectors, codes, 40)
    centre = gf.balanced_centre(means, group_of)(set())
    expected = (means[group_of == 0].mean(axis=0) + means[group_of == 1].mean(axis=0)) / 2
    assert np.allclose(centre, expected)
    # leaving people out changes the centre: the fit never sees the pair it scores
    assert not np.allclose(gf.balanced_centre(means, group_of)({30, 31}), centre)


def test_group_centre_lowers_in_group_impostor_scores() -> None:
    vectors, codes, group_of = population()
    means = gf.identity_means(vectors, codes, 40)
    members = np.flatnonzero(group_of == 1).tolist()
    everyone = np.zeros(40, dtype=np.intp)
    mixed = gf.in_group_scores(vectors, codes, members, gf.balanced_centre(means, everyone))
    balanced = gf.in_group_scores(vectors, codes, members, gf.balanced_centre(means, group_of))
    assert balanced.impostors.mean() < mixed.impostors.mean()
    n = len(members)
    assert balanced.impostors.size == 16 * n * (n - 1) // 2  # 4 x 4 photos per pair of people
    assert balanced.genuine.size == 6 * n


def test_tail_z_extrapolates_below_resolution_and_grows() -> None:
    impostors = np.random.default_rng(1).normal(size=200_000)
    z = gf.tail_z(impostors, (1e-2, 1e-3, 1e-4, 1e-6))
    assert z[1e-2] < z[1e-3] < z[1e-4] < z[1e-6]
    assert z[1e-3] == pytest.approx(3.09, abs=0.1)  # a normal's quantile, read empirically
    with pytest.raises(ValueError):
        gf.tail_z(impostors[:500], (1e-3, 1e-4))


def test_bootstrap_bound_is_above_the_point_estimate() -> None:
    vectors, codes, group_of = population()
    means = gf.identity_means(vectors, codes, 40)
    group = gf.in_group_scores(
        vectors, codes, np.flatnonzero(group_of == 1).tolist(), gf.balanced_centre(means, group_of)
    )
    z = {1e-3: 3.2}
    point = group.impostors.mean() + group.impostors.std() * 3.2
    bound = gf.bootstrap_thresholds(group, z, upper=95.0, rounds=200)
    assert bound[1e-3] > point


def test_identification_threshold_grows_with_the_gallery() -> None:
    calibration = next(iter(load_calibrations().values()))
    base = Thresholds(calibration.accept, calibration.review)
    small = gallery_thresholds(base, calibration, 50)
    large = gallery_thresholds(base, calibration, 5_000)
    assert base.accept <= small.accept < large.accept <= 1.0
    assert small.accept == pytest.approx(
        max(base.accept, calibration.threshold_at(IDENTIFY_FPIR / 50))
    )
    # without a shipped calibration the 1:1 threshold is all there is
    assert gallery_thresholds(Thresholds(0.4, 0.3), None, 500).accept == 0.4


def test_threshold_at_interpolates_between_calibrated_points() -> None:
    calibration = next(iter(load_calibrations().values()))
    at = calibration.thresholds_at_far
    assert calibration.threshold_at(1e-3) == pytest.approx(at["0.001"])
    middle = calibration.threshold_at(10**-3.5)
    assert at["0.001"] < middle < at["0.0001"]
