"""One builder per message type, each returning a valid, realistic instance.

The values tell one story on Binance BTC/USDT 1h: the candle that opened 2024-01-01T00:00Z
(OHLCV verbatim from the test data), its features, a long signal, the risk gate, a Telegram
approval, a limit order filled in part and the rest cancelled. Golden files and unit tests
both start from these builders; `rebuild` derives validated variants.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from signal_schema import (
    AlertDelivered,
    AlertFailed,
    AnyMessage,
    ApprovalDecided,
    ApprovalRequested,
    Bar,
    CancelOrder,
    ClassProbabilities,
    Envelope,
    Explanation,
    FeatureAttribution,
    FeatureFrame,
    GapDetected,
    Heartbeat,
    KillSwitchChanged,
    LogRecord,
    ModelRef,
    NewsItem,
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
    PortfolioSnapshot,
    PositionChanged,
    RiskDecision,
    RiskLimitBreached,
    RuleVerdict,
    SetKillSwitch,
    Signal,
    SubmitOrder,
)

M = TypeVar("M", bound=BaseModel)

D = Decimal
VENUE = "binance"
SYMBOL = "BTC/USDT"
BAR_OPEN = datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
BAR_CLOSE = BAR_OPEN + timedelta(hours=1)
CLOSE_PRICE = D("42475.23")
SIGNAL_ID = "01HK3TQ8W5C9J2ZV7E4M6T1B0X"
DECISION_ID = "01HK3TQ8WNB4R6Y2D1F9K3M5PA"
APPROVAL_ID = "01HK3TQ8X2G7H0QJ5S8V4W1C6E"
CLIENT_ORDER_ID = "ntx-01HK3TXH2M8Q4Z6B1N7R3K5D9F"
VENUE_ORDER_ID = "24738162507"
CHAIN_CORRELATION_ID = "c2139fc9de2c470fb1ec0824c0cd1a10"
"""Shared by every message caused by the signal (signal, risk, approval, order, ledger)."""

# (feature, value at the 2024-01-01T00:00Z bar close, SHAP attribution to P(up))
FEATURES: tuple[tuple[str, float, float], ...] = (
    ("log_ret_1", 0.00452225, 0.071243),
    ("log_ret_3", -0.0010704, -0.004118),
    ("log_ret_6", -0.00426327, -0.018562),
    ("log_ret_12", 0.00110125, 0.006031),
    ("log_ret_24", 0.00253079, 0.014327),
    ("rsi_14", 51.9874, 0.034716),
    ("macd_pct", 0.0858826, 0.009842),
    ("macd_signal_pct", 0.157897, -0.011907),
    ("macd_hist_pct", -0.0720147, -0.028135),
    ("bb_pct_b_20", 0.470711, 0.012089),
    ("bb_width_20", 0.013633, -0.006274),
    ("atr_14_pct", 0.559638, 0.003518),
    ("realized_vol_24", 0.00308725, 0.009604),
    ("realized_vol_168", 0.00376268, -0.002216),
    ("volume_z_24", 0.574892, 0.049517),
    ("close_ema_50_ratio", 0.00193854, 0.017306),
    ("close_ema_200_ratio", -0.00447538, -0.015243),
    ("stoch_k_14", 63.1561, 0.021388),
    ("hl_range_pct", 0.691109, 0.018925),
    ("close_pos_in_range", 0.729722, 0.043802),
    ("hour_sin", 0.0, 0.0),
    ("hour_cos", 1.0, 0.008791),
    ("dow_sin", 0.0, 0.0),
    ("dow_cos", 1.0, -0.000251),
)
SHAP_BASE_VALUE = 0.3387
P_UP = 0.5731


def at(seconds: float) -> datetime:
    """Return the time `seconds` after the golden bar's close (2024-01-01T01:00Z)."""
    return BAR_CLOSE + timedelta(seconds=seconds)


def rebuild(message: M, **changes: Any) -> M:
    """Return a copy of `message` with `changes`, validated again (unlike `model_copy`)."""
    return type(message).model_validate({**message.model_dump(), **changes})


def bar() -> Bar:
    """Return the real Binance BTC/USDT 1h candle that opened 2024-01-01T00:00Z."""
    return Bar(
        ts_event=BAR_CLOSE,
        ts_init=at(0.412),
        venue=VENUE,
        symbol=SYMBOL,
        timeframe="1h",
        ts_open=BAR_OPEN,
        open=D("42283.58"),
        high=D("42554.57"),
        low=D("42261.02"),
        close=CLOSE_PRICE,
        volume=D("1271.68108"),
    )


