"""What a restart needs from the risk tables: equity peaks and the routes of accepted decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Insert
from sqlalchemy.dialects import postgresql, sqlite

from exec_core.persistence.tables import PeakRow, RouteRow
from signal_schema.primitives import Side


@dataclass(frozen=True, slots=True)
class Route:
    """How an accepted decision becomes an order (see `RouteRow`)."""

    signal_id: str
    mode: str
    model: str
    signal_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, row: RouteRow) -> Route:
        """Return the route a stored row holds."""
        return cls(row.signal_id, row.mode, row.model, row.signal_at, row.expires_at)

    def values(self) -> dict[str, object]:
        """Return the row to insert."""
        return {
            "signal_id": self.signal_id, "mode": self.mode, "model": self.model,
            "signal_at": self.signal_at, "expires_at": self.expires_at,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unsent:
    """An accepted decision and its route, for a restart to check against the ledger."""

    route: Route
    symbol: str
    side: Side
    quantity: Decimal


def _upsert(dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(PeakRow)
    return statement.on_conflict_do_update(
        index_elements=[PeakRow.scope],
        set_={"peak": statement.excluded.peak, "updated_at": statement.excluded.updated_at},
    )


_UPSERTS = {name: _upsert(name) for name in ("sqlite", "postgresql")}


def save_peaks(conn: Connection, peaks: Mapping[str, Decimal], at: datetime) -> None:
    """Insert or raise each scope's peak on `conn` (the caller's transaction)."""
    if peaks:
        rows = [{"scope": s, "peak": p, "updated_at": at} for s, p in peaks.items()]
        conn.execute(_UPSERTS[conn.dialect.name], rows)
