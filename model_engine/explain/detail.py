"""Typed answers of ``?detail=`` requests (HTTP and CLI only: they never travel on the bus)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Detail = Literal["steps"]


class StepAttribution(BaseModel):
    """One time step's attribution: row `index` of the window, `lag` bars before the signal."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    index: int = Field(ge=0)
    """Row of the window, 0 = oldest."""
    lag: int = Field(ge=0)
    """Bars before the scored bar (0 = the signal's own bar)."""
    ts: datetime | None
    """Nominal close of the bar: ``ts_event - lag * timeframe`` (windows keep no row times)."""
    attribution: float
    stderr: float | None = Field(ge=0.0)
    """Standard error of the sampled value; None with one antithetic pair per background."""


class StepExplanation(BaseModel):
    """A stored signal's prediction decomposed over the time steps of its input window.

    ``base_value + sum(steps.attribution) == output_value`` (``additivity_error``), and
    ``output_value - base_value`` equals the stored per-feature explanation's
    (``stored_gap`` is the difference, float rounding only).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    signal_id: str
    detail: Detail = "steps"
    method: str
    players: str
    output_space: str
    base_value: float
    output_value: float
    steps: tuple[StepAttribution, ...]
    additivity_error: float = Field(ge=0.0)
    stored_gap: float = Field(ge=0.0)
    """``|(output - base) - (stored output - stored base)|``."""
    background_windows: int = Field(ge=1)
    pairs_per_background: int = Field(ge=1)
    model_windows: int = Field(ge=1)
    seed: int
