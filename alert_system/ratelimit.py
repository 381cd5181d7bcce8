"""Token bucket: at most `rate` sends per second, bursts up to `burst`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class RateLimiter:
    """Pace one channel's sends.

    Parameters
    ----------
    rate_per_s
        Sustained sends per second.
    burst
        Sends allowed back to back after a quiet spell (default: one second's worth).
    """

    def __init__(
        self,
        rate_per_s: float,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._rate = rate_per_s
        self._burst = burst if burst is not None else max(1.0, rate_per_s)
        self._tokens = self._burst
        self._clock = clock
        self._last = clock()

    def delay(self) -> float:
        """Take a token; return how long to wait before using it (0 when one is there)."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self._rate

    async def acquire(self) -> None:
        """Wait until a send is allowed."""
        wait = self.delay()
        if wait > 0:
            await asyncio.sleep(wait)
