"""A real ``python -m exec_core`` between stand-in model_engine and data_core buses.

Real BTC/USDT 1h bars and signals at their real closes: exec_core decides, the paper broker
fills on the next bar, the ledger records it, the bus carries every step, the books balance
and ``GET /api/positions`` shows the position.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx

from exec_core.ledger import Ledger, check_books
from signal_schema import OrderFilled, PortfolioSnapshot, PositionChanged, RiskDecision
from tests import schema_factories as f
from tests.integration.exec_core.service.stand_ins import Outputs, exec_core, signal_on, stand
from tests.integration.services.processes import AUTH, TOKEN
from tests.unit.exec_core.real_bars import real_bars

BARS = real_bars(f.BAR_OPEN, 3)


def _snapshot_at(index: int) -> Callable[[Outputs], bool]:
    return lambda o: any(s.ts_event == BARS[index].ts_event for s in o.of("PortfolioSnapshot"))


async def test_signal_to_fill_to_ledger_and_api(tmp_path: Path) -> None:
    async with stand(tmp_path) as s, exec_core(s) as (process, out):
        s.bar(BARS[0])
        await out.until(_snapshot_at(0))
        s.signal(signal_on(BARS[0], "sig-full-1"))
        await out.until(lambda o: bool(o.of("OrderAccepted")))
        s.bar(BARS[1])
        await out.until(_snapshot_at(1))
        async with httpx.AsyncClient(base_url=s.http, headers=AUTH) as http:
            positions = (await http.get("/api/positions")).json()
            orders = (await http.get("/api/orders")).json()
            portfolio = (await http.get("/api/portfolio")).json()
            unauthorised = await http.post(
                "/api/kill", json={"engaged": True}, headers={"Authorization": "Bearer wrong"}
            )
            assert (
                await http.post(
                    "/api/kill",
                    json={"engaged": False},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                )
            ).is_success
        assert await process.stop() == 0
    (decision,) = out.of("RiskDecision")
    assert isinstance(decision, RiskDecision)
    assert decision.accepted, decision.verdicts
    (fill,) = out.of("OrderFilled")
    assert isinstance(fill, OrderFilled)
    assert fill.last_price > BARS[1].open  # slippage against the buy, at the next bar's open
    assert fill.fee > 0
    (change,) = out.of("PositionChanged")
    assert isinstance(change, PositionChanged)
    assert change.quantity == decision.quantity == fill.last_quantity
    snap = out.of("PortfolioSnapshot")[-1]
    assert isinstance(snap, PortfolioSnapshot)
    assert snap.open_positions == 1
    assert [p["symbol"] for p in positions] == ["BTC/USDT"]
    assert Decimal(positions[0]["quantity"]) == decision.quantity
    assert positions[0]["mark"] == format(BARS[1].close, "f")
    assert [o["status"] for o in orders] == ["filled"]
    assert portfolio["snapshot"]["open_positions"] == 1
    assert portfolio["halted"] is None
    assert unauthorised.status_code == 401
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'exec_core' / 'ledger.sqlite'}")
    try:
        assert check_books(ledger) == []
        assert ledger.balances()["fees"] == fill.fee
    finally:
        ledger.close()


async def test_manual_approval_over_http_fills_on_the_next_bar(tmp_path: Path) -> None:
    async with (
        stand(tmp_path, EXEC_CORE__APPROVAL__MODE="manual") as s,
        exec_core(s) as (
            process,
            out,
        ),
    ):
        s.bar(BARS[0])
        await out.until(_snapshot_at(0))
        s.signal(signal_on(BARS[0], "sig-manual-1"))
        await out.until(lambda o: bool(o.of("ApprovalRequested")))
        (request,) = out.of("ApprovalRequested")
        approval_id = request.approval_id  # type: ignore[union-attr]
        async with httpx.AsyncClient(base_url=s.http, headers=AUTH) as http:
            pending = (await http.get("/api/approvals")).json()
            answer = await http.post(
                f"/api/approvals/{approval_id}",
                json={"approved": True},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
            again = await http.post(
                f"/api/approvals/{approval_id}",
                json={"approved": False},
                headers={"Authorization": f"Bearer {TOKEN}"},
            )
        assert [p["approval_id"] for p in pending] == [approval_id]
        assert answer.status_code == 200, answer.text
        assert again.status_code == 409
        await out.until(lambda o: bool(o.of("OrderAccepted")))
        assert not out.of("OrderFilled")
        s.bar(BARS[1])
        await out.until(lambda o: bool(o.of("PositionChanged")))
        assert await process.stop() == 0
    assert [m.type for m in out.messages if m.type.startswith(("Order", "Approval"))] == [
        "ApprovalRequested",
        "ApprovalDecided",
        "OrderAccepted",
        "OrderFilled",
    ]