def gap_detected() -> GapDetected:
    """Return the real one-candle hole of the 24-Mar-2023 Binance spot halt."""
    return GapDetected(
        ts_event=datetime(2023, 3, 24, 15, 0, tzinfo=UTC),
        ts_init=datetime(2023, 3, 24, 15, 0, 0, 803000, tzinfo=UTC),
        venue=VENUE,
        symbol=SYMBOL,
        timeframe="1h",
        first_missing_open=datetime(2023, 3, 24, 13, 0, tzinfo=UTC),
        last_missing_open=datetime(2023, 3, 24, 13, 0, tzinfo=UTC),
        missing_bars=1,
    )


def news_item() -> NewsItem:
    """Return a real CoinTelegraph headline with its TextBlob polarity."""
    slug = "bitcoin-price-spikes-to-20k-as-whale-bought-btc-confirms-support"
    return NewsItem(
        ts_event=datetime(2022, 7, 4, 15, 53, tzinfo=UTC),
        ts_init=datetime(2022, 7, 4, 15, 54, 12, 381000, tzinfo=UTC),
        news_id=f"cointelegraph:{slug}",
        source="CoinTelegraph",
        title="Bitcoin price spikes to $20K as whale bought BTC confirms support",
        body="Bitcoin bounces to five-day highs while Ethereum rises above the $1,100 mark.",
        url=f"https://cointelegraph.com/news/{slug}",
        symbols=("BTC/USDT", "ETH/USDT"),
        sentiment=0.0,
        sentiment_method="textblob.polarity",
    )


def feature_frame() -> FeatureFrame:
    """Return the 24 features of the golden bar, all warm."""
    return FeatureFrame(
        ts_event=BAR_CLOSE,
        ts_init=at(0.431877),
        venue=VENUE,
        symbol=SYMBOL,
        timeframe="1h",
        spec_version="ohlcv24.v1",
        close=CLOSE_PRICE,
        names=tuple(name for name, _, _ in FEATURES),
        values=tuple(value for _, value, _ in FEATURES),
        warm=True,
    )


def attributions() -> tuple[FeatureAttribution, ...]:
    """Return the signal's per-feature SHAP attributions, in feature order."""
    return tuple(
        FeatureAttribution(feature=name, value=value, attribution=attr)
        for name, value, attr in FEATURES
    )


def explanation() -> Explanation:
    """Return DeepSHAP attributions of P(up) whose additivity error is the real residual."""
    attrs = attributions()
    residual = SHAP_BASE_VALUE + sum(a.attribution for a in attrs) - P_UP
    return Explanation(
        method="deep_shap",
        output_space="probability:up",
        base_value=SHAP_BASE_VALUE,
        output_value=P_UP,
        attributions=attrs,
        additivity_error=abs(residual),
    )


def signal() -> Signal:
    """Return a 4-bar long signal on the golden bar."""
    return Signal(
        ts_event=BAR_CLOSE,
        ts_init=at(0.517203),
        signal_id=SIGNAL_ID,
        venue=VENUE,
        symbol=SYMBOL,
        timeframe="1h",
        direction="up",
        probabilities=ClassProbabilities(up=P_UP, down=0.1824, flat=0.2445),
        confidence=P_UP,
        horizon_bars=4,
        price=CLOSE_PRICE,
        model=ModelRef(
            name="tcn_btc_1h",
            version="2024.01.0",
            manifest_sha256="bd7b79a17c34d39636c68ae2aa6cefd88afd4a755f834db32b82255f371e8ba8",
            live_eligible=True,
        ),
        ood_score=0.87,
        ood_flag=False,
        explanation=explanation(),
    )


def verdicts() -> tuple[RuleVerdict, ...]:
    """Return the risk gate's verdicts on the golden signal (all passed)."""
    return (
        RuleVerdict(rule="kill_switch", passed=True, reason="kill switch released"),
        RuleVerdict(rule="min_confidence", passed=True, reason="confidence 0.5731 >= 0.55"),
        RuleVerdict(rule="ood_guard", passed=True, reason="ood_score 0.87 < 3.0"),
        RuleVerdict(rule="max_position_pct", passed=True, reason="exposure 10.0% <= 25.0%"),
        RuleVerdict(rule="daily_drawdown", passed=True, reason="drawdown 0.00% < 5.00% cap"),
    )


def risk_decision() -> RiskDecision:
    """Return the gate accepting a 0.0235 BTC buy (10% of a 10,000 USDT account)."""
    return RiskDecision(
        ts_event=at(0.524),
        ts_init=at(0.524),
        decision_id=DECISION_ID,
        signal_id=SIGNAL_ID,
        symbol=SYMBOL,
        accepted=True,
        side="buy",
        quantity=D("0.0235"),
        verdicts=verdicts(),
    )


