"""SIGKILL exec_core mid-stream and restart it: no order lost, no signal executed twice.

Three signals fill; a fourth is accepted by the paper broker and exec_core is killed before
the bar that fills it. After the restart the upstream replays every signal (all duplicates),
reconciliation restores the working order from the ledger, and the next bar fills it: four
orders, four fills, one per signal, and the books balance. The risk gate's memory survives
too: the drawdown is measured from the equity peak persisted before the kill, and the
holding still belongs to the model that bought it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx

from exec_core.ledger import Ledger, check_books
from tests import schema_factories as f
from tests.integration.exec_core.service.stand_ins import Outputs, exec_core, signal_on, stand
from tests.integration.services.processes import AUTH
from tests.unit.exec_core.real_bars import real_bars

BARS = real_bars(f.BAR_OPEN, 6)
SIGNALS = [signal_on(BARS[n], f"sig-kill-{n}") for n in range(4)]


def _snapshot_at(n: int) -> Callable[[Outputs], bool]:
    return lambda o: any(x.ts_event == BARS[n].ts_event for x in o.of("PortfolioSnapshot"))


def _accepted(count: int) -> Callable[[Outputs], bool]:
    return lambda o: len(o.of("OrderAccepted")) == count


async def test_sigkill_then_restart_loses_no_order_and_repeats_no_signal(tmp_path: Path) -> None:
    async with stand(tmp_path) as s:
        async with exec_core(s) as (first, out):
            for n in range(3):
                s.bar(BARS[n])
                await out.until(_snapshot_at(n))
                s.signal(SIGNALS[n])
                await out.until(_accepted(n + 1))
            s.bar(BARS[3])
            await out.until(lambda o: len(o.of("OrderFilled")) == 3)
            s.signal(SIGNALS[3])
            await out.until(lambda o: len(o.of("OrderAccepted")) == 4)
            first.process.kill()  # SIGKILL: no cleanup at all
            await first.process.wait()
        peaks = _peaks(tmp_path)
        async with exec_core(s) as (second, again):
            for signal in SIGNALS:  # the upstream replays: every one is a duplicate now
                s.signal(signal)
            await second.wait_for(
                lambda line: (
                    line.get("event") == "signal_duplicate"
                    and line.get("signal_id") == SIGNALS[-1].signal_id
                )
            )
            async with httpx.AsyncClient(base_url=s.http, headers=AUTH) as http:
                risk = (await http.get("/api/risk")).json()
            s.bar(BARS[4])
            await again.until(lambda o: bool(o.of("OrderFilled")))
            assert await second.stop() == 0
    assert not again.of("RiskDecision"), "a signal was decided again after the restart"
    (late,) = again.of("OrderFilled")
    assert late.client_order_id == f"ntx-{SIGNALS[3].signal_id}"  # type: ignore[union-attr]
    duplicates = [x for x in second.lines if x.get("event") == "signal_duplicate"]
    assert len(duplicates) == len(SIGNALS)
    ledger = Ledger.open(f"sqlite:///{tmp_path / 'exec_core' / 'ledger.sqlite'}")
    try:
        orders = ledger.orders()
        assert [o.signal_id for o in orders] == [x.signal_id for x in SIGNALS]
        assert all(o.status == "filled" for o in orders)
        (position,) = ledger.positions()
        assert position.state.quantity == sum(o.quantity for o in orders)
        assert check_books(ledger) == []
    finally:
        ledger.close()
    with sqlite3.connect(tmp_path / "exec_core" / "ledger.sqlite") as db:
        decided = [r[0] for r in db.execute("SELECT signal_id FROM risk_decisions")]
        fills = db.execute("SELECT client_order_id FROM fills").fetchall()
    assert sorted(decided) == sorted(x.signal_id for x in SIGNALS)
    assert len(fills) == len({r[0] for r in fills}) == len(SIGNALS)
    model = f"model:{SIGNALS[0].model.name}"
    assert set(peaks) == {"portfolio", model}
    assert set(risk["drawdowns_pct"]) == {"portfolio", model}  # not "model:unknown"
    equity, peak = Decimal(risk["equity"]), peaks["portfolio"]
    assert equity < peak  # before any bar the holding is at cost: the fees are a drawdown
    expected = ((peak - equity) / peak * 100).quantize(Decimal("0.0001"))
    assert Decimal(risk["drawdowns_pct"]["portfolio"]) == expected
    after = _peaks(tmp_path)
    assert all(after[scope] >= peak for scope, peak in peaks.items())  # never lowered


def _peaks(home: Path) -> dict[str, Decimal]:
    with sqlite3.connect(home / "exec_core" / "ledger.sqlite") as db:
        return {r[0]: Decimal(r[1]) for r in db.execute("SELECT scope, peak FROM risk_peaks")}
