"""The one way to read candles: the store, filled from NTX_DATA_DIR or the venue when it lacks them.

Training, evaluation, backtests, benchmarks and the demo read candles through `CandleLoader`;
data_core writes the same store live. A range the store lacks is imported from the recording
folder when NTX_DATA_DIR is set, else downloaded from the venue (paged, resumable, with a
progress bar). "Now" is the market's: the venue's clock, or the end of the recording.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from feature_spec import Ohlcv
from market_store.candles import Candle, MarketKey, timeframe_ms
from market_store.errors import OperationalError
from market_store.imports import covers, ensure_imported, recorded_file
from market_store.paths import DATA_DIR_ENV, candle_db_path, ntx_home
from market_store.source import MarketSource, offline_hint, region_hint
from market_store.store import CandleStore

_log = logging.getLogger(__name__)
T = TypeVar("T")
Say = Callable[[str], None]


class MarketDataError(OperationalError):
    """The candles asked for cannot be had; the message says why and what to do, in one line."""


class CandleLoader:
    """Read candles from the store, filling what it lacks from the source first.

    Parameters
    ----------
    store
        The candle store (NTX_HOME's by default, see `open`).
    source
        Where missing candles come from.
    say
        Told what the loader is doing (importing, downloading), one line each.
    progress
        Show a progress bar on standard error while downloading.
    """

    def __init__(
        self,
        store: CandleStore,
        source: MarketSource,
        *,
        say: Say | None = None,
        progress: bool = True,
    ) -> None:
        self.store = store
        self.source = source
        self._say = say or _log.info
        self._progress = progress

    @classmethod
    def open(
        cls,
        home: Path | None = None,
        source: MarketSource | None = None,
        *,
        say: Say | None = None,
        progress: bool = True,
    ) -> Self:
        """Return a loader over NTX_HOME's store and the environment's source (close it after)."""
        store = CandleStore(candle_db_path(home or ntx_home()))
        return cls(store, source or MarketSource.from_env(), say=say, progress=progress)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def key(self, symbol: str, timeframe: str) -> MarketKey:
        """Return the stored series of `symbol` (any style: ``BTCUSDT``, ``btc/usdt``)."""
        from market_store.venues.symbols import normalise_symbol

        timeframe_ms(timeframe)
        return MarketKey(self.source.venue, normalise_symbol(symbol), timeframe)

    def now_ms(self, symbols: Sequence[str], timeframe: str) -> int:
        """Return the market's now: the venue's clock, or the newest recorded close.

        Raises
        ------
        MarketDataError
            The venue cannot be reached, or the recording holds none of the series.
        """
        keys = [self.key(symbol, timeframe) for symbol in symbols]
        if self.source.data_dir is None:
            return _run(self._venue_now())
        closes = []
        for key in keys:
            self._import(key, None, None)
            last = self.store.last_open_ms(key)
            if last is not None:
                closes.append(last + key.timeframe_ms)
        if not closes:
            raise MarketDataError(f"{self.source.describe()} holds none of {symbols} {timeframe}")
        return max(closes)

    def load(
        self,
        symbol: str,
        timeframe: str,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> Ohlcv:
        """Return one series' candles opening in ``[since_ms, until_ms)``; see `load_all`."""
        return self.load_all([symbol], timeframe, since_ms, until_ms)[symbol]

    def load_all(
        self,
        symbols: Sequence[str],
        timeframe: str,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> dict[str, Ohlcv]:
        """Return each symbol's candles opening in ``[since_ms, until_ms)``, as float64 arrays.

        None leaves a side open: the whole recording, or from the venue's first candle up to
        its now. What the store lacks is filled first (see `ensure`).

        Raises
        ------
        MarketDataError
            The recording has no such file, or the venue cannot be reached or refuses.
        """
        self.ensure(symbols, timeframe, since_ms, until_ms)
        keys = {symbol: self.key(symbol, timeframe) for symbol in symbols}
        return {s: self.store.read_arrays(k, since_ms, until_ms) for s, k in keys.items()}

    def candles(
        self,
        symbol: str,
        timeframe: str,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> list[Candle]:
        """Return one series' candles with their exact decimals; see `load_all`."""
        self.ensure([symbol], timeframe, since_ms, until_ms)
        return self.store.read(self.key(symbol, timeframe), since_ms, until_ms)

    def ensure(
        self,
        symbols: Sequence[str],
        timeframe: str,
        since_ms: int | None = None,
        until_ms: int | None = None,
    ) -> int:
        """Fill what the store lacks of the range (one venue connection for all symbols).

        Returns
        -------
        int
            The candles written (new or changed).

        Raises
        ------
        MarketDataError
            As for `load_all`.
        """
        keys = [self.key(symbol, timeframe) for symbol in symbols]
        if self.source.data_dir is not None:
            return sum(self._import(key, since_ms, until_ms) for key in keys)
        lacking = [k for k in keys if not _covered(self.store, k, since_ms, until_ms)]
        return self._download(lacking, timeframe, since_ms, until_ms) if lacking else 0

    def _import(self, key: MarketKey, since_ms: int | None, until_ms: int | None) -> int:
        data_dir = self.source.data_dir
        if data_dir is None:
            return 0
        path = recorded_file(data_dir, key)
        if not path.is_file() and self.store.last_open_ms(key) is None:
            raise MarketDataError(f"{DATA_DIR_ENV}={data_dir} has no {key} candles ({path})")
        report = ensure_imported(self.store, data_dir, key, since_ms, until_ms)
        if report is None:
            return 0
        self._say(f"{key}: imported {report.rows} candles from {path}")
        if report.error is not None:
            raise MarketDataError(f"{path} could not be read to the end: {report.error}")
        return report.written

    def _download(
        self, keys: list[MarketKey], timeframe: str, since_ms: int | None, until_ms: int | None
    ) -> int:
        names = ", ".join(key.symbol for key in keys)
        self._say(f"downloading {names} {timeframe} candles from {self.source.describe()}")
        reports = _run(self._fetch([k.symbol for k in keys], timeframe, since_ms or 0, until_ms))
        failed = [report for report in reports if report.error is not None]
        if failed:
            raise MarketDataError(f"{failed[0].key}: download stopped: {failed[0].error}")
        stored: int = sum(report.candles_stored for report in reports)
        self._say(f"{self.source.venue}: {stored} new candles stored in {self.store.path}")
        return stored

    async def _venue_now(self) -> int:
        from market_store.download import CLOCK_RETRY
        from market_store.venues.policy import retrying
        from market_store.venues.registry import make_venue

        venue = make_venue(self.source.venue, rest_url=self.source.rest_url)
        try:
            return await self._reaching(retrying(venue.now_ms, CLOCK_RETRY, what="venue clock"))
        finally:
            await venue.close()

    async def _fetch(
        self, symbols: list[str], timeframe: str, since_ms: int, until_ms: int | None
    ) -> list[Any]:
        from market_store.download import download
        from market_store.progress import DownloadProgress

        source = self.source
        if not self._progress:
            return await self._reaching(
                download(self.store, source.venue, symbols, timeframe, since_ms, until_ms,
                         rest_url=source.rest_url)
            )  # fmt: skip
        with DownloadProgress() as bars:
            return await self._reaching(
                download(self.store, source.venue, symbols, timeframe, since_ms, until_ms,
                         rest_url=source.rest_url, on_progress=bars)
            )  # fmt: skip

    async def _reaching(self, call: Coroutine[Any, Any, T]) -> T:
        """Await a call to the venue; turn its failure into a one-line `MarketDataError`."""
        from market_store.venues.base import RegionRefusedError, VenueError

        try:
            return await call
        except RegionRefusedError as error:
            raise MarketDataError(f"{error}. {region_hint(self.source.venue)}") from None
        except VenueError as error:
            where, reason = self.source.describe(), str(error).removeprefix(f"{error.venue}: ")
            raise MarketDataError(f"cannot reach {where} ({reason}). {offline_hint()}") from None


def _covered(
    store: CandleStore, key: MarketKey, since_ms: int | None, until_ms: int | None
) -> bool:
    """Tell whether the store surely holds the range (an open end is never held: ask the venue)."""
    return since_ms is not None and until_ms is not None and covers(store, key, since_ms, until_ms)


def _run(call: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, in a thread if a loop is running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(call)
    result: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(call))
        except BaseException as exc:  # handed back to the caller's thread below
            failure.append(exc)

    worker = threading.Thread(target=work, name="candle-loader")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]
