"""The candle store: SQLite (WAL) with exact decimal text, its importer and exporter.

See ``docs/decisions/0003-candle-store.md`` for why SQLite.
"""

from market_store.store.coverage import Coverage, Gap, find_gap
from market_store.store.exporter import export_key, export_path
from market_store.store.importer import FileReport, ImportReport, Rejected, import_file, import_path
from market_store.store.rows import Row
from market_store.store.sqlite import CandleStore

__all__ = [
    "CandleStore",
    "Coverage",
    "FileReport",
    "Gap",
    "ImportReport",
    "Rejected",
    "Row",
    "export_key",
    "export_path",
    "find_gap",
    "import_file",
    "import_path",
]
