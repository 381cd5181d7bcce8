"""Settings of positions and exits: what may trade, shorting, and the exit rules."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class PositionsSection(BaseModel):
    """``EXEC_CORE__POSITIONS__<KEY>``: the pairlist, shorting and exits.

    Attributes
    ----------
    pairlist
        Unified symbols that may trade (``["BTC/USDT","ETH/USDT"]`` in JSON); empty: none.
    allow_short
        Let a down signal open a short where the venue supports it (spot venues do not).
    stop_loss_pct, take_profit_pct, trailing_stop_pct
        Exit thresholds in percent of the entry (trailing: of the best price since entry);
        0 turns a rule off.
    exit_on_horizon
        Close a position when the signal's horizon (in bars) has passed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    pairlist: tuple[str, ...] = ()
    allow_short: bool = False
    stop_loss_pct: Decimal = Field(default=Decimal("2"), ge=0, lt=100)
    take_profit_pct: Decimal = Field(default=Decimal("4"), ge=0)
    trailing_stop_pct: Decimal = Field(default=Decimal("0"), ge=0, lt=100)
    exit_on_horizon: bool = True
