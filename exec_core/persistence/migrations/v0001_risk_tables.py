"""The risk gate's tables as released at 9ed69dc (made by ``create_all`` until then).

Revision ID: risk_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "risk_0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)
_UTC_TEXT = sa.String(40)


def upgrade() -> None:
    """Create seen signals, decisions, approvals, kill switch, peaks and routes."""
    op.create_table(
        "risk_seen_signals",
        sa.Column("signal_id", sa.String(128), primary_key=True),
        sa.Column("received_at", _TS, nullable=False),
    )
    op.create_table(
        "risk_decisions",
        sa.Column("decision_id", sa.String(128), primary_key=True),
        sa.Column("signal_id", sa.String(128), nullable=False),
        sa.Column("symbol", sa.String(64), nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("side", sa.String(8)),
        sa.Column("quantity", sa.String(64), nullable=False),
        sa.Column("verdicts", sa.JSON, nullable=False),
        sa.Column("decided_at", _TS, nullable=False),
    )
    op.create_index("ix_risk_decisions_signal_id", "risk_decisions", ["signal_id"], unique=True)
    op.create_table(
        "risk_approvals",
        sa.Column("approval_id", sa.String(128), primary_key=True),
        sa.Column("signal_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("decided_by", sa.String(128)),
        sa.Column("channel", sa.String(16)),
        sa.Column("reason", sa.Text),
        sa.Column("decided_at", _TS),
    )
    op.create_index("ix_risk_approvals_signal_id", "risk_approvals", ["signal_id"])
    op.create_index("ix_risk_approvals_status", "risk_approvals", ["status"])
    op.create_table(
        "risk_kill_switch",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("engaged", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("changed_at", _TS, nullable=False),
    )
    op.create_table(
        "risk_peaks",
        sa.Column("scope", sa.String(160), primary_key=True),
        sa.Column("peak", sa.String(64), nullable=False),
        sa.Column("updated_at", _UTC_TEXT, nullable=False),
    )
    op.create_table(
        "risk_routes",
        sa.Column("signal_id", sa.String(128), primary_key=True),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("signal_at", _UTC_TEXT, nullable=False),
        sa.Column("expires_at", _UTC_TEXT, nullable=False),
        sa.Column("expired_at", _UTC_TEXT),
        sa.Column("reason", sa.Text),
    )


def downgrade() -> None:
    """Drop the risk tables."""
    for table in (
        "risk_routes", "risk_peaks", "risk_kill_switch", "risk_approvals", "risk_decisions",
        "risk_seen_signals",
    ):  # fmt: skip
        op.drop_table(table)
