"""Which threshold each kind of match uses, from the engine's 1:1 thresholds.

1:1 verification uses the engine's thresholds (``FaceAnalyser.thresholds``). 1:N
identification (the kiosk, and the enrolment check against every other employee) uses a
stricter one: the calibrated FAR ``IDENTIFY_FAR`` threshold of the recipe when shipped,
never below the 1:1 accept threshold.
"""

from __future__ import annotations

from hadir.face.calibration import load_calibrations
from hadir.face.matching import Thresholds

IDENTIFY_FAR = "1e-05"


def identification_thresholds(base: Thresholds, preprocessing: str) -> Thresholds:
    """Stricter thresholds for 1:N: the calibrated FAR 1e-5 value, else ``base.accept``."""
    calibration = load_calibrations().get(preprocessing)
    strict = base.accept
    if calibration is not None and IDENTIFY_FAR in calibration.thresholds_at_far:
        strict = max(strict, calibration.thresholds_at_far[IDENTIFY_FAR])
    return Thresholds(accept=strict, review=min(base.review, strict))
