"""What a restart needs survives on SQLite and PostgreSQL alike, including an upgraded ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from exec_core.ledger import Ledger
from exec_core.ledger.migrate import open_engine, upgrade
from exec_core.ledger.schema import orders
from exec_core.portfolio import LedgerBook
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import drain, make_rig
from tests.unit.exec_core.restarts import (
    BARS,
    EXPIRES,
    ORDER_ID,
    bought_and_held,
    crash,
    decided_then_crashed,
)

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def test_a_v0001_ledger_upgrades_with_its_orders_intact(ledger_url: str) -> None:
    engine = open_engine(ledger_url)
    upgrade(engine, "v0001")
    old = {
        "client_order_id": "ntx-old", "venue": "paper", "symbol": "BTC/USDT", "side": "buy",
        "order_type": "market", "quantity": Decimal("0.5"), "status": "submitted",
        "filled_quantity": Decimal(0), "signal_id": "old", "created_at": T0, "updated_at": T0,
    }  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(orders).values(old))
    engine.dispose()
    ledger = Ledger.open(ledger_url)
    try:
        order = ledger.order("ntx-old")
        assert order is not None
        assert (order.quantity, order.model, order.expires_at) == (Decimal("0.5"), None, None)
    finally:
        ledger.close()


async def test_peaks_attribution_and_exit_state_survive_a_restart(
    ledger_url: str, tmp_path: Path
) -> None:
    sections: dict[str, Any] = {
        "ledger": {"url": ledger_url},
        "positions": {"trailing_stop_pct": "30"},
    }
    first = await bought_and_held(tmp_path, 3, **sections)
    state, trader = first.engine.state, first.engine.trader
    book = state.book
    assert isinstance(book, LedgerBook)
    kept = (state.peak_equity, dict(state.model_peaks), dict(book.owners), trader.tracked)
    assert trader.tracked["BTC/USDT"].expires_at == EXPIRES
    crash(first)
    again = await make_rig(tmp_path, bar=BARS[2], **sections)  # the same bar: nothing moves
    state, trader = again.engine.state, again.engine.trader
    restored = state.book
    assert isinstance(restored, LedgerBook)
    assert (state.peak_equity, state.model_peaks, restored.owners, trader.tracked) == kept
    for bar in BARS[3:5]:  # the horizon ends at 05:00; the exit fills at 06:00
        await again.engine.on_bar(bar)
    assert again.engine.ledger.positions() == []
    assert restored.model_realized[f.signal().model.name] != 0
    crash(again)


async def test_an_unsent_decision_is_sent_once(ledger_url: str, tmp_path: Path) -> None:
    sections: dict[str, Any] = {"ledger": {"url": ledger_url}}
    await decided_then_crashed(tmp_path, **sections)
    again = await make_rig(tmp_path, **sections)
    assert drain(again.out).count("SubmitOrder") == 1
    crash(again)
    third = await make_rig(tmp_path, **sections)
    assert "SubmitOrder" not in drain(third.out)
    assert [o.client_order_id for o in third.engine.ledger.orders()] == [ORDER_ID]
    crash(third)
