"""The books balance after thousands of fills on real BTC and ETH prices (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import gzip
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from exec_core.ledger import Ledger, check_books, pnl
from signal_schema.orders import OrderFilled, SubmitOrder
from tests.data_paths import candle_file

FILLS = 2000
FEE_RATE = Decimal("0.001")


def _closes(base: str, count: int) -> list[tuple[datetime, Decimal]]:
    rows: list[tuple[datetime, Decimal]] = []
    with gzip.open(candle_file(base, "1h"), "rt", newline="") as handle:
        for row in csv.DictReader(handle):
            ts = datetime.fromtimestamp(int(row["timestamp"]) / 1000, UTC)
            rows.append((ts, Decimal(row["close"])))
            if len(rows) == count:
                break
    return rows


def _fill(n: int, symbol: str, side: str, qty: Decimal, price: Decimal, ts: datetime,
          fee_ccy: str) -> OrderFilled:  # fmt: skip
    fee = (qty * FEE_RATE if fee_ccy != "USDT" else qty * price * FEE_RATE).quantize(
        Decimal("1E-8")
    )
    return OrderFilled(
        ts_event=ts, ts_init=ts, client_order_id=f"o{n}", venue_order_id=f"v{n}",
        trade_id=f"t{n}", venue="binance", symbol=symbol, side=side,  # type: ignore[arg-type]
        last_quantity=qty, last_price=price, cumulative_quantity=qty,
        leaves_quantity=Decimal(0), fee=fee, fee_currency=fee_ccy, liquidity="taker",
    )  # fmt: skip


def test_books_balance_after_thousands_of_fills(ledger_url: str, tmp_path: Path) -> None:
    ledger = Ledger.open(ledger_url, trade_log_dir=tmp_path / "trades")
    rng = random.Random(7)
    prices = {"BTC": _closes("BTC", FILLS), "ETH": _closes("ETH", FILLS)}
    start = prices["BTC"][0][0]
    ledger.deposit(Decimal("1000000"), start, "seed")
    held = {"BTC": Decimal(0), "ETH": Decimal(0)}
    for n in range(FILLS):
        base = rng.choice(("BTC", "ETH"))
        ts, price = prices[base][n]
        symbol = f"{base}/USDT"
        # Mostly spot long, with some shorts and flips so every accounting branch runs.
        side = "buy" if rng.random() < 0.55 or held[base] < -2 else "sell"
        qty = Decimal(rng.randint(1, 20_000)) / Decimal(10_000)
        fee_ccy = rng.choice(("USDT", "USDT", base))
        order = SubmitOrder(ts_event=ts, ts_init=ts, client_order_id=f"o{n}", venue="binance",
                            symbol=symbol, side=side, order_type="market",  # type: ignore[arg-type]
                            quantity=qty)  # fmt: skip
        assert ledger.record_order(order)
        changed = ledger.record(_fill(n, symbol, side, qty, price, ts, fee_ccy))
        assert len(changed) == 1
        held[base] = changed[0].quantity
    assert check_books(ledger) == []
    # Replaying a fill changes nothing (idempotent per venue and trade id).
    ts, price = prices["BTC"][0]
    assert ledger.record(_fill(0, "BTC/USDT", "buy", Decimal(1), price, ts, "USDT")) == []
    assert check_books(ledger) == []
    summary = pnl(ledger, {"BTC/USDT": prices["BTC"][-1][1], "ETH/USDT": prices["ETH"][-1][1]})
    assert summary.fills == FILLS
    assert summary.paid_in == Decimal("1000000")
    balances = ledger.balances()
    assert sum(balances.values(), Decimal(0)) == 0
    assert summary.equity == summary.paid_in + summary.realized - summary.fees + summary.unrealized
    assert {p.symbol: p.state.quantity for p in ledger.positions()} == {
        f"{b}/USDT": q for b, q in held.items() if q != 0
    }
    assert any((tmp_path / "trades").glob("*.jsonl"))
    assert all(o.status == "filled" for o in ledger.orders())
    ledger.close()
