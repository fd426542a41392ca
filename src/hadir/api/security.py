"""The security objects of one app, built from settings once (``create_app``).

Rate limiters are in-process token buckets (``hadir.services.ratelimit``): with several
servers or workers each keeps its own buckets, so the limits are per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hadir.bootstrap import intake_limits
from hadir.services.auth import SignInPolicy
from hadir.services.checkguard import CheckPolicy
from hadir.services.evidence import EvidenceVault, parse_key
from hadir.services.ratelimit import RateLimiter
from hadir.settings import Settings


@dataclass(frozen=True)
class Security:
    check: CheckPolicy
    sign_in: SignInPolicy
    checkin_ip: RateLimiter | None
    checkin_token: RateLimiter | None
    signin_ip: RateLimiter | None
    signin_username: RateLimiter | None
    evidence: EvidenceVault | None


def _limiter(enabled: bool, per_minute: float, scope: str) -> RateLimiter | None:
    return RateLimiter(per_minute, scope=scope) if enabled else None


def build_security(settings: Settings) -> Security:
    """Raises ``EvidenceKeyError`` when evidence photos are on without a valid key: the
    app refuses to start rather than keep photos it cannot protect."""
    vault = None
    if settings.evidence_photos:
        key = None if settings.evidence_key is None else settings.evidence_key.get_secret_value()
        vault = EvidenceVault(parse_key(key), timedelta(days=settings.evidence_days))
    on = settings.rate_limits
    return Security(
        check=CheckPolicy(
            replay=settings.replay_check,
            replay_max_distance=settings.replay_max_distance,
            replay_window=timedelta(days=settings.replay_window_days),
            max_accuracy_m=settings.geofence_max_accuracy_m,
            employee_limiter=_limiter(
                on, settings.checkin_per_employee_per_minute, "check-in per employee"
            ),
            evidence=vault,
            intake=intake_limits(settings),
        ),
        sign_in=SignInPolicy(
            max_failures=settings.login_max_failures,
            lock_for=timedelta(minutes=settings.login_lock_minutes),
            lifetime=timedelta(hours=settings.token_hours),
        ),
        checkin_ip=_limiter(on, settings.checkin_per_ip_per_minute, "check-in per address"),
        checkin_token=_limiter(on, settings.checkin_per_token_per_minute, "check-in per token"),
        signin_ip=_limiter(on, settings.signin_per_ip_per_minute, "sign-in per address"),
        signin_username=_limiter(
            on, settings.signin_per_username_per_minute, "sign-in per username"
        ),
        evidence=vault,
    )
