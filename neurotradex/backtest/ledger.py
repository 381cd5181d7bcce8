"""exec_core's `Ledger` for a simulated run: no fsync per commit, reads cached between writes.

Every write still goes through `Ledger` and is committed to the SQLite journal (which
``check_books`` re-reads after the run); what changes:

- ``PRAGMA synchronous=OFF``: a live ledger fsyncs each commit to survive SIGKILL (4 ms
  each here); a backtest that dies is simply run again.
- `balances`, `positions` and `orders` are re-read only after a write: the risk gate and the
  per-bar snapshot ask for them several times per bar, and each is a full table scan.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event

from exec_core.ledger import Ledger, OrderRecord, PositionRecord
from exec_core.ledger.store import OrderEvent
from signal_schema import PositionChanged, SubmitOrder


def _no_fsync(connection: Any, _record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


class BacktestLedger(Ledger):
    """`Ledger` with the two changes of the module docstring."""

    _cache: dict[tuple[str, bool], Any]

    @classmethod
    def open(
        cls, url: str, *, quote_currency: str = "USDT", trade_log_dir: Path | None = None
    ) -> BacktestLedger:
        """Open and migrate like `Ledger.open`, then stop fsyncing."""
        base = Ledger.open(url, quote_currency=quote_currency, trade_log_dir=trade_log_dir)
        engine = base.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _no_fsync)
            engine.dispose()  # pooled connections reconnect with the pragma
        ledger = cls(engine, quote_currency=quote_currency, trade_log_dir=trade_log_dir)
        ledger._cache = {}
        return ledger

    def deposit(self, amount: Decimal, ts: Any, txn_id: str, memo: str = "deposit") -> None:
        """Write through, then forget cached reads."""
        self._cache.clear()
        super().deposit(amount, ts, txn_id, memo)
        self._cache.clear()

    def record_order(self, order: SubmitOrder) -> bool:
        """Write through, then forget cached reads."""
        self._cache.clear()
        try:
            return super().record_order(order)
        finally:
            self._cache.clear()

    def record(self, event: OrderEvent) -> list[PositionChanged]:
        """Write through, then forget cached reads."""
        self._cache.clear()
        try:
            return super().record(event)
        finally:
            self._cache.clear()

    def balances(self) -> dict[str, Decimal]:
        """Return every journal account's balance (cached until the next write)."""
        key = ("balances", False)
        if key not in self._cache:
            self._cache[key] = super().balances()
        return dict(self._cache[key])

    def positions(self, *, include_flat: bool = False) -> list[PositionRecord]:
        """Return the positions (cached until the next write)."""
        key = ("positions", include_flat)
        if key not in self._cache:
            self._cache[key] = super().positions(include_flat=include_flat)
        return list(self._cache[key])

    def orders(self, *, open_only: bool = False) -> list[OrderRecord]:
        """Return the orders (cached until the next write)."""
        key = ("orders", open_only)
        if key not in self._cache:
            self._cache[key] = super().orders(open_only=open_only)
        return list(self._cache[key])
