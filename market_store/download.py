"""Download a venue's candles into the store: ``ntx data download``, and the loader's fill."""

from __future__ import annotations

from collections.abc import Sequence

from market_store.candles import MarketKey
from market_store.venues.backfill import CandleSink, ProgressCallback, backfill
from market_store.venues.policy import RetryPolicy, retrying
from market_store.venues.registry import make_venue
from market_store.venues.report import BackfillReport
from market_store.venues.symbols import normalise_symbol

CLOCK_RETRY = RetryPolicy(max_attempts=3)
"""The first call to the venue: a few quick tries, so an offline machine hears so at once."""


async def download(
    store: CandleSink,
    exchange: str,
    symbols: Sequence[str],
    timeframe: str,
    since_ms: int,
    until_ms: int | None = None,
    *,
    rest_url: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[BackfillReport]:
    """Backfill several symbols of one exchange into `store`: paged, resumable, one connection.

    Parameters
    ----------
    store
        Where the candles go.
    exchange
        A registered venue (``binance``, ``bybit``, ``okx``) or any exchange ccxt knows.
    symbols
        In any style: ``BTC/USDT``, ``BTCUSDT``, ``btc_usdt``.
    timeframe, since_ms, until_ms
        The series' timeframe and the range of candle opens (``until_ms`` excluded; None: up
        to the venue's own now, read from its clock).
    rest_url
        The exchange's REST base URL, when not its public one.
    on_progress
        Told each backfill's report after each page.

    Returns
    -------
    list[BackfillReport]
        One per symbol, in order; a failed one says why in ``error``.

    Raises
    ------
    ValueError
        A symbol cannot be read, or the range is empty; nothing was fetched.
    VenueError
        The venue's clock could not be read (offline, refused): nothing was fetched.
    """
    unified = [normalise_symbol(symbol) for symbol in symbols]
    if until_ms is not None and since_ms >= until_ms:
        raise ValueError(f"empty range: since {since_ms} >= until {until_ms}")
    venue = make_venue(exchange, rest_url=rest_url)
    try:
        if until_ms is None:
            until_ms = await retrying(venue.now_ms, CLOCK_RETRY, what=f"{exchange} clock")
            if since_ms >= until_ms:
                raise ValueError(f"empty range: since {since_ms} >= the venue's now {until_ms}")
        reports = []
        for symbol in unified:
            key = MarketKey(venue.name, symbol, timeframe)
            report = await backfill(venue, store, key, since_ms, until_ms, on_progress=on_progress)
            reports.append(report)
        return reports
    finally:
        await venue.close()
