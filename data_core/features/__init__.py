"""Feature frames per market series, from the shared `feature_spec`."""

from data_core.features.stream import HISTORY_WARMUPS, ArraySource, FeatureStream

__all__ = ["HISTORY_WARMUPS", "ArraySource", "FeatureStream"]
