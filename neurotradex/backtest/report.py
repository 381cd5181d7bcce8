"""What a backtest writes: trades.csv, equity.csv, equity.png and report.json (+ its metrics)."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from exec_core.ledger import PnlSummary
from neurotradex.backtest.config import BacktestConfig
from neurotradex.backtest.execution import Recorder
from neurotradex.backtest.metrics import distribution, max_drawdown_pct, sharpe
from neurotradex.backtest.plot import plot_equity

TRADE_COLUMNS = (
    "ts", "symbol", "side", "quantity", "price", "fee", "fee_currency", "slippage_bps",
    "liquidity", "client_order_id", "trade_id",
)  # fmt: skip


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()


def write_trades(path: Path, bus: Recorder) -> None:
    """Write one row per fill, in the order the broker reported them."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(TRADE_COLUMNS)
        for f in bus.fills:
            out.writerow(
                [
                    f.ts_event.isoformat(), f.symbol, f.side, f.last_quantity, f.last_price,
                    f.fee, f.fee_currency, "" if f.slippage_bps is None else f.slippage_bps,
                    f.liquidity, f.client_order_id, f.trade_id,
                ]
            )  # fmt: skip


def write_equity(path: Path, bus: Recorder) -> list[tuple[int, Decimal]]:
    """Write the equity curve (one row per bar close) and return it."""
    curve = [(ts, s.equity) for ts, s in sorted(bus.equity.items())]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(("ts", "equity", "cash", "gross_exposure", "drawdown_pct", "positions"))
        for ts, _ in curve:
            s = bus.equity[ts]
            out.writerow(
                (_iso(ts), s.equity, s.cash, s.gross_exposure, s.drawdown_pct, s.open_positions)
            )
    return curve


def write_report(
    config: BacktestConfig,
    bus: Recorder,
    summary: PnlSummary,
    counts: Mapping[str, int],
    timings: Mapping[str, float],
    *,
    problems: list[str],
    max_open_fed_ms: int,
    model: Path,
    start_cash: Decimal,
    imported: int,
) -> dict[str, Any]:
    """Write the run's files under ``config.out`` and return the report (also report.json)."""
    out = config.out
    write_trades(out / "trades.csv", bus)
    curve = write_equity(out / "equity.csv", bus)
    values = [start_cash] + [v for _, v in curve]
    plot_equity(out / "equity.png", curve, title=f"{','.join(config.symbols)} {config.timeframe}")
    step_ms = (curve[1][0] - curve[0][0]) if len(curve) > 1 else 3_600_000
    slippage = [float(f.slippage_bps) for f in bus.fills if f.slippage_bps is not None]
    replay_s = timings["replay_s"]
    report: dict[str, Any] = {
        "symbols": list(config.symbols),
        "timeframe": config.timeframe,
        "since": _iso(config.since_ms),
        "until": _iso(config.until_ms),
        "bars": counts["bars"],
        "signals": counts["signals"],
        "decisions": counts["decisions"],
        "accepted": bus.counts["accepted"],
        "orders": len(bus.orders),
        "fills": len(bus.fills),
        "gaps": counts["gaps"],
        "start_equity": format(start_cash, "f"),
        "final_equity": format(summary.equity, "f"),
        "return_pct": float((summary.equity / start_cash - 1) * 100) if start_cash else 0.0,
        "sharpe": sharpe(values, step_ms),
        "max_drawdown_pct": float(max_drawdown_pct(values)),
        "fees_paid": format(summary.fees, "f"),
        "realized_pnl": format(summary.realized, "f"),
        "open_positions": summary.open_positions,
        "slippage_bps": distribution(slippage),
        "ledger_balanced": not problems,
        "ledger_problems": problems[:20],
        "last_candle_fed": _iso(max_open_fed_ms),
        "model": str(model),
        "imported_rows": imported,
        "bars_per_s": counts["bars"] / replay_s if replay_s > 0 else 0.0,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "out": str(out),
    }
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
