"""The venue's clock, which alone tells a closed candle from one still forming."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable


class ServerClock:
    """Estimate the venue's time from an occasional sync plus local monotonic time elapsed.

    Parameters
    ----------
    fetch_ms
        Asks the venue for its time in epoch milliseconds; None when it cannot tell, and then
        the local wall clock is used.
    max_age_secs
        How old a sync may be before `now_ms` asks again.
    margin_ms
        Taken off every estimate, so that a candle counts as closed only once the venue has
        surely closed it (covers the sync's round trip and the venue's own lag).
    monotonic, wall
        Local clocks in seconds (injectable for tests).
    """

    def __init__(
        self,
        fetch_ms: Callable[[], Awaitable[int | None]],
        *,
        max_age_secs: float = 60.0,
        margin_ms: int = 1_000,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._fetch_ms = fetch_ms
        self._max_age_secs = max_age_secs
        self._margin_ms = margin_ms
        self._monotonic = monotonic
        self._wall = wall
        self._synced: tuple[float, int] | None = None

    async def now_ms(self, *, max_age_secs: float | None = None) -> int:
        """Return the venue's time now, less the margin, syncing when the last sync is too old.

        Parameters
        ----------
        max_age_secs
            Overrides the constructor's for this call (0 syncs always).
        """
        limit = self._max_age_secs if max_age_secs is None else max_age_secs
        if self._synced is None or self._monotonic() - self._synced[0] >= limit:
            venue_ms = await self._fetch_ms()
            if venue_ms is None:
                venue_ms = int(self._wall() * 1000)
            # The venue read its clock before we got the answer: anchoring the answer at
            # arrival makes every estimate a lower bound of the venue's time.
            self._synced = (self._monotonic(), venue_ms)
        at, venue_ms = self._synced
        return venue_ms + int((self._monotonic() - at) * 1000) - self._margin_ms
