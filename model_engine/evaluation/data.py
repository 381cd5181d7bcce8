"""Candles from ``NTX_DATA_DIR`` CSV.gz files, features and forward returns for evaluation."""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from feature_spec import DEFAULT_SPEC, NEWS_FEATURE_NAMES, Ohlcv, compute_batch

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_REPO = Path(__file__).resolve().parents[2]
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000}


def timeframe_ms(timeframe: str) -> int:
    """Return the length of `timeframe` (``"5m"``, ``"1h"``, ``"1d"``) in milliseconds.

    Raises
    ------
    ValueError
        If `timeframe` is not a positive count followed by m, h or d.
    """
    count, unit = timeframe[:-1], timeframe[-1:]
    if unit not in _UNIT_MS or not count.isdigit() or int(count) <= 0:
        raise ValueError(f"unknown timeframe {timeframe!r}: use e.g. 5m, 1h, 1d")
    return int(count) * _UNIT_MS[unit]


def horizon_bars(horizon: str, timeframe: str) -> int:
    """Return how many `timeframe` bars make `horizon`; it must be a whole multiple."""
    bars, rest = divmod(timeframe_ms(horizon), timeframe_ms(timeframe))
    if rest or bars < 1:
        raise ValueError(f"horizon {horizon} is not a whole number of {timeframe} bars")
    return bars


def data_dir() -> Path:
    """Return ``NTX_DATA_DIR`` (relative to the repository root), else ``../shared/data``."""
    raw = os.environ.get("NTX_DATA_DIR")
    return _REPO / Path(raw).expanduser() if raw else _REPO.parent / "shared" / "data"


def candle_path(symbol: str, timeframe: str, venue: str = "binance") -> Path:
    """Return the CSV.gz file of `symbol` (``"BTC/USDT"``) at `timeframe`."""
    return data_dir() / "ohlcv" / venue / f"{symbol.replace('/', '_')}-{timeframe}.csv.gz"


def load_candles(path: Path) -> Ohlcv:
    """Read a ``timestamp,open,high,low,close,volume`` CSV.gz file into an `Ohlcv`.

    Raises
    ------
    FileNotFoundError
        If the file does not exist (the message names it and ``NTX_DATA_DIR``).
    """
    if not path.is_file():
        raise FileNotFoundError(f"no candle file {path}: set NTX_DATA_DIR to the data folder")
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return Ohlcv(table[:, 0].astype(np.int64), *(table[:, i] for i in range(1, 6)))


@dataclass(frozen=True)
class Dataset:
    """One series ready for evaluation.

    Attributes
    ----------
    features
        ``(n, f)`` feature rows (row t uses bars 0..t only); NaN during warm-up.
    names
        Feature names: DEFAULT_SPEC without its news columns, then the news columns given
        (`model_engine.evaluation.news.USED_NEWS_FEATURES`), if any.
    ts_close_ms
        Close time of each bar: the decision time of row t.
    fwd_return
        ``log(close[t + h] / close[t])``; NaN where the horizon runs past the data.
    bar_return
        Simple return of the next bar, ``close[t + 1] / close[t] - 1`` (strategy P&L of row t).
    past_return
        ``log(close[t] / close[t - h])``: the repeat-last-direction score.
    horizon
        The label horizon in bars.
    bars
        The candles themselves (triple-barrier labels read their highs and lows).
    """

    features: FloatArray
    names: tuple[str, ...]
    ts_close_ms: IntArray
    fwd_return: FloatArray
    bar_return: FloatArray
    past_return: FloatArray
    horizon: int
    bars: Ohlcv | None = None


def build_dataset(
    ohlcv: Ohlcv,
    bar_ms: int,
    horizon: int,
    news: FloatArray | None = None,
    news_names: tuple[str, ...] = (),
) -> Dataset:
    """Compute the DEFAULT_SPEC features and the returns that labels and P&L need.

    `news` (``(n, k)`` per-bar news features named `news_names`) is appended when given; the
    spec's own news columns are dropped (the candle batch has no news).
    """
    full = compute_batch(DEFAULT_SPEC, ohlcv)
    keep = [i for i, name in enumerate(DEFAULT_SPEC.names) if name not in NEWS_FEATURE_NAMES]
    features = full[:, keep] if news is None else np.hstack([full[:, keep], news])
    close = ohlcv.close
    log_close = np.log(close)
    n = len(close)
    fwd = np.full(n, np.nan)
    fwd[: n - horizon] = log_close[horizon:] - log_close[:-horizon]
    past = np.full(n, np.nan)
    past[horizon:] = log_close[horizon:] - log_close[:-horizon]
    bar = np.full(n, np.nan)
    bar[:-1] = close[1:] / close[:-1] - 1.0
    return Dataset(
        features=np.ascontiguousarray(features),
        names=tuple(DEFAULT_SPEC.names[i] for i in keep) + (news_names if news is not None else ()),
        ts_close_ms=ohlcv.ts_open_ms + bar_ms,
        fwd_return=fwd,
        bar_return=bar,
        past_return=past,
        horizon=horizon,
        bars=ohlcv,
    )


def load_dataset(symbol: str, timeframe: str, horizon: str, news: bool = False) -> Dataset:
    """Load `symbol`'s candles (and, with `news`, its recorded news) from ``NTX_DATA_DIR``."""
    bar_ms = timeframe_ms(timeframe)
    ohlcv = load_candles(candle_path(symbol, timeframe))
    bars = horizon_bars(horizon, timeframe)
    if not news:
        return build_dataset(ohlcv, bar_ms, bars)
    from model_engine.evaluation.news import USED_NEWS_FEATURES, news_columns

    columns = news_columns(data_dir() / "news", symbol, ohlcv.ts_open_ms + bar_ms)
    return build_dataset(ohlcv, bar_ms, bars, columns, USED_NEWS_FEATURES)


__all__ = [
    "Dataset",
    "build_dataset",
    "candle_path",
    "data_dir",
    "horizon_bars",
    "load_candles",
    "load_dataset",
    "timeframe_ms",
]
