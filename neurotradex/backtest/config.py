"""What one backtest is: series, half-open interval, model, where its files go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from market_store.source import MarketSource


class BacktestError(RuntimeError):
    """A backtest that cannot run, or whose counts prove a message was dropped."""


@dataclass(frozen=True)
class BacktestConfig:
    """One ``ntx backtest`` run.

    Attributes
    ----------
    symbols, timeframe
        The series, e.g. ``("BTC/USDT", "ETH/USDT")`` and ``"1h"``.
    since_ms, until_ms
        The interval ``[since_ms, until_ms)`` of candle open times that is traded.
    home
        NTX_HOME: the candle store and the models of ``model``.
    out
        The run's folder: ledger, trades.csv, equity.csv, equity.png, report.json (and the
        model trained for it when ``model`` is None).
    market
        Where candles the store lacks come from (NTX_DATA_DIR, else the venue).
    model
        Serve the newest version of this artifact in ``home``; None trains a small one on the
        ``train_days`` before ``since_ms``.
    min_confidence
        Override exec_core's validation minimum (None keeps its setting).
    start_cash
        Override the paper wallet's start cash (None keeps its setting).
    """

    symbols: tuple[str, ...]
    timeframe: str
    since_ms: int
    until_ms: int
    home: Path
    out: Path
    market: MarketSource = field(default_factory=MarketSource)
    model: str | None = None
    train_days: int = 180
    min_confidence: float | None = None
    start_cash: str | None = None

    def __post_init__(self) -> None:
        if not self.symbols:
            raise BacktestError("no symbols")
        if self.until_ms <= self.since_ms:
            raise BacktestError("--until must be after --since")
