"""The signal store as released at 9ed69dc: signals with their input windows.

Revision ID: signals_0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "signals_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``signals`` and its two indexes."""
    op.execute(
        """
        CREATE TABLE signals (
          signal_id TEXT PRIMARY KEY,
          ts_ms INTEGER NOT NULL,
          symbol TEXT NOT NULL,
          model TEXT NOT NULL,
          version TEXT NOT NULL,
          raw_gap REAL,
          body TEXT NOT NULL,
          window BLOB,
          rows INTEGER,
          cols INTEGER
        )
        """
    )
    op.execute("CREATE INDEX signals_symbol_ts ON signals (symbol, ts_ms)")
    op.execute("CREATE INDEX signals_ts ON signals (ts_ms)")


def downgrade() -> None:
    """Drop ``signals``."""
    op.drop_table("signals")
