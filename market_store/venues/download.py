"""``ntx data download``: backfill several symbols of one exchange into the store."""

from __future__ import annotations

from collections.abc import Sequence

from market_store.candles import MarketKey
from market_store.venues.backfill import CandleSink, ProgressCallback, backfill
from market_store.venues.registry import make_venue
from market_store.venues.report import BackfillReport
from market_store.venues.symbols import normalise_symbol


async def download(
    store: CandleSink,
    exchange: str,
    symbols: Sequence[str],
    timeframe: str,
    since_ms: int,
    until_ms: int,
    *,
    rest_url: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[BackfillReport]:
    """Backfill several symbols of one exchange into `store` (the body of ``ntx data download``).

    Parameters
    ----------
    store
        Where the candles go.
    exchange
        A registered venue (``binance``, ``bybit``, ``okx``) or any exchange ccxt knows.
    symbols
        In any style: ``BTC/USDT``, ``BTCUSDT``, ``btc_usdt``.
    timeframe, since_ms, until_ms
        The series' timeframe and the range of candle opens (``until_ms`` excluded).
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
    UnknownVenueError
        Neither a registered venue nor a ccxt exchange has that name.
    """
    unified = [normalise_symbol(symbol) for symbol in symbols]
    if since_ms >= until_ms:
        raise ValueError(f"empty range: since {since_ms} >= until {until_ms}")
    venue = make_venue(exchange, rest_url=rest_url)
    try:
        return [
            await backfill(
                venue,
                store,
                MarketKey(venue.name, symbol, timeframe),
                since_ms,
                until_ms,
                on_progress=on_progress,
            )
            for symbol in unified
        ]
    finally:
        await venue.close()
