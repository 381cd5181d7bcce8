"""One signal's decision: validation, the risk gate, the broker halt and the position policy."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from exec_core.positions import NoTrade
from exec_core.risk import RiskState, evaluate
from exec_core.settings import ExecCoreSettings
from exec_core.trading import Trader
from exec_core.validation import ValidationContext, validate_signal
from market_store.timeframes import timeframe_delta
from signal_schema import RiskDecision, RuleVerdict, Signal
from signal_schema.primitives import Side


def decide_signal(
    signal: Signal, now: datetime, settings: ExecCoreSettings, state: RiskState, trader: Trader
) -> RiskDecision:
    """Return the decision on `signal` at `now` (not yet persisted or published).

    Accepted only when every validation check, every risk rule, the broker halt (entries
    stop while the books and the venue disagree) and the position policy pass; the quantity
    is the gate's size rounded to the market's filters.
    """
    v = settings.validation
    ctx = ValidationContext(
        now=now,
        max_age_secs=v.max_signal_age_secs,
        min_confidence=v.min_confidence,
        max_ood_score=v.max_ood_score,
        models=frozenset(v.models),
        symbols=frozenset(v.symbols),
    )
    verdicts = validate_signal(signal, ctx)
    entry = signal.direction == "up"
    risk = state.context(
        now,
        entry=entry,
        symbol=signal.symbol,
        model=signal.model.name,
        confidence=signal.confidence,
        price=signal.price,
        broker=settings.broker,
        live_eligible=signal.model.live_eligible,
    )
    result = evaluate(risk, settings.risk, v.min_confidence)
    extra, quantity = position_verdicts(signal, risk.position_quantity, result.quantity, trader)
    every = verdicts + result.verdicts + extra
    accepted = all(x.passed for x in every)
    side: Side | None = ("buy" if entry else "sell") if accepted else None
    return RiskDecision(
        ts_event=now,
        ts_init=now,
        decision_id=f"dec-{signal.signal_id}",
        signal_id=signal.signal_id,
        symbol=signal.symbol,
        accepted=accepted,
        side=side,
        quantity=quantity if accepted else Decimal(0),
        verdicts=every,
    )


def position_verdicts(
    signal: Signal, held: Decimal, size: Decimal, trader: Trader
) -> tuple[tuple[RuleVerdict, ...], Decimal]:
    """Return the broker-halt and position-policy verdicts and the rounded quantity.

    Parameters
    ----------
    signal
        The signal decided on.
    held
        The signed position in `signal`'s symbol.
    size
        The risk gate's quantity (entry size, or the whole position for an exit).
    trader
        Its halt reason, position policy and market filters.
    """
    out: list[RuleVerdict] = []
    if trader.halted is not None and signal.direction == "up":
        reason = f"entries halted: {trader.halted}"[:2000]
        out.append(RuleVerdict(rule="broker_reconciled", passed=False, reason=reason))
    intent = trader.policy.on_signal(
        symbol=signal.symbol,
        direction=signal.direction,
        position_quantity=held,
        size=size,
        price=signal.price,
        filters=trader.filters(signal.symbol),
    )
    if isinstance(intent, NoTrade):
        out.append(RuleVerdict(rule="position_policy", passed=False, reason=intent.reason))
        return tuple(out), Decimal(0)
    out.append(
        RuleVerdict(
            rule="position_policy", passed=True, reason=f"{intent.action} {intent.quantity}"
        )
    )
    return tuple(out), intent.quantity


def client_order_id(signal_id: str) -> str:
    """Return the client order id of `signal_id`'s order (one order per signal, ever)."""
    return f"ntx-{signal_id}"


def horizon_end(start: datetime, timeframe: str, bars: int) -> datetime:
    """Return `start` plus `bars` bars of `timeframe` (``1h``, ``15m``, ``1d``; M is 30 days)."""
    return start + timeframe_delta(timeframe) * bars
