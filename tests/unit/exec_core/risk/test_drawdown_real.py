"""Drawdown caps on real crashes: March 2020 and November 2022 halt new entries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from exec_core.risk import RiskState, evaluate
from exec_core.risk.context import RiskContext
from exec_core.settings import RiskSection
from tests.unit.exec_core.risk.ledger_state import fill, ledger_state
from tests.unit.exec_core.risk.real_paths import Candle, candles

LIMITS = RiskSection(max_symbol_exposure_pct=Decimal(60), max_total_exposure_pct=Decimal(60))


def _invested(home: Path, path: list[Candle]) -> RiskState:
    """Buy 60% of 10 000 USDT of BTC at the first close and mark every later candle."""
    state = ledger_state(home, LIMITS)
    first = path[0]
    state.on_bar("BTC/USDT", first.high, first.low, first.close)
    quantity = (Decimal(6_000) / first.close).quantize(Decimal("0.00000001"))
    fill(state, first.close_at, "BTC/USDT", "buy", quantity, first.close)
    return state


def _entry(state: RiskState, candle: Candle) -> RiskContext:
    state.heartbeat_at = candle.close_at
    return state.context(candle.close_at, entry=True, symbol="BTC/USDT", model="tcn",
                         confidence=0.7, price=candle.close, broker="paper",
                         live_eligible=False)  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "portfolio_cap", "model_cap"),
    [("2020-03-05", "2020-03-20", Decimal(15), Decimal(10)),
     ("2022-11-05", "2022-11-15", Decimal(10), Decimal(10))],
)  # fmt: skip
def test_crash_trips_the_drawdown_caps(
    tmp_path: Path, start: str, end: str, portfolio_cap: Decimal, model_cap: Decimal
) -> None:
    limits = LIMITS.model_copy(
        update={"max_drawdown_pct": portfolio_cap, "max_model_drawdown_pct": model_cap}
    )
    path = candles(start, end)
    state = _invested(tmp_path, path)
    assert evaluate(_entry(state, path[0]), limits, 0.55).verdicts[2].passed
    tripped = []
    for candle in path[1:]:
        state.on_bar("BTC/USDT", candle.high, candle.low, candle.close)
        result = evaluate(_entry(state, candle), limits, 0.55)
        by_rule = {v.rule: v for v in result.verdicts}
        if not by_rule["portfolio_drawdown"].passed:
            tripped.append(candle.close_at)
            assert not by_rule["model_drawdown"].passed
            assert not result.accepted
            assert result.quantity == 0
    assert tripped, f"the {start} crash never tripped a {portfolio_cap}% cap"
    assert state.drawdowns()["portfolio"] >= 0


def test_calm_week_does_not_trip(tmp_path: Path) -> None:
    path = candles("2023-07-10", "2023-07-14")
    state = _invested(tmp_path, path)
    for candle in path[1:]:
        state.on_bar("BTC/USDT", candle.high, candle.low, candle.close)
        by_rule = {v.rule: v for v in evaluate(_entry(state, candle), LIMITS, 0.55).verdicts}
        assert by_rule["portfolio_drawdown"].passed


def test_exit_passes_during_a_crash(tmp_path: Path) -> None:
    path = candles("2020-03-05", "2020-03-20")
    state = _invested(tmp_path, path)
    for candle in path[1:]:
        state.on_bar("BTC/USDT", candle.high, candle.low, candle.close)
    last = path[-1]
    ctx = state.context(last.close_at, entry=False, symbol="BTC/USDT", model="tcn",
                        confidence=0.7, price=last.close, broker="paper",
                        live_eligible=False)  # fmt: skip
    result = evaluate(ctx, LIMITS, 0.55)
    assert result.accepted
    assert result.quantity == state.book.quantity("BTC/USDT")
