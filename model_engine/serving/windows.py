"""Rolling feature windows per stream (venue, symbol, timeframe)."""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt

from signal_schema import FeatureFrame

F32 = npt.NDArray[np.float32]
StreamKey = tuple[str, str, str]


class RollingWindows:
    """Keep the last `length` warm feature rows of every stream.

    Parameters
    ----------
    names
        The live spec's feature names; frames with other names are refused.
    length
        Rows kept (the longest window of the served models).
    """

    def __init__(self, names: tuple[str, ...], length: int) -> None:
        self.names = names
        self.length = length
        self._rows: dict[StreamKey, deque[F32]] = {}
        self._last_ms: dict[StreamKey, int] = {}

    def resize(self, length: int) -> None:
        """Keep `length` rows from now on (kept rows survive a hot-swap)."""
        if length != self.length:
            self.length = length
            self._rows = {k: deque(v, maxlen=length) for k, v in self._rows.items()}

    def add(self, frame: FeatureFrame) -> StreamKey | None:
        """Append a warm frame's row; return its stream key, or None if it is not usable."""
        if not frame.warm or frame.names != self.names:
            return None
        key = (frame.venue, frame.symbol, frame.timeframe)
        ts_ms = int(frame.ts_event.timestamp() * 1000)
        if ts_ms <= self._last_ms.get(key, -1):
            return None  # a repeated or late bar
        self._last_ms[key] = ts_ms
        row = np.asarray(frame.values, dtype=np.float32)
        self._rows.setdefault(key, deque(maxlen=self.length)).append(row)
        return key

    def window(self, key: StreamKey, length: int) -> F32 | None:
        """Return the last `length` rows ``(length, features)``, or None while too few."""
        rows = self._rows.get(key)
        if rows is None or len(rows) < length:
            return None
        return np.stack(list(rows)[-length:])
