"""`ReplayVenue`: recorded candles played back through the `Venue` interface on a `SimClock`."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncGenerator
from pathlib import Path

from data_core.clock import SimClock
from data_core.replay.position import ReplayPosition
from market_store.candles import Candle, MarketKey, timeframe_ms
from market_store.imports import ensure_imported
from market_store.store import CandleStore

_SYMBOL_RE = re.compile(r"([A-Z0-9]{1,20})[/_\-]([A-Z0-9]{1,20})", re.ASCII)


def replay_symbol(symbol: str) -> str:
    """Return ``BTC/USDT`` for ``BTC/USDT``, ``btc-usdt`` or ``BTC_USDT``.

    Raises
    ------
    ValueError
        The symbol has no separator between base and quote.
    """
    match = _SYMBOL_RE.fullmatch(symbol.strip().upper())
    if match is None:
        raise ValueError(f"not a symbol like BTC/USDT: {symbol!r}")
    return f"{match.group(1)}/{match.group(2)}"


class ReplayVenue:
    """A venue whose market is recorded candles, replayed on a simulated clock.

    Candles are read from ``store`` under the ``source`` venue; a series the store lacks is
    imported from ``data_dir`` first. A candle is seen only once it has closed in simulated
    time, and every series watched on one clock is emitted in close-time order.

    Parameters
    ----------
    store
        Where the recorded candles are read from.
    clock
        The simulated clock (its start time and speed set the replay).
    source
        The venue the recording comes from (the folder under ``ohlcv/``).
    data_dir
        The data folder (NTX_DATA_DIR) to import missing series from, if any.
    name
        The name this venue reports.
    page
        Candles read from the store at a time while watching.
    position
        Where a previous run of this replay stopped, if it is kept (see `make_replay`).
    """

    def __init__(
        self,
        store: CandleStore,
        clock: SimClock,
        *,
        source: str = "binance",
        data_dir: Path | None = None,
        name: str = "replay",
        page: int = 1_000,
        position: ReplayPosition | None = None,
    ) -> None:
        self.name = name
        self.position = position
        self.clock = clock
        self._store = store
        self._source = source
        self._data_dir = data_dir
        self._page = page
        self._ensured: set[MarketKey] = set()

    def key(self, symbol: str, timeframe: str) -> MarketKey:
        """Return the stored series replayed for ``symbol`` and ``timeframe``."""
        timeframe_ms(timeframe)
        return MarketKey(self._source, replay_symbol(symbol), timeframe)

    async def _ensure(self, key: MarketKey) -> None:
        if key not in self._ensured and self._data_dir is not None:
            await asyncio.to_thread(ensure_imported, self._store, self._data_dir, key)
        self._ensured.add(key)

    async def now_ms(self) -> int:
        """Return the simulated now."""
        return self.clock.now_ms()

    async def fetch_closed(
        self, symbol: str, timeframe: str, since_ms: int | None = None, limit: int | None = None
    ) -> list[Candle]:
        """Return candles closed by the simulated now, oldest first.

        Parameters
        ----------
        symbol, timeframe
            The series, e.g. ``"BTC/USDT"`` and ``"1h"``.
        since_ms
            The earliest open to return; None returns the newest ``limit`` candles.
        limit
            At most this many candles (None: all of them).
        """
        key = self.key(symbol, timeframe)
        await self._ensure(key)
        end_ms = self.clock.now_ms() - key.timeframe_ms + 1
        if since_ms is None:
            return self._store.read(key, None, end_ms, last=limit)
        return self._store.read(key, since_ms, end_ms, limit=limit)

    async def watch_closed(self, symbol: str, timeframe: str) -> AsyncGenerator[Candle, None]:
        """Yield each candle when it closes in simulated time, until the recording ends.

        The first candle yielded is the first one still open when the watch starts. Start
        every watch on one clock together (see `SimClock.join`).
        """
        key = self.key(symbol, timeframe)
        tf_ms = key.timeframe_ms
        with self.clock.join() as participant:
            await self._ensure(key)
            start = self.clock.now_ms() - tf_ms + 1
            while candles := self._store.read(key, start, limit=self._page):
                for candle in candles:
                    await participant.sleep_until(candle.ts_open_ms + tf_ms)
                    yield candle
                start = candles[-1].ts_open_ms + 1

    async def close(self) -> None:
        """Release nothing: the store belongs to the caller."""
