"""Double-entry journal: every `Transaction` balances; accounts hold quote-currency amounts.

Accounts (debits positive, credits negative):

- ``cash:<CCY>``: the wallet's quote cash;
- ``position:<SYMBOL>``: cost basis of open positions (negative for shorts);
- ``fees``: fees paid, valued in the quote currency;
- ``realized_pnl``: realised profit (a credit, i.e. negative, when positive);
- ``equity``: capital paid in (a credit).

The sum of all balances is zero after every transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, insert, select

from exec_core.errors import ExecCoreError
from exec_core.ledger.schema import postings, transactions

_INSERT_TRANSACTION = insert(transactions)
_INSERT_POSTINGS = insert(postings)
FEES = "fees"
REALIZED_PNL = "realized_pnl"
EQUITY = "equity"


def cash_account(currency: str) -> str:
    """Return the account of `currency` cash (``cash:USDT``)."""
    return f"cash:{currency}"


def position_account(symbol: str) -> str:
    """Return the cost-basis account of `symbol` (``position:BTC/USDT``)."""
    return f"position:{symbol}"


class UnbalancedTransactionError(ExecCoreError):
    """A transaction whose postings do not sum to zero."""


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of a transaction: `amount` is a debit when positive, a credit when negative."""

    account: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Transaction:
    """Postings that sum to zero, posted at once.

    Raises
    ------
    UnbalancedTransactionError
        The postings do not sum to exactly zero, or there are none.
    """

    txn_id: str
    ts: datetime
    kind: str
    memo: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        if not self.postings:
            raise UnbalancedTransactionError(f"transaction {self.txn_id} has no postings")
        total = sum((p.amount for p in self.postings), Decimal(0))
        if total != 0:
            raise UnbalancedTransactionError(f"transaction {self.txn_id} is off by {total}")


class Journal:
    """The journal on one open database connection (the caller owns the transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def post(self, transaction: Transaction) -> None:
        """Write `transaction` and its postings (drops zero postings)."""
        self._connection.execute(
            _INSERT_TRANSACTION,
            {
                "txn_id": transaction.txn_id,
                "ts": transaction.ts,
                "kind": transaction.kind,
                "memo": transaction.memo,
            },
        )
        rows = [
            {"txn_id": transaction.txn_id, "account": p.account, "amount": p.amount}
            for p in transaction.postings
            if p.amount != 0
        ]
        if rows:
            self._connection.execute(_INSERT_POSTINGS, rows)

    def balances(self) -> dict[str, Decimal]:
        """Return every account's balance."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for account, amount in self._connection.execute(
            select(postings.c.account, postings.c.amount)
        ):
            totals[account] += amount
        return dict(totals)

    def unbalanced(self) -> list[str]:
        """Return the ids of stored transactions whose postings do not sum to zero."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for txn_id, amount in self._connection.execute(
            select(postings.c.txn_id, postings.c.amount)
        ):
            totals[txn_id] += amount
        return sorted(txn for txn, total in totals.items() if total != 0)
