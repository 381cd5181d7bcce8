"""Signals and their explanations (published by model_engine)."""

from __future__ import annotations

import math
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from signal_schema import topics
from signal_schema.base import Message
from signal_schema.primitives import (
    Direction,
    Identifier,
    PositiveDecimal,
    Probability,
    Sha256,
    Symbol,
    Timeframe,
    Venue,
)

_PROBABILITY_SUM_TOLERANCE = 1e-4


class ClassProbabilities(BaseModel):
    """Model probabilities of the three classes; they sum to 1."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )
    up: Probability
    down: Probability
    flat: Probability

    @model_validator(mode="after")
    def _check_sum(self) -> Self:
        total = self.up + self.down + self.flat
        if not math.isclose(total, 1.0, abs_tol=_PROBABILITY_SUM_TOLERANCE):
            raise ValueError(f"class probabilities must sum to 1, got {total:.6f}")
        return self


class ModelRef(BaseModel):
    """Which artifact produced a signal, and whether it may feed a live broker.

    ``live_eligible`` is the walk-forward gate's verdict on the artifact's out-of-sample
    metrics (model_engine's ``MODEL_ENGINE__GATE__*``), taken when it was loaded. False (the
    default) means paper trading only: a model without that evidence never trades live.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )
    name: Identifier
    version: Identifier
    manifest_sha256: Sha256
    live_eligible: bool = False


class FeatureAttribution(BaseModel):
    """Signed contribution of one feature (aggregated over the window) to the output."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )
    feature: str = Field(min_length=1, max_length=128)
    value: float | None
    attribution: float


class Explanation(BaseModel):
    """Attributions in `output_space`: base_value + sum(attributions) ~= output_value."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_serialization_defaults_required=True,
    )
    method: str = Field(min_length=1, max_length=64)
    output_space: str = Field(min_length=1, max_length=128)
    base_value: float
    output_value: float
    attributions: tuple[FeatureAttribution, ...]
    additivity_error: float | None = Field(ge=0.0)
    """|base + sum(attributions) - output|; None for methods that are not additive (LIME)."""


class Signal(Message):
    """A trading signal with the reason it fired; `ts_event` is the bar close it scores."""

    TOPIC: ClassVar[str] = topics.SIGNAL_EMITTED
    type: Literal["Signal"] = "Signal"
    signal_id: Identifier
    venue: Venue
    symbol: Symbol
    timeframe: Timeframe
    direction: Direction
    probabilities: ClassProbabilities
    confidence: Probability
    horizon_bars: int = Field(ge=1)
    price: PositiveDecimal
    model: ModelRef
    ood_score: float = Field(ge=0.0)
    ood_flag: bool
    explanation: Explanation
