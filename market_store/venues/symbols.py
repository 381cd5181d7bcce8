"""Symbols across venues: ``BTCUSDT``, ``BTC-USDT``, ``btc_usdt`` and ``BTC/USDT`` are one market.

Unified symbols are ccxt's (``BASE/QUOTE``, ``BASE/QUOTE:SETTLE`` for derivatives); each venue's
own id (``BTCUSDT`` on Binance and Bybit, ``BTC-USDT`` on OKX) comes from its ccxt markets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

QUOTES: tuple[str, ...] = (
    "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USDE", "DAI", "EURI", "EUR", "USD",
    "GBP", "TRY", "BRL", "JPY", "AUD", "BTC", "ETH", "BNB", "SOL",
)  # fmt: skip
"""Quote currencies recognised at the end of a joined symbol such as ``ETHBTC``, longest first."""

_SEPARATED = re.compile(r"^([A-Z0-9]+)[/_\-]([A-Z0-9]+)(?::([A-Z0-9]+))?$")
_JOINED = re.compile(r"^[A-Z0-9]+$")


def normalise_symbol(raw: str, quotes: Iterable[str] = QUOTES) -> str:
    """Return the unified form of a symbol written in any venue's style.

    Parameters
    ----------
    raw
        ``BTC/USDT``, ``btc/usdt``, ``BTC-USDT``, ``btc_usdt``, ``BTCUSDT`` or ``BTC/USDT:USDT``.
    quotes
        Quote currencies to split a joined symbol (``BTCUSDT``) at; the longest match wins.

    Returns
    -------
    str
        ``BASE/QUOTE`` (or ``BASE/QUOTE:SETTLE``), upper case.

    Raises
    ------
    ValueError
        The text is not a symbol, or a joined one ends in no known quote currency.

    Examples
    --------
    >>> normalise_symbol("btc_usdt")
    'BTC/USDT'
    >>> normalise_symbol("ETHBTC")
    'ETH/BTC'
    """
    text = raw.strip().upper()
    separated = _SEPARATED.match(text)
    if separated is not None:
        base, quote, settle = separated.groups()
        return f"{base}/{quote}" + (f":{settle}" if settle else "")
    if _JOINED.match(text) is not None:
        for quote in sorted(quotes, key=len, reverse=True):
            if text.endswith(quote) and len(text) > len(quote):
                return f"{text[: -len(quote)]}/{quote}"
        raise ValueError(f"cannot tell base from quote in {raw!r}; write it as BASE/QUOTE")
    raise ValueError(f"not a market symbol: {raw!r}")


class SymbolMap:
    """A venue's markets both ways: unified symbol to the venue's id and back.

    Parameters
    ----------
    markets
        ccxt's ``exchange.markets``: unified symbol to a market with at least an ``id``.
    """

    def __init__(self, markets: Mapping[str, Mapping[str, Any]]) -> None:
        self._ids = {symbol: str(market["id"]) for symbol, market in markets.items()}
        self._symbols: dict[str, str] = {}
        for symbol, market_id in self._ids.items():
            self._symbols.setdefault(market_id.upper(), symbol)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._ids

    def resolve(self, raw: str) -> str:
        """Return the unified symbol of `raw`, a unified symbol or this venue's id in any case.

        Raises
        ------
        KeyError
            The venue lists no such market.
        """
        if raw in self._ids:
            return raw
        by_id = self._symbols.get(raw.strip().upper())
        if by_id is not None:
            return by_id
        try:
            unified = normalise_symbol(raw)
        except ValueError:
            unified = raw
        if unified in self._ids:
            return unified
        raise KeyError(raw)

    def venue_id(self, raw: str) -> str:
        """Return the venue's own id of a symbol (``BTC/USDT`` -> ``BTCUSDT`` on Binance)."""
        return self._ids[self.resolve(raw)]

    def unified(self, venue_id: str) -> str:
        """Return the unified symbol of the venue's id (``BTC-USDT`` -> ``BTC/USDT`` on OKX)."""
        return self._symbols[venue_id.upper()]
