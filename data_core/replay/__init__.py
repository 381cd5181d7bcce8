"""The replay venue: recorded candles from NTX_DATA_DIR played back on a simulated clock."""

from data_core.replay.factory import make_replay
from data_core.replay.source import recent_start_ms
from data_core.replay.venue import ReplayVenue, replay_symbol

__all__ = [
    "ReplayVenue",
    "make_replay",
    "recent_start_ms",
    "replay_symbol",
]
