"""The stores written by the release before migrations (9ed69dc), copied for a test to open.

The files and the script that makes them are in ``tests/fixtures/legacy/9ed69dc`` (its README).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

LEGACY = Path(__file__).resolve().parent / "fixtures" / "legacy" / "9ed69dc"


def legacy_store(name: str, folder: Path) -> Path:
    """Copy ``<name>.sqlite`` of 9ed69dc into `folder` and return the copy's path."""
    target = folder / f"{name}.sqlite"
    shutil.copyfile(LEGACY / target.name, target)
    return target


def tables(path: Path) -> dict[str, str]:
    """Return every table of the database at `path` with its revision table's value, if any."""
    with sqlite3.connect(path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = dict.fromkeys(names, "")
        for name in names:
            if name.endswith("alembic_version"):
                found[name] = db.execute(f'SELECT version_num FROM "{name}"').fetchone()[0]  # noqa: S608
    db.close()
    return found
