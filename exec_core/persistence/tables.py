"""SQLAlchemy 2 tables of the risk gate, in the ledger's database (own metadata).

The tables are made and changed by the Alembic revisions in ``migrations/`` (`DecisionStore`
runs them on open); a change here needs a revision there (a test compares the two).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from exec_core.ledger.schema import DecimalText, UtcText


class Base(DeclarativeBase):
    """Metadata of exec_core's risk tables (prefixed ``risk_``)."""


class SeenSignal(Base):
    """A signal id claimed once, before anything is done with it (idempotency)."""

    __tablename__ = "risk_seen_signals"

    signal_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """One risk decision with every rule's verdict."""

    __tablename__ = "risk_decisions"

    decision_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    signal_id: Mapped[str] = mapped_column(String(128), unique=True, index=True)
    symbol: Mapped[str] = mapped_column(String(64))
    accepted: Mapped[bool]
    side: Mapped[str | None] = mapped_column(String(8))
    quantity: Mapped[str] = mapped_column(String(64))
    verdicts: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApprovalRow(Base):
    """A trade waiting for (or decided by) a human; the audit of who and through what."""

    __tablename__ = "risk_approvals"

    approval_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    signal_id: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    request: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(128))
    channel: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class KillSwitchRow(Base):
    """Every change of the kill switch; the newest row is its state."""

    __tablename__ = "risk_kill_switch"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    engaged: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PeakRow(Base):
    """The highest equity of a scope (``portfolio``, ``model:<name>``), written when it rises."""

    __tablename__ = "risk_peaks"

    scope: Mapped[str] = mapped_column(String(160), primary_key=True)
    peak: Mapped[Decimal] = mapped_column(DecimalText)
    updated_at: Mapped[datetime] = mapped_column(UtcText)


class RouteRow(Base):
    """What an accepted decision needs to become an order, committed with the decision.

    ``mode`` is the approval mode it was routed in; ``expired_at`` is set when a restart
    found it without an order and too old (or no longer allowed) to send.
    """

    __tablename__ = "risk_routes"

    signal_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    model: Mapped[str] = mapped_column(String(128))
    signal_at: Mapped[datetime] = mapped_column(UtcText)
    expires_at: Mapped[datetime] = mapped_column(UtcText)
    expired_at: Mapped[datetime | None] = mapped_column(UtcText)
    reason: Mapped[str | None] = mapped_column(Text)
