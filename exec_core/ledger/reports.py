"""What the ledger reports: the books' consistency check, PnL and portfolio snapshots."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from exec_core.ledger.journal import (
    EQUITY,
    FEES,
    REALIZED_PNL,
    Journal,
    cash_account,
    position_account,
)
from exec_core.ledger.schema import fills
from exec_core.ledger.store import Ledger
from signal_schema.portfolio import PortfolioSnapshot


def check_books(ledger: Ledger) -> list[str]:
    """Return every inconsistency of the books; an empty list means they are sound.

    Checks that each transaction and the whole journal balance, and that the account
    balances equal what the fills and positions say independently: cost basis per symbol,
    cash (deposits and fill proceeds less quote fees), fees and realised PnL.
    """
    problems: list[str] = []
    with ledger.engine.connect() as conn:
        journal = Journal(conn)
        problems += [f"transaction {t} does not balance" for t in journal.unbalanced()]
        balances = journal.balances()
        fill_rows = list(conn.execute(select(fills)))
    total = sum(balances.values(), Decimal(0))
    if total != 0:
        problems.append(f"journal total is {total}, not 0")
    cost: dict[str, Decimal] = defaultdict(Decimal)
    realized = Decimal(0)
    for record in ledger.positions(include_flat=True):
        cost[record.symbol] += record.state.cost
        realized += record.state.realized_pnl
    for symbol, amount in cost.items():
        if balances.get(position_account(symbol), Decimal(0)) != amount:
            problems.append(
                f"position:{symbol} is {balances.get(position_account(symbol))}, "
                f"positions say {amount}"
            )
    if balances.get(REALIZED_PNL, Decimal(0)) != -realized:
        problems.append(f"realized_pnl is {balances.get(REALIZED_PNL)}, positions say {-realized}")
    fees = sum((r.fee_quote for r in fill_rows), Decimal(0))
    if balances.get(FEES, Decimal(0)) != fees:
        problems.append(f"fees is {balances.get(FEES)}, fills say {fees}")
    cash = -balances.get(EQUITY, Decimal(0))
    for r in fill_rows:
        paid = r.fee if r.fee_currency == r.symbol.split("/")[1] else Decimal(0)
        cash += (r.quantity * r.price if r.side == "sell" else -r.quantity * r.price) - paid
    if balances.get(cash_account(ledger.quote_currency), Decimal(0)) != cash:
        problems.append(
            f"cash is {balances.get(cash_account(ledger.quote_currency))}, fills say {cash}"
        )
    return problems


@dataclass(frozen=True, slots=True)
class PnlSummary:
    """Profit and loss in the quote currency; `unrealized` needs marks for open positions."""

    currency: str
    paid_in: Decimal
    cash: Decimal
    realized: Decimal
    fees: Decimal
    unrealized: Decimal
    equity: Decimal
    open_positions: int
    fills: int

    def as_dict(self) -> dict[str, object]:
        """Return the summary with decimal strings (for ``--json``)."""
        return {
            k: format(v, "f") if isinstance(v, Decimal) else v
            for k, v in (
                ("currency", self.currency),
                ("paid_in", self.paid_in),
                ("cash", self.cash),
                ("realized_pnl", self.realized),
                ("fees", self.fees),
                ("unrealized_pnl", self.unrealized),
                ("equity", self.equity),
                ("open_positions", self.open_positions),
                ("fills", self.fills),
            )
        }


def pnl(ledger: Ledger, marks: Mapping[str, Decimal] | None = None) -> PnlSummary:
    """Return the ledger's PnL; open positions without a mark are valued at cost."""
    marks = marks or {}
    balances = ledger.balances()
    open_positions = ledger.positions()
    unrealized = sum(
        (p.state.unrealized_pnl(marks[p.symbol]) for p in open_positions if p.symbol in marks),
        Decimal(0),
    )
    cash = balances.get(cash_account(ledger.quote_currency), Decimal(0))
    at_cost = sum((p.state.cost for p in open_positions), Decimal(0))
    return PnlSummary(
        currency=ledger.quote_currency,
        paid_in=-balances.get(EQUITY, Decimal(0)),
        cash=cash,
        realized=-balances.get(REALIZED_PNL, Decimal(0)),
        fees=balances.get(FEES, Decimal(0)),
        unrealized=unrealized,
        equity=cash + at_cost + unrealized,
        open_positions=len(open_positions),
        fills=ledger.fill_count(),
    )


def snapshot(
    ledger: Ledger, marks: Mapping[str, Decimal], ts: datetime, *, peak_equity: Decimal
) -> PortfolioSnapshot:
    """Return a `PortfolioSnapshot` at `marks`; drawdown is measured from `peak_equity`."""
    summary = pnl(ledger, marks)
    exposures = [
        p.state.quantity * marks.get(p.symbol, p.state.avg_entry_price) for p in ledger.positions()
    ]
    peak = max(peak_equity, summary.equity)
    drawdown = (peak - summary.equity) / peak * 100 if peak > 0 else Decimal(0)
    return PortfolioSnapshot(
        ts_event=ts,
        ts_init=ts,
        currency=ledger.quote_currency,
        equity=summary.equity,
        cash=summary.cash,
        gross_exposure=sum((abs(e) for e in exposures), Decimal(0)),
        net_exposure=sum(exposures, Decimal(0)),
        drawdown_pct=drawdown.quantize(Decimal("0.0001")),
        open_positions=summary.open_positions,
    )
