"""Each risk rule on real BTC/USDT candles: sizing, exposure, cooldown, rate, switches."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from exec_core.risk import RULES, RiskState, evaluate
from exec_core.risk.sizing import confidence_scale, kelly_fraction
from exec_core.settings import RiskSection
from tests.unit.exec_core.risk.ledger_state import fill, ledger_state
from tests.unit.exec_core.risk.real_paths import Candle, candles

LIMITS = RiskSection()
SYMBOL = "BTC/USDT"


def _state(home: Path, path: list[Candle]) -> RiskState:
    state = ledger_state(home, LIMITS)
    for candle in path:
        state.on_bar(SYMBOL, candle.high, candle.low, candle.close)
    state.heartbeat_at = path[-1].close_at
    return state


def _verdicts(state: RiskState, candle: Candle, *, confidence: float = 0.7) -> dict[str, bool]:
    ctx = state.context(candle.close_at, entry=True, symbol=SYMBOL, model="tcn",
                        confidence=confidence, price=candle.close, broker="paper",
                        live_eligible=False)  # fmt: skip
    return {v.rule: v.passed for v in evaluate(ctx, LIMITS, 0.55).verdicts}


def _size(state: RiskState, candle: Candle, confidence: float = 0.7) -> Decimal:
    ctx = state.context(candle.close_at, entry=True, symbol=SYMBOL, model="tcn",
                        confidence=confidence, price=candle.close, broker="paper",
                        live_eligible=False)  # fmt: skip
    return evaluate(ctx, LIMITS, 0.55).notional


def test_registry_is_explicit_and_complete() -> None:
    assert list(RULES) == [
        "kill_switch", "live_gate", "dead_man", "portfolio_drawdown", "model_drawdown",
        "loss_cooldown", "order_rate", "symbol_exposure", "total_exposure", "min_size",
    ]  # fmt: skip


def test_volatility_targeting_buys_less_in_the_crash(tmp_path: Path) -> None:
    calm, crash = candles("2020-02-01", "2020-02-10"), candles("2020-03-05", "2020-03-14")
    calm_state = _state(tmp_path / "calm", calm)
    crash_state = _state(tmp_path / "crash", crash)
    calm_atr = calm_state.atrs[SYMBOL].value
    crash_atr = crash_state.atrs[SYMBOL].value
    assert calm_atr is not None
    assert crash_atr is not None
    assert crash_atr / crash[-1].close > 2 * calm_atr / calm[-1].close
    assert _size(crash_state, crash[-1]) < _size(calm_state, calm[-1])


def test_confidence_scales_and_kelly_caps(tmp_path: Path) -> None:
    path = candles("2021-06-01", "2021-06-05")
    state = _state(tmp_path, path)
    assert _size(state, path[-1], 0.6) < _size(state, path[-1], 0.9)
    assert kelly_fraction(0.3, LIMITS) == 0
    assert kelly_fraction(0.99, LIMITS) == LIMITS.kelly_cap_pct / 100
    assert confidence_scale(0.55, 0.55, LIMITS) == LIMITS.min_confidence_scale
    assert confidence_scale(1.0, 0.55, LIMITS) == 1


def test_exposure_limits_clip_then_refuse(tmp_path: Path) -> None:
    path = candles("2021-06-01", "2021-06-05")
    state = _state(tmp_path, path)
    last = path[-1]
    limit = state.book.equity() * LIMITS.max_symbol_exposure_pct / 100
    while _verdicts(state, last)["symbol_exposure"] and _size(state, last) >= LIMITS.min_notional:
        notional = _size(state, last)
        assert state.book.exposure(SYMBOL) + notional <= limit
        fill(state, last.close_at, SYMBOL, "buy",
             (notional / last.close).quantize(Decimal("1E-8")), last.close)  # fmt: skip
    verdicts = _verdicts(state, last)
    assert not (verdicts["symbol_exposure"] and verdicts["min_size"])
    assert state.book.exposure(SYMBOL) <= limit + Decimal("0.01")


def test_cooldown_after_a_real_loss(tmp_path: Path) -> None:
    path = candles("2022-11-07", "2022-11-10")  # FTX: bought the 7th, sold the 9th at a loss
    state = _state(tmp_path, path[:1])
    buy, sell = path[0], path[-1]
    fill(state, buy.close_at, SYMBOL, "buy", Decimal("0.1"), buy.close)
    fill(state, sell.close_at, SYMBOL, "sell", Decimal("0.1"), sell.close)
    state.heartbeat_at = sell.close_at
    assert state.last_loss[SYMBOL] == sell.close_at
    assert not _verdicts(state, sell)["loss_cooldown"]
    later = Candle(sell.close_at + timedelta(seconds=LIMITS.loss_cooldown_secs), sell.high,
                   sell.low, sell.close)  # fmt: skip
    state.heartbeat_at = later.close_at
    assert _verdicts(state, later)["loss_cooldown"]


def test_order_rate_limit(tmp_path: Path) -> None:
    path = candles("2021-06-01", "2021-06-03")
    state = _state(tmp_path, path)
    last = path[-1]
    for n in range(LIMITS.max_orders):
        state.record_order(last.close_at - timedelta(seconds=n))
    assert not _verdicts(state, last)["order_rate"]
    after = Candle(last.close_at + timedelta(seconds=LIMITS.order_window_secs), last.high,
                   last.low, last.close)  # fmt: skip
    state.heartbeat_at = after.close_at
    assert _verdicts(state, after)["order_rate"]


def test_kill_switch_and_dead_man(tmp_path: Path) -> None:
    path = candles("2021-06-01", "2021-06-03")
    state = _state(tmp_path, path)
    last = path[-1]
    assert all(_verdicts(state, last).values())
    state.kill.engaged = True
    assert not _verdicts(state, last)["kill_switch"]
    state.kill.engaged = False
    state.heartbeat_at = last.close_at - timedelta(seconds=LIMITS.heartbeat_timeout_secs + 1)
    assert not _verdicts(state, last)["dead_man"]
    state.heartbeat_at = None
    assert not _verdicts(state, last)["dead_man"]
