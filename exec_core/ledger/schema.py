"""The ledger's tables (SQLAlchemy Core); the Alembic migrations create exactly these.

Money and quantities are stored as decimal *text* (`DecimalText`): exact on SQLite and
PostgreSQL alike, never a float. Times are ISO-8601 UTC text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """An exact `Decimal` stored as fixed-point text."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        """Write `value` without exponent."""
        return None if value is None else format(value, "f")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        """Read the text back as a `Decimal`."""
        return None if value is None else Decimal(value)


class UtcText(TypeDecorator[datetime]):
    """A timezone-aware UTC time stored as ISO-8601 text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        """Write `value` in UTC."""
        return None if value is None else value.astimezone(UTC).isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        """Read the text back as an aware datetime."""
        return None if value is None else datetime.fromisoformat(value)


metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("client_order_id", String(128), primary_key=True),
    Column("venue", String(40), nullable=False),
    Column("symbol", String(41), nullable=False),
    Column("side", String(4), nullable=False),
    Column("order_type", String(10), nullable=False),
    Column("quantity", DecimalText, nullable=False),
    Column("limit_price", DecimalText),
    Column("status", String(20), nullable=False),
    Column("venue_order_id", String(128)),
    Column("filled_quantity", DecimalText, nullable=False),
    Column("signal_id", String(128)),
    Column("reason", String(2000)),
    Column("created_at", UtcText, nullable=False),
    Column("updated_at", UtcText, nullable=False),
    Column("model", String(128)),  # the model that placed it (None: not recorded)
    Column("expires_at", UtcText),  # its signal's horizon end (None: no horizon exit)
)

fills = Table(
    "fills",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("venue", String(40), nullable=False),
    Column("trade_id", String(128), nullable=False),
    Column("client_order_id", String(128), nullable=False),
    Column("symbol", String(41), nullable=False),
    Column("side", String(4), nullable=False),
    Column("quantity", DecimalText, nullable=False),
    Column("price", DecimalText, nullable=False),
    Column("fee", DecimalText, nullable=False),
    Column("fee_currency", String(20), nullable=False),
    Column("fee_quote", DecimalText, nullable=False),
    Column("liquidity", String(5), nullable=False),
    Column("ts", UtcText, nullable=False),
    UniqueConstraint("venue", "trade_id", name="uq_fills_venue_trade"),
)

positions = Table(
    "positions",
    metadata,
    Column("venue", String(40), primary_key=True),
    Column("symbol", String(41), primary_key=True),
    Column("quantity", DecimalText, nullable=False),
    Column("cost", DecimalText, nullable=False),
    Column("realized_pnl", DecimalText, nullable=False),
    Column("updated_at", UtcText, nullable=False),
    Column("best_price", DecimalText),  # best price since opened (None: flat)
)

transactions = Table(
    "transactions",
    metadata,
    Column("txn_id", String(160), primary_key=True),
    Column("ts", UtcText, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("memo", String(2000), nullable=False),
)

postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("txn_id", String(160), ForeignKey("transactions.txn_id"), nullable=False),
    Column("account", String(80), nullable=False),
    Column("amount", DecimalText, nullable=False),
)
