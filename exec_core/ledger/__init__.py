"""exec_core's ledger: orders, fills, positions, PnL and a double-entry journal in SQL.

Public API
----------
- `Ledger.open(url)`: open (and migrate) the database; SQLite WAL file or PostgreSQL URL.
- `Ledger.record_order(SubmitOrder, model=, expires_at=)`: persist an order *before* it is
  sent, with the model that placed it and its signal's horizon end.
- `Ledger.record(event)`: apply `OrderAccepted` / `OrderRejected` / `OrderCanceled` /
  `OrderFilled`; a new fill returns the `PositionChanged` to publish. Idempotent per trade id.
- `Ledger.deposit`, `Ledger.orders`, `Ledger.positions`, `Ledger.balances`,
  `Ledger.wallet_balances` (what the venue should hold, for reconciliation).
- `Ledger.save_best_price`: a position's best price since it opened (for the trailing stop).
- `fill_history(ledger)`: every fill replayed in order with its order's model and horizon
  (what a restart rebuilds model attribution and horizon exits from).
- `check_books(ledger)`: [] when every transaction balances and account balances equal
  positions, cash, fees and realised PnL; `pnl(ledger, marks)`; `snapshot(...)`.
- `Journal.post(Transaction)`: the double-entry journal (`journal` module documents accounts).
- `LedgerSection`: its settings (``EXEC_CORE__LEDGER__*``).
"""

from exec_core.ledger.accounting import PositionState, apply_fill
from exec_core.ledger.cache import TERMINAL
from exec_core.ledger.history import PastFill, fill_history
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
    "PastFill",
    "PnlSummary",
    "PositionRecord",
    "PositionState",
    "Posting",
    "Transaction",
    "UnbalancedTransactionError",
    "apply_fill",
    "check_books",
    "fill_history",
    "pnl",
    "snapshot",
]
