"""Exponential backoff with jitter for reconnects, as a tenacity wait."""

from __future__ import annotations

import random
from dataclasses import dataclass

from signal_bus.retry import delay_of, wait_backoff, wait_jittered


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before reconnect attempt `n` (0-based): equal jitter over an exponential cap."""

    initial_secs: float = 0.1
    max_secs: float = 10.0
    factor: float = 2.0

    def wait(self, rng: random.Random) -> wait_jittered:
        """Return the tenacity wait: after the n-th failure, uniform in [cap/2, cap]."""
        return wait_backoff(self.initial_secs, self.max_secs, factor=self.factor, rng=rng)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Return a delay in [cap/2, cap], cap = min(max, initial * factor**attempt)."""
        return delay_of(self.wait(rng), ConnectionError(), attempt + 1)
