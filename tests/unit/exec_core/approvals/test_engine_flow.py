"""The pipeline: auto and manual modes, first answer wins, timeout rejects, duplicates, kill.

Orders go through the real ledger and the paper broker: accepted at once, filled at the next
real bar's open.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from exec_core.commands import set_kill_switch
from exec_core.ledger import check_books
from tests import schema_factories as f
from tests.unit.exec_core.approvals.engine_factory import drain, make_rig


async def test_auto_mode_executes_once_and_refuses_duplicates(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    drain(rig.out)
    decision = await rig.engine.on_signal(f.signal())
    assert decision is not None
    assert decision.accepted
    assert decision.quantity > 0
    assert drain(rig.out) == ["RiskDecision", "SubmitOrder", "OrderAccepted"]
    assert await rig.engine.on_signal(f.signal()) is None
    assert drain(rig.out) == []
    assert rig.engine.store.decisions_for(f.signal().signal_id) == 1
    await rig.engine.on_bar(rig.next_bars[0])
    assert drain(rig.out) == ["OrderFilled", "PositionChanged", "PortfolioSnapshot"]
    (position,) = rig.engine.ledger.positions()
    assert position.state.quantity == decision.quantity
    assert check_books(rig.engine.ledger) == []


async def test_manual_first_answer_wins(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path, "manual")
    drain(rig.out)
    await rig.engine.on_signal(f.signal())
    (pending,) = rig.engine.approvals.pending()
    assert drain(rig.out) == ["RiskDecision", "ApprovalRequested"]
    assert pending.top_attributions
    assert pending.verdicts
    assert pending.quantity > 0
    first = await rig.engine.decide(pending.approval_id, approved=True, by="ana",
                                    channel="telegram", reason=None)  # fmt: skip
    late = await rig.engine.decide(pending.approval_id, approved=False, by="bo",
                                   channel="cli", reason="too late")  # fmt: skip
    assert first is not None
    assert first.channel == "telegram"
    assert late is None
    assert drain(rig.out) == ["ApprovalDecided", "SubmitOrder", "OrderAccepted"]
    (stored,) = rig.engine.store.approvals("approved")
    assert (stored.decided_by, stored.channel) == ("ana", "telegram")
    await rig.engine.on_bar(rig.next_bars[0])
    assert drain(rig.out) == ["OrderFilled", "PositionChanged", "PortfolioSnapshot"]
    assert check_books(rig.engine.ledger) == []


async def test_timeout_rejects(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path, "manual")
    await rig.engine.on_signal(f.signal())
    drain(rig.out)
    await rig.engine.expire()
    assert drain(rig.out) == []
    rig.clock.now += timedelta(seconds=61)
    await rig.engine.expire()
    assert drain(rig.out) == ["ApprovalDecided"]
    (stored,) = rig.engine.store.approvals("rejected")
    assert stored.channel == "timeout"


async def test_kill_switch_refuses_and_survives_restart(tmp_path: Path) -> None:
    rig = await make_rig(tmp_path)
    await set_kill_switch(rig.engine, True, "test", "ana", "cli")
    decision = await rig.engine.on_signal(f.signal())
    assert decision is not None
    assert not decision.accepted
    assert "KillSwitchChanged" in drain(rig.out)
    again = await make_rig(tmp_path)
    assert again.engine.state.kill.engaged
