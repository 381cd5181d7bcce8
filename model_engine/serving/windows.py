"""Rolling feature windows per stream (venue, symbol, timeframe)."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from signal_schema import FeatureFrame

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
StreamKey = tuple[str, str, str]

STALE_LOG_SECS = 60.0
"""At most one log line about stale frames per this many seconds (with the count since)."""


class RollingWindows:
    """Keep the last `length` warm feature rows of every stream.

    Parameters
    ----------
    names
        The live spec's feature names; frames with other names are refused.
    length
        Rows kept (the longest window of the served models).
    monotonic
        Clock that throttles the stale-frame log line.
    """

    def __init__(
        self,
        names: tuple[str, ...],
        length: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.names = names
        self.length = length
        self._rows: dict[StreamKey, deque[F32]] = {}
        self._last_ms: dict[StreamKey, int] = {}
        self._monotonic = monotonic
        self.stale = 0
        """Frames dropped because their bar is not after the window's last bar."""
        self._stale_logged = 0
        self._stale_log_at: float | None = None

    def has(self, key: StreamKey) -> bool:
        """Whether the stream has any row (live or seeded from history)."""
        return key in self._last_ms

    def seed(self, key: StreamKey, rows: F32, last_ms: int) -> None:
        """Start the stream with history `rows` (oldest first), its last bar closing at `last_ms`.

        Only for a stream without rows: live frames then follow the seeded ones.
        """
        if self.has(key):
            raise ValueError(f"{key} already has rows")
        self._last_ms[key] = last_ms
        self._rows[key] = deque(rows, maxlen=self.length)

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
        last_ms = self._last_ms.get(key, -1)
        if ts_ms <= last_ms:  # a repeated or late bar (e.g. a replay restarted behind us)
            self._count_stale(key, ts_ms, last_ms)
            return None
        self._last_ms[key] = ts_ms
        row = np.asarray(frame.values, dtype=np.float32)
        self._rows.setdefault(key, deque(maxlen=self.length)).append(row)
        return key

    def _count_stale(self, key: StreamKey, ts_ms: int, last_ms: int) -> None:
        self.stale += 1
        now = self._monotonic()
        if self._stale_log_at is not None and now - self._stale_log_at < STALE_LOG_SECS:
            return
        since = self.stale - self._stale_logged
        log.warning(
            "%s: dropped a frame of the bar closing at %d, not after the window's last bar "
            "(%d); %d such frames since the last line, %d in all",
            ":".join(key), ts_ms, last_ms, since, self.stale,
        )  # fmt: skip
        self._stale_logged = self.stale
        self._stale_log_at = now

    def window(self, key: StreamKey, length: int) -> F32 | None:
        """Return the last `length` rows ``(length, features)``, or None while too few."""
        rows = self._rows.get(key)
        if rows is None or len(rows) < length:
            return None
        return np.stack(list(rows)[-length:])