def risk_limit_breached() -> RiskLimitBreached:
    """Return an attribution-drift breach that warns without halting."""
    return RiskLimitBreached(
        ts_event=at(3600 * 5),
        ts_init=at(3600 * 5 + 0.118),
        limit="attribution_drift_psi",
        scope="tcn_btc_1h:2024.01.0",
        value=0.27,
        threshold=0.25,
        halted=False,
        message="SHAP attribution PSI 0.27 over the last 168 bars exceeds 0.25; review the model",
    )


def set_kill_switch() -> SetKillSwitch:
    """Return an operator engaging the kill switch from the `ntx` CLI."""
    return SetKillSwitch(
        ts_event=at(7925.0),
        ts_init=at(7925.0),
        engaged=True,
        reason="Binance spot maintenance announced for 03:30 UTC",
        requested_by="alice",
        channel="cli",
    )


def kill_switch_changed() -> KillSwitchChanged:
    """Return exec_core confirming the kill switch is engaged."""
    return KillSwitchChanged(
        ts_event=at(7925.006),
        ts_init=at(7925.006),
        engaged=True,
        reason="Binance spot maintenance announced for 03:30 UTC",
        changed_by="alice",
        channel="cli",
    )


def approval_requested() -> ApprovalRequested:
    """Return the why-card for the accepted decision, open for 15 minutes."""
    top = sorted(attributions(), key=lambda a: abs(a.attribution), reverse=True)[:5]
    return ApprovalRequested(
        ts_event=at(0.534),
        ts_init=at(0.534),
        approval_id=APPROVAL_ID,
        signal_id=SIGNAL_ID,
        decision_id=DECISION_ID,
        symbol=SYMBOL,
        direction="up",
        confidence=P_UP,
        side="buy",
        quantity=D("0.0235"),
        price=CLOSE_PRICE,
        top_attributions=tuple(top),
        verdicts=verdicts(),
        expires_at=at(900.534),
    )


def approval_decided() -> ApprovalDecided:
    """Return a human approving the trade from Telegram."""
    return ApprovalDecided(
        ts_event=at(161.208),
        ts_init=at(161.215),
        approval_id=APPROVAL_ID,
        approved=True,
        decided_by="telegram:alice",
        channel="telegram",
        reason=None,
    )


def submit_order() -> SubmitOrder:
    """Return the approved buy as a GTC limit order."""
    return SubmitOrder(
        ts_event=at(161.230),
        ts_init=at(161.230),
        client_order_id=CLIENT_ORDER_ID,
        venue=VENUE,
        symbol=SYMBOL,
        side="buy",
        order_type="limit",
        quantity=D("0.0235"),
        limit_price=D("42480.00"),
        time_in_force="GTC",
        signal_id=SIGNAL_ID,
    )


def cancel_order() -> CancelOrder:
    """Return the cancel of the unfilled rest after the 5-minute order TTL."""
    return CancelOrder(
        ts_event=at(461.230),
        ts_init=at(461.230),
        client_order_id=CLIENT_ORDER_ID,
        venue=VENUE,
        symbol=SYMBOL,
        reason="order TTL 300s elapsed with 0.0085 BTC unfilled",
    )


def order_accepted() -> OrderAccepted:
    """Return Binance acknowledging the limit order."""
    return OrderAccepted(
        ts_event=at(161.392),
        ts_init=at(161.401),
        client_order_id=CLIENT_ORDER_ID,
        venue_order_id=VENUE_ORDER_ID,
        venue=VENUE,
        symbol=SYMBOL,
    )


def order_rejected() -> OrderRejected:
    """Return Binance refusing an ETH sell for lack of balance (its real error text)."""
    return OrderRejected(
        ts_event=at(5402.117),
        ts_init=at(5402.121),
        client_order_id="ntx-01HK42B7D3F5H8K1M4P6R9T2VX",
        venue=VENUE,
        symbol="ETH/USDT",
        reason="binance -2010: Account has insufficient balance for requested action.",
    )


def order_canceled() -> OrderCanceled:
    """Return the order closed after its partial fill."""
    return OrderCanceled(
        ts_event=at(461.388),
        ts_init=at(461.395),
        client_order_id=CLIENT_ORDER_ID,
        venue_order_id=VENUE_ORDER_ID,
        venue=VENUE,
        symbol=SYMBOL,
        filled_quantity=D("0.01500"),
        reason="canceled on request: order TTL 300s elapsed",
    )


def order_filled() -> OrderFilled:
    """Return a partial taker fill: 0.015 of 0.0235 BTC, fee 0.1% in BTC."""
    return OrderFilled(
        ts_event=at(161.392),
        ts_init=at(161.405),
        client_order_id=CLIENT_ORDER_ID,
        venue_order_id=VENUE_ORDER_ID,
        trade_id="3341569012",
        venue=VENUE,
        symbol=SYMBOL,
        side="buy",
        last_quantity=D("0.01500"),
        last_price=D("42476.01"),
        cumulative_quantity=D("0.01500"),
        leaves_quantity=D("0.00850"),
        fee=D("0.00001500"),
        fee_currency="BTC",
        liquidity="taker",
        slippage_bps=D("0.18"),
    )


