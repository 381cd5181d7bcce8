"""The candle files imported whole, so an unchanged file is not read again.

Revision ID: candles_0002
Revises: candles_0001
"""

from __future__ import annotations

from alembic import op

revision = "candles_0002"
down_revision = "candles_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``imports`` (a file written before migrations, at ``user_version`` 2, has it)."""
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS imports (
            path     TEXT PRIMARY KEY,
            size     INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL
        )
        """
    )


def downgrade() -> None:
    """Drop ``imports``."""
    op.drop_table("imports")
