"""A restart (same SQLite files, new engine) keeps the gate's and the exits' memory.

The first engine buys on the golden signal and rides real BTC/USDT bars (`restarts`), dies
without saving anything on the way out, and a new engine starts on the same home.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from exec_core.decision import horizon_end
from exec_core.ledger import Ledger
from exec_core.portfolio import LedgerBook
from exec_core.settings import RiskSection
from signal_schema.primitives import Side
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import drain, make_rig
from tests.unit.exec_core.restarts import BARS, at, bought_and_held, crash, signal_on
from tests.unit.exec_core.risk.ledger_state import fill, ledger_state

MODEL = f.signal().model.name


async def test_restart_keeps_the_drawdown_peak_and_still_halts_entries(tmp_path: Path) -> None:
    first = await bought_and_held(tmp_path, 5)  # the horizon exit fills at the 5th bar
    state = first.engine.state
    assert first.engine.ledger.positions() == []
    peak, drawdown = state.peak_equity, state.drawdowns()["portfolio"]
    assert state.book.equity() < peak  # a realised loss: cash alone is below the peak
    crash(first)
    cap = drawdown / 2  # the restarted engine runs with a cap the drawdown exceeds
    again = await make_rig(tmp_path, bar=BARS[5], risk={"max_drawdown_pct": cap})
    assert again.engine.state.peak_equity == peak
    assert again.engine.state.drawdowns()["portfolio"] == drawdown
    decision = await again.engine.on_signal(signal_on(BARS[5], "sig-after-restart"))
    assert decision is not None
    verdicts = {v.rule: v for v in decision.verdicts}
    assert not verdicts["portfolio_drawdown"].passed
    assert not decision.accepted
    assert "RiskLimitBreached" in drain(again.out)  # announced at the restart's first bar


async def test_restart_keeps_ownership_model_pnl_and_model_peaks(tmp_path: Path) -> None:
    first = await bought_and_held(tmp_path, 6)  # round trip: realised PnL of the model
    at(first, BARS[5])  # the loss cooldown of the exit at 06:00 is over at 07:00
    reentry = await first.engine.on_signal(signal_on(BARS[5], "sig-reentry"))
    assert reentry is not None
    assert reentry.accepted
    await first.engine.on_bar(BARS[6])  # fills the second entry: an open holding again
    book = first.engine.state.book
    assert isinstance(book, LedgerBook)
    assert book.owners == {"BTC/USDT": MODEL}
    assert book.model_realized[MODEL] != 0
    owners, realized = dict(book.owners), dict(book.model_realized)
    model_peaks = dict(first.engine.state.model_peaks)
    crash(first)
    again = await make_rig(tmp_path, bar=BARS[7])
    restored = again.engine.state.book
    assert isinstance(restored, LedgerBook)
    assert restored.owners == owners
    assert restored.model_realized == realized
    assert again.engine.state.model_peaks == model_peaks
    assert set(again.engine.state.drawdowns()) == {"portfolio", f"model:{MODEL}"}


async def test_horizon_exit_still_fires_after_a_restart(tmp_path: Path) -> None:
    first = await bought_and_held(tmp_path, 2)  # filled at 02:00; the horizon ends 05:00
    expires = horizon_end(f.BAR_CLOSE, "1h", f.signal().horizon_bars)
    assert first.engine.trader.tracked["BTC/USDT"].expires_at == expires
    crash(first)
    again = await make_rig(tmp_path, bar=BARS[2])
    assert again.engine.trader.tracked["BTC/USDT"].expires_at == expires
    for bar in BARS[3:5]:  # 05:00 reaches the horizon, 06:00 fills the exit
        await again.engine.on_bar(bar)
    orders = again.engine.ledger.orders()
    assert [(o.side, o.status) for o in orders] == [("buy", "filled"), ("sell", "filled")]
    assert orders[1].client_order_id == f"ntx-exit-BTCUSDT-{int(BARS[3].ts_event.timestamp())}"
    assert orders[1].model == MODEL  # the exit is attributed to the restored owner
    assert again.engine.ledger.positions() == []


async def test_trailing_best_price_survives_a_restart(tmp_path: Path) -> None:
    wide = {"trailing_stop_pct": "30", "exit_on_horizon": False}  # on, but never reached
    first = await bought_and_held(tmp_path, 4, positions=wide)
    best = first.engine.trader.tracked["BTC/USDT"].best_price
    assert best == max(b.high for b in BARS[:4])  # raised above the entry by later highs
    crash(first)
    again = await make_rig(tmp_path, bar=BARS[4], positions=wide)
    assert again.engine.trader.tracked["BTC/USDT"].best_price == max(best, BARS[4].high)


@pytest.mark.parametrize("fee", [Decimal(0), Decimal("0.25")])
def test_a_new_book_on_the_same_ledger_rebuilds_owners_and_model_pnl(
    tmp_path: Path, fee: Decimal
) -> None:
    state = ledger_state(tmp_path, RiskSection())
    t = datetime(2024, 3, 1, tzinfo=UTC)
    steps: list[tuple[str, Side, str, str, str]] = [
        ("BTC/USDT", "buy", "0.1", "40000", "a"),
        ("ETH/USDT", "buy", "1", "2000", "b"),
        ("BTC/USDT", "sell", "0.04", "41000", "b"),  # b's down signal trims a's holding
        ("BTC/USDT", "sell", "0.06", "39000", "a"),  # closed: a owns nothing any more
        ("BTC/USDT", "buy", "0.02", "39500", "b"),
        ("ETH/USDT", "sell", "0.5", "2100", "unknown"),
    ]
    for n, (symbol, side, qty, price, model) in enumerate(steps):
        when = t + timedelta(hours=n)
        fill(state, when, symbol, side, Decimal(qty), Decimal(price), model, fee=fee)
    book = state.book
    assert isinstance(book, LedgerBook)
    assert book.owners == {"BTC/USDT": "b", "ETH/USDT": "b"}
    assert set(book.model_realized) == {"a", "b"}
    reopened = Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        again = LedgerBook(reopened)
        assert again.owners == book.owners
        assert again.model_realized == book.model_realized
    finally:
        reopened.close()
