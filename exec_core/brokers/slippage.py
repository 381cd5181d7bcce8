"""Fees and slippage of paper fills."""

from __future__ import annotations

from decimal import Decimal

from exec_core.brokers.settings import PaperSection

_BPS = Decimal(10_000)


def slippage_bps(settings: PaperSection, quantity: Decimal, bar_volume: Decimal) -> Decimal:
    """Return the slippage of a market fill: fixed, plus impact linear in participation."""
    participation = quantity / bar_volume if bar_volume > 0 else Decimal(1)
    return settings.slippage_bps + settings.volume_impact_bps * min(participation, Decimal(1))


def slipped(price: Decimal, side: str, bps: Decimal) -> Decimal:
    """Return `price` moved `bps` against the order (up for buys, down for sells)."""
    factor = 1 + bps / _BPS if side == "buy" else 1 - bps / _BPS
    return (price * factor).quantize(Decimal("1E-8"))


def fee(settings: PaperSection, notional: Decimal, *, maker: bool) -> Decimal:
    """Return the fee of a fill of `notional` (quote currency)."""
    rate = settings.maker_fee_bps if maker else settings.taker_fee_bps
    return (notional * rate / _BPS).quantize(Decimal("1E-8"))
