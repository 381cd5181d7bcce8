"""Open the ledger database and bring it to the newest schema with Alembic (`store_migrations`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from store_migrations import Migrations, upgrade_engine

MIGRATIONS = Migrations(Path(__file__).resolve().parent / "migrations" / "versions", head="v0002")
"""The ledger's revisions; it always had them (no baseline to recognise)."""


def _sqlite_pragmas(sync: str) -> Callable[[Any, Any], None]:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sync}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return apply


def open_engine(url: str, *, durable: bool = True) -> Engine:
    """Return an engine for `url`; a SQLite file gets its folder, WAL and full sync.

    Parameters
    ----------
    url
        SQLAlchemy URL: ``sqlite:///path`` or ``postgresql+psycopg://...``.
    durable
        False: SQLite does not sync each commit (for simulated runs, never for live books).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas("FULL" if durable else "OFF"))
        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the ledger's Alembic migrations up to `revision` on `engine`."""
    upgrade_engine(engine, MIGRATIONS, revision)
