"""The exit rules' view of the open positions, rebuilt from the ledger after a restart."""

from __future__ import annotations

from datetime import datetime

from exec_core.ledger import Ledger, fill_history
from exec_core.positions import TrackedPosition


def tracked_positions(ledger: Ledger) -> dict[str, TrackedPosition]:
    """Return each open position as `Trader` tracked it, by symbol.

    The horizon end is replayed from the fills the way `Trader` keeps it: a fill of an order
    with a horizon sets it, one without keeps the position's, a close forgets it. The best
    price (trailing stop) is the one the ledger holds (`PositionRecord.best_price`), the
    average entry where none was recorded.
    """
    horizons: dict[str, datetime] = {}
    for past in fill_history(ledger):
        if past.position.quantity == 0:
            horizons.pop(past.symbol, None)
        elif past.expires_at is not None:
            horizons[past.symbol] = past.expires_at
    tracked: dict[str, TrackedPosition] = {}
    for record in ledger.positions():
        state = record.state
        best = state.avg_entry_price if record.best_price is None else record.best_price
        tracked[record.symbol] = TrackedPosition(
            record.symbol,
            1 if state.quantity > 0 else -1,
            state.avg_entry_price,
            horizons.get(record.symbol),
            best,
        )
    return tracked
