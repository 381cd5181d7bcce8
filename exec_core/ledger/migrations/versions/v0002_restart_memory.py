"""What a restart needs to resume exits and model attribution: order model, horizon, best price.

Revision ID: v0002
Revises: v0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "v0002"
down_revision = "v0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``orders.model``, ``orders.expires_at`` and ``positions.best_price`` (nullable)."""
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("model", sa.String(128)))
        batch.add_column(sa.Column("expires_at", sa.String(40)))
    with op.batch_alter_table("positions") as batch:
        batch.add_column(sa.Column("best_price", sa.String(64)))


def downgrade() -> None:
    """Drop the three columns."""
    with op.batch_alter_table("positions") as batch:
        batch.drop_column("best_price")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("model")
