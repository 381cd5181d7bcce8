"""Tag headlines with the market symbols they mention, by name or ticker.

Pure (``re`` only): the one tagging that serving (data_core's news enricher) and the
walk-forward evaluation (``model_engine.evaluation.news``) both use, so they see the same news
per symbol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

DEFAULT_QUOTE = "USDT"

NAME_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "BTC": ("bitcoin", "btc", "xbt"),
    "ETH": ("ethereum", "ether", "eth"),
    "SOL": ("solana",),
    "XRP": ("xrp", "ripple"),
    "ADA": ("cardano",),
    "LTC": ("litecoin", "ltc"),
    "BNB": ("bnb", "binance coin"),
}
"""Case-insensitive words per base asset (whole words; plurals and possessives match too)."""

TICKER_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "SOL": ("SOL",),
    "ADA": ("ADA",),
}
"""Tickers that are also ordinary words ("sol", "Ada"): matched in upper case or as ``$sol``."""


def _word(term: str) -> str:
    return r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+") + r"(?:s|ers?|'s)?(?!\w)"


class SymbolTagger:
    """Find the symbols a text mentions.

    Parameters
    ----------
    quote
        Quote currency of the symbols produced (``BTC`` -> ``BTC/USDT``).
    names, tickers
        Keyword maps; the defaults cover BTC, ETH, SOL, XRP, ADA, LTC and BNB.
    """

    def __init__(
        self,
        quote: str = DEFAULT_QUOTE,
        names: Mapping[str, Iterable[str]] = NAME_KEYWORDS,
        tickers: Mapping[str, Iterable[str]] = TICKER_KEYWORDS,
    ) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for base in sorted({*names, *tickers}):
            alternatives = [f"(?i:{_word(term)})" for term in names.get(base, ())]
            for ticker in tickers.get(base, ()):
                alternatives += [_word(ticker), rf"(?i:\${re.escape(ticker)})(?!\w)"]
            if alternatives:
                self._patterns.append((f"{base}/{quote}", re.compile("|".join(alternatives))))

    def tag(self, *texts: str | None) -> tuple[str, ...]:
        """Return the symbols mentioned in any of the texts, sorted."""
        joined = "\n".join(text for text in texts if text)
        return tuple(symbol for symbol, pattern in self._patterns if pattern.search(joined))

    def mentions(self, symbol: str, *texts: str | None) -> bool:
        """Return whether any of the texts mentions `symbol` (``BASE/QUOTE``); False if unknown."""
        joined = "\n".join(text for text in texts if text)
        return any(s == symbol and pattern.search(joined) for s, pattern in self._patterns)


__all__ = ["DEFAULT_QUOTE", "NAME_KEYWORDS", "TICKER_KEYWORDS", "SymbolTagger"]
