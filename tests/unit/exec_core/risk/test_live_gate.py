"""The live gate: a live broker takes entries only from models that passed the walk-forward gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from exec_core.decision import decide_signal
from exec_core.risk import RiskState, evaluate, live_gate
from exec_core.risk.context import RiskContext
from exec_core.settings import BrokerKind, ExecCoreSettings, RiskSection
from signal_schema import Signal
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import make_rig
from tests.unit.exec_core.risk.ledger_state import ledger_state
from tests.unit.exec_core.risk.real_paths import Candle, candles

LIMITS = RiskSection()
SYMBOL = "BTC/USDT"


@pytest.fixture
def market(tmp_path: Path) -> tuple[RiskState, Candle]:
    """A fresh 10 000 USDT ledger marked on four days of real BTC/USDT candles."""
    path = candles("2021-06-01", "2021-06-05")
    state = ledger_state(tmp_path, LIMITS)
    for candle in path:
        state.on_bar(SYMBOL, candle.high, candle.low, candle.close)
    state.heartbeat_at = path[-1].close_at
    return state, path[-1]


def _ctx(
    market: tuple[RiskState, Candle], *, broker: BrokerKind, eligible: bool, entry: bool = True
) -> RiskContext:
    state, candle = market
    return state.context(candle.close_at, entry=entry, symbol=SYMBOL, model="tcn",
                         confidence=0.7, price=candle.close, broker=broker,
                         live_eligible=eligible)  # fmt: skip


def test_paper_trading_is_never_gated(market: tuple[RiskState, Candle]) -> None:
    for entry in (True, False):
        verdict = live_gate.check(_ctx(market, broker="paper", eligible=False, entry=entry), LIMITS)
        assert verdict.passed
        assert verdict.reason.startswith("paper broker")
    assert evaluate(_ctx(market, broker="paper", eligible=False), LIMITS, 0.55).accepted


def test_live_entry_of_an_ungated_model_is_refused(market: tuple[RiskState, Candle]) -> None:
    ctx = _ctx(market, broker="live", eligible=False)
    verdict = live_gate.check(ctx, LIMITS)
    assert not verdict.passed
    assert "tcn" in verdict.reason
    assert "walk-forward gate" in verdict.reason
    result = evaluate(ctx, LIMITS, 0.55)
    assert not result.accepted
    assert result.quantity == 0
    assert [v.rule for v in result.verdicts if not v.passed] == ["live_gate"]


def test_live_entry_of_a_gated_model_passes(market: tuple[RiskState, Candle]) -> None:
    ctx = _ctx(market, broker="live", eligible=True)
    assert live_gate.check(ctx, LIMITS).passed
    result = evaluate(ctx, LIMITS, 0.55)
    assert result.accepted
    assert result.quantity > 0


def test_a_live_exit_is_never_blocked(market: tuple[RiskState, Candle]) -> None:
    ctx = _ctx(market, broker="live", eligible=False, entry=False)
    verdict = live_gate.check(ctx, LIMITS)
    assert verdict.passed
    assert verdict.reason.startswith("exit")


def _with_model(eligible: bool) -> Signal:
    signal = f.signal()
    return f.rebuild(signal, model=f.rebuild(signal.model, live_eligible=eligible))


async def test_the_decision_reads_the_broker_and_the_signals_verdict(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    engine = rig.engine
    live = engine.settings.model_copy(update={"broker": "live"})
    now = rig.clock.now

    def gate(settings: ExecCoreSettings, signal: Signal) -> tuple[bool, bool]:
        decision = decide_signal(signal, now, settings, engine.state, engine.trader)
        (verdict,) = [v for v in decision.verdicts if v.rule == "live_gate"]
        return verdict.passed, decision.accepted

    assert gate(live, _with_model(False)) == (False, False)
    assert gate(live, _with_model(True)) == (True, True)
    assert gate(engine.settings, _with_model(False)) == (True, True)  # paper: always
