"""The outbox records each attempt: when it started, and when its row was delivered.

A row whose attempt started but has no recorded outcome was in flight when the process died:
the next start counts it in ``in_doubt`` and sends it again (see `alert_system.outbox`).

Revision ID: outbox_0002
Revises: outbox_0001
"""

from __future__ import annotations

from alembic import op

revision = "outbox_0002"
down_revision = "outbox_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``attempt_started_at``, ``delivered_at`` and ``in_doubt`` (existing rows: none)."""
    op.execute("ALTER TABLE outbox ADD COLUMN attempt_started_at REAL")
    op.execute("ALTER TABLE outbox ADD COLUMN delivered_at REAL")
    op.execute("ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0")


def downgrade() -> None:
    """Drop the three columns (SQLite 3.35 or later)."""
    for name in ("in_doubt", "delivered_at", "attempt_started_at"):
        op.execute(f"ALTER TABLE outbox DROP COLUMN {name}")
