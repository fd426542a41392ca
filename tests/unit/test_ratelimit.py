"""Token buckets: burst, refill, retry_after, per key, thread safety."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from hadir.domain.errors import ErrorCode
from hadir.services.ratelimit import RateLimitedError, RateLimiter


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refusal_then_refill() -> None:
    ticks = Ticks()
    limiter = RateLimiter(6, burst=3, clock=ticks)  # one token every 10 s
    for _ in range(3):
        limiter.hit("a")
    with pytest.raises(RateLimitedError) as refused:
        limiter.hit("a")
    assert refused.value.code is ErrorCode.RATE_LIMITED
    assert refused.value.details["retry_after"] == 10
    limiter.hit("b")  # another key has its own bucket
    ticks.now = 9.0
    with pytest.raises(RateLimitedError):
        limiter.hit("a")
    ticks.now = 10.5
    limiter.hit("a")
    assert limiter.retry_after("a") > 0


def test_old_keys_are_dropped_beyond_max_keys() -> None:
    limiter = RateLimiter(60, burst=1, max_keys=2, clock=Ticks())
    limiter.hit("a")
    limiter.hit("b")
    limiter.hit("c")  # evicts "a"
    limiter.hit("a")  # a fresh bucket again


def test_threads_never_get_more_than_the_burst() -> None:
    limiter = RateLimiter(1, burst=10, clock=Ticks())

    def take(_: int) -> bool:
        try:
            limiter.hit("k")
        except RateLimitedError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        granted = sum(pool.map(take, range(200)))
    assert granted == 10
