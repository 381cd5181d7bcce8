"""Average true range (Wilder), streaming, in exact decimals."""

from __future__ import annotations

from decimal import Decimal


class AverageTrueRange:
    """Wilder's ATR over `period` bars, updated one bar at a time.

    Parameters
    ----------
    period
        Bars in the average (14 by convention).
    """

    def __init__(self, period: int = 14) -> None:
        if period < 1:
            raise ValueError("period must be >= 1")
        self.period = period
        self._previous_close: Decimal | None = None
        self._seed: list[Decimal] = []
        self.value: Decimal | None = None

    def update(self, high: Decimal, low: Decimal, close: Decimal) -> Decimal | None:
        """Add one bar; return the ATR once `period` bars were seen, else None."""
        previous = self._previous_close
        true_range = high - low
        if previous is not None:
            true_range = max(true_range, abs(high - previous), abs(low - previous))
        self._previous_close = close
        if self.value is None:
            self._seed.append(true_range)
            if len(self._seed) == self.period:
                self.value = sum(self._seed, Decimal(0)) / self.period
            return self.value
        self.value = (self.value * (self.period - 1) + true_range) / self.period
        return self.value
