"""What every venue is: the `Venue` protocol, its factory's shape and the errors it raises.

A venue makes one attempt per call and says what went wrong through the error's kind (the
errors are `venue_adapter`'s, shared with exec_core's broker); the policies that retry
(`market_store.venues.backfill`, `market_store.venues.live`) live elsewhere.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any, Protocol, runtime_checkable

from market_store.candles import Candle
from venue_adapter.errors import MalformedPayloadError as MalformedPayloadError
from venue_adapter.errors import RateLimitedError as RateLimitedError
from venue_adapter.errors import RegionRefusedError as RegionRefusedError
from venue_adapter.errors import UnknownVenueError as UnknownVenueError
from venue_adapter.errors import VenueError as VenueError
from venue_adapter.errors import VenueRequestError as VenueRequestError
from venue_adapter.errors import VenueUnavailableError as VenueUnavailableError


@runtime_checkable
class Venue(Protocol):
    """A source of closed candles: an exchange through ccxt, or a replay of recorded files.

    Every method takes unified symbols (``BTC/USDT``) and timeframes (``1m``, ``1h``).
    """

    name: str
    """The venue's name as it appears in `market_store.candles.MarketKey` (``binance``)."""

    async def now_ms(self) -> int:
        """Return the venue's time in epoch ms: what decides which candles exist and are closed.

        An exchange's clock may disagree with this machine's; every "now" about the venue
        (download and backfill ranges, polling, which candle is closed) is read here.
        """
        ...

    async def fetch_closed(
        self, symbol: str, timeframe: str, since_ms: int, limit: int
    ) -> list[Candle]:
        """Return up to `limit` closed candles opening at or after `since_ms`, oldest first.

        Candles are deduplicated and ordered; a candle still forming is never returned; a
        malformed candle is logged and skipped. An empty list means none in the venue's page.
        """
        ...

    def watch_closed(self, symbol: str, timeframe: str) -> AsyncGenerator[Candle, None]:
        """Yield each candle once, in order, when it has closed; from the one forming now on.

        Implement it as an ``async def`` generator. It outlives temporary failures (a venue
        falls back to another way of getting candles) and ends only when the caller stops it.
        """
        ...

    async def close(self) -> None:
        """Release connections; the venue cannot be used afterwards."""
        ...


class VenueFactory(Protocol):
    """Build a venue from its settings (see `market_store.venues.registry.VENUES`)."""

    def __call__(
        self,
        *,
        rest_url: str | None = None,
        ws_url: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Venue:
        """Return a venue whose REST and websocket base URLs and ccxt options are these."""
        ...
