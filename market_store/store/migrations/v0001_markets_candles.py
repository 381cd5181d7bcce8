"""The candle store as released at 9ed69dc (its ``user_version`` 1): markets and candles.

Revision ID: candles_0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "candles_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``markets`` and ``candles`` (prices and volumes as exact decimal text)."""
    op.execute(
        """
        CREATE TABLE markets (
            id        INTEGER PRIMARY KEY,
            venue     TEXT NOT NULL,
            symbol    TEXT NOT NULL,
            timeframe TEXT NOT NULL,
            UNIQUE (venue, symbol, timeframe)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE candles (
            market_id  INTEGER NOT NULL REFERENCES markets (id),
            ts_open_ms INTEGER NOT NULL,
            open       TEXT NOT NULL,
            high       TEXT NOT NULL,
            low        TEXT NOT NULL,
            close      TEXT NOT NULL,
            volume     TEXT NOT NULL,
            PRIMARY KEY (market_id, ts_open_ms)
        ) WITHOUT ROWID
        """
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("candles")
    op.drop_table("markets")
