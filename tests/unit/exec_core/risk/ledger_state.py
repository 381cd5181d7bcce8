"""A risk state whose book is a real SQLite ledger, and fills recorded the way the engine does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from pathlib import Path

from exec_core.ledger import Ledger
from exec_core.portfolio import LedgerBook
from exec_core.risk import RiskState
from exec_core.settings import RiskSection
from signal_schema import OrderFilled, SubmitOrder
from signal_schema.primitives import Side

_ids = count(1)


def ledger_state(home: Path, limits: RiskSection, cash: Decimal = Decimal(10_000)) -> RiskState:
    """Return a risk state on a new ledger under `home` holding `cash` USDT."""
    ledger = Ledger.open(f"sqlite:///{home / 'ledger.sqlite'}")
    ledger.deposit(cash, datetime(2020, 1, 1, tzinfo=UTC), "seed")
    return RiskState(limits, LedgerBook(ledger))


def fill(
    state: RiskState,
    when: datetime,
    symbol: str,
    side: Side,
    quantity: Decimal,
    price: Decimal,
    model: str = "tcn",
    *,
    fee: Decimal = Decimal(0),
) -> None:
    """Record `model`'s market order and its fill (`fee` USDT), then feed the fill to `state`."""
    book = state.book
    assert isinstance(book, LedgerBook)
    n = next(_ids)
    cid = f"ntx-test-{n}"
    book.ledger.record_order(
        SubmitOrder(
            ts_event=when,
            ts_init=when,
            client_order_id=cid,
            venue="paper",
            symbol=symbol,
            side=side,
            order_type="market",
            quantity=quantity,
        ),
        model=model,
    )
    book.ledger.record(
        OrderFilled(
            ts_event=when,
            ts_init=when,
            client_order_id=cid,
            venue="paper",
            symbol=symbol,
            venue_order_id=f"v-{n}",
            trade_id=f"t-{n}",
            side=side,
            last_quantity=quantity,
            last_price=price,
            cumulative_quantity=quantity,
            leaves_quantity=Decimal(0),
            fee=fee,
            fee_currency="USDT",
            liquidity="taker",
        )
    )
    state.on_fill(when, symbol, side, quantity, price, fee, model)
