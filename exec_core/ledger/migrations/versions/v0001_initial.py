"""Initial ledger: orders, fills, positions, transactions, postings.

Revision ID: v0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0001"
down_revision = None
branch_labels = None
depends_on = None

_DEC = sa.String(64)
_TS = sa.String(40)


def upgrade() -> None:
    """Create the ledger's tables."""
    op.create_table(
        "orders",
        sa.Column("client_order_id", sa.String(128), primary_key=True),
        sa.Column("venue", sa.String(40), nullable=False),
        sa.Column("symbol", sa.String(41), nullable=False),
        sa.Column("side", sa.String(4), nullable=False),
        sa.Column("order_type", sa.String(10), nullable=False),
        sa.Column("quantity", _DEC, nullable=False),
        sa.Column("limit_price", _DEC),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("venue_order_id", sa.String(128)),
        sa.Column("filled_quantity", _DEC, nullable=False),
        sa.Column("signal_id", sa.String(128)),
        sa.Column("reason", sa.String(2000)),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_orders_status", "orders", ["status"])
    op.create_table(
        "fills",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("venue", sa.String(40), nullable=False),
        sa.Column("trade_id", sa.String(128), nullable=False),
        sa.Column("client_order_id", sa.String(128), nullable=False),
        sa.Column("symbol", sa.String(41), nullable=False),
        sa.Column("side", sa.String(4), nullable=False),
        sa.Column("quantity", _DEC, nullable=False),
        sa.Column("price", _DEC, nullable=False),
        sa.Column("fee", _DEC, nullable=False),
        sa.Column("fee_currency", sa.String(20), nullable=False),
        sa.Column("fee_quote", _DEC, nullable=False),
        sa.Column("liquidity", sa.String(5), nullable=False),
        sa.Column("ts", _TS, nullable=False),
        sa.UniqueConstraint("venue", "trade_id", name="uq_fills_venue_trade"),
    )
    op.create_table(
        "positions",
        sa.Column("venue", sa.String(40), primary_key=True),
        sa.Column("symbol", sa.String(41), primary_key=True),
        sa.Column("quantity", _DEC, nullable=False),
        sa.Column("cost", _DEC, nullable=False),
        sa.Column("realized_pnl", _DEC, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "transactions",
        sa.Column("txn_id", sa.String(160), primary_key=True),
        sa.Column("ts", _TS, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("memo", sa.String(2000), nullable=False),
    )
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("txn_id", sa.String(160), sa.ForeignKey("transactions.txn_id"), nullable=False),
        sa.Column("account", sa.String(80), nullable=False),
        sa.Column("amount", _DEC, nullable=False),
    )
    op.create_index("ix_postings_account", "postings", ["account"])


def downgrade() -> None:
    """Drop the ledger's tables."""
    for table in ("postings", "transactions", "positions", "fills", "orders"):
        op.drop_table(table)
