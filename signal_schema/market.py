"""Market data: candles, gaps, news and feature frames (published by data_core)."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import (
    Identifier,
    NonNegativeDecimal,
    PositiveDecimal,
    ShortText,
    Symbol,
    Timeframe,
    UtcDatetime,
    Venue,
)


class Bar(Message):
    """One closed OHLCV candle; `ts_event` is its close time, `ts_open` its open time."""

    TOPIC: ClassVar[str] = topics.MARKET_BAR
    type: Literal["Bar"] = "Bar"
    venue: Venue
    symbol: Symbol
    timeframe: Timeframe
    ts_open: UtcDatetime
    open: PositiveDecimal
    high: PositiveDecimal
    low: PositiveDecimal
    close: PositiveDecimal
    volume: NonNegativeDecimal

    @model_validator(mode="after")
    def _check_range(self) -> Self:
        if self.high < max(self.open, self.close) or self.low > min(self.open, self.close):
            raise ValueError("bar high/low must enclose open and close")
        if self.ts_open >= self.ts_event:
            raise ValueError("bar ts_open must be before its close time ts_event")
        return self


class GapDetected(Message):
    """Candles missing between two stored ones: [first_missing_open, last_missing_open]."""

    TOPIC: ClassVar[str] = topics.MARKET_GAP
    type: Literal["GapDetected"] = "GapDetected"
    venue: Venue
    symbol: Symbol
    timeframe: Timeframe
    first_missing_open: UtcDatetime
    last_missing_open: UtcDatetime
    missing_bars: int = Field(ge=1)

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.first_missing_open > self.last_missing_open:
            raise ValueError("gap must start before it ends")
        return self


class NewsItem(Message):
    """A headline (and optional summary); `ts_event` is its publication time."""

    TOPIC: ClassVar[str] = topics.NEWS_ITEM
    type: Literal["NewsItem"] = "NewsItem"
    news_id: Identifier
    source: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=1_000)
    body: ShortText | None = None
    url: str | None = Field(default=None, max_length=2_000)
    symbols: tuple[Symbol, ...] = ()
    sentiment: float | None = Field(default=None, ge=-1.0, le=1.0)
    sentiment_method: str | None = None


class FeatureFrame(Message):
    """Feature values of one symbol at one bar close; None while a feature warms up."""

    TOPIC: ClassVar[str] = topics.MARKET_FEATURES
    type: Literal["FeatureFrame"] = "FeatureFrame"
    venue: Venue
    symbol: Symbol
    timeframe: Timeframe
    spec_version: str = Field(min_length=1, max_length=64)
    close: PositiveDecimal
    names: tuple[str, ...]
    values: tuple[float | None, ...]
    warm: bool

    @model_validator(mode="after")
    def _check_lengths(self) -> Self:
        if len(self.names) != len(self.values):
            raise ValueError(f"{len(self.names)} feature names but {len(self.values)} values")
        if self.warm and any(v is None for v in self.values):
            raise ValueError("a warm frame has a value for every feature")
        return self


__all__ = ["Bar", "FeatureFrame", "GapDetected", "NewsItem"]
