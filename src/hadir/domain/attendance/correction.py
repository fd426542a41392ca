"""Corrections of a day's attendance (issue 15): why and in which state."""

from __future__ import annotations

from enum import StrEnum


class CorrectionReason(StrEnum):
    """Why a day needs correcting. Values are stored; never rename them."""

    FORGOT_CHECK_OUT = "forgot_check_out"
    FORGOT_CHECK_IN = "forgot_check_in"
    DEVICE_FAILED = "device_failed"
    DUTY_ELSEWHERE = "duty_elsewhere"


class CorrectionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"


MAX_CORRECTION_BACKDATE_DAYS = 30
"""How far back a correction may be asked for (last month's report is still open)."""
