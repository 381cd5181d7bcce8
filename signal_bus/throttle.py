"""A warning that can repeat thousands of times a second, logged once per interval with a count.

The first occurrence is logged as it happens; the ones that follow within ``interval_secs`` are
counted, and one summary line (``... and N more in the last 10 s``, with the last occurrence's
text) is written when the interval ends. A flood of bad frames writes one line per interval,
not one per frame; the exact counts are in ``/metrics`` (``ntx_bus_rejected``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

DEFAULT_INTERVAL_SECS = 10.0


class ThrottledWarning:
    """One kind of warning, throttled.

    Parameters
    ----------
    logger
        Where the lines go.
    event
        The ``event`` field of every line (``bus_frame_rejected``).
    interval_secs
        At most one line per interval after the first.
    clock
        Monotonic seconds (injected by tests).
    """

    def __init__(
        self,
        logger: logging.Logger,
        event: str,
        interval_secs: float = DEFAULT_INTERVAL_SECS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self._event = event
        self.interval_secs = interval_secs
        self._clock = clock
        self._quiet_until = float("-inf")
        self._held = 0
        self._last: tuple[str, tuple[Any, ...]] = ("", ())
        self._timer: asyncio.TimerHandle | None = None

    @property
    def held(self) -> int:
        """Occurrences counted but not yet written in a summary line."""
        return self._held

    def warning(self, message: str, *args: Any) -> None:
        """Log `message` now, or count it for the interval's summary line."""
        now = self._clock()
        if now >= self._quiet_until and self._held == 0:
            self._quiet_until = now + self.interval_secs
            self._log.warning(message, *args, extra={"event": self._event, "repeats": 1})
            return
        self._held += 1
        self._last = (message, args)
        if self._timer is None:
            with_loop = _running_loop()
            if with_loop is None:  # no loop (a synchronous caller): write at the next call
                if now >= self._quiet_until:
                    self.flush()
                return
            self._timer = with_loop.call_later(max(0.0, self._quiet_until - now), self.flush)

    def flush(self) -> None:
        """Write the summary line of what was counted (if anything) and start a new interval."""
        if self._timer is not None:
            self._timer.cancel()  # harmless when this is the timer's own call
        self._timer = None
        if self._held == 0:
            return
        held, (message, args) = self._held, self._last
        self._held = 0
        self._quiet_until = self._clock() + self.interval_secs
        self._log.warning(
            f"{message} (and %d more like it in the last %.0f s)",
            *args,
            held,
            self.interval_secs,
            extra={"event": self._event, "repeats": held},
        )
        loop = _running_loop()
        if loop is not None:  # the next interval's summary, should the flood go on
            self._timer = loop.call_later(self.interval_secs, self.flush)

    def close(self) -> None:
        """Write what is counted and stop the timer."""
        self.flush()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
