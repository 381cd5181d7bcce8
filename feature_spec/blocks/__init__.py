"""Feature blocks: each computes a few named columns in batch and as an O(1) stream."""

from feature_spec.blocks.base import Block, BlockStream
from feature_spec.blocks.calendar import Calendar
from feature_spec.blocks.momentum import Adx, Macd, Mfi, Rsi, Stochastic
from feature_spec.blocks.price import Atr, Bollinger, CandleShape, SmaRatios
from feature_spec.blocks.returns import Efficiency, LogReturns, RealisedVolatility
from feature_spec.blocks.volume import FlowSlopeZ, VolumeZ, VwapDeviation

__all__ = [
    "Adx",
    "Atr",
    "Block",
    "BlockStream",
    "Bollinger",
    "Calendar",
    "CandleShape",
    "Efficiency",
    "FlowSlopeZ",
    "LogReturns",
    "Macd",
    "Mfi",
    "RealisedVolatility",
    "Rsi",
    "SmaRatios",
    "Stochastic",
    "VolumeZ",
    "VwapDeviation",
]
