"""Real Binance candles from the committed test data (`tests.data_paths`): whole, or a window."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from feature_spec import Ohlcv
from tests.data_paths import candle_file, load_candles, manifest_entry


def load(base: str, timeframe: str) -> Ohlcv:
    """Return every candle of ``<base>/USDT`` at `timeframe` in the test data (its slices)."""
    return load_candles(f"{base}/USDT", timeframe)


def window(base: str, timeframe: str, start: str, rows: int) -> Ohlcv:
    """Return `rows` consecutive candles from the first opening at or after `start` (ISO, UTC).

    The window must lie inside one slice of the file: real outages may fall in it, the joins
    between slices may not.
    """
    since = _ms(start)
    bars = load_candles(f"{base}/USDT", timeframe, since)
    assert len(bars) >= rows, f"{base} {timeframe} has {len(bars)} candles from {start}"
    bars = bars.window(0, rows)
    entry = manifest_entry(candle_file(base, timeframe))
    cuts = np.array([cut["last_before"] for cut in entry["cuts"]], dtype=np.int64)
    inside = (cuts >= bars.ts_open_ms[0]) & (cuts < bars.ts_open_ms[-1])
    assert not inside.any(), f"{base} {timeframe} from {start}: {rows} rows cross a slice join"
    return bars


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)
