"""The benchmark's payload: realistic `Signal` envelopes of about 500 bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from signal_schema import (
    ClassProbabilities,
    Envelope,
    Explanation,
    FeatureAttribution,
    ModelRef,
    Signal,
)

CORRELATION_PREFIX = "b"
SEQ_DIGITS = 10
_FEATURES = (
    ("rsi_14", 61.2, 0.14),
    ("ret_5", -0.0031, 0.09),
    ("vol_z", 1.7, 0.05),
    ("ob_imb", -0.21, -0.02),
)
DEFAULT_ATTRIBUTIONS = 2
"""Top-2 features: the smallest valid `Signal` is ~650 bytes, so 2 attributions (~760 bytes)
stays closest to the ~500-byte messages the goal names while still explaining the signal."""
_EPOCH = datetime(2025, 1, 6, tzinfo=UTC)


def correlation_id(seq: int) -> str:
    """Carry the sequence number in the correlation id (`b0000000042`)."""
    return f"{CORRELATION_PREFIX}{seq:0{SEQ_DIGITS}d}"


def make_signal(seq: int, attributions: int = DEFAULT_ATTRIBUTIONS) -> Signal:
    """Build the `seq`-th signal with its top `attributions` features (at most 4)."""
    ts = _EPOCH + timedelta(minutes=seq)
    top = tuple(
        FeatureAttribution(feature=name, value=value, attribution=share)
        for name, value, share in _FEATURES[:attributions]
    )
    return Signal(
        ts_event=ts,
        ts_init=ts,
        signal_id=f"s{seq}",
        venue="binance",
        symbol="BTC/USDT",
        timeframe="1m",
        direction="up",
        probabilities=ClassProbabilities(up=0.6, down=0.25, flat=0.15),
        confidence=0.6,
        horizon_bars=5,
        price=Decimal("97012.5") + seq,
        model=ModelRef(name="tcn", version="v3", manifest_sha256="ab" * 32),
        ood_score=0.4,
        ood_flag=False,
        explanation=Explanation(
            method="shap",
            output_space="p_up",
            base_value=0.33,
            output_value=0.6,
            attributions=top,
            additivity_error=round(abs(0.33 + sum(a.attribution for a in top) - 0.6), 6),
        ),
    )


def make_envelopes(count: int, attributions: int = DEFAULT_ATTRIBUTIONS) -> list[Envelope]:
    """Build `count` envelopes whose correlation ids carry 0..count-1."""
    return [
        Envelope.of(make_signal(seq, attributions), correlation_id=correlation_id(seq))
        for seq in range(count)
    ]
