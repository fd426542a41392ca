"""Great-circle distance and the geofence verdict (pure)."""

from __future__ import annotations

import pytest

from hadir.domain.geofence import Fence, haversine_m, judge

# Kantor Bupati (illustrative coordinates) and a fence of 100 m around it
OFFICE = Fence("PEMDA", -6.595000, 106.816000, 100.0)


def test_haversine_known_distances() -> None:
    assert haversine_m(0.0, 0.0, 0.0, 0.0) == 0.0
    # one degree of latitude is ~111.2 km on the mean sphere
    assert haversine_m(0.0, 106.0, 1.0, 106.0) == pytest.approx(111_195, rel=1e-3)
    # Jakarta (Monas) to Bogor (Kebun Raya): about 43 km
    assert haversine_m(-6.1754, 106.8272, -6.5976, 106.7990) == pytest.approx(47_000, rel=0.1)
    # symmetric
    a = haversine_m(-6.2, 106.8, -6.6, 106.9)
    assert a == pytest.approx(haversine_m(-6.6, 106.9, -6.2, 106.8))


def _north(metres: float) -> float:
    return OFFICE.latitude + metres / 111_195


def test_inside_and_outside() -> None:
    inside = judge(_north(50), OFFICE.longitude, 5.0, [OFFICE])
    assert inside.inside and inside.nearest == "PEMDA"
    assert inside.distance_m == pytest.approx(50, abs=1)
    outside = judge(_north(300), OFFICE.longitude, 5.0, [OFFICE])
    assert not outside.inside
    assert outside.distance_m == pytest.approx(300, abs=2)


def test_accuracy_is_credited_up_to_the_cap() -> None:
    at_150 = (_north(150), OFFICE.longitude)
    assert not judge(*at_150, 20.0, [OFFICE]).inside
    assert judge(*at_150, 60.0, [OFFICE]).inside  # 150 - 60 <= 100
    # a 5 km accuracy is capped: it does not admit someone 2 km away
    far = judge(_north(2000), OFFICE.longitude, 5000.0, [OFFICE], max_accuracy_m=100)
    assert not far.inside and far.margin_m == 100
    assert judge(*at_150, None, [OFFICE]).margin_m == 0


def test_any_fence_admits_and_the_nearest_is_reported() -> None:
    other = Fence("DINKES", _north(1000), OFFICE.longitude, 50.0)
    verdict = judge(_north(980), OFFICE.longitude, 0.0, [OFFICE, other])
    assert verdict.inside and verdict.nearest == "DINKES"
    assert judge(0.0, 0.0, 0.0, []).inside  # no fence: nothing to enforce
