"""The one feature spec that training and serving share (pure: numpy and TA-Lib only).

``compute_batch`` turns a candle series into a feature matrix; ``StreamingFeatures`` produces the
same rows bar by bar from TA-Lib 0.8 stream handles. ``DEFAULT_SPEC.version`` names the
definition a model was trained on.
"""

from feature_spec.batch import compute_batch
from feature_spec.news import NEWS_FEATURE_NAMES
from feature_spec.ohlcv import Ohlcv
from feature_spec.spec import DEFAULT_SPEC, FeatureSpec
from feature_spec.streaming import StreamingFeatures

__all__ = [
    "DEFAULT_SPEC",
    "NEWS_FEATURE_NAMES",
    "FeatureSpec",
    "Ohlcv",
    "StreamingFeatures",
    "compute_batch",
]
