"""data_core's side: candles from the store (filled when missing), warmed pipelines, steps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from data_core.features import FeatureStream
from data_core.pipeline import MarketPipeline
from feature_spec import DEFAULT_SPEC, FeatureSpec
from market_store.candles import Candle, MarketKey, timeframe_ms
from market_store.loader import CandleLoader, MarketDataError
from market_store.paths import candle_db_path
from market_store.store import CandleStore
from neurotradex.backtest.config import BacktestConfig, BacktestError
from signal_schema import Bar, FeatureFrame, GapDetected


@dataclass
class Step:
    """Everything data_core publishes for one bar close, over all symbols."""

    close_ms: int
    bars: list[Bar] = field(default_factory=list)
    frames: list[FeatureFrame] = field(default_factory=list)
    gaps: list[GapDetected] = field(default_factory=list)


@dataclass
class Market:
    """The warmed pipelines of every symbol and the interval's candles by open time."""

    keys: dict[str, MarketKey]
    pipelines: dict[str, MarketPipeline]
    candles: dict[int, list[tuple[str, Candle]]]
    tf_ms: int
    imported_rows: int = 0
    max_open_fed_ms: int = -1
    """The newest candle open time any feature stream was given (for the look-ahead check)."""

    @property
    def bars(self) -> int:
        """Candles in ``[since, until)`` over all symbols."""
        return sum(len(c) for c in self.candles.values())

    def steps(self) -> Iterator[Step]:
        """Yield each close time's messages (bars, gaps and frames), oldest first."""
        for open_ms in sorted(self.candles):
            step = Step(open_ms + self.tf_ms)
            for symbol, candle in self.candles[open_ms]:
                self.max_open_fed_ms = max(self.max_open_fed_ms, candle.ts_open_ms)
                for message in self.pipelines[symbol].on_candle(candle):
                    if isinstance(message, Bar):
                        step.bars.append(message)
                    elif isinstance(message, FeatureFrame):
                        step.frames.append(message)
                    else:
                        step.gaps.append(message)
            yield step


def open_store(home: Path) -> CandleStore:
    """Return NTX_HOME's candle store (created when missing)."""
    path = candle_db_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    return CandleStore(path)


def load_market(
    config: BacktestConfig,
    store: CandleStore,
    clock: Callable[[], datetime],
    prefill: int,
    spec: FeatureSpec = DEFAULT_SPEC,
) -> tuple[Market, list[FeatureFrame]]:
    """Import what is missing, warm every stream on data before ``since`` and load the interval.

    The last `prefill` candles before ``since`` are run through the pipelines (their frames
    are returned, to fill the model's windows); the features are warmed on the history before
    those. Nothing at or after ``until`` is read.
    """
    tf_ms = timeframe_ms(config.timeframe)
    history = 3 * spec.warmup_bars + prefill
    need_from = config.since_ms - history * tf_ms
    loader = CandleLoader(store, config.market, progress=False)
    try:
        imported = loader.ensure(config.symbols, config.timeframe, need_from, config.until_ms)
    except MarketDataError as exc:
        raise BacktestError(str(exc)) from None
    keys = {s: loader.key(s, config.timeframe) for s in config.symbols}
    pipelines: dict[str, MarketPipeline] = {}
    frames: list[FeatureFrame] = []
    candles: dict[int, list[tuple[str, Candle]]] = defaultdict(list)
    for symbol, key in keys.items():
        before = store.read(key, end_ms=config.since_ms, last=prefill)
        if len(before) < prefill:
            raise BacktestError(f"{key}: only {len(before)} candles before since (need {prefill})")
        stream = FeatureStream(spec, key, clock=clock)
        stream.warm_up_from(store, end_ms=before[0].ts_open_ms)
        pipeline = MarketPipeline(stream, None, clock)
        for candle in before:
            frames += [m for m in pipeline.on_candle(candle) if isinstance(m, FeatureFrame)]
        pipeline.bars = 0
        pipelines[symbol] = pipeline
        for candle in store.read(key, config.since_ms, config.until_ms):
            candles[candle.ts_open_ms].append((symbol, candle))
    if not candles:
        raise BacktestError("no stored candles in [since, until) for any symbol")
    market = Market(keys, pipelines, dict(candles), tf_ms, imported)
    market.max_open_fed_ms = config.since_ms - tf_ms
    return market, frames
