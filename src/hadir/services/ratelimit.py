"""In-process token buckets: ``RateLimiter.hit(key)`` or ``RateLimitedError``.

Each key (an IP, a token hash, an employee) has a bucket of ``burst`` tokens refilled at
``per_minute`` per minute; a hit takes one token. The buckets live in this process only:
with several servers (or ``hadir serve --workers N``) each has its own, so the effective
limit is N times higher (docs/security.md). Time is ``time.monotonic`` (never the
app's clock, which tests freeze). Thread-safe; the least recently used keys are dropped
beyond ``max_keys``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from hadir.domain.errors import ErrorCode, HadirError


class RateLimitedError(HadirError):
    code = ErrorCode.RATE_LIMITED


class RateLimiter:
    def __init__(
        self,
        per_minute: float,
        *,
        burst: float | None = None,
        scope: str = "requests",
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.burst = float(burst if burst is not None else max(1.0, per_minute))
        self.scope = scope
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may hit again (0 when it may now)."""
        with self._lock:
            tokens = self._tokens(key, self._clock())
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def hit(self, key: str) -> None:
        """Take one token from ``key``'s bucket; ``RateLimitedError`` (with
        ``retry_after`` seconds, rounded up) when it is empty."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key, now)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                self._buckets.move_to_end(key)
                wait = math.ceil((1 - tokens) / self.rate)
                raise RateLimitedError(
                    "Too many attempts; wait a moment and try again.",
                    scope=self.scope,
                    retry_after=wait,
                )
            self._buckets[key] = (tokens - 1, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
