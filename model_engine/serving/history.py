"""Feature rows of stored candles: what warms a stream's window before its first live frame.

A restarted model_engine would otherwise emit nothing for a stream until ``window`` live frames
had arrived. `StoredHistory` reads the candles data_core keeps in NTX_HOME's candle store
(`market_store`) and computes their rows with `feature_spec.compute_batch`, the batch twin of
data_core's streaming features, so the rows equal the frames data_core published for those
bars (ADR 0015). News columns are zeros: the store keeps no news; live frames take over.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from feature_spec import FeatureSpec, compute_batch
from market_store.candles import MarketKey
from market_store.store import CandleStore
from market_store.timeframes import timeframe_ms

log = logging.getLogger(__name__)

F32 = npt.NDArray[np.float32]
StreamKey = tuple[str, str, str]

HISTORY_WARMUPS = 3
"""Candles read before the rows: this many times the spec's warm-up (as data_core reads)."""


@dataclass(frozen=True, slots=True)
class HistoryRows:
    """Rows of the newest stored bars before a live frame, oldest first."""

    rows: F32
    last_close_ms: int
    """The close time of the last row's bar (the window's last bar once seeded)."""
    source: MarketKey


class StoredHistory:
    """Read a stream's recent feature rows from the candle store.

    Parameters
    ----------
    path
        The candle database (``NTX_HOME/data/candles.sqlite``); it is opened on first use
        and never created: without it there is no history.
    spec
        The live feature spec.
    """

    def __init__(self, path: Path, spec: FeatureSpec) -> None:
        self.path = path
        self.spec = spec
        self._store: CandleStore | None = None
        self._sources: dict[StreamKey, MarketKey | None] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the store if it was opened."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def rows_before(self, key: StreamKey, close_ms: int, count: int) -> HistoryRows | None:
        """Return up to `count` warm rows of the bars closing before `close_ms`.

        Parameters
        ----------
        key
            The stream (venue, symbol, timeframe) as its frames name it.
        close_ms
            The close time of the first live frame: only bars closing at or before its open
            are read.
        count
            Rows wanted (the longest served window).

        Returns
        -------
        HistoryRows or None
            None when the store is missing, holds no such series or too few candles.
        """
        with self._lock:
            store = self._open()
            if store is None:
                return None
            source = self._source(store, key)
            if source is None:
                return None
            tf_ms = timeframe_ms(key[2])
            open_ms = close_ms - tf_ms  # the live frame's bar: read what opened before it
            bars = store.read_arrays(
                source, end_ms=open_ms, last=HISTORY_WARMUPS * self.spec.warmup_bars + count
            )
        if len(bars) <= self.spec.warmup_bars:
            return None
        values = compute_batch(self.spec, bars)[-count:]
        finite = np.isfinite(values).all(axis=1)
        if not finite.all():  # a bar whose features are not finite: data_core sends it cold
            values = values[finite]
        if not len(values):
            return None
        last_close = int(bars.ts_open_ms[-1]) + tf_ms
        return HistoryRows(values.astype(np.float32), last_close, source)

    def _open(self) -> CandleStore | None:
        if self._store is None and self.path.is_file():
            self._store = CandleStore(self.path)
        return self._store

    def _source(self, store: CandleStore, key: StreamKey) -> MarketKey | None:
        """Return the stored series of `key`: its own venue, else the one series of the symbol.

        A replay's frames name the venue ``replay`` while the store keeps the recording under
        its source venue (``binance``): a symbol and timeframe stored under one venue only is
        taken as the stream's.
        """
        if key in self._sources:
            return self._sources[key]
        venue, symbol, timeframe = key
        own = MarketKey(venue, symbol, timeframe)
        found: MarketKey | None = None
        if store.last_open_ms(own) is not None:
            found = own
        else:
            same = [
                k
                for k in store.markets()
                if k.symbol == symbol and k.timeframe == timeframe
                and store.last_open_ms(k) is not None
            ]  # fmt: skip
            if len(same) == 1:
                found = same[0]
            else:
                log.info("%s: no single stored series to warm from (%d found)", key, len(same))
        self._sources[key] = found
        return found


__all__ = ["HISTORY_WARMUPS", "HistoryRows", "StoredHistory"]
