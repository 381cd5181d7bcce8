"""Realistic signals for the alerts benchmark."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from signal_schema import ClassProbabilities, Explanation, FeatureAttribution, ModelRef, Signal

FEATURES = ("log_ret_1", "volume_z_24", "rsi_14", "macd_hist_pct", "atr_pct_14", "bb_width_20")


def make_signal(n: int) -> Signal:
    """Return a realistic signal numbered `n`."""
    now = datetime.now(UTC)
    attrs = tuple(
        FeatureAttribution(feature=f, value=0.1 * i, attribution=0.01 * (i - 2))
        for i, f in enumerate(FEATURES)
    )
    return Signal(
        ts_event=now,
        ts_init=now,
        signal_id=f"bench-{n:06d}",
        venue="binance",
        symbol="BTC/USDT",
        timeframe="1m",
        direction="up" if n % 2 else "down",
        probabilities=ClassProbabilities(up=0.6, down=0.25, flat=0.15),
        confidence=0.6,
        horizon_bars=4,
        price=Decimal("42475.23"),
        model=ModelRef(name="bench", version="1", manifest_sha256="0" * 64),
        ood_score=0.5,
        ood_flag=False,
        explanation=Explanation(
            method="deep_shap",
            output_space="probability:up",
            base_value=0.4,
            output_value=0.6,
            attributions=attrs,
            additivity_error=0.0,
        ),
    )
