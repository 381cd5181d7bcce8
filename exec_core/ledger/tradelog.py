"""Daily trade logs: one JSON line per fill in ``<dir>/YYYY-MM-DD.jsonl`` (UTC day)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from signal_schema.orders import OrderFilled


class TradeLog:
    """Appends fills to the log file of their UTC day.

    Parameters
    ----------
    folder
        Where the daily files go (created when needed).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, fill: OrderFilled) -> Path:
        """Return the file `fill` belongs in."""
        return self.folder / f"{fill.ts_event.date().isoformat()}.jsonl"

    def write(self, fill: OrderFilled, fee_quote: Decimal, realized: Decimal) -> None:
        """Append one fill with its fee in quote currency and the PnL it realised."""
        record = fill.model_dump(mode="json")
        record["fee_quote"] = format(fee_quote, "f")
        record["realized_pnl"] = format(realized, "f")
        path = self.path_for(fill)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, sort_keys=True) + "\n")
