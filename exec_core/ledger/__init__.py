"""exec_core's ledger: orders, fills, positions, PnL and a double-entry journal in SQL.

Public API
----------
- `Ledger.open(url)`: open (and migrate) the database; SQLite WAL file or PostgreSQL URL.
- `Ledger.record_order(SubmitOrder)`: persist an order *before* it is sent.
- `Ledger.record(event)`: apply `OrderAccepted` / `OrderRejected` / `OrderCanceled` /
  `OrderFilled`; a new fill returns the `PositionChanged` to publish. Idempotent per trade id.
- `Ledger.deposit`, `Ledger.orders`, `Ledger.positions`, `Ledger.balances`,
  `Ledger.wallet_balances` (what the venue should hold, for reconciliation).
- `check_books(ledger)`: [] when every transaction balances and account balances equal
  positions, cash, fees and realised PnL; `pnl(ledger, marks)`; `snapshot(...)`.
- `Journal.post(Transaction)`: the double-entry journal (`journal` module documents accounts).
- `LedgerSection`: its settings (``EXEC_CORE__LEDGER__*``).
"""

from exec_core.ledger.accounting import PositionState, apply_fill
from exec_core.ledger.cache import TERMINAL
from exec_core.ledger.journal import Journal, Posting, Transaction, UnbalancedTransactionError
from exec_core.ledger.reports import PnlSummary, check_books, pnl, snapshot
from exec_core.ledger.rows import OrderRecord, PositionRecord
from exec_core.ledger.settings import LedgerSection
from exec_core.ledger.store import Ledger

__all__ = [
    "TERMINAL",
    "Journal",
    "Ledger",
    "LedgerSection",
    "OrderRecord",
    "PnlSummary",
    "PositionRecord",
    "PositionState",
    "Posting",
    "Transaction",
    "UnbalancedTransactionError",
    "apply_fill",
    "check_books",
    "pnl",
    "snapshot",
]
