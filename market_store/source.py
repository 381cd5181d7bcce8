"""Where the candles the store lacks come from: a recording folder, else the venue through ccxt."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from market_store.paths import DATA_DIR_ENV, data_dir

VENUE_ENV = "DATA_CORE__STREAMS__VENUE"
"""The venue data_core follows; downloads for training, evaluation and backtests use it too."""
REST_URL_ENV = "DATA_CORE__STREAMS__REST_URL"
"""The one setting for the venue's REST base URL, honoured by every path that reaches it."""
OTHER_VENUES = ("bybit", "okx")
"""Venues to suggest when one refuses this machine's region."""


@dataclass(frozen=True, slots=True)
class MarketSource:
    """Where candles come from when the store lacks them.

    Attributes
    ----------
    venue
        A registered venue (``binance``, ``bybit``, ``okx``) or any ccxt exchange id; with a
        recording, the folder ``ohlcv/<venue>/`` is read.
    rest_url
        The venue's REST base URL, when not its public one.
    data_dir
        A recording folder (NTX_DATA_DIR): imported instead of downloading.
    """

    venue: str = "binance"
    rest_url: str | None = None
    data_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> MarketSource:
        """Return the source the environment names (NTX_DATA_DIR, `VENUE_ENV`, `REST_URL_ENV`)."""
        return cls(
            venue=env.get(VENUE_ENV) or "binance",
            rest_url=env.get(REST_URL_ENV) or None,
            data_dir=data_dir(env),
        )

    @property
    def recorded(self) -> bool:
        """Tell whether candles come from a recording folder rather than the venue."""
        return self.data_dir is not None

    def describe(self) -> str:
        """Return where candles come from, for messages: the folder, or the venue and its URL."""
        if self.data_dir is not None:
            return f"{DATA_DIR_ENV}={self.data_dir}"
        return f"{self.venue} ({self.rest_url})" if self.rest_url else self.venue


def offline_hint() -> str:
    """Return how to run without reaching the venue."""
    return (
        f"Without internet, replay recorded candles instead: {DATA_DIR_ENV}=<folder holding "
        "ohlcv/<venue>/<BASE>_<QUOTE>-<tf>.csv.gz> make demo (`ntx data export` writes one)."
    )


def region_hint(venue: str) -> str:
    """Return how to follow another venue when `venue` refuses this machine's region."""
    first, *rest = (other for other in OTHER_VENUES if other != venue)
    more = f" (or {', '.join(rest)})" if rest else ""
    return f"Follow another venue instead: {VENUE_ENV}={first}{more}."