def position_changed() -> PositionChanged:
    """Return the long after the fill (net of the BTC fee), marked at 42471.66."""
    return PositionChanged(
        ts_event=at(161.392),
        ts_init=at(161.410),
        venue=VENUE,
        symbol=SYMBOL,
        quantity=D("0.014985"),
        avg_entry_price=D("42476.01"),
        realized_pnl=D("-0.63714"),
        unrealized_pnl=D("-0.06518"),
    )


def portfolio_snapshot() -> PortfolioSnapshot:
    """Return the 10,000 USDT paper account after the fill."""
    return PortfolioSnapshot(
        ts_event=at(161.392),
        ts_init=at(161.412),
        currency="USDT",
        equity=D("9999.29768"),
        cash=D("9362.85985"),
        gross_exposure=D("636.43783"),
        net_exposure=D("636.43783"),
        drawdown_pct=D("0.0070"),
        open_positions=1,
    )


def alert_delivered() -> AlertDelivered:
    """Return the why-card reaching the operators' Telegram chat."""
    return AlertDelivered(
        ts_event=at(0.912),
        ts_init=at(0.912),
        alert_id="alert-01HK3TQ9B4",
        channel="telegram",
        target="chat:-1001873302245",
        source_topic="approval.requested",
        attempts=1,
        latency_ms=362.7,
    )


def alert_failed() -> AlertFailed:
    """Return a Discord webhook that no longer exists (a permanent failure)."""
    return AlertFailed(
        ts_event=at(0.944),
        ts_init=at(0.944),
        alert_id="alert-01HK3TQ9C1",
        channel="discord",
        target="webhook:ntx-signals",
        source_topic="signal.emitted",
        attempts=1,
        error="HTTP 404 Not Found: Unknown Webhook (code 10015)",
        permanent=True,
    )


def heartbeat() -> Heartbeat:
    """Return model_engine's 2702nd 5-second heartbeat since it started."""
    return Heartbeat(
        ts_event=at(2.603),
        ts_init=at(2.603),
        service="model_engine",
        instance_id="model_engine-7f3c2a",
        seq=2702,
        started_at=datetime(2023, 12, 31, 21, 14, 52, 603000, tzinfo=UTC),
        status="ok",
    )


def log_record() -> LogRecord:
    """Return data_core's warning about a dropped exchange stream."""
    return LogRecord(
        ts_event=at(1843.075),
        ts_init=at(1843.075),
        service="data_core",
        level="WARNING",
        logger="market_store.venues.binance.stream",
        text="websocket closed (code 1006); reconnecting in 2.0s (attempt 1)",
    )


BUILDERS: dict[str, Callable[[], AnyMessage]] = {
    "Bar": bar,
    "GapDetected": gap_detected,
    "NewsItem": news_item,
    "FeatureFrame": feature_frame,
    "Signal": signal,
    "RiskDecision": risk_decision,
    "RiskLimitBreached": risk_limit_breached,
    "SetKillSwitch": set_kill_switch,
    "KillSwitchChanged": kill_switch_changed,
    "ApprovalRequested": approval_requested,
    "ApprovalDecided": approval_decided,
    "SubmitOrder": submit_order,
    "CancelOrder": cancel_order,
    "OrderAccepted": order_accepted,
    "OrderRejected": order_rejected,
    "OrderCanceled": order_canceled,
    "OrderFilled": order_filled,
    "PositionChanged": position_changed,
    "PortfolioSnapshot": portfolio_snapshot,
    "AlertDelivered": alert_delivered,
    "AlertFailed": alert_failed,
    "Heartbeat": heartbeat,
    "LogRecord": log_record,
}
"""Type name -> builder, in catalogue order."""

_CHAIN = {
    "Signal", "RiskDecision", "ApprovalRequested", "ApprovalDecided", "SubmitOrder",
    "CancelOrder", "OrderAccepted", "OrderCanceled", "OrderFilled", "PositionChanged",
    "PortfolioSnapshot", "AlertDelivered",
}  # fmt: skip


def correlation_id(type_name: str) -> str:
    """Return the golden correlation id: the signal's chain, else a stable uuid5."""
    if type_name in _CHAIN:
        return CHAIN_CORRELATION_ID
    return uuid.uuid5(uuid.NAMESPACE_URL, f"neurotradex:golden:{type_name}").hex


def golden_envelopes() -> dict[str, Envelope]:
    """Return type name -> the golden Envelope of that type."""
    return {name: Envelope.of(build(), correlation_id(name)) for name, build in BUILDERS.items()}
