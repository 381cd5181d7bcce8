"""Alembic on open: new databases reach head, files at head are left alone, opens may race."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from alert_system.outbox import MIGRATIONS as OUTBOX
from exec_core.ledger.migrate import MIGRATIONS as LEDGER
from exec_core.persistence.store import MIGRATIONS as RISK
from market_store.store import CandleStore
from market_store.store.schema import MIGRATIONS as CANDLES
from model_engine.signals_store.store import MIGRATIONS as SIGNALS
from store_migrations import Migrations, upgrade_sqlite
from tests.legacy_stores import tables

EVERY = (CANDLES, SIGNALS, OUTBOX, LEDGER, RISK)


@pytest.mark.parametrize("migrations", EVERY, ids=lambda m: m.head)
def test_each_store_declares_the_head_of_its_revision_files(migrations: Migrations) -> None:
    assert migrations.heads() == {migrations.head}


def test_a_wrong_head_is_refused_before_anything_is_written() -> None:
    db = sqlite3.connect(":memory:")
    with pytest.raises(RuntimeError, match="heads"):
        upgrade_sqlite(db, replace(CANDLES, head="candles_0099"))
    assert db.execute("SELECT name FROM sqlite_master").fetchall() == []
    db.close()


def test_a_store_at_head_is_only_read(tmp_path: Path) -> None:
    path = tmp_path / "candles.sqlite"
    CandleStore(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    reads = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ}
    db.set_authorizer(
        lambda action, *_: sqlite3.SQLITE_OK if action in reads else sqlite3.SQLITE_DENY
    )
    upgrade_sqlite(db, CANDLES)  # nothing but reading: no lock taken, nothing written
    db.close()


_OPEN = "import sys; from market_store.store import CandleStore; CandleStore(sys.argv[1]).close()"


def test_processes_opening_a_new_store_together_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "candles.sqlite"
    root = Path(__file__).resolve().parents[3]
    procs = [
        subprocess.Popen(  # noqa: S603 - this interpreter, our own code
            [sys.executable, "-c", _OPEN, str(path)], cwd=root, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    errors = [proc.communicate(timeout=60)[1].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], errors
    assert tables(path)["alembic_version"] == CANDLES.head
