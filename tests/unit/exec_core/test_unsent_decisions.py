"""A crash between a persisted accepted decision and its order, then a restart.

The order is sent once (fresh) or expired and announced (too old); a manual decision is
sent only once a human approved it (before the crash, or after the restart). The crash is
`decided_then_crashed`: the decision committed as the engine commits it, the ledger closed
before it is routed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import pytest

from signal_schema import RiskLimitBreached
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import Rig, drain, make_rig
from tests.unit.exec_core.restarts import EXPIRES, ORDER_ID, SIGNAL, decided_then_crashed


def _types(rig: Rig) -> list[str]:
    return drain(rig.out)


@pytest.mark.parametrize(("clock", "sent_at"), [("wall", f.at(5)), ("market", f.BAR_CLOSE)])
async def test_unsent_decision_is_sent_exactly_once_after_a_restart(
    tmp_path: Path, clock: str, sent_at: datetime
) -> None:
    await decided_then_crashed(tmp_path)
    # The paper broker prices a market order from bars: it is sent after the restart's
    # first bar of its symbol, on the decision clock (market: that bar's close).
    again = await make_rig(tmp_path, validation={"clock": clock})
    order = again.engine.ledger.order(ORDER_ID)
    assert order is not None
    assert (order.model, order.expires_at) == (SIGNAL.model.name, EXPIRES)
    assert (order.signal_id, order.created_at) == (SIGNAL.signal_id, sent_at)
    assert _types(again).count("SubmitOrder") == 1
    assert await again.engine.on_signal(SIGNAL) is None  # the replayed signal is a duplicate
    await again.engine.on_bar(again.next_bars[0])
    assert again.engine.ledger.order(ORDER_ID).status == "filled"  # type: ignore[union-attr]
    assert again.engine.state.book.owner("BTC/USDT") == SIGNAL.model.name
    again.engine.ledger.close()
    third = await make_rig(tmp_path, bar=again.next_bars[1], validation={"clock": clock})
    assert "SubmitOrder" not in _types(third)
    assert [o.client_order_id for o in third.engine.ledger.orders()] == [ORDER_ID]


async def test_stale_unsent_decision_is_expired_and_announced_not_sent(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await decided_then_crashed(tmp_path)
    late = f.rebuild(f.bar(), ts_event=f.at(600))  # 10 min later: past the 300 s age limit
    with caplog.at_level(logging.ERROR, logger="exec_core.recovery"):
        again = await make_rig(tmp_path, bar=late)
    assert again.engine.ledger.orders() == []
    expired = [r for r in caplog.records if getattr(r, "event", None) == "decision_expired"]
    assert [getattr(r, "signal_id", None) for r in expired] == [SIGNAL.signal_id]
    breaches = []
    while (envelope := again.out.get_nowait()) is not None:
        if isinstance(envelope.message, RiskLimitBreached):
            breaches.append(envelope.message)
    (breach,) = breaches
    assert (breach.limit, breach.scope, breach.halted) == ("unsent_decision", "BTC/USDT", False)
    assert breach.value == pytest.approx(605.0)
    assert SIGNAL.signal_id in breach.message
    assert again.engine.store.unexpired_routes("auto") == []
    again.engine.ledger.close()
    third = await make_rig(tmp_path, bar=late)  # announced once: expired is remembered
    assert "RiskLimitBreached" not in _types(third)
    assert third.engine.ledger.orders() == []


async def test_manual_mode_waits_for_its_approval_across_a_restart(tmp_path: Path) -> None:
    first = await make_rig(tmp_path, mode="manual")
    decision = await first.engine.on_signal(SIGNAL)
    assert decision is not None
    assert decision.accepted
    assert "ApprovalRequested" in _types(first)
    first.engine.ledger.close()
    again = await make_rig(tmp_path, mode="manual")
    assert "SubmitOrder" not in _types(again)  # recovery leaves manual decisions alone
    (pending,) = again.engine.approvals.pending()
    decided = await again.engine.decide(
        pending.approval_id, approved=True, by="alice", channel="telegram", reason=None
    )
    assert decided is not None
    order = again.engine.ledger.order(ORDER_ID)
    assert order is not None
    assert (order.model, order.expires_at) == ("tcn_btc_1h", EXPIRES)  # its route, from disk


async def test_manual_decision_approved_before_the_crash_is_sent_once_after_it(
    tmp_path: Path,
) -> None:
    first = await make_rig(tmp_path, mode="manual")
    assert await first.engine.on_signal(SIGNAL) is not None
    (pending,) = first.engine.approvals.pending()
    # The approval is recorded, then the process dies before the order reaches the ledger.
    assert first.engine.approvals.decide(
        pending.approval_id, approved=True, by="alice", channel="cli", reason=None
    )
    assert first.engine.ledger.order(ORDER_ID) is None
    first.engine.ledger.close()
    again = await make_rig(tmp_path, mode="manual")
    order = again.engine.ledger.order(ORDER_ID)
    assert order is not None
    assert (order.model, order.expires_at) == (SIGNAL.model.name, EXPIRES)
    assert _types(again).count("SubmitOrder") == 1
    again.engine.ledger.close()
    third = await make_rig(tmp_path, bar=again.next_bars[0], mode="manual")
    assert "SubmitOrder" not in _types(third)
    assert [o.client_order_id for o in third.engine.ledger.orders()] == [ORDER_ID]
