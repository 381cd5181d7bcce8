"""Orders through ledger and paper broker: horizon exits, restart restores working orders."""

from __future__ import annotations

from pathlib import Path

from exec_core.ledger import check_books
from exec_core.portfolio import LedgerBook
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import drain, make_rig


async def test_horizon_exit_closes_the_position_through_the_same_path(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    decision = await rig.engine.on_signal(f.signal())  # 4 bars of horizon from 01:00
    assert decision is not None
    assert decision.accepted
    for bar in rig.next_bars[:5]:
        await rig.engine.on_bar(bar)
    orders = rig.engine.ledger.orders()
    assert [(o.side, o.status) for o in orders] == [("buy", "filled"), ("sell", "filled")]
    assert orders[1].client_order_id.startswith("ntx-exit-BTCUSDT-")
    assert orders[1].quantity == decision.quantity
    assert rig.engine.ledger.positions() == []
    assert rig.engine.trader.tracked == {}
    assert check_books(rig.engine.ledger) == []
    book = rig.engine.state.book
    assert isinstance(book, LedgerBook)
    assert book.model_realized["tcn_btc_1h"] != 0


async def test_restart_restores_a_working_order_and_fills_it_once(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    await rig.engine.on_signal(f.signal())
    assert drain(rig.out)[-1] == "OrderAccepted"
    rig.engine.ledger.close()  # as if killed: the broker's memory is gone
    again = await make_rig(tmp_path)
    assert [o.status for o in again.engine.ledger.orders(open_only=True)] == ["accepted"]
    assert await again.engine.on_signal(f.signal()) is None
    await again.engine.on_bar(again.next_bars[0])
    assert "OrderFilled" in drain(again.out)
    (order,) = again.engine.ledger.orders()
    assert order.status == "filled"
    assert check_books(again.engine.ledger) == []
