"""Settings of the brokers: paper fees, slippage and wallet; live keys, testnet and retries."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class PaperSection(BaseModel):
    """``EXEC_CORE__PAPER__<KEY>``: the paper broker.

    Attributes
    ----------
    maker_fee_bps, taker_fee_bps
        Fees in basis points of the notional (limit fills are maker, market fills taker).
    slippage_bps
        Fixed slippage of market fills, against the order.
    volume_impact_bps
        Extra slippage when the order is the whole bar's volume, linear in participation.
    max_participation
        At most this fraction of a bar's volume fills per bar (the rest waits: partial fills).
    start_cash
        Quote cash of the virtual wallet at the start.
    fill_on
        ``next_bar`` (the open of the bar after the order) or ``ticker`` (the next quote).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    maker_fee_bps: Decimal = Field(default=Decimal("10"), ge=0)
    taker_fee_bps: Decimal = Field(default=Decimal("10"), ge=0)
    slippage_bps: Decimal = Field(default=Decimal("2"), ge=0)
    volume_impact_bps: Decimal = Field(default=Decimal("50"), ge=0)
    max_participation: Decimal = Field(default=Decimal("0.1"), gt=0, le=1)
    start_cash: Decimal = Field(default=Decimal("10000"), ge=0)
    fill_on: Literal["next_bar", "ticker"] = "next_bar"


class LiveSection(BaseModel):
    """``EXEC_CORE__LIVE__<KEY>``: the live broker (ccxt).

    Attributes
    ----------
    exchange
        ccxt's exchange id.
    api_key, api_secret
        The venue's API credentials (never logged).
    testnet
        Use the venue's testnet (no arming needed); off means real money.
    rest_url
        Replace the REST host (for a local venue in tests); empty keeps ccxt's.
    max_retries
        Retries of a call that failed with a temporary error.
    timeout_ms
        Per-request timeout.
    balance_tolerance
        Largest balance difference reconciliation accepts (dust).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    exchange: str = "binance"
    api_key: SecretStr = SecretStr("")
    api_secret: SecretStr = SecretStr("")
    testnet: bool = True
    rest_url: str = ""
    max_retries: int = Field(default=3, ge=0, le=10)
    timeout_ms: int = Field(default=10_000, ge=100)
    balance_tolerance: Decimal = Field(default=Decimal("0.00000001"), ge=0)

    @property
    def has_keys(self) -> bool:
        """Return whether both API key and secret are set."""
        return bool(self.api_key.get_secret_value() and self.api_secret.get_secret_value())
