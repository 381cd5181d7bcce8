"""Alembic on open, one way for every store (candles, signals, outbox, ledger, decisions).

A store names its revisions with a `Migrations` and, when it opens its database, calls
`upgrade_sqlite` (its own `sqlite3` connection, so its raw-SQL fast paths stay as they are),
`upgrade_engine` or `upgrade` (a SQLAlchemy engine or connection):

- a new database is brought to the newest revision (``head``);
- a database written before the store had migrations (no version table, but the store's
  ``marker`` table) is stamped at the ``baseline`` revision (the schema that release shipped),
  then upgraded;
- a database at ``head`` costs a query or two: nothing is locked or written, Alembic is not
  imported, and a `sqlite3` store does not import SQLAlchemy either (together about a second
  of start-up on a busy machine).

On SQLite the migration holds the write lock (``BEGIN IMMEDIATE``) from the version check to the
commit, so processes opening one file together migrate it once. Migrations govern DDL only.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

_SCRIPT = Path(__file__).resolve().parent / "script"  # env.py, shared by every store
_RUNNING = threading.Lock()  # Alembic's `context` and `op` are process-wide: one run at a time

__all__ = ["Migrations", "upgrade", "upgrade_engine", "upgrade_sqlite"]


@dataclass(frozen=True)
class Migrations:
    """One store's Alembic revisions.

    Parameters
    ----------
    versions
        The folder of the store's revision files.
    head
        Their newest revision (checked against the files whenever a migration runs), so a
        database already there is recognised without reading them.
    version_table
        Where Alembic keeps the revision; stores sharing a database need their own.
    baseline
        The revision of the schema shipped before the store had migrations; None when the
        store always had them.
    marker
        A table of that schema: a database holding it but no ``version_table`` is stamped at
        ``baseline`` before it is upgraded.
    """

    versions: Path
    head: str
    version_table: str = "alembic_version"
    baseline: str | None = None
    marker: str | None = None

    def config(self, connection: Connection | None = None) -> Config:
        """Return the Alembic configuration that runs these revisions on `connection`."""
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(_SCRIPT).replace("%", "%%"))
        config.set_main_option("version_locations", str(self.versions).replace("%", "%%"))
        config.set_main_option("path_separator", "os")
        config.attributes["connection"] = connection
        config.attributes["version_table"] = self.version_table
        return config

    def heads(self) -> set[str]:
        """Return the newest revisions of the files (one: ``head``, or the files are wrong)."""
        from alembic.script import ScriptDirectory

        return set(ScriptDirectory.from_config(self.config()).get_heads())


def _current(connection: Connection, migrations: Migrations) -> set[str]:
    """Return the revisions the database is at (none without a version table), Alembic unread."""
    from sqlalchemy import String, column, inspect, select, table

    if not inspect(connection).has_table(migrations.version_table):
        return set()
    version = column("version_num", String)
    found = connection.scalars(select(version).select_from(table(migrations.version_table)))
    return set(found)


def upgrade(connection: Connection, migrations: Migrations, revision: str = "head") -> None:
    """Bring the database of `connection` to `revision` (the caller commits).

    A database without the version table but with the ``marker`` table is stamped at the
    ``baseline`` first.

    Raises
    ------
    RuntimeError
        The revision files end elsewhere than ``migrations.head``.
    """
    if revision == "head" and _current(connection, migrations) == {migrations.head}:
        return
    from alembic import command
    from sqlalchemy import inspect

    if (heads := migrations.heads()) != {migrations.head}:
        raise RuntimeError(f"{migrations.versions}: heads {heads}, declared {migrations.head}")
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # one process migrates, the others wait
    config = migrations.config(connection)
    with _RUNNING:
        baseline = migrations.baseline
        if (
            baseline is not None
            and not _current(connection, migrations)
            and migrations.marker in inspect(connection).get_table_names()
        ):
            command.stamp(config, baseline)
        command.upgrade(config, revision)


def upgrade_engine(engine: Engine, migrations: Migrations, revision: str = "head") -> None:
    """`upgrade` in one transaction of `engine`."""
    with engine.begin() as connection:
        upgrade(connection, migrations, revision)


def _at_head(db: sqlite3.Connection, migrations: Migrations) -> bool:
    try:
        found = db.execute(f'SELECT version_num FROM "{migrations.version_table}"').fetchall()  # noqa: S608
    except sqlite3.OperationalError:  # no version table
        return False
    return found == [(migrations.head,)]


def upgrade_sqlite(db: sqlite3.Connection, migrations: Migrations, revision: str = "head") -> None:
    """`upgrade` on a store's own `sqlite3` connection (a file or ``:memory:``), committed.

    The connection is lent to SQLAlchemy for the migration only; it stays open and keeps its
    settings (pragmas, isolation level).
    """
    if revision == "head" and _at_head(db, migrations):
        return
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", creator=lambda: db, poolclass=StaticPool)
    upgrade_engine(engine, migrations, revision)
