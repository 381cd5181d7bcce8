"""Training data: candles, labels, labelled windows and the training-window normaliser.

Typical use (one series)::

    bars = loader.load("BTC/USDT", "1h")  # a market_store.loader.CandleLoader
    windows = build_windows(bars, compute_batch(DEFAULT_SPEC, bars), LabelSpec(12, 20.0), 64)
    train, test = windows.split(boundary_ms)
    normaliser = Normaliser.fit(train)  # training window only
"""

from model_engine.datasets.bands import quantile_band_labels
from model_engine.datasets.candles import fingerprint
from model_engine.datasets.labels import CLASS_NAMES, LabelSpec, make_labels
from model_engine.datasets.normalise import Normaliser
from model_engine.datasets.windows import Windows, build_windows, concat_windows

__all__ = [
    "CLASS_NAMES",
    "LabelSpec",
    "Normaliser",
    "Windows",
    "build_windows",
    "concat_windows",
    "fingerprint",
    "make_labels",
    "quantile_band_labels",
]
