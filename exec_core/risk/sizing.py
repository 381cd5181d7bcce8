"""Dynamic sizing: volatility targeting from ATR, confidence scaling, capped Kelly fraction.

All three are pure; `entry_notional` takes the smallest of the volatility and Kelly sizes,
scales it by confidence and clips it to the exposure headroom.
"""

from __future__ import annotations

from decimal import Decimal

from exec_core.risk.context import HUNDRED, RiskContext, RiskSection

ZERO = Decimal(0)
ONE = Decimal(1)


def volatility_notional(
    equity: Decimal, price: Decimal, atr: Decimal | None, limits: RiskSection
) -> Decimal:
    """Return the notional whose ATR stop loses ``risk_per_trade_pct`` of equity.

    Without an ATR yet, fall back to the symbol exposure limit.
    """
    if atr is None or atr <= 0:
        return equity * limits.max_symbol_exposure_pct / HUNDRED
    budget = equity * limits.risk_per_trade_pct / HUNDRED
    quantity = budget / (atr * limits.atr_stop_multiple)
    return quantity * price


def kelly_fraction(win_probability: float, limits: RiskSection) -> Decimal:
    """Return the Kelly fraction ``p - (1 - p) / b``, times the multiplier, capped; >= 0."""
    p = Decimal(str(win_probability))
    raw = p - (ONE - p) / limits.reward_risk
    if raw <= 0:
        return ZERO
    return min(raw * limits.kelly_multiplier, limits.kelly_cap_pct / HUNDRED)


def confidence_scale(confidence: float, min_confidence: float, limits: RiskSection) -> Decimal:
    """Map confidence from [min_confidence, 1] linearly onto [min_confidence_scale, 1]."""
    floor = limits.min_confidence_scale
    span = 1.0 - min_confidence
    if span <= 0:
        return ONE
    position = Decimal(str(min(max((confidence - min_confidence) / span, 0.0), 1.0)))
    return floor + (ONE - floor) * position


def headroom(ctx: RiskContext, limits: RiskSection) -> Decimal:
    """Return how much more notional the symbol and total exposure limits allow."""
    symbol_room = ctx.equity * limits.max_symbol_exposure_pct / HUNDRED - ctx.symbol_exposure
    total_room = ctx.equity * limits.max_total_exposure_pct / HUNDRED - ctx.total_exposure
    return max(min(symbol_room, total_room), ZERO)


def entry_notional(ctx: RiskContext, limits: RiskSection, min_confidence: float) -> Decimal:
    """Return the notional to buy for an entry signal (0 when nothing fits)."""
    if ctx.equity <= 0:
        return ZERO
    vol = volatility_notional(ctx.equity, ctx.price, ctx.atr, limits)
    kelly = ctx.equity * kelly_fraction(ctx.confidence, limits)
    scaled = min(vol, kelly) * confidence_scale(ctx.confidence, min_confidence, limits)
    return min(scaled, headroom(ctx, limits))
