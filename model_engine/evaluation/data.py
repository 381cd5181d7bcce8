"""Candles (through `market_store.loader`), features and forward returns for evaluation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from feature_spec import DEFAULT_SPEC, NEWS_FEATURE_NAMES, Ohlcv, compute_batch
from market_store.loader import CandleLoader
from market_store.paths import data_dir
from market_store.timeframes import timeframe_ms

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def horizon_bars(horizon: str, timeframe: str) -> int:
    """Return how many `timeframe` bars make `horizon`; it must be a whole multiple."""
    bars, rest = divmod(timeframe_ms(horizon), timeframe_ms(timeframe))
    if rest or bars < 1:
        raise ValueError(f"horizon {horizon} is not a whole number of {timeframe} bars")
    return bars


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


def make_dataset(
    symbol: str, ohlcv: Ohlcv, timeframe: str, horizon: str, news: bool = False
) -> Dataset:
    """Return `symbol`'s dataset from its candles (and, with `news`, NTX_DATA_DIR's news).

    Raises
    ------
    ValueError
        News asked for, but NTX_DATA_DIR is not set (recorded news cannot be downloaded).
    """
    bar_ms = timeframe_ms(timeframe)
    bars = horizon_bars(horizon, timeframe)
    if not news:
        return build_dataset(ohlcv, bar_ms, bars)
    from model_engine.evaluation.news import USED_NEWS_FEATURES, news_columns

    folder = data_dir()
    if folder is None:
        raise ValueError(
            "the news features read recorded news from NTX_DATA_DIR/news, which is not set "
            "(--no-news leaves them out)"
        )
    columns = news_columns(folder / "news", symbol, ohlcv.ts_open_ms + bar_ms)
    return build_dataset(ohlcv, bar_ms, bars, columns, USED_NEWS_FEATURES)


def load_dataset(symbol: str, timeframe: str, horizon: str, news: bool = False) -> Dataset:
    """Load `symbol`'s whole candle history through `market_store.loader`; see `make_dataset`."""
    with CandleLoader.open() as loader:
        ohlcv = loader.load(symbol, timeframe)
    return make_dataset(symbol, ohlcv, timeframe, horizon, news)


__all__ = [
    "Dataset",
    "build_dataset",
    "horizon_bars",
    "load_dataset",
    "make_dataset",
]
