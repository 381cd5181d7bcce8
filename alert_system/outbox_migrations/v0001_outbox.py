"""The alert outbox as released at 9ed69dc: one row per alert, channel and target.

Revision ID: outbox_0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "outbox_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``outbox`` (its primary key is the dedup key) and its due-row index."""
    op.execute(
        """
        CREATE TABLE outbox (
            alert_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            target TEXT NOT NULL,
            source_topic TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            next_at REAL NOT NULL,
            last_error TEXT,
            PRIMARY KEY (alert_id, channel, target)
        ) WITHOUT ROWID
        """
    )
    op.execute("CREATE INDEX outbox_due ON outbox (channel, target, state, next_at)")


def downgrade() -> None:
    """Drop ``outbox``."""
    op.drop_table("outbox")
