"""Exponential backoff with jitter for reconnects."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before reconnect attempt `n`: equal jitter over an exponential cap."""

    initial_secs: float = 0.1
    max_secs: float = 10.0
    factor: float = 2.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Return a delay in [cap/2, cap], cap = min(max, initial * factor**attempt)."""
        cap = min(self.max_secs, self.initial_secs * self.factor ** min(attempt, 64))
        return rng.uniform(cap / 2, cap)
