"""Where a self check-in may happen: great-circle distance to the allowed offices.

An office with latitude, longitude and radius is a circle on the map. A reported position
is inside when ``distance - credited accuracy <= radius``: the phone says it is within
``accuracy_m`` of the point it reports, so the benefit of the doubt is given, up to
``max_accuracy_m`` (a 5 km accuracy would otherwise admit anyone in town).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from hadir.domain.errors import DomainValidationError

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS-84 positions (degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Fence:
    """An office's circle."""

    code: str
    latitude: float
    longitude: float
    radius_m: float


@dataclass(frozen=True)
class FenceVerdict:
    inside: bool
    nearest: str | None
    """Code of the nearest office."""
    distance_m: float | None
    """Distance to the nearest office's centre, metres."""
    margin_m: float
    """The accuracy credited to the position."""


def judge(
    latitude: float,
    longitude: float,
    accuracy_m: float | None,
    fences: Iterable[Fence],
    *,
    max_accuracy_m: float = 100.0,
) -> FenceVerdict:
    """Whether the position is inside any fence (see the module docstring)."""
    margin = min(max(accuracy_m or 0.0, 0.0), max_accuracy_m)
    best: tuple[float, Fence] | None = None
    inside = False
    for fence in fences:
        distance = haversine_m(latitude, longitude, fence.latitude, fence.longitude)
        if distance - margin <= fence.radius_m:
            inside = True
        if best is None or distance < best[0]:
            best = (distance, fence)
    if best is None:
        return FenceVerdict(True, None, None, margin)
    return FenceVerdict(inside, best[1].code, best[0], margin)


MAX_RADIUS_M = 1_000_000.0
"""The largest office radius accepted (1000 km: anything larger is a typing error)."""


def check_location(latitude: float | None, longitude: float | None, radius_m: float | None) -> None:
    """Refuse a position or radius that cannot describe an office (the one check of both
    the API and the console): latitude in [-90, 90], longitude in [-180, 180], a radius
    above 0 and at most ``MAX_RADIUS_M``, all finite (``inf`` would switch the fence off,
    ``nan`` compares false with everything)."""
    bounds = {"latitude": (latitude, -90.0, 90.0), "longitude": (longitude, -180.0, 180.0)}
    for name, (value, low, high) in bounds.items():
        if value is not None and not (math.isfinite(value) and low <= value <= high):
            raise DomainValidationError(
                f"{name} must be a number from {low:g} to {high:g}", field=name, value=str(value)
            )
    if radius_m is not None and not (math.isfinite(radius_m) and 0 < radius_m <= MAX_RADIUS_M):
        raise DomainValidationError(
            f"radius_m must be a number above 0 and at most {MAX_RADIUS_M:g}",
            field="radius_m",
            value=str(radius_m),
        )
